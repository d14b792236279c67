"""合法性审查 read queries and the read-side permission rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from fazhi.core.permissions import has_role
from fazhi.core.workdays import Calendar
from fazhi.review.models import (
    DocType,
    DocTypeRule,
    Draft,
    DraftVersion,
    FairCompetitionReview,
    FairConclusion,
    OpinionFinding,
    PrecheckFinding,
    ReviewOpinion,
    State,
)

# Who sees every draft; a drafter sees only the drafts they created.
READ_ALL_ROLES = (roles.REVIEWER, roles.LEADER, roles.SUPERVISOR)
WORKFLOW_ROLES = (roles.DRAFTER, roles.REVIEWER, roles.LEADER, roles.SUPERVISOR)
LEDGER_ROLES = (roles.REVIEWER, roles.LEADER, roles.SUPERVISOR)
WORKFLOW_MESSAGE = "只有起草人、法制审核员、分管领导和监督方可以查看送审文稿。"
PENDING_STATES = (State.SUBMITTED, State.IN_REVIEW)

DEFAULT_RULE = {"review_days": 5, "validity_years": 5, "filing_days": 15}


def doc_type_rule(doc_type: str) -> DocTypeRule:
    """The admin's rule for the type, or the defaults (5 working days, 5 years, 15 days)."""
    found = DocTypeRule.objects.filter(doc_type=doc_type).first()
    return found or DocTypeRule(doc_type=doc_type, **DEFAULT_RULE)


def today() -> dt.date:
    return timezone.localdate()


def is_owner(user: Any, draft: Draft) -> bool:
    return bool(user.is_superuser or draft.drafter_id == user.pk)


def can_view(user: Any, draft: Draft) -> bool:
    if has_role(user, *READ_ALL_ROLES):
        return True
    return has_role(user, roles.DRAFTER) and is_owner(user, draft)


def visible_drafts(user: Any) -> QuerySet[Draft]:
    qs = Draft.objects.select_related("drafter", "reviewer")
    if has_role(user, *READ_ALL_ROLES):
        return qs
    if has_role(user, roles.DRAFTER):
        return qs.filter(drafter=user)
    return qs.none()


def drafts_for(user: Any) -> QuerySet[Draft]:
    """The drafts list for the user; PermissionDenied for anyone outside the workflow."""
    if not has_role(user, *WORKFLOW_ROLES):
        raise PermissionDenied(WORKFLOW_MESSAGE)
    return visible_drafts(user)


def get_draft_for(user: Any, draft_id: int) -> Draft:
    """The draft if the user may see it; NotFound / PermissionDenied otherwise."""
    if not has_role(user, *WORKFLOW_ROLES):
        raise PermissionDenied(WORKFLOW_MESSAGE)
    draft = Draft.objects.select_related("drafter", "reviewer").filter(pk=draft_id).first()
    if draft is None:
        raise NotFound(f"送审文稿 {draft_id} 不存在。")
    if not can_view(user, draft):
        raise PermissionDenied("您只能查看本人起草的文稿。")
    return draft


def latest_version(draft: Draft) -> DraftVersion | None:
    return draft.versions.order_by("-number").first()


def open_opinion(draft: Draft) -> ReviewOpinion | None:
    """The opinion being written (not yet issued), if any."""
    return draft.opinions.filter(issued_at__isnull=True).order_by("-created_at").first()


def latest_issued_opinion(draft: Draft) -> ReviewOpinion | None:
    return draft.opinions.filter(issued_at__isnull=False).order_by("-issued_at", "-pk").first()


def days_in_review(draft: Draft, *, calendar: Calendar | None = None, on: dt.date | None = None) -> int:
    """Working days the draft has spent with the reviewer over all rounds (the open round up to today)."""
    used = draft.review_days_used
    if draft.state in PENDING_STATES and draft.round_submitted_at:
        cal = calendar or Calendar.load()
        start = timezone.localtime(draft.round_submitted_at).date()
        used += cal.between(start, on or today())
    return used


def is_overdue(draft: Draft, *, on: dt.date | None = None) -> bool:
    """Overdue now (pending past its deadline) or some earlier round was decided late."""
    if draft.late_rounds:
        return True
    return bool(
        draft.state in PENDING_STATES and draft.review_deadline and (on or today()) > draft.review_deadline
    )


