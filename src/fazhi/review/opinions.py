"""审查意见书 writes: findings, pre-check decisions, resolution of earlier findings, issuing the document."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_field, check_length
from fazhi.core.permissions import has_role
from fazhi.review import opinion_docx, selectors
from fazhi.review.models import (
    Conclusion,
    Draft,
    OpinionFinding,
    PrecheckFinding,
    ReviewOpinion,
    State,
)

OPINION_ROLES = (roles.REVIEWER, roles.LEADER)
MAX_TEXT = 5000  # one finding, and the conclusion


def _require_reviewer(user: Any) -> None:
    if not has_role(user, *OPINION_ROLES):
        raise PermissionDenied("只有法制审核员或分管领导可以撰写审查意见。")


def _writable_draft(user: Any, draft_id: int) -> Draft:
    _require_reviewer(user)
    draft = Draft.objects.select_for_update().filter(pk=draft_id).first()
    if draft is None:
        raise NotFound(f"送审文稿 {draft_id} 不存在。")
    if draft.state != State.IN_REVIEW:
        raise Conflict(f"文稿当前状态为“{draft.get_state_display()}”，只有“审查中”的文稿可以撰写审查意见。")
    if draft.drafter_id == user.pk:  # as for the review's actions (transitions.reviews_own)
        raise PermissionDenied("起草人不能为本人起草的文稿撰写审查意见，合法性审查须由其他审核人员办理。")
    return draft


def _reviewer_of(draft: Draft, user: Any) -> Any:
    """审查人 of the opinion: the 法制审核员 who took the draft into review, not whoever writes first."""
    return draft.reviewer if draft.reviewer_id else user


def _opinion_for_writing(draft: Draft, user: Any) -> ReviewOpinion:
    opinion = selectors.open_opinion(draft)
    version = selectors.latest_version(draft)
    if version is None:
        raise Conflict("该文稿没有可审查的版本。")
    if opinion is not None and opinion.version_id != version.pk:
        # A draft is only in review for its latest version; an older open opinion moves with it.
        opinion.version = version
        opinion.save(update_fields=["version"])
    if opinion is None:
        opinion = ReviewOpinion.objects.create(
            draft=draft, version=version, reviewer=_reviewer_of(draft, user)
        )
    return opinion


def _check_paragraph(draft: Draft, paragraph: int) -> None:
    version = selectors.latest_version(draft)
    count = len(version.paragraphs()) if version else 0
    if paragraph < 1 or paragraph > count:
        raise ValidationFailed(f"段落号 {paragraph} 超出范围：当前版本共 {count} 段。")


def add_finding(
    *,
    user: Any,
    draft_id: int,
    paragraph: int,
    text: str,
    article_id: int | None = None,
    article_ref: str = "",
    precheck_finding_id: int | None = None,
) -> OpinionFinding:
    """Add a numbered finding to the opinion being written; the article by id or as cited (《预算法》第十条)."""
    from fazhi.laws.models import Article

    text = (text or "").strip()
    if not text:
        raise ValidationFailed("请填写审查意见内容。")
    check_length(text, "一条审查意见", MAX_TEXT, hint="请精简或分成几条填写")
    with transaction.atomic():
        draft = _writable_draft(user, draft_id)
        _check_paragraph(draft, paragraph)
        article = resolve_article(article_ref) if (article_ref or "").strip() else None
        if article_id:
            article = Article.objects.filter(pk=article_id).first()
            if article is None:
                raise ValidationFailed(f"法条 {article_id} 不存在，请从法规库中选择。")
        precheck = None
        if precheck_finding_id:
            precheck = PrecheckFinding.objects.filter(pk=precheck_finding_id, version__draft=draft).first()
            if precheck is None:
                raise ValidationFailed(f"预审发现 {precheck_finding_id} 不属于该文稿。")
        opinion = _opinion_for_writing(draft, user)
        same = opinion.findings.filter(
            paragraph=paragraph, text=text, article=article, precheck_finding=precheck
        ).first()
        if same is not None:
            raise Conflict(f"已添加相同的审查意见（第{same.seq}条），请勿重复提交。")
        seq = (opinion.findings.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
        return OpinionFinding.objects.create(
            opinion=opinion,
            seq=seq,
            paragraph=paragraph,
            text=text,
            article=article,
            precheck_finding=precheck,
        )


def resolve_article(ref: str) -> Any:
    """The law-library article a citation like 《中华人民共和国预算法》第十条 names; ValidationFailed if none."""
    from fazhi.laws.citations import find_citations, resolve

    ref = ref.strip()
    cited = [c for c in find_citations(ref, include_implicit=False) if c.law_title and c.number]
    if not cited:
        raise ValidationFailed(f"无法识别“{ref}”，请按《法规名称》第X条的格式填写。")
    law, article = resolve(cited[0])
    if law is None:
        raise ValidationFailed(f"法规库中没有《{cited[0].law_title}》，请核对法规名称。")
    if article is None:
        raise ValidationFailed(f"《{law.title}》现行版本中没有{cited[0].label}，请核对条号。")
    return article


def remove_finding(*, user: Any, draft_id: int, finding_id: int) -> None:
    with transaction.atomic():
        draft = _writable_draft(user, draft_id)
        finding = OpinionFinding.objects.filter(
            pk=finding_id, opinion__draft=draft, opinion__issued_at__isnull=True
        ).first()
        if finding is None:
            raise NotFound("该审查意见不存在或已随意见书出具，不能删除。")
        opinion = finding.opinion
        if finding.precheck_finding_id:
            PrecheckFinding.objects.filter(pk=finding.precheck_finding_id).update(
                decision=PrecheckFinding.Decision.OPEN, decided_by=None, decided_at=None
            )
        finding.delete()
        for seq, other in enumerate(opinion.findings.order_by("seq"), start=1):
            if other.seq != seq:
                other.seq = seq
                other.save(update_fields=["seq"])


def set_conclusion_text(*, user: Any, draft_id: int, text: str) -> ReviewOpinion:
    """The reviewer's wording of the conclusion (the conclusion itself follows the decision)."""
    text = (text or "").strip()
    check_length(text, "结论意见", MAX_TEXT)
    with transaction.atomic():
        draft = _writable_draft(user, draft_id)
        opinion = _opinion_for_writing(draft, user)
        opinion.conclusion_text = text
        opinion.save(update_fields=["conclusion_text"])
        return opinion


