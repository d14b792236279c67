"""培训与复训: training records, and the certificate consequences of a retraining (复训) result.

A failed retraining suspends (暂扣) each enforcement certificate the person holds in force on its date; a
later passed retraining restores (恢复有效) the certificates suspended for a failed retraining, from its
date. A suspension for any other reason is left for the administrator. Every change goes through
certificates.set_status (history entry linked to the training record, and an audit record), so a suspended
certificate does not count in 执法人员占比 from the suspension's date until the restoration's.

Results are recorded in date order per person: a result dated before the person's latest recorded result
is refused (the suspension periods already recorded would no longer follow from the results).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.models import User
from fazhi.exams.models import (
    CertificateStatus,
    EnforcementCertificate,
    TrainingKind,
    TrainingRecord,
    TrainingResult,
)
from fazhi.exams.services import certificates

MAX_HOURS = Decimal("999.9")
MAX_TOPIC = 200  # TrainingRecord.topic max_length
MAX_ORGANIZER = 200  # TrainingRecord.organizer max_length (SQLite does not enforce it)


@dataclass
class TrainingOutcome:
    """What recording a training did: the record, the certificates suspended or restored, and notes."""

    record: TrainingRecord
    suspended: list[EnforcementCertificate] = field(default_factory=list)
    restored: list[EnforcementCertificate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        out = [
            f"执法证 {c.number} 自 {self.record.date:%Y-%m-%d} 起暂扣（复训不合格）" for c in self.suspended
        ]
        out += [
            f"执法证 {c.number} 自 {self.record.date:%Y-%m-%d} 起恢复有效（复训合格）" for c in self.restored
        ]
        return out + self.notes


def check_training(
    *,
    user: Any,
    date: dt.date | None,
    hours: Any,
    topic: str,
    kind: str,
    result: str,
    today: dt.date | None = None,
    record: TrainingRecord | None = None,
    organizer: str = "",
) -> Decimal:
    """The rules for a training record (shared by record_training, set_result and the admin form); the hours."""
    if user is None or not getattr(user, "pk", None):
        raise ValidationFailed("请指定参加培训的人员")
    if date is None:
        raise ValidationFailed("请填写培训日期")
    if not (topic or "").strip():
        raise ValidationFailed("请填写培训主题")
    check_length(topic.strip(), "培训主题", MAX_TOPIC)
    check_length((organizer or "").strip(), "组织单位", MAX_ORGANIZER)
    try:
        amount = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"学时“{str(hours)[:20]}”不是数字") from None
    if (
        not amount.is_finite()
        or not Decimal("0") < amount <= MAX_HOURS
        or amount != amount.quantize(Decimal("0.1"))
    ):
        raise ValidationFailed(f"学时应大于 0、不超过 {MAX_HOURS}，最多一位小数")
    if kind not in TrainingKind.values:
        raise ValidationFailed(f"培训类型“{kind}”无效，应为培训或复训")
    if result not in TrainingResult.values:
        raise ValidationFailed(f"考核结果“{result}”无效，应为合格或不合格")
    if result and kind != TrainingKind.RETRAINING:
        raise ValidationFailed("只有复训记录可以登记考核结果（合格/不合格）；普通培训请将考核结果留空")
    if result:
        today = today or timezone.localdate()
        if date > today:
            raise ValidationFailed(f"复训日期 {date:%Y-%m-%d} 晚于今天，不能登记尚未进行的复训的考核结果")
        results = TrainingRecord.objects.filter(user_id=user.pk, kind=TrainingKind.RETRAINING, date__gt=date)
        if record is not None:
            results = results.exclude(pk=record.pk)
        later = results.exclude(result="").order_by("-date").first()
        if later is not None:
            raise ValidationFailed(
                f"{user} 已登记 {later.date:%Y-%m-%d} 的复训结果（{later.get_result_display()}），"
                f"不能再登记更早日期（{date:%Y-%m-%d}）的复训结果；复训结果须按日期先后登记"
            )
    return amount.quantize(Decimal("0.1"))


def record_training(
    *,
    user: Any,
    date: dt.date,
    hours: Any,
    topic: str,
    organizer: str = "",
    kind: str = TrainingKind.TRAINING,
    result: str = "",
    by: Any = None,
    today: dt.date | None = None,
) -> TrainingOutcome:
    """Record a training; a retraining result suspends or restores the person's certificates."""
    amount = check_training(
        user=user,
        date=date,
        hours=hours,
        topic=topic,
        kind=kind,
        result=result,
        today=today,
        organizer=organizer,
    )
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            user=user,
            date=date,
            hours=amount,
            topic=topic.strip(),
            organizer=(organizer or "").strip(),
            kind=kind,
            result=result,
        )
        return _apply_result(record, by=by)


