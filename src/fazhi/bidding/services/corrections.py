"""更正: 采购办 corrects a recorded contract date, audio/video archive or 副场移交, giving a reason.

The checks of the first entry apply to the new value (each record's module runs them, then calls `save_correction`);
the old value, the new one and the reason go to the audit chain and to the project's correction history, so a
recorded value never changes silently. A "correction" that changes nothing is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fazhi.bidding.models import Correction, CorrectionSubject, Project, Site
from fazhi.core import audit
from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import check_field

UNCHANGED = "更正后的内容与原登记内容相同，无需更正；如确需更正，请修改要更正的项目。"


@dataclass
class Change:
    """One corrected field: its name, its Chinese label, the value before and after."""

    field: str
    label: str
    before: Any
    after: Any


def changes_of(*fields: Change) -> list[Change]:
    """The fields whose value really changes; none at all is refused (no silent, no empty correction)."""
    changed = [c for c in fields if c.before != c.after]
    if not changed:
        raise ValidationFailed(UNCHANGED)
    return changed


def clean_reason(reason: str | None) -> str:
    """The reason for a correction: required, and no longer than the record holds."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写更正原因（如：登记时录入错误，已按原始凭证核对）。")
    return check_field(reason, Correction, "reason", "更正原因")


def as_text(value: Any) -> str:
    """A value as the page shows it: dates as 2026-07-23, times as 2026-07-23 09:30 (local time)."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def describe(changes: list[Change]) -> str:
    """合同签订日期 2026-07-01 → 2026-07-02；… (long texts are cut: the audit event keeps them whole)."""

    def short(value: Any) -> str:
        text = as_text(value)
        return text if len(text) <= 60 else text[:60] + "…"

    return "；".join(f"{c.label} {short(c.before)} → {short(c.after)}" for c in changes)


def save_correction(
    *,
    project: Project,
    actor: Any,
    subject: CorrectionSubject,
    changes: list[Change],
    reason: str,
    site: Site | None = None,
    note: str = "",
    **context: Any,
) -> Correction:
    """Write the audit event (exact old and new values, the reason) and the correction history row.

    `context` goes into the event too (which record: av_archive=3; a new due date); `note` ends its comment."""
    where = f"（{site.name}）" if site is not None else ""
    event = audit.record(
        action="correct",
        obj=project,
        before={c.field: c.before for c in changes},
        after={**{c.field: c.after for c in changes}, **context, "reason": reason},
        comment=f"更正{subject.label}{where}：{describe(changes)}{note}。原因：{reason}",
        actor=actor,
    )
    return Correction.objects.create(
        project=project,
        subject=subject,
        site=site,
        changes=[
            {"field": c.field, "label": c.label, "before": as_text(c.before), "after": as_text(c.after)}
            for c in changes
        ],
        reason=reason,
        corrected_by=actor,
        corrected_at=event.at,
        audit_seq=event.seq,
    )
