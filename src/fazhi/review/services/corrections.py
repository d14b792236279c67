"""更正发文字号/签发人: the 文号 or 签发人 registered at publication is corrected afterwards, with a reason.

Offices do correct a 文号 (a typing error, a clash found later), but never silently. Whoever may publish the
draft may correct it (its own drafter or the 分管领导), once it is published — also when it is filed or has
expired, since the record of what was published stays in the ledger and the library either way. The new
values pass the checks of publication (`fazhi.review.numbering`: form, year not after the publication's,
unique, required by the type's 统一编号 switch; not held in the 发文登记簿 by another document's entry); a
correction that changes nothing is refused. The old and new values with the reason go to the audit chain and
to the draft's history (流转记录, action `correct_number`), and the library's 来源说明 and the draft's own
发文登记簿 entry follow in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from fazhi.core import audit
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.services import notify
from fazhi.review import library, numbering, selectors, workflow
from fazhi.review.models import Draft, State, Transition
from fazhi.review.register import services as register
from fazhi.review.services.drafts import _lock
from fazhi.review.services.transitions import _acts_as

CORRECTABLE_STATES = (State.PUBLISHED, State.FILED, State.EXPIRED)
MAX_REASON = 500
LABEL = workflow.HISTORY_LABELS[workflow.CORRECT_NUMBER]
UNCHANGED = "发文字号和签发人与现登记内容相同，无需更正；如确需更正，请修改要更正的项目。"


def _may_publish(user: Any, draft: Draft) -> bool:
    return _acts_as(user, draft, workflow.roles_for("publish", is_major=draft.is_major))


def can_correct(user: Any, draft: Draft) -> bool:
    """The draft page offers the form: the draft is published (or later) and the user may publish it."""
    return draft.state in CORRECTABLE_STATES and _may_publish(user, draft)


def _shown(value: str) -> str:
    return value or "（空）"


def _changes(draft: Draft, *, doc_number: str, signed_by: str) -> list[str]:
    """发文字号 阳财规〔2026〕1号 → 阳财规〔2026〕2号, one line a changed field; refused when there is none."""
    changes = [
        f"{label} {_shown(before)} → {_shown(after)}"
        for label, before, after in (
            ("发文字号", draft.doc_number, doc_number),
            ("签发人", draft.signed_by, signed_by),
        )
        if before != after
    ]
    if not changes:
        raise ValidationFailed(UNCHANGED)
    return changes


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写更正理由（如：登记时录入错误，已按印发的正式文件核对）。")
    return check_length(reason, "更正理由", MAX_REASON)


def correct_publication(*, user: Any, draft_id: int, doc_number: str, signed_by: str, reason: str) -> Draft:
    """Correct the published draft's 发文字号 and 签发人 (both given as they should read) with a required reason:
    404 unknown draft, 403 who may not publish it, 409 not published / number taken / required number
    cleared, 400 bad input or no change. One transaction: a refusal changes nothing."""
    with transaction.atomic():
        draft = _lock(draft_id)
        if not _may_publish(user, draft):
            raise PermissionDenied(
                "只有有权发布该文件的人员（该文稿的起草人本人或分管领导）可以更正发文字号和签发人。"
            )
        if draft.state not in CORRECTABLE_STATES or draft.published_on is None:
            raise Conflict(
                f"文稿当前状态为“{draft.get_state_display()}”，只有已发布（含已备案、已失效）的文件可以更正"
                "发文字号和签发人；尚未发布的，在发布时登记。"
            )
        reason = _clean_reason(reason)
        doc_number = numbering.clean_doc_number(doc_number, published_on=draft.published_on)
        signed_by = numbering.clean_signer(signed_by)
        changes = _changes(draft, doc_number=doc_number, signed_by=signed_by)
        lacking = numbering.missing(
            draft, selectors.doc_type_rule(draft.doc_type), doc_number=doc_number, signed_by=signed_by
        )
        if lacking:
            raise Conflict(
                f"{draft.get_doc_type_display()}须统一登记、统一编号，更正后不能没有{'、'.join(lacking)}。"
            )
        numbering.check_unique(draft, doc_number)
        register.check_correction(draft, doc_number)  # another document's 文号 in the 发文登记簿
        before = {"doc_number": draft.doc_number, "signed_by": draft.signed_by}
        draft.doc_number, draft.signed_by = doc_number, signed_by
        try:
            with transaction.atomic():  # a savepoint: the constraint may still catch a number taken just now
                draft.save(update_fields=["doc_number", "signed_by", "updated_at"])
        except IntegrityError as exc:
            if doc_number and "doc_number" in str(exc):
                raise Conflict(numbering.DUPLICATE.format(number=doc_number)) from exc
            raise
        library.follow_number_correction(draft, reason=reason)
        register.follow_number_correction(draft, old_number=before["doc_number"], user=user)
        described = "；".join(changes)
        Transition.objects.create(
            draft=draft,
            action=workflow.CORRECT_NUMBER,
            from_state=draft.state,
            to_state=draft.state,
            actor=user,
            comment=f"{described}。更正理由：{reason}",
        )
        audit.record(
            action="correct",
            obj=draft,
            comment=f"{LABEL}：{described}。更正理由：{reason}",
            before=before,
            after={"doc_number": doc_number, "signed_by": signed_by, "reason": reason},
            actor=user,
        )
        if draft.drafter_id != user.pk:
            notify(
                recipient=draft.drafter,
                title=f"《{draft.title}》的发文字号/签发人已更正",
                body=f"{user} {described}。更正理由：{reason}",
                url=draft.get_absolute_url(),
                category="review",
            )
    return draft
