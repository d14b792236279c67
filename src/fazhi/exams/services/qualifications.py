"""法律专业资格登记: recording and correcting the qualifications of registered staff (法律职业资格 A/B/C 证,
公职律师证, 法律顾问聘任, 其他). The rules are checked here for the API and the admin form alike; bad input
changes nothing. Every write is a model save, so the audit chain records it (fazhi.core.audit signals) with
the person who made it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import check_length
from fazhi.exams.models import CERTIFICATE_KINDS, Qualification, QualificationKind, StaffProfile
from fazhi.exams.services import retraining

MAX_NUMBER = 60
MAX_ISSUER = 200
MAX_NOTE = 500
DUPLICATE = (
    "duplicate_number"  # the error code of a number registered already (the admin shows it at the field)
)
# What PATCH /qualifications/{id} and update_qualification may change.
EDITABLE = ("profile", "kind", "number", "obtained_on", "expires_on", "issuer", "note")


def normalise_number(value: str | None) -> str:
    """A certificate number as stored: full-width characters made half-width, spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))


def kind_choices_text() -> str:
    return "、".join(f"{value}（{label}）" for value, label in QualificationKind.choices)


def find_profile(*, user_id: int | None = None, username: str = "") -> StaffProfile:
    """The registry entry of a person named by id or account name (API input)."""
    person = retraining.find_person(user_id=user_id, username=username)
    profile = StaffProfile.objects.filter(user=person).select_related("user").first()
    if profile is None:
        raise ValidationFailed(f"“{person}”尚未在人员登记中登记，请先登记其科室/单位，再登记法律专业资格")
    return profile


def check_profile(profile: StaffProfile | None) -> StaffProfile:
    if profile is None or not getattr(profile, "pk", None):
        raise ValidationFailed("请指定人员（须已在人员登记中登记）")
    return profile


def check_qualification(
    *,
    kind: str,
    number: str,
    obtained_on: dt.date | None,
    expires_on: dt.date | None,
    issuer: str = "",
    note: str = "",
    qualification: Qualification | None = None,
    today: dt.date | None = None,
) -> str:
    """The rules for a qualification's details (shared by the services and the admin form, where the person
    is a required field); the normalised number."""
    if kind not in QualificationKind.values:
        raise ValidationFailed(f"资格类型“{str(kind)[:20]}”无效，应为：{kind_choices_text()}")
    label = QualificationKind(kind).label
    if obtained_on is None:
        raise ValidationFailed("请填写取得日期")
    today = today or timezone.localdate()
    if obtained_on > today:
        raise ValidationFailed(
            f"取得日期 {obtained_on:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），不能登记尚未取得的资格"
        )
    if expires_on is not None and expires_on <= obtained_on:
        raise ValidationFailed(f"有效期至 {expires_on:%Y-%m-%d} 应晚于取得日期 {obtained_on:%Y-%m-%d}")
    number = normalise_number(number)
    check_length(number, "证书编号/聘任文号", MAX_NUMBER)
    if kind in CERTIFICATE_KINDS and not number:
        raise ValidationFailed(f"{label}须填写证书编号")
    if kind == QualificationKind.OTHER and not (note or "").strip():
        raise ValidationFailed("资格类型为“其他”的，请在备注中写明资格名称")
    check_length((issuer or "").strip(), "发证/聘任机关", MAX_ISSUER)
    check_length((note or "").strip(), "备注", MAX_NOTE)
    if number:
        same = Qualification.objects.filter(kind=kind, number__iexact=number).select_related("profile__user")
        if qualification is not None and qualification.pk:
            same = same.exclude(pk=qualification.pk)
        found = same.first()
        if found is not None:
            raise ValidationFailed(
                f"{label} {found.number} 已登记在 {found.profile.user}（{found.profile.department}）名下，请核对编号",
                code=DUPLICATE,
            )
    return number


def _duplicate(kind: str, number: str) -> ValidationFailed:
    return ValidationFailed(f"{QualificationKind(kind).label} {number} 已登记，请核对编号", code=DUPLICATE)


def record_qualification(
    *,
    profile: StaffProfile | None,
    kind: str,
    obtained_on: dt.date | None,
    number: str = "",
    expires_on: dt.date | None = None,
    issuer: str = "",
    note: str = "",
    by: Any = None,
    today: dt.date | None = None,
) -> Qualification:
    """Register a qualification of a person in the staff registry."""
    person = check_profile(profile)
    number = check_qualification(
        kind=kind, number=number, obtained_on=obtained_on, expires_on=expires_on,
        issuer=issuer, note=note, today=today,
    )  # fmt: skip
    assert obtained_on is not None  # check_qualification refuses a missing date
    try:
        with transaction.atomic():
            return Qualification.objects.create(
                profile=person,
                kind=kind,
                number=number,
                obtained_on=obtained_on,
                expires_on=expires_on,
                issuer=(issuer or "").strip(),
                note=(note or "").strip(),
                recorded_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:  # recorded by someone else a moment ago
        raise _duplicate(kind, number) from None


def update_qualification(
    *, qualification: Qualification, changes: dict[str, Any], today: dt.date | None = None
) -> Qualification:
    """Correct a qualification: the given fields change, all rules are checked on the result."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationFailed(f"不能修改字段：{'、'.join(unknown)}；可修改：{'、'.join(EDITABLE)}")
    merged = {name: getattr(qualification, name) for name in EDITABLE} | changes
    for text in ("issuer", "note", "number"):
        merged[text] = (merged[text] or "").strip()
    check_profile(merged["profile"])
    details = {name: merged[name] for name in EDITABLE if name != "profile"}
    merged["number"] = check_qualification(**details, qualification=qualification, today=today)
    changed = [name for name in EDITABLE if getattr(qualification, name) != merged[name]]
    if not changed:
        return qualification
    for name in changed:
        setattr(qualification, name, merged[name])
    try:
        with transaction.atomic():
            qualification.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        qualification.refresh_from_db()
        raise _duplicate(merged["kind"], merged["number"]) from None
    return qualification
