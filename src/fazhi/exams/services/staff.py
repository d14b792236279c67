"""人员登记: registering a person and the dated history of being in post (在岗), in an enforcement post
(执法岗位) and in a department (科室/单位), from which 执法人员占比 and 法律专业人员 are counted for past dates,
department by department (StaffPostChange).

A change has an effective date: not after today (what has not happened is not recorded) and not before the
person's record starts (the first entry: nothing is known of the person before it). A change for an earlier
date than one already recorded is added and does not override the later one; the registry's flags always
show the latest entry. Bad input changes nothing. Every write is audited: the rows through the model
signals, and a "transition" event saying what changed, from when and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import StaffPostChange, StaffProfile, state_label

MAX_REASON = 500  # 变更原因 (调入、调离、退休、科室更名…)


def _reason(reason: str | None) -> str:
    """The reason of a registration, change or correction, within MAX_REASON characters (refused, not cut)."""
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise ValidationFailed(f"变更原因不能超过 {MAX_REASON} 个字（当前 {len(text)} 个字）")
    return text


@dataclass(frozen=True)
class Entry:
    """One step of a person's history (a StaffPostChange, or the baseline of a person without one)."""

    effective_on: dt.date
    is_active: bool
    enforcement_post: bool
    department: str

    @property
    def label(self) -> str:
        return state_label(is_active=self.is_active, enforcement_post=self.enforcement_post)

    @property
    def key(self) -> tuple[bool, bool, str]:
        return (self.is_active, self.enforcement_post, self.department)


def _name(profile: StaffProfile) -> str:
    return str(profile.user)


def _baseline(profile: StaffProfile) -> Entry:
    """Where the history of a person registered without one starts (rows written outside this module): the
    registry's current state, from the date of the current post when filled in, else from the day the
    person's account was made (a registry entry needs the account, so nothing earlier can be on record)."""
    since = profile.post_since or timezone.localtime(profile.user.date_joined).date()
    return Entry(since, profile.is_active, profile.enforcement_post, profile.department)


def _read_history(profile: StaffProfile) -> tuple[list[Entry], bool]:
    """The person's history in date order (for a person without one: its baseline), read in one query, and
    whether any entry is recorded."""
    entries = [
        Entry(c.effective_on, c.is_active, c.enforcement_post, c.department or profile.department)
        for c in profile.post_changes.order_by("effective_on", "pk")
    ]
    return (entries or [_baseline(profile)]), bool(entries)


def history(profile: StaffProfile) -> list[Entry]:
    """The person's history in date order (for a person without one: its baseline)."""
    return _read_history(profile)[0]


def _in_force(entries: list[Entry], on: dt.date) -> Entry | None:
    """Of a history in date order, the entry in force on the date, or None before it starts."""
    found = None
    for entry in entries:
        if entry.effective_on <= on:
            found = entry
    return found


def state_on(profile: StaffProfile, on: dt.date) -> Entry | None:
    """The entry in force on the date, or None before the person's record starts."""
    return _in_force(history(profile), on)


def record_start(profile: StaffProfile) -> dt.date:
    """The date the person's record starts (its first entry)."""
    return history(profile)[0].effective_on


def check_start(*, on: dt.date | None, today: dt.date | None = None) -> dt.date:
    """The rules for the date a new record starts: given, and not after today."""
    if on is None:
        raise ValidationFailed("请填写生效日期（自该日起按登记的在岗、执法岗位状态统计）")
    today = today or timezone.localdate()
    if on > today:
        raise ValidationFailed(
            f"生效日期 {on:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），不能登记尚未发生的情况；请在生效之日或之后登记"
        )
    return on


def check_change(
    *,
    profile: StaffProfile,
    is_active: bool,
    enforcement_post: bool,
    on: dt.date | None,
    department: str | None = None,
    today: dt.date | None = None,
    entries: list[Entry] | None = None,
) -> dt.date:
    """The rules for a change (shared by change_post_status and the admin form): a date, not after today and
    not before the person's record starts, and a state different from the one in force on that date (the
    department: `department`, or the one in force then when not given). `entries`: the person's history
    when the caller has read it already (else it is read here, once)."""
    if department is not None and not department.strip():
        raise ValidationFailed("请填写科室/单位")
    on = check_start(on=on, today=today)
    if entries is None:
        entries = history(profile)
    start = entries[0].effective_on
    if on < start:
        raise ValidationFailed(
            f"生效日期 {on:%Y-%m-%d} 早于{_name(profile)}在人员登记中的起始日期 {start:%Y-%m-%d}（该日之前没有此人的"
            "登记记录），请核对日期"
        )
    then = _in_force(entries, on)
    if then is not None and then.key == (is_active, enforcement_post, _department(department, then)):
        raise ValidationFailed(
            f"{on:%Y-%m-%d} 起{_name(profile)}已是“{then.department}·{then.label}”，无需登记变更"
        )
    return on


def _department(given: str | None, then: Entry | None) -> str:
    """The department of a change: the one given, else the one in force on its date."""
    if given is not None:
        return given.strip()
    return then.department if then is not None else ""