@dataclass
class EarlierFinding:
    finding: OpinionFinding
    opinion: ReviewOpinion
    old_paragraph: str
    paragraph_changed: bool | None  # None: the paragraph number is outside the old text


def earlier_findings(draft: Draft, version: DraftVersion) -> list[EarlierFinding]:
    """Findings of opinions on earlier versions, with whether their paragraph changed in `version`."""
    new_paragraphs = set(version.paragraphs())
    result = []
    opinions = (
        draft.opinions.filter(version__number__lt=version.number, issued_at__isnull=False)
        .select_related("version")
        .prefetch_related("findings")
    )
    for opinion in opinions:
        old = opinion.version.paragraphs()
        for finding in opinion.findings.all():
            if 1 <= finding.paragraph <= len(old):
                text = old[finding.paragraph - 1]
                result.append(EarlierFinding(finding, opinion, text, text not in new_paragraphs))
            else:
                result.append(EarlierFinding(finding, opinion, "", None))
    return result


def doc_type_from_input(value: str) -> str | None:
    """Accept the code ("normative") or the Chinese name ("行政规范性文件")."""
    value = (value or "").strip()
    for code, label in DocType.choices:
        if value in (code, label):
            return code
    return None


def filter_year(value: Any) -> int | None:
    """A list filter's year from a query parameter (None when not given); ValidationFailed when it is not
    a year from 2000 to 2100. The 应审尽审台账 and the 发文登记簿 read their `year` with it."""
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(f"年份“{value}”无效，应为四位数字，如 2026。") from None
    if not 2000 <= year <= 2100:
        raise ValidationFailed(f"年份“{value}”超出范围（2000–2100）。")
    return year


def filter_doc_type(value: Any) -> str:
    """A list filter's document type (code or Chinese name) as its code, "" when not given;
    ValidationFailed when it names no type."""
    if value in (None, ""):
        return ""
    code = doc_type_from_input(str(value))
    if code is None:
        raise ValidationFailed(f"文书类型“{value}”无效。")
    return code


def latest_fair_review(draft: Draft) -> FairCompetitionReview | None:
    return draft.fair_reviews.order_by("-reviewed_on", "-pk").first()


def market_grounds(draft: Draft) -> list[str]:
    """Why the draft is a measure on market activity whatever the drafter ticked: a procurement document
    (suppliers take part in it), or a fair-competition finding of the pre-check on the latest version that
    the reviewer did not dismiss. Such a draft needs a 公平竞争审查 that does not conclude 不涉及."""
    grounds: list[str] = []
    if draft.doc_type == DocType.PROCUREMENT:
        grounds.append("政府采购文件涉及供应商参与政府采购活动")
    latest = latest_version(draft)
    if latest is not None:
        findings = list(
            latest.precheck_findings.filter(family="FC")
            .exclude(decision=PrecheckFinding.Decision.DISMISSED)
            .order_by("paragraph", "start", "pk")
            .values_list("paragraph", flat=True)[:3]
        )
        if findings:
            where = "、".join(f"第{n}段" for n in dict.fromkeys(findings))
            grounds.append(f"预审发现第{latest.number}稿{where}涉及公平竞争审查标准且未被排除")
    return grounds


def fair_competition_problem(draft: Draft) -> str:
    """Why the draft may not be published for want of a 公平竞争审查 of its final text ("" if it may)."""
    grounds = market_grounds(draft)
    if not draft.affects_market and not grounds:
        return ""
    why = f"{'；'.join(grounds)}，" if grounds else "该文稿涉及经营主体经济活动，"
    found = latest_fair_review(draft)
    if found is None:
        return (
            f"{why}未经公平竞争审查不得发布（《公平竞争审查条例》第十八条），请起草人先登记公平竞争审查结论。"
        )
    latest = latest_version(draft)
    if latest is not None and (found.version_number or 0) < latest.number:
        return (
            f"公平竞争审查针对的是第{found.version_number}稿，文稿已修改为第{latest.number}稿，"
            "请对修改后的文稿重新进行公平竞争审查。"
        )
    if grounds and found.conclusion == FairConclusion.NOT_INVOLVED:
        return f"{why}公平竞争审查结论不能为“不涉及”，请对照审查标准逐项审查后重新登记。"
    return ""
