"""人员登记 history of 在岗 and 执法岗位: 执法人员占比 for a past month counts the people in post at its end
(someone who left in March still counts in January, someone who joined in October does not before); the
rules of a change and who may make it; the history on the admin page and the person's own page; the upgrade
that seeds each existing person's history from the audit log."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.core.services import ensure_user
from fazhi.exams import selectors
from fazhi.exams.models import EnforcementCertificate, StaffPostChange, StaffProfile
from fazhi.exams.services import certificates, staff

pytestmark = pytest.mark.django_db
D = dt.date
END = D(2026, 12, 31)  # "today" of the service calls below
MONTH_ENDS = [D(2026, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 12)] + [END]


def user(name: str):
    return ensure_user(username=name, display_name=name, role_names=["工作人员"], password="x-pass-2026")


def certified(holder, issued=D(2025, 1, 1), expires=D(2099, 12, 31)) -> None:
    EnforcementCertificate.objects.create(
        holder=holder, number=f"N-{holder.username}", issued_on=issued, expires_on=expires
    )


def register(
    name: str, on: dt.date, *, dept="法规科", enforcement=True, cert=True, today=END
) -> StaffProfile:
    person = user(name)
    if cert:
        certified(person)
    return staff.register_staff(
        user=person, department=dept, post="执法岗", enforcement_post=enforcement, on=on, today=today
    )


def monthly(on_dates=MONTH_ENDS) -> list[tuple[int, int]]:
    """(enforcement staff, certified) at each date."""
    return [
        (total.enforcement_staff, total.certified)
        for total in (certificates.certified_share(on)[1] for on in on_dates)
    ]


@pytest.fixture
def bureau(db):
    """Two people in enforcement posts since 2025, certified; one of them without a certificate."""
    register("s_stay", D(2025, 1, 1))
    register("s_nocert", D(2025, 1, 1), cert=False)
    return StaffProfile.objects.all()


# --- the monthly share ------------------------------------------------------------------------------------


def test_someone_who_left_mid_year_counts_in_the_months_before_and_not_after(bureau, examadmin):
    gone = register("s_gone", D(2025, 6, 1))
    staff.change_post_status(
        profile=gone, is_active=False, enforcement_post=True, on=D(2026, 3, 15), reason="调离", by=examadmin,
        today=END,
    )  # fmt: skip
    series = monthly()
    assert series[:2] == [(3, 2), (3, 2)]  # January, February: still in post
    assert series[2:] == [(2, 1)] * 10  # from the end of March on: gone
    assert certificates.certified_share(D(2026, 3, 14))[1].enforcement_staff == 3
    assert certificates.certified_share(D(2026, 3, 15))[1].enforcement_staff == 2
    gone.refresh_from_db()
    assert gone.is_active is False
    # The lists behind the January number name the person; those behind the current one do not.
    january = certificates.people_behind(kind="certified", on=D(2026, 1, 31))
    assert "s_gone" in {s.user.username for s in january}
    assert "s_gone" not in {s.user.username for s in certificates.people_behind(kind="certified", on=END)}


def test_someone_who_joined_counts_only_from_the_month_they_joined(bureau):
    register("s_new", D(2026, 10, 8), dept="采购科")
    series = monthly()
    assert series[:9] == [(2, 1)] * 9  # January to September
    assert series[9:] == [(3, 2)] * 3  # October to December
    rows, _total = certificates.certified_share(D(2026, 9, 30))
    assert [r.department for r in rows] == ["法规科"]


def test_a_move_out_of_an_enforcement_post_and_back(bureau):
    moved = StaffProfile.objects.get(user__username="s_stay")
    staff.change_post_status(
        profile=moved, is_active=True, enforcement_post=False, on=D(2026, 4, 1), today=END
    )
    staff.change_post_status(
        profile=moved, is_active=True, enforcement_post=True, on=D(2026, 9, 1), today=END
    )
    assert [staff_count for staff_count, _c in monthly()] == [2, 2, 2, 1, 1, 1, 1, 1, 2, 2, 2, 2]
    # In post all along: the 法律专业人员 count (staff in post) keeps them.
    assert selectors.staff_in_post(D(2026, 5, 31)).filter(pk=moved.pk).exists()


def test_the_current_month_equals_todays_figure(db):
    today = timezone.localdate()
    first = today.replace(day=1)
    register("s_now", first - dt.timedelta(days=400), today=today)
    register("s_now2", first - dt.timedelta(days=400), cert=False, today=today)
    joined = register("s_joined", today, today=today)
    series = certificates.certified_share_series(12)
    _rows, now = certificates.certified_share()
    assert series[-1]["date"] == today.isoformat()
    assert (
        (series[-1]["enforcement_staff"], series[-1]["certified"], series[-1]["share"])
        == (
            now.enforcement_staff,
            now.certified,
            now.share,
        )
        == (3, 2, round(2 / 3, 4))
    )
    # The month before, the one who joined today was not yet counted.
    assert series[-2]["enforcement_staff"] == 2
    assert joined.post_changes.get().effective_on == today


def test_the_annual_report_months_follow_the_history(bureau):
    from fazhi.reports.figures import Context
    from fazhi.reports.figures import exams as exam_figures

    gone = StaffProfile.objects.get(user__username="s_nocert")
    staff.change_post_status(
        profile=gone, is_active=False, enforcement_post=True, on=D(2026, 6, 10), today=END
    )
    register("s_oct", D(2026, 10, 1), cert=False)
    found = {f.key: f for f in exam_figures.figures(Context(year=2026, today=END))}
    assert [found[f"exams.share.{m:02d}"].value for m in range(1, 13)] == [50.0] * 5 + [100.0] * 4 + [
        50.0
    ] * 3
    assert found["exams.share.12"].value == found["exams.share"].value == 50.0
    assert {r["username"] for r in found["exams.share.05"].records()} == {"s_stay", "s_nocert"}
    assert {r["username"] for r in found["exams.share.10"].records()} == {"s_stay", "s_oct"}
    assert [found[f"exams.share.{m:02d}"].basis_count for m in (5, 6, 10)] == [2, 1, 2]


def test_a_change_entered_late_for_an_earlier_date_does_not_override_a_later_one(bureau):
    person = StaffProfile.objects.get(user__username="s_stay")
    staff.change_post_status(
        profile=person, is_active=False, enforcement_post=True, on=D(2026, 8, 1), today=END
    )
    # Entered afterwards: in May the person had already moved to a post outside enforcement.
    staff.change_post_status(
        profile=person, is_active=True, enforcement_post=False, on=D(2026, 5, 1), today=END
    )
    person.refresh_from_db()
    assert (person.is_active, person.enforcement_post) == (False, True)  # the latest entry by date
    assert [s for s, _c in monthly(MONTH_ENDS[3:8])] == [2, 1, 1, 1, 1]  # Apr … Aug


# --- the rules ------------------------------------------------------------------------------------------


def test_a_date_in_the_future_or_before_the_record_is_refused_and_changes_nothing(bureau, examadmin):
    person = StaffProfile.objects.get(user__username="s_stay")
    events = AuditEvent.objects.count()
    with pytest.raises(
        ValidationFailed, match="生效日期 2027-01-01 晚于今天（2026-12-31），不能登记尚未发生的情况"
    ):
        staff.change_post_status(
            profile=person, is_active=False, enforcement_post=True, on=D(2027, 1, 1), by=examadmin, today=END
        )
    with pytest.raises(
        ValidationFailed,
        match="生效日期 2024-12-31 早于s_stay在人员登记中的起始日期 2025-01-01（该日之前没有此人的登记记录）",
    ):
        staff.change_post_status(
            profile=person,
            is_active=False,
            enforcement_post=True,
            on=D(2024, 12, 31),
            by=examadmin,
            today=END,
        )
    with pytest.raises(ValidationFailed, match="2026-03-01 起s_stay已是“法规科·在岗·执法岗位”，无需登记变更"):
        staff.change_post_status(
            profile=person, is_active=True, enforcement_post=True, on=D(2026, 3, 1), today=END
        )
    with pytest.raises(ValidationFailed, match="请填写生效日期"):
        staff.change_post_status(profile=person, is_active=False, enforcement_post=True, on=None, today=END)
    person.refresh_from_db()
    assert (person.is_active, person.enforcement_post, person.post_changes.count()) == (True, True, 1)
    assert AuditEvent.objects.count() == events
    with pytest.raises(ValidationFailed, match="晚于今天"):
        register("s_future", D(2027, 2, 1))
    assert not StaffProfile.objects.filter(user__username="s_future").exists()
    assert StaffPostChange.objects.count() == 2


def test_a_change_is_audited_with_who_when_and_why(bureau, examadmin):
    person = StaffProfile.objects.get(user__username="s_stay")
    entry = staff.change_post_status(
        profile=person, is_active=False, enforcement_post=True, on=D(2026, 7, 1), reason="退休", by=examadmin,
        today=END,
    )  # fmt: skip
    assert (entry.recorded_by, entry.reason, entry.state_label) == (examadmin, "退休", "不在岗")
    event = AuditEvent.objects.filter(object_type="exams.StaffProfile", action="transition").get()
    assert event.actor == examadmin and event.comment == "自 2026-07-01 起法规科·不在岗：退休"
    assert event.before == {"is_active": True, "enforcement_post": True, "department": "法规科"}
    assert event.after["changed"] == {
        "is_active": False,
        "enforcement_post": True,
        "department": "法规科",
        "effective_on": "2026-07-01",
    }
    registered = AuditEvent.objects.filter(object_type="exams.StaffProfile", action="record")
    assert (
        registered.count() == 2
        and "登记人员：自 2025-01-01 起法规科·在岗·执法岗位" in registered.first().comment
    )


def test_a_person_registered_without_a_history_keeps_the_old_count_until_a_change(db):
    """Rows written straight to the table (as before the history): counted by the current flags from the date
    of the post; the first change starts their history there."""
    person = user("s_legacy")
    certified(person)
    profile = StaffProfile.objects.create(
        user=person, department="法规科", enforcement_post=True, post_since=D(2025, 3, 1)
    )
    assert monthly([D(2025, 2, 28), D(2025, 3, 31), D(2026, 6, 30)]) == [(0, 0), (1, 1), (1, 1)]
    with pytest.raises(ValidationFailed, match="早于s_legacy在人员登记中的起始日期 2025-03-01"):
        staff.change_post_status(
            profile=profile, is_active=False, enforcement_post=True, on=D(2025, 1, 1), today=END
        )
    staff.change_post_status(
        profile=profile, is_active=False, enforcement_post=True, on=D(2026, 6, 1), today=END
    )
    assert list(profile.post_changes.values_list("effective_on", "is_active")) == [
        (D(2025, 3, 1), True),
        (D(2026, 6, 1), False),
    ]
    assert "补记" in profile.post_changes.first().reason
    assert monthly([D(2025, 2, 28), D(2025, 3, 31), D(2026, 6, 30)]) == [(0, 0), (1, 1), (0, 0)]


# --- the admin ------------------------------------------------------------------------------------------


def _post(profile: StaffProfile | None = None, **changes) -> dict[str, str]:
    data = {
        "user": str(profile.user_id) if profile else "", "department": profile.department if profile else "法规科",
        "post": profile.post if profile else "执法岗", "post_since": "",
        "enforcement_post": "on" if (profile is None or profile.enforcement_post) else "",
        "is_active": "on" if (profile is None or profile.is_active) else "", "change_on": "", "change_reason": "",
        "qualifications-TOTAL_FORMS": "0", "qualifications-INITIAL_FORMS": "0",
        "qualifications-MIN_NUM_FORMS": "0", "qualifications-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_exam_administrator_records_a_departure_in_the_admin(on_record, examadmin, login):
    c = login(examadmin)
    url = f"/admin/exams/staffprofile/{on_record.pk}/change/"
    left = timezone.localdate() - dt.timedelta(days=30)
    no_date = c.post(url, _post(on_record, is_active=""))
    assert (
        no_date.status_code == 200
        and "修改在岗、执法岗位或调动科室时须填写生效日期" in no_date.content.decode()
    )
    r = c.post(url, _post(on_record, is_active="", change_on=left.isoformat(), change_reason="调往区审计局"))
    assert r.status_code == 302
    on_record.refresh_from_db()
    assert on_record.is_active is False
    entry = on_record.post_changes.last()
    assert (entry.effective_on, entry.is_active, entry.reason, entry.recorded_by) == (
        left, False, "调往区审计局", examadmin,
    )  # fmt: skip
    assert AuditEvent.objects.filter(
        object_type="exams.StaffProfile", action="transition", actor=examadmin
    ).exists()
    page = c.get(url).content.decode()
    assert "在岗、执法岗位与科室变更记录" in page and "调往区审计局" in page and "不在岗" in page
    # Other fields still save without an entry.
    assert c.post(url, _post(on_record, post="综合岗")).status_code == 302
    assert on_record.post_changes.count() == 2


def test_the_admin_refuses_what_the_service_refuses_and_changes_nothing(on_record, examadmin, login):
    c = login(examadmin)
    url = f"/admin/exams/staffprofile/{on_record.pk}/change/"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    too_early = timezone.localdate() - dt.timedelta(days=366)
    future = c.post(url, _post(on_record, is_active="", change_on=tomorrow.isoformat(), department="改了"))
    assert future.status_code == 200 and "不能登记尚未发生的情况" in future.content.decode()
    early = c.post(url, _post(on_record, is_active="", change_on=too_early.isoformat()))
    assert early.status_code == 200 and "在人员登记中的起始日期" in early.content.decode()
    reason_only = c.post(url, _post(on_record, change_reason="无变更"))
    assert reason_only.status_code == 200 and "请清空变更原因" in reason_only.content.decode()
    on_record.refresh_from_db()
    assert (on_record.is_active, on_record.department, on_record.post_changes.count()) == (True, "法规科", 1)


def test_a_person_registered_in_the_admin_starts_on_the_date_given(examadmin, login):
    c = login(examadmin)
    since = timezone.localdate() - dt.timedelta(days=100)
    one, two, three = user("s_add1"), user("s_add2"), user("s_add3")
    assert (
        c.post(
            "/admin/exams/staffprofile/add/", _post(user=str(one.pk), post_since=since.isoformat())
        ).status_code
        == 302
    )
    assert c.post("/admin/exams/staffprofile/add/", _post(user=str(two.pk))).status_code == 302
    later = timezone.localdate() + dt.timedelta(days=10)
    r = c.post("/admin/exams/staffprofile/add/", _post(user=str(three.pk), post_since=later.isoformat()))
    assert r.status_code == 200 and "按任现岗位日期" in r.content.decode()
    starts = {p.user.username: p.post_changes.get() for p in StaffProfile.objects.select_related("user")}
    assert set(starts) == {"s_add1", "s_add2"}
    assert starts["s_add1"].effective_on == since and starts["s_add2"].effective_on == timezone.localdate()
    assert starts["s_add1"].recorded_by == examadmin and starts["s_add1"].is_active is True


def test_others_are_refused_by_the_staff_registry_admin(
    on_record, reviewer, director, enterprise, outsider, login
):
    url = f"/admin/exams/staffprofile/{on_record.pk}/change/"
    data = _post(on_record, is_active="", change_on=timezone.localdate().isoformat())
    for person in (reviewer, director):
        assert login(person).get(url).status_code == 403
        assert login(person).post(url, data).status_code == 403
    for person in (enterprise, outsider):
        r = login(person).post(url, data)
        assert r.status_code == 302 and "/admin/login/" in r.url
    on_record.refresh_from_db()
    assert on_record.is_active is True and on_record.post_changes.count() == 1


def test_the_person_sees_their_own_history(on_record, login):
    staff.change_post_status(
        profile=on_record,
        is_active=True,
        enforcement_post=False,
        on=timezone.localdate(),
        reason="转任综合岗",
    )
    page = login(on_record.user).get("/exams/me/").content.decode()
    assert "在岗与执法岗位记录" in page and "起 法规科·在岗·非执法岗位：转任综合岗" in page


# --- the upgrade ----------------------------------------------------------------------------------------


def _logged_on(profile: StaffProfile, action: str, day: dt.date, *, last: bool = False) -> None:
    """Date the person's audit events of that kind (the test writes them today), or only the latest one."""
    events = AuditEvent.objects.filter(
        object_type="exams.StaffProfile", object_id=str(profile.pk), action=action
    )
    if last:
        events = events.filter(seq=events.order_by("-seq").values("seq")[:1])
    events.update(at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10)))


