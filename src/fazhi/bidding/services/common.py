"""Shared helpers for bidding services: who may do what, name normalisation, numbers and choices as typed
(working days: fazhi.core.workdays)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any, overload

from django.utils import timezone

from fazhi.core import roles
from fazhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from fazhi.core.fields import decimal_excess
from fazhi.core.permissions import has_role

MANAGER_ROLES = (roles.PROCUREMENT, roles.SYSADMIN)
READER_ROLES = (roles.PROCUREMENT, roles.SYSADMIN, roles.SUPERVISOR)
MANAGER_MESSAGE = "只有采购办经办人员可以执行此操作。"


def is_manager(user: Any) -> bool:
    return has_role(user, *MANAGER_ROLES)


def require_manager(user: Any) -> None:
    """采购办 staff (and the system administrator) manage projects, pools and draws."""
    if not is_manager(user):
        raise PermissionDenied(MANAGER_MESSAGE)


def is_reader(user: Any) -> bool:
    return has_role(user, *READER_ROLES)


def member_of(project: Any, user: Any) -> Any:
    """The user's active committee seat on the project's current committee, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    from fazhi.bidding.models import CommitteeMember

    return (
        CommitteeMember.objects.filter(
            committee__project=project, user=user, active=True, committee__active=True
        )
        .select_related("committee", "site", "expert")
        .first()
    )


def can_view_project(project: Any, user: Any) -> bool:
    if is_reader(user):
        return True
    if getattr(user, "is_authenticated", False) and project.purchaser_user_id == user.pk:
        return True
    return member_of(project, user) is not None


def require_view(project: Any, user: Any) -> None:
    if not can_view_project(project, user):
        raise PermissionDenied("您无权查看该采购项目。")


def names_revealed(project: Any, now: dt.datetime | None = None) -> bool:
    """Experts' names are shown (to purchaser, staff, supervisors) only from the configured time."""
    return (now or timezone.now()) >= project.names_reveal_at


def not_begun(project: Any, now: dt.datetime | None = None) -> str:
    """“评标尚未开始（评标开始时间 2026-12-08 09:00）” while 评标开始时间 is ahead; empty once it has come.

    Scoring, signing and finishing the evaluation wait for it; identity checks and draws come before it."""
    if (now or timezone.now()) >= project.evaluation_start:
        return ""
    return f"评标尚未开始（评标开始时间 {timezone.localtime(project.evaluation_start):%Y-%m-%d %H:%M}）"


def not_in_future(day: dt.date, label: str) -> None:
    """A date of something already done (a signing, a publication, a handover) cannot be after today."""
    today = timezone.localdate()
    if day > today:
        raise ValidationFailed(f"{label}（{day:%Y-%m-%d}）不能晚于今天（{today:%Y-%m-%d}）。")


def lock_project(project_id: int) -> Any:
    """The project, row-locked until the transaction ends.

    Every write that depends on a project's state (status, committee, bidders, score sheets) takes this
    lock first, before touching any other row: two such writes on one project run one after the other
    (a score saved while the sheet is signed, one account given two seats, one outage recorded twice),
    and taking it first, always, keeps two of them from waiting on each other.
    """
    from fazhi.bidding.models import Project

    return Project.objects.select_for_update().get(pk=project_id)


def get_or_404(model: Any, pk: Any, label: str) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"{label}不存在（编号 {pk}）。")
    return obj


_SPACE = re.compile(r"\s+")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "　": " "})


def norm_org(name: str) -> str:
    """Organisation names compared for 回避: spaces and bracket width ignored, case folded."""
    return _SPACE.sub("", (name or "").translate(_FULLWIDTH)).casefold()


@overload
def aware(moment: dt.datetime, label: str = ...) -> dt.datetime: ...
@overload
def aware(moment: None, label: str = ...) -> None: ...
def aware(moment: dt.datetime | None, label: str = "时间") -> dt.datetime | None:
    """A time as given, made definite: one without a zone (“2026-12-07T10:00” from a form or the API) is local
    time (settings.TIME_ZONE). Every service that takes a time calls this first, so no caller can pass a time
    that cannot be compared with the stored ones; a year too near 1 or 9999 to store is refused."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        shown = f"{moment.year:04d}-{moment:%m-%d %H:%M}"  # %Y gives “1” for the year 1
        raise ValidationFailed(f"{label}“{shown}”超出可登记的时间范围，请核对年份。")
    return moment


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def to_decimal(raw: Any, label: str, field: Any = None) -> Decimal:
    """Parse a number; with a model DecimalField, also refuse what the field cannot hold exactly.

    SQLite stores any Decimal, but reading back one with more digits than `max_digits` raises, and
    extra decimals are rounded away silently (0.001 becomes 0.00): both are refused here instead.
    """
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{label}“{raw}”不是有效的数字。")
    if not value.is_finite():
        raise ValidationFailed(f"{label}“{raw}”不是有效的数字。")
    if field is not None:
        places = int(field.decimal_places)
        excess = decimal_excess(value, max_digits=int(field.max_digits), places=places)
        if excess == "whole":
            raise ValidationFailed(f"{label}“{raw}”过大：整数部分最多 {int(field.max_digits) - places} 位。")
        if excess == "places":
            raise ValidationFailed(f"{label}“{raw}”最多保留 {places} 位小数。")
    return value


def model_field(model: Any, name: str) -> Any:
    """The model's field (a DecimalField passed to `to_decimal` sets its limits)."""
    return model._meta.get_field(name)


def check_choice(value: str, choices: Any, label: str) -> str:
    """`value` when it is one of the TextChoices `choices`; else a message listing the allowed labels."""
    if value not in choices.values:
        allowed = "、".join(str(lbl) for lbl in choices.labels)
        raise ValidationFailed(f"{label}“{value}”无效，可选：{allowed}。")
    return value
