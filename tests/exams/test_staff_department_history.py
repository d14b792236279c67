"""人员登记: the department is part of the dated history. A transfer from a date counts the person in the old
department before it and in the new one from it (执法人员占比, 应考尽考, 法律专业人员, the annual report's unit
figures); a department name written wrong, or a department renamed, is corrected without a transfer; the
upgrade gives existing entries the department registered now."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.exams import selectors
from fazhi.exams.models import StaffPostChange, StaffProfile
from fazhi.exams.services import certificates, qualifications, specialists, staff

from .test_staff_history import _post, certified, register, user

pytestmark = pytest.mark.django_db
D = dt.date
END = D(2026, 12, 31)
MARCH, JULY = D(2026, 3, 31), D(2026, 7, 31)


def shares(on: dt.date) -> dict[str, tuple[int, int]]:
    rows, _ = certificates.certified_share(on)
    return {r.department: (r.enforcement_staff, r.certified) for r in rows}


@pytest.fixture
def moved(examadmin) -> StaffProfile:
    """Certified, in an enforcement post in 法规科 since 2025; transferred to 采购科 from 15 June 2026."""
    register("d_stay", D(2025, 1, 1))
    person = register("d_moved", D(2025, 1, 1))
    staff.change_post_status(
        profile=person, is_active=True, enforcement_post=True, department="采购科", on=D(2026, 6, 15),
        reason="调往采购科", by=examadmin, today=END,
    )  # fmt: skip
    return person


def test_a_transfer_counts_the_person_in_the_old_department_before_and_the_new_one_after(moved):
    assert shares(MARCH) == {"法规科": (2, 2)}
    assert shares(JULY) == {"法规科": (1, 1), "采购科": (1, 1)}
    assert certificates.certified_share(MARCH)[1].enforcement_staff == 2 == shares(JULY)["法规科"][0] + 1
    in_march = certificates.people_behind(kind="enforcement", department="法规科", on=MARCH)
    assert {p.user.username for p in in_march} == {"d_stay", "d_moved"}
    assert not certificates.people_behind(kind="enforcement", department="采购科", on=MARCH)
    moved.refresh_from_db()
    assert moved.department == "采购科" and moved.post_changes.last().department == "采购科"


def test_the_audit_says_where_the_person_went_and_from_when(moved):
    event = AuditEvent.objects.filter(object_type="exams.StaffProfile", action="transition").get()
    assert event.comment == "自 2026-06-15 起采购科·在岗·执法岗位：调往采购科"
    assert event.before["department"] == "法规科" and event.after["department"] == "采购科"


def test_a_late_entry_for_an_earlier_date_keeps_the_department_of_that_date(moved, examadmin):
    """Recorded after the transfer, for February: the person was then still in 法规科 (not given: the one in
    force on the date), and the registry keeps the latest department."""
    staff.change_post_status(
        profile=moved, is_active=True, enforcement_post=False, on=D(2026, 2, 1), reason="临时借调综合岗",
        by=examadmin, today=END,
    )  # fmt: skip
    february = moved.post_changes.get(effective_on=D(2026, 2, 1))
    assert february.department == "法规科"
    moved.refresh_from_db()
    assert (moved.department, moved.enforcement_post) == ("采购科", True)
    assert shares(MARCH) == {"法规科": (1, 1)}


def test_the_lists_and_the_specialists_follow_the_department_of_the_date(moved):
    qualifications.record_qualification(
        profile=moved, kind="legal_a", number="A20200101001", obtained_on=D(2020, 1, 1), today=END
    )
    march = specialists.specialists(on=MARCH)
    assert {r.department: r.specialists for r in march.rows} == {"法规科": 1}
    assert [p.department for p in march.people] == ["法规科"]
    july = specialists.specialists(on=JULY, department="采购科")
    assert [(r.department, r.staff, r.specialists) for r in july.rows] == [("采购科", 1, 1)]
    assert selectors.valid_qualifications(MARCH, "法规科").count() == 1
    assert selectors.valid_qualifications(MARCH, "采购科").count() == 0
    assert selectors.valid_qualifications(JULY, "采购科").count() == 1


def test_the_annual_report_counts_a_unit_by_where_its_staff_were(moved):
    from fazhi.reports.figures import exams as figures

    assert figures._share(MARCH, frozenset({"采购科"})) == (0, 0)
    assert figures._share(JULY, frozenset({"采购科"})) == (1, 1)
    rows = figures._staff_rows(MARCH, frozenset({"法规科"}), "enforcement")
    assert sorted((r["username"], r["department"]) for r in rows) == [
        ("d_moved", "法规科"),
        ("d_stay", "法规科"),
    ]


def test_a_transfer_to_the_same_department_or_to_none_is_refused_and_changes_nothing(moved, examadmin):
    before = list(StaffPostChange.objects.values_list("pk", "department"))
    with pytest.raises(ValidationFailed, match="已是“采购科·在岗·执法岗位”，无需登记变更"):
        staff.change_post_status(
            profile=moved, is_active=True, enforcement_post=True, department="采购科", on=D(2026, 9, 1),
            by=examadmin, today=END,
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="请填写科室/单位"):
        staff.change_post_status(
            profile=moved, is_active=True, enforcement_post=True, department="  ", on=D(2026, 9, 1),
            by=examadmin, today=END,
        )  # fmt: skip
    assert list(StaffPostChange.objects.values_list("pk", "department")) == before


def test_a_corrected_name_renames_the_history_without_a_transfer(moved, examadmin):
    entries = moved.post_changes.count()
    corrected = staff.correct_department(
        profile=moved, department="政府采购监督管理科", reason="科室更名", by=examadmin
    )
    assert corrected == 1  # the transfer's entry; the 法规科 entry before it stays
    assert moved.post_changes.count() == entries
    assert list(moved.post_changes.values_list("department", flat=True)) == ["法规科", "政府采购监督管理科"]
    assert shares(JULY) == {"法规科": (1, 1), "政府采购监督管理科": (1, 1)}
    event = AuditEvent.objects.filter(object_type="exams.StaffProfile", action="correct").get()
    assert "更正科室/单位“采购科”为“政府采购监督管理科”" in event.comment and event.actor == examadmin
    with pytest.raises(ValidationFailed, match="无需更正"):
        staff.correct_department(profile=moved, department="政府采购监督管理科", by=examadmin)


# --- the admin ---------------------------------------------------------------------------------------------


def test_the_admin_asks_for_a_date_for_a_transfer_and_records_it(on_record, examadmin, login):
    c = login(examadmin)
    url = f"/admin/exams/staffprofile/{on_record.pk}/change/"
    undated = c.post(url, _post(on_record, department="采购科"))
    assert undated.status_code == 200 and "调动科室时须填写生效日期" in undated.content.decode()
    assert (
        "<title>错误：" in undated.content.decode()
    )  # the admin's title says the form came back (not "Error:")
    on_record.refresh_from_db()
    assert on_record.department == "法规科" and on_record.post_changes.count() == 1
    day = timezone.localdate() - dt.timedelta(days=10)
    r = c.post(url, _post(on_record, department="采购科", change_on=day.isoformat(), change_reason="轮岗"))
    assert r.status_code == 302
    on_record.refresh_from_db()
    entry = on_record.post_changes.last()
    assert on_record.department == "采购科" and (entry.effective_on, entry.department, entry.reason) == (
        day,
        "采购科",
        "轮岗",
    )
    page = c.get(url).content.decode()
    assert "在岗、执法岗位与科室变更记录" in page and "<td>采购科</td>" in page and "<td>法规科</td>" in page


def test_the_admin_corrects_a_name_without_a_date(on_record, examadmin, login):
    c = login(examadmin)
    url = f"/admin/exams/staffprofile/{on_record.pk}/change/"
    nothing = c.post(url, _post(on_record, department_correction="on"))
    assert nothing.status_code == 200 and "科室/单位没有修改，无需更正" in nothing.content.decode()
    r = c.post(url, _post(on_record, department="法规与审计科", department_correction="on"))
    assert r.status_code == 302
    on_record.refresh_from_db()
    assert on_record.department == "法规与审计科"
    assert list(on_record.post_changes.values_list("department", flat=True)) == ["法规与审计科"]
    assert AuditEvent.objects.filter(object_type="exams.StaffProfile", action="correct").exists()


def test_the_person_sees_the_department_in_their_history(moved, login):
    page = login(moved.user).get("/exams/me/").content.decode()
    assert "2026-06-15 起 采购科·在岗·执法岗位：调往采购科" in page


# --- the upgrade ----------------------------------------------------------------------------------------


def test_the_upgrade_gives_existing_entries_the_department_registered_now(db):
    certified(user("d_old"))
    person = StaffProfile.objects.create(user=user("d_old"), department="预算科", enforcement_post=True)
    StaffPostChange.objects.create(
        profile=person, effective_on=D(2025, 1, 1), is_active=True, enforcement_post=True
    )
    assert person.post_changes.get().department == ""
    assert shares(MARCH) == {"预算科": (1, 1)}  # an entry without one counts in the registry's department
    migration = importlib.import_module("fazhi.exams.migrations.0012_staff_history_department")
    migration.seed(apps, None)
    assert person.post_changes.get().department == "预算科"


def test_a_reason_over_500_characters_is_refused_and_changes_nothing(moved, examadmin, on_record, login):
    before = StaffPostChange.objects.count()
    for call in (
        lambda reason: staff.change_post_status(
            profile=moved, is_active=False, enforcement_post=True, on=D(2026, 9, 1), reason=reason,
            by=examadmin, today=END,
        ),
        lambda reason: staff.correct_department(profile=moved, department="审计科", reason=reason, by=examadmin),
    ):  # fmt: skip
        with pytest.raises(ValidationFailed, match="变更原因不能超过 500 个字（当前 501 个字）"):
            call("因" * 501)
    moved.refresh_from_db()
    assert (moved.is_active, moved.department, StaffPostChange.objects.count()) == (True, "采购科", before)
    page = login(examadmin).post(
        f"/admin/exams/staffprofile/{on_record.pk}/change/",
        _post(on_record, is_active="", change_on=timezone.localdate().isoformat(), change_reason="因" * 501),
    )
    assert page.status_code == 200 and 'id="id_change_reason"' in page.content.decode()
    on_record.refresh_from_db()
    assert on_record.is_active is True
    staff.change_post_status(
        profile=moved, is_active=False, enforcement_post=True, on=D(2026, 9, 1), reason="因" * 500,
        by=examadmin, today=END,
    )  # fmt: skip
    assert moved.post_changes.last().reason == "因" * 500
