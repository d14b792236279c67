"""法律专业资格 API and the 法律专业人员 page: exam administrators record and correct qualifications (audited),
those who see 执法人员占比 read the register and the per-department counts; everyone else is refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from fazhi.core.models import AuditEvent
from fazhi.exams.models import Qualification
from fazhi.exams.services import qualifications

from .test_qualifications import person

pytestmark = pytest.mark.django_db

URL = "/api/v1/exams/qualifications"


@pytest.fixture
def staff(db):
    return {"a": person("q_a", "法规科"), "b": person("q_b", "办公室"), "c": person("q_c", "国库科")}


@pytest.fixture
def recorded(staff):
    add = qualifications.record_qualification
    return [
        add(profile=staff["a"], kind="legal_a", number="A-1", obtained_on=dt.date(2020, 1, 1)),
        add(profile=staff["a"], kind="public_lawyer", number="GZ-1", obtained_on=dt.date(2021, 1, 1)),
        add(
            profile=staff["b"],
            kind="legal_adviser",
            obtained_on=dt.date(2022, 1, 1),
            expires_on=dt.date(2023, 1, 1),
        ),
        add(profile=staff["c"], kind="other", obtained_on=dt.date(2024, 1, 1), note="=仲裁员"),
    ]


def test_the_exam_administrator_records_a_qualification_and_it_is_audited(
    staff, examadmin, client, token_for
):
    body = {"username": "q_a", "kind": "legal_b", "number": "B 2024 0001", "obtained_on": "2024-03-01",
            "issuer": "司法部"}  # fmt: skip
    r = client.post(URL, body, content_type="application/json", headers=token_for(examadmin))
    assert r.status_code == 201, r.json()
    out = r.json()
    assert (out["number"], out["department"], out["kind_label"], out["valid_today"]) == (
        "B20240001", "法规科", "法律职业资格（B证）", True,
    )  # fmt: skip
    event = AuditEvent.objects.get(object_type="exams.Qualification", object_id=str(out["qualification_id"]))
    assert (event.action, event.actor, event.after["number"]) == ("create", examadmin, "B20240001")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "legal_a", "obtained_on": "2024-01-01"}, "法律职业资格（A证）须填写证书编号"),
        ({"kind": "legal_a", "number": "A-9", "obtained_on": "2999-01-01"}, "不能登记尚未取得的资格"),
        ({"kind": "legal_a", "number": "A-9", "obtained_on": "2024-01-01", "expires_on": "2023-01-01"},
         "有效期至 2023-01-01 应晚于取得日期 2024-01-01"),
        ({"kind": "legal_a", "number": "A-1", "obtained_on": "2024-01-01"}, "A-1 已登记在 人员q_a（法规科）名下"),
        ({"kind": "judge", "number": "A-9", "obtained_on": "2024-01-01"}, "资格类型“judge”无效"),
        ({"username": "nobody", "kind": "legal_a", "number": "A-9", "obtained_on": "2024-01-01"}, "找不到人员"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_chinese_message_and_records_nothing(
    recorded, examadmin, client, token_for, body, message
):
    body = {"username": "q_b"} | body
    r = client.post(URL, body, content_type="application/json", headers=token_for(examadmin))
    assert r.status_code == 400 and message in r.json()["detail"], r.json()
    assert Qualification.objects.count() == len(recorded)


def test_the_list_filters_by_department_and_kind(recorded, director, client, token_for):
    headers = token_for(director)
    everything = client.get(URL, headers=headers).json()
    # By department (办公室, 国库科, 法规科), person and kind.
    assert [q["kind"] for q in everything] == ["legal_adviser", "other", "legal_a", "public_lawyer"]
    assert [q["kind"] for q in client.get(URL, {"department": "法规科"}, headers=headers).json()] == [
        "legal_a", "public_lawyer",
    ]  # fmt: skip
    advisers = client.get(URL, {"kind": "legal_adviser"}, headers=headers).json()
    assert [(q["username"], q["valid_today"]) for q in advisers] == [("q_b", False)]
    bad = client.get(URL, {"kind": "lawyer"}, headers=headers)
    assert bad.status_code == 400 and "资格类型“lawyer”无效" in bad.json()["detail"]


def test_a_correction_through_patch_is_audited_and_a_bad_one_changes_nothing(
    recorded, examadmin, client, token_for
):
    q = recorded[1]
    headers = token_for(examadmin)
    r = client.patch(f"{URL}/{q.pk}", {"expires_on": "2030-12-31", "note": "已年检"},
                     content_type="application/json", headers=headers)  # fmt: skip
    assert r.status_code == 200 and r.json()["expires_on"] == "2030-12-31"
    event = AuditEvent.objects.get(object_type="exams.Qualification", object_id=str(q.pk), action="update")
    assert event.actor == examadmin and event.after["expires_on"] == "2030-12-31"
    cleared = client.patch(
        f"{URL}/{q.pk}", {"expires_on": None}, content_type="application/json", headers=headers
    )
    assert cleared.json()["expires_on"] is None
    bad = client.patch(f"{URL}/{q.pk}", {"number": "", "note": "删掉编号"}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert bad.status_code == 400 and bad.json()["detail"] == "公职律师证须填写证书编号"
    q.refresh_from_db()
    assert (q.number, q.note, q.expires_on) == ("GZ-1", "已年检", None)
    missing = client.patch(f"{URL}/999999", {"note": "x"}, content_type="application/json", headers=headers)
    assert missing.status_code == 404 and missing.json()["detail"] == "法律专业资格记录不存在"


def test_outsiders_cannot_read_or_write_the_register(
    recorded, director, enterprise, outsider, client, token_for
):
    q = recorded[0]
    body = {"username": "q_b", "kind": "legal_a", "number": "A-9", "obtained_on": "2024-01-01"}
    assert client.get(URL).status_code == 401
    assert client.post(URL, body, content_type="application/json").status_code == 401
    for user in (enterprise, outsider):
        headers = token_for(user)
        assert client.get(URL, headers=headers).status_code == 403
        assert client.post(URL, body, content_type="application/json", headers=headers).status_code == 403
    # Those who see 执法人员占比 read the register but do not keep it.
    headers = token_for(director)
    refused = client.post(URL, body, content_type="application/json", headers=headers)
    assert refused.status_code == 403 and "只有考试管理员可以登记法律专业资格" in refused.json()["detail"]
    patched = client.patch(f"{URL}/{q.pk}", {"note": "x"}, content_type="application/json", headers=headers)
    assert patched.status_code == 403
    q.refresh_from_db()
    assert q.note == "" and Qualification.objects.count() == len(recorded)


# --- the page ------------------------------------------------------------------------------------------


def test_the_page_counts_specialists_per_department_including_those_without(recorded, director, login):
    html = login(director).get("/exams/qualifications/").content.decode()
    assert "在岗人员 3 人，其中法律专业人员 2 人" in html  # the adviser appointment has ended
    assert '<th scope="row">办公室</th><td>1</td><td>0</td>' in html
    assert '<th scope="row">法规科</th><td>1</td><td>1</td><td>1</td>' in html
    assert "公职律师证 GZ-1" in html and "在后台登记或修改资格" not in html
    past = login(director).get("/exams/qualifications/", {"on": "2022-06-30", "department": "办公室"})
    assert "在岗人员 1 人，其中法律专业人员 1 人" in past.content.decode()


def test_the_excel_export_has_the_counts_and_every_valid_qualification(recorded, examadmin, login):
    r = login(examadmin).get("/exams/qualifications.xlsx", {"on": "2024-06-30"})
    assert r.status_code == 200 and "legal-specialists-2024-06-30.xlsx" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    summary = [list(row) for row in wb["按科室汇总"].iter_rows(min_row=3, values_only=True)]
    assert summary[-1][:3] == ["合计", 3, 2]
    listed = list(wb["法律专业人员"].iter_rows(min_row=3, values_only=True))
    assert [row[4] for row in listed] == ["其他", "法律职业资格（A证）", "公职律师证"]
    # Text typed by people stays text, never a formula.
    assert listed[0][9] == "=仲裁员" and wb["法律专业人员"].cell(3, 10).data_type == "s"


def test_a_bad_date_gets_a_chinese_message(recorded, director, login):
    page = login(director).get("/exams/qualifications/", {"on": "2026-02-30"})
    assert page.status_code == 400 and "不是有效的日期" in page.content.decode()
    export = login(director).get("/exams/qualifications.xlsx", {"on": "昨天"})
    assert export.status_code == 400 and "不是有效的日期" in export.content.decode()


def test_only_the_dashboard_roles_see_the_page(
    recorded, examadmin, reviewer, enterprise, outsider, login, client
):
    assert "在后台登记或修改资格" in login(examadmin).get("/exams/qualifications/").content.decode()
    assert "法律专业人员" in login(examadmin).get("/exams/").content.decode()
    for user in (reviewer, enterprise, outsider):
        c = login(user)
        assert c.get("/exams/qualifications/").status_code == 403
        assert c.get("/exams/qualifications.xlsx").status_code == 403
    r = client.get("/exams/qualifications.xlsx")
    assert r.status_code == 302 and "/login/" in r.url
