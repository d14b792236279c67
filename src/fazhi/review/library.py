"""Published normative documents in the public 法规库: registered on publication, their 效力状态 following
commencement and expiry.

Contract: `register(draft)` runs inside the publication transaction as a system step (whoever publishes) and
never makes the publication fail: the draft keeps either the LawVersion it became or, in `library_error`,
why it could not (shown to reviewers on the draft page). The version carries the draft's 施行日期 and reads
尚未生效 until that day; the daily `bring_into_force` makes it 有效 then. `follow_expiry(draft, basis=…)`
marks that version 已失效 with the document's own decision as its basis; an already superseded or void
version keeps its status.
`follow_number_correction(draft, reason=…)` rewrites the version's 来源说明 after the 文号 is corrected.
The review app depends on the law library through `fazhi.laws.services` only; the library never imports review.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from fazhi.core import audit
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, DomainError, PermissionDenied
from fazhi.core.permissions import has_role
from fazhi.laws import services as laws
from fazhi.laws.models import LawVersion, Status
from fazhi.review import selectors
from fazhi.review.models import Draft, State, ValidityOutcome
from fazhi.review.opinion_docx import issuer_name
from fazhi.review.opinions import OPINION_ROLES

log = logging.getLogger(__name__)

MAX_COMMENT = 200  # of a reviewer's comment quoted in a status basis
# Statuses a document's expiry changes; 已修改 (a revision replaced it) and 已废止 stay as they are.
FOLLOWS_EXPIRY = (Status.IN_FORCE, Status.NOT_YET_IN_FORCE)


def key(draft: Draft) -> str:
    """The library's source id of a draft: one registration per draft, however often it is attempted."""
    return f"review-draft-{draft.pk}"


def provenance(draft: Draft) -> str:
    """本文件（发文字号）经合法性审查（审查意见书…）后公布: the document's own 文号, if it has one, and the
    opinion that passed the final text (the library keeps no 文号 field of its own)."""
    own = f"（{draft.doc_number}）" if draft.doc_number else ""
    opinion = selectors.latest_issued_opinion(draft)
    if opinion is None or opinion.issued_at is None:
        return f"本文件{own}经合法性审查后公布"
    issued = cn_date(opinion.issued_at.date())
    number = f"审查意见书{opinion.doc_number}，" if opinion.doc_number else ""
    return f"本文件{own}经合法性审查（{number}{issued}）后公布"


def follow_number_correction(draft: Draft, *, reason: str) -> None:
    """The registered version's 来源说明 names the corrected 文号. Unlike registration this is part of the
    correction itself: a correction the library cannot follow is not made, so the two never disagree. A
    document not registered (yet) has nothing to follow; its 重新载入 writes the corrected number."""
    if draft.law_version_id is None:
        return
    laws.follow_document_provenance(
        version_id=draft.law_version_id, provenance=provenance(draft), reason=f"更正发文字号。{reason}"
    )


def _status_on(draft: Draft, day: dt.date) -> str:
    """有效, or 尚未生效 while the document's 施行日期 is still ahead."""
    if draft.effective_on is not None and draft.effective_on > day:
        return Status.NOT_YET_IN_FORCE
    return Status.IN_FORCE


def register(draft: Draft) -> None:
    """Enter the published normative document into the library (see the module docstring); sets
    `draft.law_version` or `draft.library_error`, which the caller saves with the publication."""
    if not draft.needs_procedure or draft.law_version_id or draft.published_on is None:
        return
    latest = selectors.latest_version(draft)
    try:
        # A savepoint: a failed registration leaves nothing behind and the publication goes on.
        with transaction.atomic():
            version = laws.register_published_document(
                key=key(draft),
                title=draft.title,
                text=latest.text if latest else "",
                issuer=issuer_name(),
                published_on=draft.published_on,
                effective_date=draft.effective_on,
                status=_status_on(draft, selectors.today()),
                provenance=provenance(draft),
                link=draft.get_absolute_url(),
            )
    except DomainError as exc:
        draft.library_error = f"未能载入法规库：{exc.message}"
        return
    except Exception as exc:  # publication must not fail for the library; the reason is logged
        log.exception("registering draft %s in the law library failed", draft.pk)
        draft.library_error = (
            f"未能载入法规库：系统错误（{type(exc).__name__}），已记入日志，请联系系统管理员。"
        )
        return
    draft.law_version = version
    draft.library_error = ""


def commencement_basis(draft: Draft) -> str:
    return f"{issuer_name()}{cn_date(draft.published_on)}公布，自{cn_date(draft.effective_on)}起施行"


def _bring_into_force(pk: int, day: dt.date) -> bool:
    with transaction.atomic():
        draft = Draft.objects.select_for_update().filter(pk=pk).first()
        if draft is None or draft.law_version_id is None or draft.effective_on is None:
            return False
        version = LawVersion.objects.filter(pk=draft.law_version_id).first()
        if draft.effective_on > day or version is None or version.status != Status.NOT_YET_IN_FORCE:
            return False  # expired, corrected or re-dated since the list was read
        laws.commence_document(version_id=version.pk, basis=commencement_basis(draft))
    return True


