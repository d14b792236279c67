"""合法性审查 procedure records: 征求意见 / 评估论证 / 集体审议 of a normative document and their order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.review import selectors
from fazhi.review.models import Draft, ProcedureRecord, ProcedureStep, State
from fazhi.review.services.drafts import _lock, _require_owner_drafter, precheck_after_procedures

# 征求意见 and the other steps usually happen while the text is drafted, often before the draft is registered
# here; a date more than a year before registration (1900-01-01, a wrong year) is taken for a typo.
PROCEDURE_LOOKBACK_DAYS = 366
MAX_SUMMARY = (
    5000  # 情况说明 of a procedure record (ProcedureRecord.summary, a TextField): refused, never cut
)


def add_procedure(
    *, user: Any, draft_id: int, step: str, date: dt.date | None, summary: str
) -> ProcedureRecord:
    """Record a 征求意见 / 评估论证 / 集体审议 step of a normative document; the first record of a step runs the
    pre-check again on the latest version (a recorded 征求意见 satisfies FORM-CONSULT)."""
    valid = {code for code, _ in ProcedureStep.choices} | {label for _, label in ProcedureStep.choices}
    if step not in valid:
        names = "、".join(label for _, label in ProcedureStep.choices)
        raise ValidationFailed(f"程序环节“{step}”无效，可选：{names}。")
    code = next(c for c, label in ProcedureStep.choices if step in (c, label))
    if date is None:
        raise ValidationFailed("请填写该程序环节的日期。")
    if date > selectors.today():
        raise ValidationFailed("程序环节的日期不能晚于今天。")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationFailed("请填写情况说明（如征求意见的范围、方式和采纳情况）。")
    check_length(summary, "情况说明", MAX_SUMMARY)
    with transaction.atomic():
        draft = _lock(draft_id)
        _require_owner_drafter(user, draft, "登记程序记录")
        if not draft.needs_procedure:
            raise Conflict("只有行政规范性文件需要登记征求意见、评估论证和集体审议记录。")
        if draft.state in (State.PUBLISHED, State.FILED, State.EXPIRED, State.REJECTED):
            raise Conflict(f"文稿当前状态为“{draft.get_state_display()}”，不能再登记程序记录。")
        registered = timezone.localdate(draft.created_at)
        earliest = registered - dt.timedelta(days=PROCEDURE_LOOKBACK_DAYS)
        if date < earliest:
            raise ValidationFailed(
                f"程序环节的日期（{cn_date(date)}）早于文稿登记日期（{cn_date(registered)}）一年以上，"
                f"最早可登记{cn_date(earliest)}，请核对日期。"
            )
        if draft.state == State.APPROVED and draft.decided_at is not None:
            problem = _out_of_order(code, date, timezone.localdate(draft.decided_at))
            if problem:
                raise ValidationFailed(problem)
        if draft.procedures.filter(step=code, date=date, summary=summary).exists():
            raise Conflict("已登记相同的程序记录（环节、日期和情况说明都相同），请勿重复提交。")
        first_of_step = not draft.procedures.filter(step=code).exists()
        record = ProcedureRecord.objects.create(
            draft=draft, step=code, date=date, summary=summary, recorded_by=user
        )
        if first_of_step:  # the steps the pre-check sees changed
            precheck_after_procedures(draft)
        return record


def procedures_changed(draft_ids: Iterable[int]) -> None:
    """Procedure records of these drafts were changed or removed elsewhere (the admin): the pre-check of each
    draft's latest version follows, so that a finding no longer satisfied by a record is open again."""
    for draft in Draft.objects.filter(pk__in={pk for pk in draft_ids if pk}).order_by("pk"):
        precheck_after_procedures(draft)


# The order of DOMAIN.md (国办发〔2018〕37号): 征求意见 and 评估论证 before the 合法性审核, 集体审议 after it.
BEFORE_REVIEW = (ProcedureStep.CONSULTATION, ProcedureStep.ASSESSMENT)


def _out_of_order(step: str, day: dt.date, approved: dt.date) -> str:
    """Why a step dated `day` cannot belong to a draft that passed the 合法性审核 on `approved` ("" if it can)."""
    label = ProcedureStep(step).label
    if step in BEFORE_REVIEW and day > approved:
        return (
            f"{label}应在合法性审核之前完成：该文稿已于{cn_date(approved)}审查通过，"
            f"{label}日期（{cn_date(day)}）不能晚于审查通过之日。"
            "审查通过后再征求意见或评估论证、文稿因此修改的，应重新送审。"
        )
    if step == ProcedureStep.DELIBERATION and day < approved:
        return (
            f"集体审议应在合法性审核通过之后进行：该文稿于{cn_date(approved)}审查通过，"
            f"集体审议日期（{cn_date(day)}）不能早于审查通过之日。"
        )
    return ""


def procedure_order_problems(draft: Draft) -> list[str]:
    """For a draft that passed review: each step none of whose records is in its place in the order."""
    if not draft.needs_procedure or draft.state != State.APPROVED or draft.decided_at is None:
        return []
    approved = timezone.localdate(draft.decided_at)
    dates: dict[str, list[dt.date]] = {}
    for step, day in draft.procedures.values_list("step", "date"):
        dates.setdefault(step, []).append(day)
    problems = []
    for step, days in dates.items():
        # One record in its place is enough (a step may be recorded again, e.g. a second round of 征求意见).
        if all(_out_of_order(step, day, approved) for day in days):
            chosen = min(days) if step in BEFORE_REVIEW else max(days)
            problems.append(_out_of_order(step, chosen, approved))
    return problems


def missing_procedures(draft: Draft) -> list[str]:
    if not draft.needs_procedure:
        return []
    done = set(draft.procedures.values_list("step", flat=True))
    return [label for code, label in ProcedureStep.choices if code not in done]