def set_result(
    *, record: TrainingRecord, result: str, by: Any = None, today: dt.date | None = None
) -> TrainingOutcome:
    """Record the result of a retraining entered without one; a result once recorded is not changed."""
    if record.result:
        raise ValidationFailed(
            f"该复训已登记考核结果（{record.get_result_display()}），不能修改；如登记有误，请登记新的复训记录"
        )
    check_training(
        user=record.user, date=record.date, hours=record.hours, topic=record.topic, kind=record.kind,
        result=result, today=today, record=record,
    )  # fmt: skip
    with transaction.atomic():
        record.result = result
        record.save(update_fields=["result"])
        return _apply_result(record, by=by)


def _apply_result(record: TrainingRecord, *, by: Any) -> TrainingOutcome:
    outcome = TrainingOutcome(record=record)
    if not record.result:
        return outcome
    on = record.date
    # Locked: two results for the same person recorded at once act one after the other.
    held = list(
        EnforcementCertificate.objects.select_for_update()
        .filter(holder_id=record.user_id, issued_on__lte=on)
        .order_by("issued_on", "pk")
    )
    if record.result == TrainingResult.FAILED:
        _suspend(outcome, held, by=by)
    else:
        _restore(outcome, held, by=by)
    return outcome


def _suspend(outcome: TrainingOutcome, held: list[EnforcementCertificate], *, by: Any) -> None:
    record, on = outcome.record, outcome.record.date
    for cert in held:
        status, _entry = certificates.status_in_force(cert, on)
        if cert.expires_on < on or status != CertificateStatus.VALID:
            continue
        certificates.set_status(
            certificate=cert,
            status=CertificateStatus.SUSPENDED,
            on=on,
            comment=f"复训不合格（{on:%Y-%m-%d}“{record.topic}”），暂扣至复训合格",
            by=by,
            training=record,
        )
        outcome.suspended.append(cert)
    if not outcome.suspended:
        outcome.notes.append(f"{record.user} 在 {on:%Y-%m-%d} 没有有效的执法证，无需暂扣")


def _restore(outcome: TrainingOutcome, held: list[EnforcementCertificate], *, by: Any) -> None:
    record, on = outcome.record, outcome.record.date
    for cert in held:
        status, entry = certificates.status_in_force(cert, on)
        if status != CertificateStatus.SUSPENDED:
            continue
        if entry is None or entry.training_id is None:
            reason = f"：{entry.reason}" if entry is not None and entry.reason else ""
            outcome.notes.append(
                f"执法证 {cert.number} 因其他原因暂扣{reason}，复训合格不自动恢复，请考试管理员核实后处理"
            )
            continue
        if cert.expires_on < on:
            outcome.notes.append(f"执法证 {cert.number} 已于 {cert.expires_on:%Y-%m-%d} 到期，不再恢复")
            continue
        certificates.set_status(
            certificate=cert,
            status=CertificateStatus.VALID,
            on=on,
            comment=f"复训合格（{on:%Y-%m-%d}“{record.topic}”），恢复执法证",
            by=by,
            training=record,
        )
        outcome.restored.append(cert)


def find_person(*, user_id: int | None = None, username: str = "") -> Any:
    """The person a training is for, by id or account name (API input); a Chinese message when unknown."""
    person = None
    if user_id:
        person = User.objects.filter(pk=user_id).first()
    elif username.strip():
        person = User.objects.filter(username=username.strip()).first()
    else:
        raise ValidationFailed("请指定人员（user_id 或 username）")
    if person is None:
        raise ValidationFailed(f"找不到人员“{user_id or username.strip()[:30]}”")
    return person