def test_the_upgrade_seeds_each_persons_history_from_what_is_known(db, examadmin):
    # Registered with the date of the post, left in March 2026 (the audit log has the change).
    left = StaffProfile.objects.create(
        user=user("m_left"), department="法规科", enforcement_post=True, post_since=D(2024, 5, 1)
    )
    _logged_on(left, "create", D(2025, 1, 10))
    left.is_active = False
    left.save()
    _logged_on(left, "update", D(2026, 3, 16))
    # Registered in October 2026 without the date of the post.
    joined = StaffProfile.objects.create(user=user("m_joined"), department="采购科", enforcement_post=True)
    _logged_on(joined, "create", D(2026, 10, 8))
    # Nothing in the audit log: from the day the account was made.
    unlogged = StaffProfile.objects.create(
        user=user("m_unlogged"), department="法规科", enforcement_post=True
    )
    AuditEvent.objects.filter(object_type="exams.StaffProfile", object_id=str(unlogged.pk)).delete()
    type(unlogged.user).objects.filter(pk=unlogged.user_id).update(
        date_joined=timezone.make_aware(dt.datetime(2025, 8, 20, 9))
    )
    # Moved into an enforcement post outside the log (a direct update): from the day of the upgrade.
    moved = StaffProfile.objects.create(user=user("m_moved"), department="法规科", post_since=D(2023, 1, 1))
    StaffProfile.objects.filter(pk=moved.pk).update(enforcement_post=True)
    for person in (left, joined, unlogged, moved):
        certified(person.user, issued=D(2023, 1, 1))
    before = monthly([D(2026, 1, 31)])

    migration = importlib.import_module("fazhi.exams.migrations.0010_staff_post_history")
    migration.seed(apps, None)

    def entries(profile):
        return [(c.effective_on, c.is_active, c.enforcement_post) for c in profile.post_changes.all()]

    today = timezone.localdate()
    assert entries(left) == [(D(2024, 5, 1), True, True), (D(2026, 3, 16), False, True)]
    assert entries(joined) == [(D(2026, 10, 8), True, True)]
    assert entries(unlogged) == [(D(2025, 8, 20), True, True)]
    assert entries(moved) == [(D(2023, 1, 1), True, False), (today, True, True)]
    assert (
        "任现岗位日期" in left.post_changes.first().reason and "审计日志" in left.post_changes.last().reason
    )
    assert "在平台登记之日" in joined.post_changes.get().reason
    assert "账号建立之日" in unlogged.post_changes.get().reason
    assert "变更日期不详" in moved.post_changes.last().reason
    # January 2026: the leaver is back in, the October joiner is not (before the upgrade: the other way).
    assert before == [(3, 3)]  # joined, unlogged, moved by their current flags; the leaver was gone
    assert monthly([D(2025, 6, 30), D(2026, 1, 31), D(2026, 4, 30), D(2026, 10, 31)]) == [
        (1, 1),  # the leaver only (the account of m_unlogged was made in August)
        (2, 2),  # the leaver and m_unlogged
        (1, 1),  # m_unlogged
        (2, 2),  # and m_joined
    ]
    assert monthly([today]) == [(3, 3)]  # today's figure is what it was
    assert StaffPostChange.objects.count() == 6


