"""法律专业资格登记: the rules of a qualification (no future date obtained, an expiry after it, a number for
certificates, no duplicate number), bad input changing nothing, the counts for the annual report, and the
admin that applies the same rules."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import roles
from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.core.services import ensure_user
from fazhi.exams import selectors
from fazhi.exams.models import Qualification, StaffProfile
from fazhi.exams.services import qualifications

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


def person(username: str, department: str, *, active: bool = True) -> StaffProfile:
    user = ensure_user(
        username=username,
        display_name=f"人员{username}",
        role_names=[roles.STAFF_MEMBER],
        password="x-pass-2026",
    )
    return StaffProfile.objects.create(user=user, department=department, post="科员", is_active=active)


@pytest.fixture
def lawyer(db) -> StaffProfile:
    return person("q_lawyer", "法规科")


def record(profile: StaffProfile, kind: str = "legal_a", number: str = "A20231101001", **kw) -> Qualification:
    kw.setdefault("obtained_on", dt.date(2023, 11, 1))
    return qualifications.record_qualification(profile=profile, kind=kind, number=number, today=TODAY, **kw)


def test_a_qualification_is_recorded_with_its_number_normalised(lawyer, examadmin):
    q = record(lawyer, number=" Ａ2023 1101001 ", issuer="司法部", by=examadmin)
    assert (q.number, q.issuer, q.recorded_by, q.expires_on) == ("A20231101001", "司法部", examadmin, None)
    assert q.is_valid_on(TODAY) and not q.is_valid_on(dt.date(2023, 10, 31))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"obtained_on": dt.date(2026, 7, 1)},
            "取得日期 2026-07-01 晚于今天（2026-06-30），不能登记尚未取得的资格",
        ),
        ({"expires_on": dt.date(2023, 11, 1)}, "有效期至 2023-11-01 应晚于取得日期 2023-11-01"),
        ({"number": "  "}, "法律职业资格（A证）须填写证书编号"),
        ({"kind": "public_lawyer", "number": ""}, "公职律师证须填写证书编号"),
        ({"kind": "other", "number": "", "note": " "}, "资格类型为“其他”的，请在备注中写明资格名称"),
        ({"kind": "lawyer"}, "资格类型“lawyer”无效，应为：legal_a（法律职业资格（A证））"),
        ({"obtained_on": None}, "请填写取得日期"),
        ({"number": "A" * 61}, "证书编号/聘任文号不能超过 60 个字（当前 61 个字）"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_is_recorded(lawyer, changes, message):
    with pytest.raises(ValidationFailed) as refused:
        record(lawyer, **changes)
    assert message in refused.value.message
    assert not Qualification.objects.exists()


def test_an_appointment_needs_no_number_and_other_needs_its_name(lawyer):
    adviser = record(
        lawyer, kind="legal_adviser", number="", issuer="区人民政府", expires_on=dt.date(2027, 12, 31)
    )
    other = record(lawyer, kind="other", number="", note="仲裁员")
    assert adviser.number == other.number == ""


def test_a_number_already_registered_for_the_kind_is_refused(lawyer):
    record(lawyer)
    colleague = person("q_colleague", "办公室")
    with pytest.raises(
        ValidationFailed, match="法律职业资格（A证） A20231101001 已登记在 人员q_lawyer（法规科）名下"
    ):
        record(colleague, number="a2023 1101001")
    assert Qualification.objects.count() == 1
    # The same number under another kind is another document.
    assert record(colleague, kind="public_lawyer").number == "A20231101001"


def test_a_person_outside_the_staff_registry_is_refused(candidate):
    with pytest.raises(ValidationFailed, match="尚未在人员登记中登记"):
        qualifications.find_profile(user_id=candidate.pk)
    with pytest.raises(ValidationFailed, match="请指定人员"):
        qualifications.record_qualification(
            profile=None, kind="legal_a", number="A1", obtained_on=dt.date(2024, 1, 1), today=TODAY
        )


def test_a_correction_is_checked_on_the_result_and_a_bad_one_changes_nothing(lawyer):
    q = record(lawyer, kind="public_lawyer", number="GZ-001", expires_on=dt.date(2026, 12, 31))
    qualifications.update_qualification(
        qualification=q, changes={"expires_on": dt.date(2028, 12, 31), "note": "已年检"}, today=TODAY
    )
    q.refresh_from_db()
    assert (q.expires_on, q.note) == (dt.date(2028, 12, 31), "已年检")
    with pytest.raises(ValidationFailed, match="有效期至 2020-01-01 应晚于取得日期 2023-11-01"):
        qualifications.update_qualification(
            qualification=q, changes={"expires_on": dt.date(2020, 1, 1), "note": "改错了"}, today=TODAY
        )
    with pytest.raises(ValidationFailed, match="不能修改字段：recorded_by"):
        qualifications.update_qualification(qualification=q, changes={"recorded_by": None})
    q.refresh_from_db()
    assert (q.expires_on, q.note) == (dt.date(2028, 12, 31), "已年检")


# --- counts for the annual report -------------------------------------------------------------------------


@pytest.fixture
def register(db) -> dict[str, StaffProfile]:
    people = {
        "a": person("q_a", "法规科"),
        "b": person("q_b", "法规科"),
        "c": person("q_c", "政府采购监督管理科"),
        "gone": person("q_gone", "法规科", active=False),
        "none": person("q_none", "办公室"),
    }
    record(people["a"], number="A-1")
    record(people["a"], kind="public_lawyer", number="GZ-1", obtained_on=dt.date(2024, 3, 1))
    record(people["b"], kind="legal_c", number="C-1", obtained_on=dt.date(2026, 6, 1))
    record(people["b"], kind="legal_adviser", number="", obtained_on=dt.date(2022, 1, 1),
           expires_on=dt.date(2025, 12, 31))  # fmt: skip
    record(people["c"], kind="legal_b", number="B-1")
    record(people["gone"], number="A-2")  # no longer in post: not counted
    return people


def test_the_counts_per_kind_on_a_date(register):
    counts = selectors.qualification_counts(TODAY)
    assert counts.by_kind == {
        "legal_a": 1, "legal_b": 1, "legal_c": 1, "public_lawyer": 1, "legal_adviser": 0, "other": 0,
    }  # fmt: skip
    assert (counts.total, counts.people) == (4, 3)
    # At the end of 2025: the adviser appointment still ran, the C certificate was not yet obtained.
    end_2025 = selectors.qualification_counts(dt.date(2025, 12, 31))
    assert (end_2025.by_kind["legal_adviser"], end_2025.by_kind["legal_c"], end_2025.people) == (1, 0, 3)
    assert selectors.qualification_counts(dt.date(2023, 10, 31)).total == 1  # only the adviser


def test_the_counts_for_a_unit_match_its_department_exactly(register):
    counts = selectors.qualification_counts(TODAY, unit=" 政府采购监督管理科 ")
    assert (counts.total, counts.people, counts.by_kind["legal_b"]) == (1, 1, 1)
    assert selectors.qualification_counts(TODAY, unit="采购").total == 0  # part of a name is another unit
    assert selectors.qualification_counts(TODAY, unit="办公室").total == 0
    assert [label for _k, label, _n in counts.labelled()][:2] == [
        "法律职业资格（A证）",
        "法律职业资格（B证）",
    ]


# --- the admin -----------------------------------------------------------------------------------------


def _admin_post(profile: StaffProfile, **changes) -> dict[str, str]:
    data = {
        "profile": str(profile.pk), "kind": "legal_a", "number": "A-100", "obtained_on": "2024-05-01",
        "expires_on": "", "issuer": "司法部", "note": "",
    }  # fmt: skip
    return data | changes


def test_the_exam_administrator_records_a_qualification_in_the_admin(lawyer, examadmin, login):
    c = login(examadmin)
    assert c.get("/admin/exams/qualification/add/").status_code == 200
    r = c.post("/admin/exams/qualification/add/", _admin_post(lawyer))
    assert r.status_code == 302
    q = Qualification.objects.get()
    assert (q.number, q.recorded_by) == ("A-100", examadmin)
    event = AuditEvent.objects.filter(object_type="exams.Qualification", action="create").get()
    assert event.actor == examadmin
    assert "法律专业资格" in c.get(f"/admin/exams/staffprofile/{lawyer.pk}/change/").content.decode()


def test_the_admin_refuses_what_the_service_refuses(lawyer, examadmin, login):
    c = login(examadmin)
    record(lawyer, number="A-100")
    future = c.post("/admin/exams/qualification/add/", _admin_post(lawyer, obtained_on="2999-01-01"))
    assert future.status_code == 200 and "不能登记尚未取得的资格" in future.content.decode()
    duplicate = c.post("/admin/exams/qualification/add/", _admin_post(lawyer, number="a-100"))
    html = duplicate.content.decode()
    assert duplicate.status_code == 200 and html.count("已登记") == 1 and "请核对编号" in html
    no_number = c.post("/admin/exams/qualification/add/", _admin_post(lawyer, number="", kind="legal_b"))
    assert no_number.status_code == 200 and "法律职业资格（B证）须填写证书编号" in no_number.content.decode()
    assert Qualification.objects.count() == 1


def _inline_post(profile: StaffProfile, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {
        "user": str(profile.user_id), "department": profile.department, "post": profile.post, "post_since": "",
        "is_active": "on", "qualifications-TOTAL_FORMS": str(len(rows)), "qualifications-INITIAL_FORMS": "0",
        "qualifications-MIN_NUM_FORMS": "0", "qualifications-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, row in enumerate(rows):
        fields = {"kind": "legal_a", "number": "", "obtained_on": "2024-05-01", "expires_on": "", "issuer": "",
                  "note": ""} | row  # fmt: skip
        data |= {f"qualifications-{i}-{name}": value for name, value in fields.items()}
    return data


def test_qualifications_are_added_on_the_staff_registry_page(lawyer, examadmin, login):
    c = login(examadmin)
    url = f"/admin/exams/staffprofile/{lawyer.pk}/change/"
    twice = c.post(url, _inline_post(lawyer, [{"number": "A-7"}, {"number": "a-7"}]))
    assert (
        twice.status_code == 200
        and "法律职业资格（A证） a-7 在本页填写了两次，请核对编号" in twice.content.decode()
    )
    assert not Qualification.objects.exists()
    r = c.post(url, _inline_post(lawyer, [{"number": "A-7"}, {"kind": "legal_adviser", "issuer": "区政府"}]))
    assert r.status_code == 302
    assert sorted(Qualification.objects.values_list("kind", "recorded_by")) == [
        ("legal_a", examadmin.pk), ("legal_adviser", examadmin.pk),
    ]  # fmt: skip


def test_others_are_refused_by_the_qualifications_admin(
    lawyer, reviewer, director, enterprise, outsider, login
):
    for user in (reviewer, director):
        c = login(user)
        assert c.get("/admin/exams/qualification/").status_code == 403
        assert c.post("/admin/exams/qualification/add/", _admin_post(lawyer)).status_code == 403
    for user in (enterprise, outsider):
        r = login(user).post("/admin/exams/qualification/add/", _admin_post(lawyer))
        assert r.status_code == 302 and "/admin/login/" in r.url
    assert not Qualification.objects.exists()


def test_a_person_sees_their_own_qualifications_and_no_one_elses(lawyer, login):
    record(lawyer)
    other = person("q_other", "执法一科")
    mine = login(lawyer.user).get("/exams/me/").content.decode()
    assert "法律专业资格" in mine and "A20231101001" in mine and "法律职业资格（A证）" in mine
    theirs = login(other.user).get("/exams/me/").content.decode()
    assert "A20231101001" not in theirs and "无（由考试管理员登记）" in theirs
