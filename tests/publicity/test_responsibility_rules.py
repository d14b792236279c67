"""普法责任清单: the overview opens on this year, the admin applies the services' rules, and the Excel export
writes typed text as text (never as a formula)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.publicity import services
from fazhi.publicity.models import ItemStatus, ResponsibilityItem, ResponsibilityList

ADD = "/admin/publicity/responsibilitylist/add/"


def test_the_overview_opens_on_this_year_not_on_a_future_one(login, clerk, director):
    this_year = timezone.localdate().year
    services.create_list(user=clerk, year=this_year, department="采购科")
    services.create_list(user=clerk, year=this_year + 6, department="预算科")
    html = login(director).get("/publicity/responsibility/").content.decode()
    assert f"<h1>{this_year}年普法责任清单完成情况</h1>" in html
    assert f'<option value="{this_year + 6}">' in html  # the future year is still reachable


def test_without_lists_this_year_the_overview_opens_on_the_latest_earlier_year(login, clerk, director):
    this_year = timezone.localdate().year
    services.create_list(user=clerk, year=this_year - 2, department="采购科")
    services.create_list(user=clerk, year=this_year + 3, department="预算科")
    html = login(director).get("/publicity/responsibility/").content.decode()
    assert f"<h1>{this_year - 2}年普法责任清单完成情况</h1>" in html
    odd = login(director).get("/publicity/responsibility/", {"year": "99999"}).content.decode()
    assert f"<h1>{this_year - 2}年普法责任清单完成情况</h1>" in odd


def _list_form(year: str, **item: str) -> dict[str, str]:
    data = {
        "year": year,
        "department": "采购科",
        "note": "",
        "items-TOTAL_FORMS": "1" if item else "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    if item:
        data |= {
            "items-0-law_title": "政府采购法",
            "items-0-audiences": "供应商",
            "items-0-planned_activity": "培训",
            "items-0-status": "planned",
        }
        data |= {f"items-0-{k}": v for k, v in item.items()}
    return data


@pytest.mark.parametrize("year", ["99999", "0", "1999", "2101"])
def test_the_admin_keeps_the_year_within_2000_to_2100(login, sysadmin, year):
    response = login(sysadmin).post(ADD, _list_form(year))
    assert response.status_code == 200
    assert "年度须在 2000–2100 之间。" in response.content.decode()
    assert not ResponsibilityList.objects.exists()


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"planned_date": "2019-05-01"}, "计划完成日期 2019-05-01 不在清单年度 2026 年内。"),
        ({"status": "done"}, "完成情况为“已完成”时，请填写完成日期。"),
        (
            {"status": "in_progress", "completed_at": "2026-03-01"},
            "只有完成情况为“已完成”的事项才能填写完成日期。",
        ),
        ({"status": "done", "completed_at": "2099-01-01"}, "完成日期 2099-01-01 晚于今天。"),
    ],
)
def test_the_admin_item_rows_follow_the_services_rules(login, sysadmin, item, message):
    response = login(sysadmin).post(ADD, _list_form("2026", **item))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ResponsibilityList.objects.exists() and not ResponsibilityItem.objects.exists()


def test_a_valid_list_with_a_completed_item_is_saved_in_the_admin(login, sysadmin):
    response = login(sysadmin).post(
        ADD, _list_form("2026", planned_date="2026-03-01", status="done", completed_at="2026-03-01")
    )
    assert response.status_code == 302
    item = ResponsibilityItem.objects.get()
    assert item.status == ItemStatus.DONE and item.completed_at == dt.date(2026, 3, 1)


def test_the_excel_export_writes_typed_formulas_as_text(login, clerk, director):
    lst = services.create_list(
        user=clerk, year=2040, department='=HYPERLINK("http://evil.example/","点击查看")'
    )
    for title in ("=1+1", "+1", "-1", "@SUM(A1)"):
        services.add_item(
            user=clerk, list_id=lst.pk, law_title=title, audiences="干部", planned_activity="讲座"
        )
    response = login(director).get("/publicity/responsibility/export.xlsx", {"year": 2040})
    wb = load_workbook(io.BytesIO(response.content))
    department = wb["2040年完成情况"]["A3"]
    assert department.value == '=HYPERLINK("http://evil.example/","点击查看")'
    assert department.data_type == "s"
    cells = [row[1] for row in wb["清单事项明细"].iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(["=1+1", "+1", "-1", "@SUM(A1)"])
    assert {c.data_type for c in cells} == {"s"}
    assert all(r[0].data_type == "s" for r in wb["清单事项明细"].iter_rows(min_row=2))


def test_only_people_who_may_record_see_the_record_links(login, clerk, supervisor):
    lst = services.create_list(user=clerk, year=2026, department="采购科")
    services.add_item(user=clerk, list_id=lst.pk, law_title="宪法", audiences="干部", planned_activity="讲座")
    url = f"/publicity/responsibility/{lst.pk}/"
    assert "登记活动" not in login(supervisor).get(url).content.decode()
    assert "登记活动" in login(clerk).get(url).content.decode()


def test_the_activity_form_starts_with_the_users_own_department(login, db):
    from fazhi.core import roles
    from fazhi.core.services import ensure_user

    staff = ensure_user(
        username="finance1", display_name="财政", role_names=[roles.STAFF_MEMBER], password="x-pass-2026",
        department="区财政局",
    )  # fmt: skip
    html = login(staff).get("/publicity/activities/new/").content.decode()
    assert 'value="区财政局"' in html