def test_the_upgrade_replays_changes_back_and_forth_and_leaves_out_a_deleted_row_with_the_same_id(db):
    old = StaffProfile.objects.create(user=user("m_old"), department="法规科", enforcement_post=True)
    old.is_active = False
    old.save()
    pk = old.pk
    old.delete()
    person = StaffProfile.objects.create(
        pk=pk, user=user("m_back"), department="法规科", enforcement_post=True
    )
    _logged_on(person, "create", D(2025, 2, 1), last=True)
    person.is_active = False
    person.save()
    _logged_on(person, "update", D(2025, 9, 1), last=True)
    person.is_active = True
    person.save()
    _logged_on(person, "update", D(2026, 2, 1), last=True)
    person.enforcement_post = False  # and back the same day: no entry
    person.save()
    person.enforcement_post = True
    person.save()
    _logged_on(person, "update", D(2026, 2, 1), last=True)

    importlib.import_module("fazhi.exams.migrations.0010_staff_post_history").seed(apps, None)

    assert [(c.effective_on, c.is_active, c.enforcement_post) for c in person.post_changes.all()] == [
        (D(2025, 2, 1), True, True),
        (D(2025, 9, 1), False, True),
        (D(2026, 2, 1), True, True),
    ]


# --- the history is kept -----------------------------------------------------------------------------------


def test_a_person_with_a_history_is_not_deleted_with_it(on_record, examadmin, sysadmin, login):
    """执法人员占比 of past months reads the history: deleting the person (or their account) would rewrite
    them. The admin refuses both and says why; a departure is recorded as 不在岗 from a date instead."""
    from django.db.models import ProtectedError

    page = login(examadmin).post(f"/admin/exams/staffprofile/{on_record.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200 and "在岗与执法岗位变更" in page.content.decode()
    account = login(sysadmin).post(f"/admin/core/user/{on_record.user.pk}/delete/", {"post": "yes"})
    assert account.status_code in (200, 403)
    assert StaffProfile.objects.filter(pk=on_record.pk).exists()
    assert (
        on_record.post_changes.count() == 1
        and on_record.user.__class__.objects.filter(pk=on_record.user.pk).exists()
    )
    with pytest.raises(ProtectedError):
        on_record.delete()