def bring_into_force(on: dt.date | None = None) -> int:
    """Daily (periodic job `review.commencement`; the library has no such step of its own): the 尚未生效
    version of each document whose 施行日期 has come is brought into force by `laws.commence_document` (which
    also retires the earlier versions still in force, or this one if a later version overtook it). Each
    document in its own transaction; a failure is logged and tried again the next day. Returns how many."""
    day = on or selectors.today()
    due = Draft.objects.filter(law_version__status=Status.NOT_YET_IN_FORCE, effective_on__lte=day)
    count = 0
    for pk in list(due.values_list("pk", flat=True)):
        try:
            if _bring_into_force(pk, day):
                count += 1
        except Exception:
            log.exception("bringing the library version of draft %s into force failed", pk)
    return count


def expiry_basis(draft: Draft, day: dt.date, comment: str = "") -> str:
    """The decision that ended the document, as the library's 状态依据: a 宣布失效 evaluation, or the expiry
    decided in the workflow (with its comment)."""
    repeal = draft.evaluations.filter(outcome=ValidityOutcome.REPEAL).order_by("-pk").first()
    if repeal is not None:
        return f"{issuer_name()}{cn_date(repeal.evaluated_on)}经有效期评估宣布失效"
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        comment = comment[:MAX_COMMENT] + "…"
    return f"{issuer_name()}{cn_date(day)}决定失效" + (f"：{comment}" if comment else "")


def lapse_basis(draft: Draft) -> str:
    return f"有效期至{cn_date(draft.valid_until)}届满，自{cn_date(draft.expired_on)}起失效"


def _still_in_force(draft: Draft) -> bool:
    """The draft has a library version whose status an expiry changes (有效 or 尚未生效)."""
    if not draft.law_version_id:
        return False
    status = LawVersion.objects.filter(pk=draft.law_version_id).values_list("status", flat=True).first()
    return status in FOLLOWS_EXPIRY


def follow_expiry(draft: Draft, *, basis: str) -> None:
    """The registered version becomes 已失效 (audited, re-indexed); like registration, never a reason for the
    expiry itself to fail: a problem is kept in `draft.library_error` (the caller saves the draft)."""
    version_id = draft.law_version_id
    if version_id is None or not _still_in_force(draft):
        return
    try:
        with transaction.atomic():
            laws.follow_document_status(version_id=version_id, status=Status.EXPIRED, basis=basis)
    except Exception as exc:
        log.exception("marking the library version of draft %s expired failed", draft.pk)
        reason = exc.message if isinstance(exc, DomainError) else f"系统错误（{type(exc).__name__}）"
        draft.library_error = f"未能将法规库中的文本标为已失效：{reason}"


def _expiry_pending(draft: Draft) -> bool:
    """The document expired but its library version still reads 有效 (or 尚未生效)."""
    return draft.state == State.EXPIRED and draft.expired_on is not None and _still_in_force(draft)


def _expiry_basis_of(draft: Draft) -> str:
    assert draft.expired_on is not None  # _expiry_pending checked it
    lapsed = (
        draft.valid_until is not None
        and draft.expired_on > draft.valid_until
        and not draft.evaluations.filter(outcome=ValidityOutcome.REPEAL).exists()
    )
    if lapsed:
        return lapse_basis(draft)
    decision = draft.transitions.filter(action="expire").order_by("-pk").first()
    return expiry_basis(draft, draft.expired_on, decision.comment if decision else "")


def retry(*, user: Any, draft_id: int) -> Draft:
    """重新载入法规库: a reviewer or leader repeats what failed — the registration of a published normative
    document, or marking its library version 已失效 once the document expired. Refused when nothing is left
    to do; each attempt is audited, and when it fails again the draft keeps the reason and the 409 says it."""
    from fazhi.review import services

    if not has_role(user, *OPINION_ROLES):
        raise PermissionDenied("只有法制审核员或分管领导可以重新载入法规库。")
    with transaction.atomic():
        draft = services._lock(draft_id)
        if not draft.needs_procedure or draft.published_on is None:
            raise Conflict("只有已公布的行政规范性文件才载入法规库。")
        if draft.law_version_id and not _expiry_pending(draft):
            raise Conflict("该文件已载入法规库，效力状态与文件一致，无需重新载入。")
        before = {"law_version": draft.law_version_id, "library_error": draft.library_error}
        draft.library_error = ""
        if not draft.law_version_id:
            register(draft)
        if _expiry_pending(draft):
            follow_expiry(draft, basis=_expiry_basis_of(draft))
        draft.save(update_fields=["law_version", "library_error", "updated_at"])
        audit.record(
            action="library_retry",
            obj=draft,
            comment="重新载入法规库" + (f"：{draft.library_error}" if draft.library_error else "，成功"),
            before=before,
            after={"law_version": draft.law_version_id, "library_error": draft.library_error},
            actor=user,
        )
    if draft.library_error:
        raise Conflict(draft.library_error)
    return draft
