"""The validity period of a published normative document: 有效期评估 before it ends, and the end itself.

DOMAIN.md: a normative document carries a validity period (commonly ≤ 5 years, `DocTypeRule.validity_years`)
and is re-evaluated before it expires. The evaluation decides 继续施行 (a new end date, at most the rule's
number of years from the evaluation), 修改后重新发布 (the document stays in force until its revision is
reviewed and published as a new draft) or 宣布失效 (it expires now). A document nobody extended expires by
itself the day after its period ends: the daily job `review.validity` records that as a system step.
Either way its text in the 法规库 becomes 已失效 (`fazhi.review.library`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.permissions import has_role
from fazhi.core.services import notify, users_with_role
from fazhi.review import library, periods, selectors, services
from fazhi.review.models import Draft, State, ValidityEvaluation, ValidityOutcome

EVALUATION_ROLES = (roles.REVIEWER, roles.LEADER)
IN_FORCE = (State.PUBLISHED, State.FILED)
MAX_SUMMARY = 5000


def can_evaluate(user: Any, draft: Draft) -> bool:
    return draft.needs_procedure and draft.state in IN_FORCE and has_role(user, *EVALUATION_ROLES)


def _outcome(value: str) -> str:
    value = (value or "").strip()
    for code, label in ValidityOutcome.choices:
        if value in (code, label):
            return code
    names = "、".join(label for _, label in ValidityOutcome.choices)
    raise ValidationFailed(f"评估结论“{value}”无效，可选：{names}。")


def evaluate(
    *,
    user: Any,
    draft_id: int,
    outcome: str,
    evaluated_on: dt.date | None,
    summary: str,
    valid_until: dt.date | None = None,
) -> ValidityEvaluation:
    """Record an evaluation; 继续施行 moves the end date, 宣布失效 expires the document (audited)."""
    if not has_role(user, *EVALUATION_ROLES):
        raise PermissionDenied("只有法制审核员或分管领导可以登记有效期评估。")
    code = _outcome(outcome)
    today = selectors.today()
    if evaluated_on is None:
        raise ValidationFailed("请填写评估日期。")
    if evaluated_on > today:
        raise ValidationFailed("评估日期不能晚于今天。")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationFailed("请填写评估情况（实施效果、存在问题和评估理由）。")
    check_length(summary, "评估情况", MAX_SUMMARY)
    if code != ValidityOutcome.CONTINUE and valid_until is not None:
        raise ValidationFailed("只有评估结论为“继续施行”时才填写新的有效期截止日期。")
    with transaction.atomic():
        selectors.get_draft_for(user, draft_id)  # visibility, as for every other action on a draft
        draft = Draft.objects.select_for_update().get(pk=draft_id)
        if not draft.needs_procedure:
            raise Conflict("只有行政规范性文件设有效期，需要评估。")
        if draft.state not in IN_FORCE:
            raise Conflict(
                f"文稿当前状态为“{draft.get_state_display()}”，只有已发布或已备案的文件可以评估有效期。"
            )
        if draft.published_on and evaluated_on < draft.published_on:
            raise ValidationFailed(
                f"评估日期（{cn_date(evaluated_on)}）不能早于文件公布日期（{cn_date(draft.published_on)}）。"
            )
        before = draft.valid_until
        if code == ValidityOutcome.CONTINUE:
            if before is not None and before < today:
                raise Conflict(
                    f"该文件的有效期已于{cn_date(before)}届满，不能再决定继续施行；"
                    "需要继续施行的，应重新起草并履行制定程序。"
                )
            if valid_until is None:
                raise ValidationFailed("评估结论为“继续施行”的，请填写新的有效期截止日期。")
            if before is not None and valid_until <= before:
                raise ValidationFailed(
                    f"新的有效期截止日期（{cn_date(valid_until)}）应晚于原有效期截止日期（{cn_date(before)}）。"
                )
            years = selectors.doc_type_rule(draft.doc_type).validity_years
            # The evaluation day is the first day of the new term, counted as at publication (periods.last_day).
            latest = periods.last_day(evaluated_on, years)
            if valid_until > latest:
                raise ValidationFailed(
                    f"有效期自评估之日起一般不超过 {years} 年，新的截止日期最晚为{cn_date(latest)}。"
                )
            draft.valid_until = valid_until
            draft.save(update_fields=["valid_until", "updated_at"])
        record = ValidityEvaluation.objects.create(
            draft=draft,
            outcome=code,
            evaluated_on=evaluated_on,
            summary=summary,
            valid_until_before=before,
            valid_until_after=draft.valid_until,
            recorded_by=user,
        )
        label = ValidityOutcome(code).label
        audit.record(
            action="validity_evaluation",
            obj=draft,
            comment=f"有效期评估：{label}",
            before={"valid_until": str(before or "")},
            after={"valid_until": str(draft.valid_until or ""), "outcome": label},
            actor=user,
        )
        if code == ValidityOutcome.REPEAL:
            services.transition(
                user=user, draft_id=draft.pk, action="expire", comment=f"有效期评估：宣布失效。{summary}"
            )
        body = {
            ValidityOutcome.CONTINUE: f"继续施行，有效期延至 {draft.valid_until}。",
            ValidityOutcome.AMEND: "修改后重新发布：请起草修改稿并送合法性审查，修改稿发布前本文件继续有效。",
            ValidityOutcome.REPEAL: "宣布失效。",
        }[ValidityOutcome(code)]
        notify(
            recipient=draft.drafter,
            title=f"《{draft.title}》有效期评估：{label}",
            body=body,
            url=draft.get_absolute_url(),
            category="review",
        )
    return record


def expire_lapsed(on: dt.date | None = None) -> int:
    """Daily: every document in force whose validity period ended before `on` becomes 已失效 (a system step
    with the reason in the history and the audit log); returns how many expired."""
    day = on or timezone.localdate()
    lapsed = Draft.objects.filter(state__in=IN_FORCE, valid_until__lt=day).values_list("pk", flat=True)
    reviewers = list(users_with_role(roles.REVIEWER))
    count = 0
    for pk in list(lapsed):
        with transaction.atomic():
            draft = Draft.objects.select_for_update().filter(pk=pk, state__in=IN_FORCE).first()
            if draft is None or draft.valid_until is None or draft.valid_until >= day:
                continue  # evaluated and extended, or expired by hand, since the list was read
            before = draft.state
            draft.state = State.EXPIRED
            draft.expired_on = draft.valid_until + dt.timedelta(days=1)
            library.follow_expiry(draft, basis=library.lapse_basis(draft))
            draft.save(update_fields=["state", "expired_on", "library_error", "updated_at"])
            comment = f"有效期至{cn_date(draft.valid_until)}届满，自动失效。"
            services.log_transition(draft, "expire", before, None, comment)
            for person in {draft.drafter, *reviewers}:
                notify(
                    recipient=person,
                    title=f"规范性文件已失效：《{draft.title}》",
                    body=comment,
                    url=draft.get_absolute_url(),
                    category="review",
                )
            count += 1
    return count