def register_staff(
    *,
    user: Any,
    department: str,
    post: str = "",
    enforcement_post: bool = False,
    is_active: bool = True,
    post_since: dt.date | None = None,
    on: dt.date | None = None,
    reason: str = "",
    by: Any = None,
    today: dt.date | None = None,
) -> StaffProfile:
    """Register a person in the staff registry with the first entry of the history, effective on `on`
    (default: the date of the current post, else today)."""
    if user is None or not getattr(user, "pk", None):
        raise ValidationFailed("请指定人员")
    department = (department or "").strip()
    if not department:
        raise ValidationFailed("请填写科室/单位")
    start = check_start(on=on or post_since or (today or timezone.localdate()), today=today)
    with transaction.atomic():
        if StaffProfile.objects.select_for_update().filter(user=user).exists():
            raise ValidationFailed(f"“{user}”已在人员登记中登记")
        profile = StaffProfile.objects.create(
            user=user,
            department=department,
            post=(post or "").strip(),
            enforcement_post=enforcement_post,
            is_active=is_active,
            post_since=post_since,
        )
        record_registration(profile=profile, on=start, reason=reason, by=by, today=today)
    return profile


def record_registration(
    *, profile: StaffProfile, on: dt.date, reason: str = "", by: Any = None, today: dt.date | None = None
) -> StaffPostChange:
    """The first entry of a newly registered person: the registry's state, effective from `on`."""
    on = check_start(on=on, today=today)
    with transaction.atomic():
        if profile.post_changes.exists():
            raise ValidationFailed(f"{_name(profile)}已有在岗与执法岗位记录，请登记变更")
        entry = StaffPostChange.objects.create(
            profile=profile,
            effective_on=on,
            is_active=profile.is_active,
            enforcement_post=profile.enforcement_post,
            department=profile.department,
            reason=_reason(reason) or "登记人员",
            recorded_by=by if getattr(by, "pk", None) else None,
        )
        audit.record(
            action="record",
            obj=profile,
            actor=by,
            comment=f"登记人员：自 {on:%Y-%m-%d} 起{entry.department}·{entry.state_label}",
            after=_state(entry),
        )
    return entry


def change_post_status(
    *,
    profile: StaffProfile,
    is_active: bool,
    enforcement_post: bool,
    on: dt.date | None,
    department: str | None = None,
    reason: str = "",
    by: Any = None,
    today: dt.date | None = None,
) -> StaffPostChange:
    """Record that the person is in post or not, in an enforcement post or not, and in which department
    (`department`; not given: the one in force on the date), from a date: a history entry, the registry's
    flags and department (the latest entry by date) and an audit event."""
    given = profile
    with transaction.atomic():
        profile = StaffProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=given.pk)
        entries, recorded = _read_history(profile)  # read once (under the lock): the rules and the department
        on = check_change(
            profile=profile,
            is_active=is_active,
            enforcement_post=enforcement_post,
            on=on,
            department=department,
            today=today,
            entries=entries,
        )
        department = _department(department, _in_force(entries, on))
        by_user = by if getattr(by, "pk", None) else None
        before = {
            "is_active": profile.is_active,
            "enforcement_post": profile.enforcement_post,
            "department": profile.department,
        }
        if not recorded:
            # A person registered without a history: it starts where the counting started until now.
            base = entries[0]  # the baseline
            StaffPostChange.objects.create(
                profile=profile,
                effective_on=base.effective_on,
                is_active=base.is_active,
                enforcement_post=base.enforcement_post,
                department=base.department,
                reason=f"补记：该人员登记时未留下变更记录，按原登记的状态自 {base.effective_on:%Y-%m-%d} 起计",
                recorded_by=by_user,
            )
        entry = StaffPostChange.objects.create(
            profile=profile,
            effective_on=on,
            is_active=is_active,
            enforcement_post=enforcement_post,
            department=department,
            reason=_reason(reason),
            recorded_by=by_user,
        )
        latest = profile.post_changes.order_by("-effective_on", "-pk").first()
        assert latest is not None
        profile.is_active, profile.enforcement_post = latest.is_active, latest.enforcement_post
        profile.department = latest.department or profile.department
        profile.save(update_fields=["is_active", "enforcement_post", "department"])
        given.is_active, given.enforcement_post = profile.is_active, profile.enforcement_post
        given.department = profile.department
        audit.record(
            action="transition",
            obj=profile,
            actor=by,
            comment=f"自 {on:%Y-%m-%d} 起{entry.department}·{entry.state_label}"
            + (f"：{entry.reason}" if entry.reason else ""),
            before=before,
            after={**_state(latest), "changed": _state(entry)},
        )
    return entry


def _state(entry: StaffPostChange) -> dict[str, Any]:
    return {
        "is_active": entry.is_active,
        "enforcement_post": entry.enforcement_post,
        "department": entry.department,
        "effective_on": entry.effective_on.isoformat(),
    }


def correct_department(*, profile: StaffProfile, department: str, reason: str = "", by: Any = None) -> int:
    """更正科室名称: the department the person is registered in was written wrong, or the department was
    renamed: the new name replaces the old one in the registry and in every entry of the person's history
    that bears it (no transfer is recorded: past dates count the person under the corrected name). The number
    of history entries corrected."""
    department = (department or "").strip()
    if not department:
        raise ValidationFailed("请填写科室/单位")
    reason = _reason(reason)
    given = profile
    with transaction.atomic():
        profile = StaffProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=given.pk)
        old = profile.department
        if department == old:
            raise ValidationFailed(f"{_name(profile)}登记的科室/单位已是“{old}”，无需更正")
        corrected = profile.post_changes.filter(department__in=[old, ""]).update(department=department)
        profile.department = department
        profile.save(update_fields=["department"])
        given.department = department
        audit.record(
            action="correct",
            obj=profile,
            actor=by,
            comment=f"更正科室/单位“{old}”为“{department}”（变更记录 {corrected} 条一并更正）"
            + (f"：{reason}" if reason else ""),
            before={"department": old},
            after={"department": department},
        )
    return corrected
