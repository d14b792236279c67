"""普法责任清单 are published openly: visitors read the overview and each department's list (not the
internal photos and materials of activities, not the Excel export); keeping them stays restricted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.publicity import services
from fazhi.publicity.models import ResponsibilityItem, ResponsibilityList

from .conftest import JPEG


@pytest.fixture
def published(clerk):
    lst = services.create_list(user=clerk, year=2026, department="采购科")
    item = services.add_item(
        user=clerk, list_id=lst.pk, law_title="政府采购法", audiences="供应商", planned_activity="培训",
        planned_date=dt.date(2026, 3, 1),
    )  # fmt: skip
    services.record_activity(
        user=clerk,
        data={
            "title": "采购法进企业",
            "date": "2026-02-20",
            "place": "会议室",
            "form": "lecture",
            "item": item.pk,
        },
        photos=[(SimpleUploadedFile("a.jpg", JPEG), "讲座现场")],
    )
    return lst


def test_a_visitor_reads_the_overview_and_a_departments_list(client, published):
    overview = client.get("/publicity/responsibility/", {"year": 2026})
    assert overview.status_code == 200
    page = overview.content.decode()
    assert "采购科" in page and "导出 Excel" not in page and "登记普法活动" not in page
    detail = client.get(published.get_absolute_url())
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "政府采购法" in body and "采购法进企业" in body
    assert "照片：讲座现场" not in body and "/publicity/media/photo/" not in body  # internal files
    assert "登记活动" not in body
    assert "普法责任清单" in client.get("/publicity/").content.decode()


def test_staff_still_see_the_activity_files_and_leaders_the_export(login, published, director):
    staff = ensure_user(
        username="s9", display_name="采购科员", role_names=[roles.STAFF_MEMBER], department="采购科"
    )
    body = login(staff).get(published.get_absolute_url()).content.decode()
    assert "照片：讲座现场" in body and "登记活动" in body
    assert "导出 Excel" in login(director).get("/publicity/responsibility/", {"year": 2026}).content.decode()


def test_a_visitor_cannot_export_record_or_edit(client, login, published, outsider):
    assert client.get("/publicity/responsibility/export.xlsx").status_code == 302
    assert login(outsider).get("/publicity/responsibility/export.xlsx").status_code == 403
    assert client.get("/publicity/activities/new/").status_code == 302
    item = ResponsibilityItem.objects.get()
    refused = login(outsider).post(
        "/publicity/activities/new/",
        {"item": item.pk, "title": "冒名活动", "date": "2026-06-01", "place": "x", "form": "lecture"},
    )
    assert refused.status_code == 403
    assert item.activities.count() == 1 and ResponsibilityList.objects.count() == 1


def test_an_unknown_list_is_a_chinese_404(client, db):
    response = client.get("/publicity/responsibility/999999/")
    assert response.status_code == 404 and "清单不存在" in response.content.decode()


@pytest.mark.parametrize("asked", ["1999", "abc", "99999999999999999999"])
def test_a_year_that_cannot_be_shown_is_named_not_passed_over(client, published, asked):
    """/publicity/responsibility/?year=1999 shows the default year, and says so."""
    page = client.get("/publicity/responsibility/", {"year": asked}).content.decode()
    assert f"年度“{asked[:20]}”无效（应为 2000 至 2100 年之间的年份），下面是 " in page


@pytest.mark.parametrize("asked", ["2026", "02026", ""])
def test_a_year_that_can_be_shown_brings_no_notice(client, published, asked):
    page = client.get("/publicity/responsibility/", {"year": asked}).content.decode()
    assert "无效（应为 2000 至 2100 年之间的年份）" not in page
    if asked:
        assert "2026年普法责任清单完成情况" in page