def _precheck_of(draft: Draft, finding_id: int) -> PrecheckFinding:
    found = PrecheckFinding.objects.filter(pk=finding_id, version__draft=draft).first()
    if found is None:
        raise NotFound(f"预审发现 {finding_id} 不存在。")
    if found.decision != PrecheckFinding.Decision.OPEN:
        raise Conflict(f"该预审发现已处理（{found.get_decision_display()}），不能重复处理。")
    return found


def _joined(parts: list[str]) -> str:
    """问题；依据：…；建议：…。 — each part's own closing punctuation dropped, one 。 at the end."""
    kept = [p.rstrip("。；;，,、 ") for p in parts]
    return "；".join(p for p in kept if p) + "。"


def accept_precheck(*, user: Any, draft_id: int, finding_id: int) -> OpinionFinding:
    """Take a pre-check finding into the opinion."""
    with transaction.atomic():
        draft = _writable_draft(user, draft_id)
        found = _precheck_of(draft, finding_id)
        parts = [found.message.strip()]
        if found.basis.strip():
            parts.append(f"依据：{found.basis.strip()}")
        if found.suggestion.strip():
            parts.append(f"建议：{found.suggestion.strip()}")
        opinion = _opinion_for_writing(draft, user)
        seq = (opinion.findings.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
        item = OpinionFinding.objects.create(
            opinion=opinion,
            seq=seq,
            paragraph=max(found.paragraph, 1),
            text=_joined(parts),
            precheck_finding=found,
        )
        found.decision = PrecheckFinding.Decision.ACCEPTED
        found.decided_by = user
        found.decided_at = timezone.now()
        found.save(update_fields=["decision", "decided_by", "decided_at"])
        audit.record(
            action="precheck_accept",
            obj=found,
            object_repr=str(found),
            after={"decision": "已采纳", "opinion_finding": item.pk},
            comment=f"预审发现 {found.rule_id} 采纳为审查意见第{seq}条",
            actor=user,
        )
        return item


def dismiss_precheck(*, user: Any, draft_id: int, finding_id: int, reason: str) -> PrecheckFinding:
    """Dismiss a pre-check finding; the reason is required and audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("排除预审发现须说明理由。")
    check_field(reason, PrecheckFinding, "dismiss_reason")
    with transaction.atomic():
        draft = _writable_draft(user, draft_id)
        found = _precheck_of(draft, finding_id)
        found.decision = PrecheckFinding.Decision.DISMISSED
        found.dismiss_reason = reason
        found.decided_by = user
        found.decided_at = timezone.now()
        found.save(update_fields=["decision", "dismiss_reason", "decided_by", "decided_at"])
        audit.record(
            action="precheck_dismiss",
            obj=found,
            after={"decision": "已排除", "reason": found.dismiss_reason},
            comment=reason,
            actor=user,
        )
        return found


def resolve_finding(
    *, user: Any, draft_id: int, finding_id: int, resolution: str, note: str = ""
) -> OpinionFinding:
    """Mark whether an earlier opinion's finding was addressed in the latest version."""
    resolution = (resolution or "").strip()
    by_label = {label: code for code, label in OpinionFinding.Resolution.choices}
    resolution = by_label.get(resolution, resolution)  # the Chinese name works too
    if resolution not in {c for c, _ in OpinionFinding.Resolution.choices}:
        names = "、".join(label for _, label in OpinionFinding.Resolution.choices)
        raise ValidationFailed(f"采纳情况只能是：{names}。")
    note = check_field((note or "").strip(), OpinionFinding, "resolution_note")
    with transaction.atomic():
        draft = _writable_draft(user, draft_id)
        finding = OpinionFinding.objects.filter(
            pk=finding_id, opinion__draft=draft, opinion__issued_at__isnull=False
        ).first()
        if finding is None:
            raise NotFound("该意见不存在或尚未随意见书出具。")
        finding.resolution = resolution
        finding.resolution_note = note
        finding.resolved_in = selectors.latest_version(draft)
        finding.save(update_fields=["resolution", "resolution_note", "resolved_in"])
        return finding


def _next_number(year: int) -> str:
    prefix = getattr(settings, "FAZHI_REVIEW_OPINION_PREFIX", "财法审")
    n = ReviewOpinion.objects.filter(doc_number__startswith=f"{prefix}〔{year}〕").count() + 1
    while True:
        number = f"{prefix}〔{year}〕{n}号"
        if not ReviewOpinion.objects.filter(doc_number=number).exists():
            return number
        n += 1


def issue(*, draft: Draft, user: Any, action: str, comment: str) -> ReviewOpinion:
    """Issue the opinion at a decision (return / approve / reject): number, conclusion, .docx kept."""
    opinion = selectors.open_opinion(draft)
    version = selectors.latest_version(draft)
    if version is None:
        raise Conflict("该文稿没有可审查的版本。")
    if opinion is None:
        opinion = ReviewOpinion.objects.create(
            draft=draft, version=version, reviewer=_reviewer_of(draft, user)
        )
    elif opinion.version_id != version.pk:
        opinion.version = version
    assigned = draft.reviewer if draft.reviewer_id else None
    if assigned is not None and opinion.reviewer_id != assigned.pk:
        opinion.reviewer = assigned  # an opinion begun by the leader (before this was fixed)
    has_findings = opinion.findings.exists()
    if action == "return":
        opinion.conclusion = Conclusion.REVISE
    elif action == "reject":
        opinion.conclusion = Conclusion.REJECT
    else:
        opinion.conclusion = Conclusion.PASS_WITH_OPINIONS if has_findings else Conclusion.PASS
    if not opinion.conclusion_text and comment:
        opinion.conclusion_text = comment
    if has_role(user, roles.LEADER) and (action == "reject" or draft.is_major):
        opinion.signed_by = user
    now = timezone.now()
    opinion.issued_at = now
    for attempt in range(5):  # two opinions issued at the same moment may race for one number
        opinion.doc_number = _next_number(timezone.localdate(now).year)
        try:
            with transaction.atomic():
                opinion.save()
            break
        except IntegrityError:
            if attempt == 4:
                raise
    data = opinion_docx.build(opinion)
    opinion.document.save(f"opinion-{draft.pk}-{opinion.pk}.docx", ContentFile(data), save=True)
    return opinion
