"""普法责任清单: completion arithmetic, activity records, the leaders' overview and its Excel export."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from fazhi.core import roles
from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.core.services import ensure_user
from fazhi.publicity import selectors, services
from fazhi.publicity.models import ItemStatus, ResponsibilityItem

TODAY = dt.date(2026, 7, 1)


@pytest.fixture
def lists(clerk):
    """Two departments: 采购科 with 4 items (2 done, 1 in progress, 1 overdue), 预算科 with none."""
    procurement = services.create_list(user=clerk, year=2026, department="采购科")
    services.create_list(user=clerk, year=2026, department="预算科")
    items = [
        services.add_item(user=clerk, list_id=procurement.pk, law_title="政府采购法", audiences="供应商", planned_activity="培训", planned_date=dt.date(2026, 3, 1)),
        services.add_item(user=clerk, list_id=procurement.pk, law_title="预算法", audiences="预算单位", planned_activity="讲座", planned_date=dt.date(2026, 4, 1)),
        services.add_item(user=clerk, list_id=procurement.pk, law_title="政府信息公开条例", audiences="群众", planned_activity="展板", planned_date=dt.date(2026, 5, 1)),
        services.add_item(user=clerk, list_id=procurement.pk, law_title="宪法", audiences="干部", planned_activity="竞赛", planned_date=dt.date(2026, 12, 4)),
    ]  # fmt: skip
    services.set_item_status(
        user=clerk, item_id=items[0].pk, status=ItemStatus.DONE, today=dt.date(2026, 3, 1)
    )
    services.set_item_status(
        user=clerk, item_id=items[1].pk, status=ItemStatus.DONE, today=dt.date(2026, 4, 1)
    )
    services.set_item_status(user=clerk, item_id=items[3].pk, status=ItemStatus.IN_PROGRESS)
    return procurement, items


def test_completion_counts_done_in_progress_planned_and_overdue(lists):
    procurement, items = lists
    c = selectors.completion(list(procurement.items.all()), today=TODAY)
    assert (c.total, c.done, c.in_progress, c.planned, c.overdue) == (4, 2, 1, 1, 1)
    assert c.rate == 50.0 and c.rate_label == "50%"


def test_an_empty_list_has_no_rate_rather_than_zero_or_a_division_error(lists):
    ov = selectors.overview(2026, today=TODAY)
    empty = next(r for r in ov.rows if r.responsibility_list.department == "预算科")
    assert empty.completion.rate is None and empty.completion.rate_label == "—"
    assert (ov.totals.total, ov.totals.done) == (4, 2) and ov.totals.rate == 50.0


def test_thirds_are_rounded_to_one_decimal(clerk):
    lst = services.create_list(user=clerk, year=2026, department="办公室")
    ids = [
        services.add_item(
            user=clerk, list_id=lst.pk, law_title=f"法{i}", audiences="干部", planned_activity="学习"
        ).pk
        for i in range(3)
    ]
    services.set_item_status(user=clerk, item_id=ids[0], status=ItemStatus.DONE)
    assert selectors.completion(list(lst.items.all())).rate == 33.3
    services.set_item_status(user=clerk, item_id=ids[1], status=ItemStatus.DONE)
    assert selectors.completion(list(lst.items.all())).rate == 66.7


def test_recording_an_activity_moves_its_item_and_can_complete_it(lists, clerk):
    _, items = lists
    a = services.record_activity(
        user=clerk,
        data={"title": "信息公开宣传", "date": "2026-06-20", "place": "办事大厅", "form": "exhibition", "audience_count": 120, "item": items[2].pk},
    )  # fmt: skip
    assert a.department == "采购科"
    assert ResponsibilityItem.objects.get(pk=items[2].pk).status == ItemStatus.IN_PROGRESS
    services.record_activity(
        user=clerk,
        data={"title": "第二场", "date": "2026-06-21", "place": "社区", "form": "consultation", "audience_count": 30, "item": items[2].pk},
        mark_done=True,
    )  # fmt: skip
    item = ResponsibilityItem.objects.get(pk=items[2].pk)
    assert item.status == ItemStatus.DONE and item.completed_at == dt.date(2026, 6, 21)
    ov = selectors.overview(2026, today=TODAY)
    row = next(r for r in ov.rows if r.responsibility_list.department == "采购科")
    assert (row.activities, row.audience, row.completion.done) == (2, 150, 3)


def test_activity_input_is_validated_with_specific_messages(lists, clerk):
    _, items = lists
    base = {"title": "活动", "date": "2026-06-20", "place": "会议室", "form": "lecture", "item": items[0].pk}
    with pytest.raises(ValidationFailed, match="活动形式“dance”无效"):
        services.record_activity(user=clerk, data=base | {"form": "dance"})
    with pytest.raises(ValidationFailed, match="受众人数必须是整数"):
        services.record_activity(user=clerk, data=base | {"audience_count": "很多"})
    with pytest.raises(ValidationFailed, match="晚于今天"):
        services.record_activity(user=clerk, data=base | {"date": "2999-01-01"})
    with pytest.raises(ValidationFailed, match="不在清单年度"):
        services.add_item(
            user=clerk,
            list_id=items[0].responsibility_list_id,
            law_title="x",
            audiences="y",
            planned_activity="z",
            planned_date="2025-01-01",
        )
    with pytest.raises(ValidationFailed, match="已存在"):
        services.create_list(user=clerk, year=2026, department="采购科")


def test_staff_record_their_own_department_only_and_outsiders_none(lists, outsider):
    _, items = lists
    staff = ensure_user(
        username="s1", display_name="采购科员", role_names=[roles.STAFF_MEMBER], department="采购科"
    )
    stranger = ensure_user(
        username="s2", display_name="预算科员", role_names=[roles.STAFF_MEMBER], department="预算科"
    )
    data = {"title": "活动", "date": "2026-06-20", "place": "会议室", "form": "lecture", "item": items[0].pk}
    assert services.record_activity(user=staff, data=data).department == "采购科"
    with pytest.raises(PermissionDenied, match="本部门"):
        services.record_activity(user=stranger, data=data)
    with pytest.raises(PermissionDenied):
        services.record_activity(user=outsider, data=data)
    with pytest.raises(PermissionDenied):
        services.create_list(user=staff, year=2027, department="采购科")


def test_everyone_reads_the_overview_only_leaders_supervisors_and_admins_export_it(
    client, login, lists, director, supervisor, sysadmin, outsider, enterprise
):
    # The lists are published openly (see test_responsibility_public.py); the Excel export is a work tool.
    for reader in (director, supervisor, sysadmin, outsider, enterprise):
        page = login(reader).get("/publicity/responsibility/", {"year": 2026})
        assert page.status_code == 200
        assert "采购科" in page.content.decode()
    for refused in (outsider, enterprise):
        assert login(refused).get("/publicity/responsibility/export.xlsx").status_code == 403
    assert client.get("/publicity/responsibility/").status_code == 200


def test_the_supervisor_is_read_only_in_the_api(client, lists, supervisor, outsider, token_for):
    assert client.get("/api/v1/publicity/responsibility/overview", {"year": 2026}).status_code == 401
    assert (
        client.get(
            "/api/v1/publicity/responsibility/overview", {"year": 2026}, headers=token_for(outsider)
        ).status_code
        == 403
    )
    ov = client.get(
        "/api/v1/publicity/responsibility/overview", {"year": 2026}, headers=token_for(supervisor)
    ).json()
    assert ov["total"] == 4 and ov["done"] == 2 and ov["rate"] == 50.0
    refused = client.post(
        "/api/v1/publicity/responsibility/lists",
        json.dumps({"year": 2027, "department": "采购科"}),
        content_type="application/json",
        headers=token_for(supervisor),
    )
    assert refused.status_code == 403 and "普法责任清单" in refused.json()["detail"]
    _, items = lists
    assert (
        client.post(
            f"/api/v1/publicity/responsibility/items/{items[1].pk}/status",
            json.dumps({"status": "planned"}),
            content_type="application/json",
            headers=token_for(supervisor),
        ).status_code
        == 403
    )


def test_the_excel_export_holds_the_overview_and_the_items(login, lists, director):
    response = login(director).get("/publicity/responsibility/export.xlsx", {"year": 2026})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    summary = wb["2026年完成情况"]
    rows = {r[0]: r for r in summary.iter_rows(min_row=3, values_only=True)}
    assert rows["采购科"][1:4] == (4, 2, 1) and rows["采购科"][6] == 0.5
    assert rows["预算科"][1] == 0 and rows["预算科"][6] is None
    assert rows["合计"][1] == 4
    details = list(wb["清单事项明细"].iter_rows(min_row=2, values_only=True))
    assert len(details) == 4 and {d[5] for d in details} == {"已完成", "进行中", "未开始"}


def test_staff_record_an_activity_with_photos_on_the_page_for_their_department_only(
    login, lists, outsider, client
):
    from .conftest import JPEG, PDF

    _, items = lists
    staff = ensure_user(
        username="s3", display_name="采购科员", role_names=[roles.STAFF_MEMBER], department="采购科"
    )
    other = ensure_user(
        username="s4", display_name="预算科员", role_names=[roles.STAFF_MEMBER], department="预算科"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    def form():  # fresh uploads for each request (a posted file is read to its end)
        return {
            "item": items[2].pk,
            "title": "信息公开进社区",
            "date": "2026-06-20",
            "place": "社区服务中心",
            "form": "consultation",
            "audience_count": 45,
            "photo_alt": "现场咨询",
            "photos": [SimpleUploadedFile("a.jpg", JPEG), SimpleUploadedFile("b.jpg", JPEG)],
            "material": SimpleUploadedFile("plan.pdf", PDF),
            "material_title": "活动方案",
            "mark_done": "on",
        }

    page = login(staff).get("/publicity/activities/new/")
    assert page.status_code == 200 and "政府信息公开条例" in page.content.decode()
    # Each field's help is read with it: the id its aria-describedby names is the hint's.
    html = page.content.decode()
    for name in ("photo_alt", "material"):
        assert f'aria-describedby="id_{name}_helptext"' in html and f'id="id_{name}_helptext"' in html
    assert "政府信息公开条例" not in login(other).get("/publicity/activities/new/").content.decode()
    assert (
        login(other).post("/publicity/activities/new/", form()).status_code == 200
    )  # item not offered: form error
    done = login(staff).post("/publicity/activities/new/", form())
    assert done.status_code == 302, done.content.decode()[-3000:]
    item = ResponsibilityItem.objects.get(pk=items[2].pk)
    assert item.status == ItemStatus.DONE
    activity = item.activities.get()
    assert activity.photos.count() == 2 and activity.materials.get().title == "活动方案"
    assert client.get("/publicity/activities/new/").status_code == 302
    assert login(outsider).get("/publicity/activities/new/").status_code == 403


def test_a_fake_photo_is_refused_and_nothing_is_recorded(login, lists, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, items = lists
    page = login(clerk).post(
        "/publicity/activities/new/",
        {
            "item": items[2].pk, "title": "活动", "date": "2026-06-20", "place": "会议室", "form": "lecture",
            "audience_count": 1, "photo_alt": "图", "photos": [SimpleUploadedFile("x.jpg", b"MZ\x90\x00 not an image")],
        },
    )  # fmt: skip
    assert page.status_code == 400 and "活动照片" in page.content.decode()
    assert not ResponsibilityItem.objects.get(pk=items[2].pk).activities.exists()


def test_the_write_apis_refuse_anonymous_users_and_outsiders(client, lists, clerk, outsider, token_for):
    procurement, items = lists
    calls = [
        ("/api/v1/publicity/responsibility/lists", {"year": 2027, "department": "办公室"}),
        (f"/api/v1/publicity/responsibility/lists/{procurement.pk}/items", {"law_title": "预算法", "audiences": "单位", "planned_activity": "讲座"}),
        (f"/api/v1/publicity/responsibility/items/{items[1].pk}/status", {"status": "planned"}),
        ("/api/v1/publicity/activities", {"title": "活动", "date": "2026-06-01", "place": "会议室", "form": "lecture", "item": items[1].pk}),
    ]  # fmt: skip
    for url, body in calls:
        payload = json.dumps(body)
        assert client.post(url, payload, content_type="application/json").status_code == 401, url
        assert (
            client.post(
                url, payload, content_type="application/json", headers=token_for(outsider)
            ).status_code
            == 403
        ), url
    assert ResponsibilityItem.objects.get(pk=items[1].pk).status == ItemStatus.DONE
    done = client.post(
        calls[3][0],
        json.dumps(calls[3][1] | {"mark_done": False}),
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert done.status_code == 201 and done.json()["department"] == "采购科"


def test_marking_done_without_an_item_is_refused_not_dropped(lists, clerk):
    from fazhi.publicity.models import Activity

    before = Activity.objects.count()
    data = {"title": "宪法宣传", "date": "2026-06-20", "place": "广场", "form": "exhibition", "audience_count": 10,
            "department": "采购科"}  # fmt: skip
    with pytest.raises(ValidationFailed, match="勾选“该清单事项已全部完成”时须选择对应的清单事项"):
        services.record_activity(user=clerk, data=data, mark_done=True)
    assert Activity.objects.count() == before  # nothing recorded
    services.record_activity(user=clerk, data=data)  # without the tick it is an activity of its own
    assert Activity.objects.count() == before + 1
