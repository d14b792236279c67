"""合法性审查 state machine: who may take which action, its conditions, its effects and its history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.permissions import has_role
from fazhi.core.services import notify, users_with_role
from fazhi.core.workdays import Calendar
from fazhi.review import library, numbering, opinions, periods, selectors, workflow
from fazhi.review.models import DocTypeRule, Draft, PrecheckFinding, State, Transition
from fazhi.review.register import services as register
from fazhi.review.services.drafts import _lock
from fazhi.review.services.procedures import missing_procedures, procedure_order_problems


def _acts_as(user: Any, draft: Draft, allowed: set[str]) -> bool:
    for role in allowed:
        if role == roles.DRAFTER:
            if has_role(user, roles.DRAFTER) and selectors.is_owner(user, draft):
                return True
        elif has_role(user, role):
            return True
    return False


MAX_COMMENT = 5000  # 意见说明 of a transition (DraftEvent.comment, a TextField): refused beyond it, never cut

# The review itself: never by the person who wrote the draft (an account holding both roles, an administrator).
REVIEW_ACTIONS = frozenset({"start_review", "return", "approve", "reject"})


def reviews_own(user: Any, draft: Draft, action: str) -> bool:
    return action in REVIEW_ACTIONS and draft.drafter_id == user.pk


def _guard(draft: Draft, action: str, comment: str) -> None:
    """State-dependent conditions beyond the table: raise Conflict (409) or ValidationFailed (400)."""
    if action == "submit":
        latest = selectors.latest_version(draft)
        if latest is None:
            raise Conflict("尚未上传文稿，请先上传文稿（.docx/.pdf/.txt）再提交审查。")
        if draft.state == State.RETURNED and latest.number <= draft.returned_version:
            raise Conflict("文稿退回修改后尚未上传修改稿，请先上传新版本再重新提交。")
    elif action == "return":
        opinion = selectors.open_opinion(draft)
        if not comment and not (opinion and opinion.findings.exists()):
            raise ValidationFailed("退回修改须填写审查意见或退回理由。")
    elif action == "approve":
        # Every automated finding on the version under review is decided (accepted or dismissed with a
        # reason) before the review passes: the decisions are the record that each one was looked at.
        latest = selectors.latest_version(draft)
        count = (
            latest.precheck_findings.filter(decision=PrecheckFinding.Decision.OPEN).count() if latest else 0
        )
        if latest is not None and count:
            raise Conflict(
                f"第{latest.number}稿尚有 {count} 条自动预审发现待处理，"
                "请逐条采纳为审查意见或说明理由排除后，再作出审查通过结论。"
            )
    elif action == "reject":
        if not comment:
            raise ValidationFailed("作出不予通过结论须填写理由。")
    elif action == "publish":
        missing = missing_procedures(draft)
        if missing:
            raise Conflict(
                f"行政规范性文件发布前须完成征求意见、评估论证和集体审议，尚缺：{'、'.join(missing)}。"
            )
        problems = procedure_order_problems(draft)
        if problems:
            raise Conflict("程序顺序不符，不能发布：" + "".join(problems))
    if action == "publish":
        fair = selectors.fair_competition_problem(draft)
        if fair:
            raise Conflict(fair)
    elif action == "file" and not draft.needs_procedure:
        raise Conflict("只有行政规范性文件需要报送备案。")


def _publish(draft: Draft, day: dt.date, type_rule: DocTypeRule) -> None:
    """公布: the dates the publication sets (the 施行日期 and validity from the final text) and the library."""
    draft.published_on = day
    if not draft.needs_procedure:
        return
    latest = selectors.latest_version(draft)
    text = latest.text if latest else ""
    draft.effective_on = periods.effective_on(text, day)
    draft.filing_deadline = day + dt.timedelta(days=type_rule.filing_days)
    if type_rule.filing_rolls_forward:
        draft.filing_deadline = Calendar.load().roll_forward(draft.filing_deadline)
    draft.valid_until = periods.valid_until(text, day, type_rule.validity_years, effective=draft.effective_on)
    library.register(draft)  # a system step: never gated by the publisher's role, never blocking


def _apply(
    draft: Draft, rule: workflow.Rule, user: Any, comment: str, *, filed_on: dt.date | None = None
) -> None:
    now = timezone.now()
    day = timezone.localdate(now)
    type_rule = selectors.doc_type_rule(draft.doc_type)
    if rule.action == "submit":
        calendar = Calendar.load()
        draft.submitted_at = draft.submitted_at or now
        draft.round_submitted_at = now
        draft.review_deadline = calendar.add(day, type_rule.review_days)
        draft.outcome = ""
    elif rule.action == "start_review":
        if has_role(user, roles.REVIEWER):
            draft.reviewer = user
    elif rule.action in ("return", "approve", "reject"):
        calendar = Calendar.load()
        if draft.round_submitted_at:
            start = timezone.localtime(draft.round_submitted_at).date()
            draft.review_days_used += calendar.between(start, day)
        if draft.review_deadline and day > draft.review_deadline:
            draft.late_rounds += 1
        draft.round_submitted_at = None
        if rule.action == "return":
            latest = selectors.latest_version(draft)
            draft.returned_version = latest.number if latest else 0
        else:
            draft.decided_at = now
            draft.outcome = State(rule.target).label
        opinions.issue(draft=draft, user=user, action=rule.action, comment=comment)
    elif rule.action == "publish":
        _publish(draft, day, type_rule)
    elif rule.action == "file":
        draft.filed_on = filed_on or day
    elif rule.action == "expire":
        draft.expired_on = day
        library.follow_expiry(draft, basis=library.expiry_basis(draft, day, comment))


def _notify_after(draft: Draft, rule: workflow.Rule, user: Any) -> None:
    url = draft.get_absolute_url()
    label = workflow.ACTION_LABELS[rule.action]
    if rule.action == "submit":
        for person in users_with_role(roles.REVIEWER):
            notify(
                recipient=person,
                title=f"新送审文稿：《{draft.title}》",
                body=f"{draft.unit}报送，审查期限 {draft.review_deadline}。",
                url=url,
                category="review",
            )
    elif rule.action in ("return", "approve", "reject"):
        notify(
            recipient=draft.drafter,
            title=f"《{draft.title}》审查结果：{State(rule.target).label}",
            body=f"{user} {label}。",
            url=url,
            category="review",
        )
    if draft.state == State.IN_REVIEW and draft.is_major and rule.action == "start_review":
        for person in users_with_role(roles.LEADER):
            notify(
                recipient=person,
                title=f"重大事项送审：《{draft.title}》",
                body="该文稿标记为重大，审查结论须分管领导签批。",
                url=url,
                category="review",
            )


def log_transition(
    draft: Draft,
    action: str,
    before: str,
    actor: Any,
    comment: str,
    *,
    audit_comment: str = "",
    recorded: dict[str, Any] | None = None,
) -> None:
    """Record a state change the draft has just made (before → draft.state) in its history and the audit
    chain, with what else it `recorded` (the publication's 文号, 签发人 and dates); `actor` None is the
    system's own step (a lapsed validity period)."""
    Transition.objects.create(
        draft=draft, action=action, from_state=before, to_state=draft.state, actor=actor, comment=comment
    )
    audit.record(
        action="transition",
        obj=draft,
        comment=audit_comment or comment,
        before={"state": State(before).label},
        after={"state": State(draft.state).label, "action": action, **(recorded or {})},
        actor=actor,
    )


def _check_filed_on(draft: Draft, filed_on: dt.date) -> None:
    """备案日期 entered with the 备案 (recorded days later, say): not after today, not before the publication."""
    today = selectors.today()
    if filed_on > today:
        raise ValidationFailed(
            f"备案日期（{cn_date(filed_on)}）不能晚于今天（{cn_date(today)}），请填写实际报送备案的日期。"
        )
    if draft.published_on is not None and filed_on < draft.published_on:
        raise ValidationFailed(
            f"备案日期（{cn_date(filed_on)}）不能早于公布日期（{cn_date(draft.published_on)}），请核对日期。"
        )


def _filed(draft: Draft) -> dict[str, Any]:
    """What the 备案 recorded, for the audit chain."""
    return {"filed_on": str(draft.filed_on or ""), "filing_deadline": str(draft.filing_deadline or "")}


def _published(draft: Draft) -> dict[str, Any]:
    """What the publication recorded, for the audit chain."""
    return {
        "published_on": str(draft.published_on or ""),
        "effective_on": str(draft.effective_on or ""),
        "valid_until": str(draft.valid_until or ""),
        "doc_number": draft.doc_number,
        "signed_by": draft.signed_by,
    }


def transition(
    *,
    user: Any,
    draft_id: int,
    action: str,
    comment: str = "",
    doc_number: str = "",
    signed_by: str = "",
    filed_on: dt.date | None = None,
) -> Draft:
    """Move the draft along the table: 403 if the role may not, 409 if not from this state. Publication
    may carry the document's 发文字号 and 签发人 (see `fazhi.review.numbering`); 备案 the day it was filed
    (`filed_on`, default today: not in the future, not before the publication)."""
    action = (action or "").strip()
    action = workflow.ACTION_CODES.get(action, action)  # the Chinese name of an action works too
    if action not in workflow.ACTION_LABELS:
        names = "、".join(workflow.ACTION_LABELS.values())
        raise ValidationFailed(f"未知的操作“{action}”，可执行的操作有：{names}。")
    comment = (comment or "").strip()
    check_length(comment, "意见说明", MAX_COMMENT)
    if action != "publish" and ((doc_number or "").strip() or (signed_by or "").strip()):
        raise ValidationFailed("发文字号和签发人只在发布时登记。")
    if action != "file" and filed_on is not None:
        raise ValidationFailed("备案日期只在备案时登记。")
    doc_number = numbering.clean_doc_number(doc_number, published_on=selectors.today())
    signed_by = numbering.clean_signer(signed_by)
    try:
        return _transition(
            user, draft_id, action, comment, doc_number=doc_number, signed_by=signed_by, filed_on=filed_on
        )
    except IntegrityError as exc:
        if doc_number and "doc_number" in str(exc):  # published with the same number at the same moment
            raise Conflict(numbering.DUPLICATE.format(number=doc_number)) from exc
        raise


def _transition(
    user: Any,
    draft_id: int,
    action: str,
    comment: str,
    *,
    doc_number: str,
    signed_by: str,
    filed_on: dt.date | None,
) -> Draft:
    with transaction.atomic():
        draft = _lock(draft_id)
        label = workflow.ACTION_LABELS[action]
        allowed = workflow.roles_for(action, is_major=draft.is_major)
        if not _acts_as(user, draft, allowed):
            who = "、".join(sorted(allowed))
            extra = "（该文稿标记为重大，须分管领导签批）" if draft.is_major and action == "approve" else ""
            if (
                roles.DRAFTER in allowed
                and has_role(user, roles.DRAFTER)
                and not selectors.is_owner(user, draft)
            ):
                raise PermissionDenied(f"只有该文稿的起草人本人可以执行“{label}”。")
            raise PermissionDenied(f"您无权执行“{label}”操作，该操作只能由{who}执行{extra}。")
        if reviews_own(user, draft, action):
            raise PermissionDenied(
                f"起草人不能对本人起草的文稿执行“{label}”，合法性审查须由其他审核人员办理。"
            )
        rule = workflow.find(action, draft.state, is_major=draft.is_major)
        if rule is None:
            raise Conflict(
                f"文稿当前状态为“{draft.get_state_display()}”，不能执行“{label}”：{workflow.NOT_FROM_STATE[action]}。"
            )
        _guard(draft, action, comment)
        if action == "publish":
            type_rule = selectors.doc_type_rule(draft.doc_type)
            numbering.check(draft, type_rule, doc_number=doc_number, signed_by=signed_by)
            draft.doc_number, draft.signed_by = doc_number, signed_by
        if filed_on is not None:
            _check_filed_on(draft, filed_on)
        before = draft.state
        _apply(draft, rule, user, comment, filed_on=filed_on)
        draft.state = rule.target
        draft.save()
        if action == "publish":  # 发文登记簿: the entry of its 文号 is linked, or created
            register.link_published(draft, user=user)
        recorded = _published(draft) if action == "publish" else _filed(draft) if action == "file" else None
        history = comment
        if action == "file" and draft.filed_on != selectors.today():
            # Recorded days after the filing: the history says which day counts (the audit entry has it too).
            history = f"{comment}（备案日期：{cn_date(draft.filed_on)}）".lstrip()
        log_transition(
            draft, action, before, user, history, audit_comment=comment or label, recorded=recorded
        )
        _notify_after(draft, rule, user)
    return draft
