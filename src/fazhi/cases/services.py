"""以案释法 writes: create, edit, publish cases; link applied articles; import excerpts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.cases.models import CATEGORY_BY_CHINESE, AppliedArticle, Case, CaseStatus, Category
from fazhi.cases.search import INDEX
from fazhi.core import audit, roles
from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.numerals import parse_article_label
from fazhi.core.permissions import require_role
from fazhi.laws.models import Article, Law
from fazhi.laws.selectors import current_version_ids
from fazhi.search import outbox

# 法规科 staff and the system administrator write cases (and 普法 articles).
EDITOR_ROLES = (roles.DRAFTER, roles.REVIEWER, roles.SYSADMIN)
EDITOR_MESSAGE = "只有法规科编辑人员（起草人、法制审核员）或系统管理员可以编辑以案释法案例。"

TEXT_FIELDS = ("summary", "facts", "dispute", "decision", "analysis", "lessons")
LIMITS = {
    "title": ("标题", 300),
    "source_issuer": ("来源机关", 200),
    "source_doc_number": ("文书编号", 100),
    "source_url": ("来源网址", 500),
    "tags": ("标签", 300),
}
SUMMARY_LIMIT = 500
# The case's long texts (Markdown): a full 基本案情 or 法理分析 runs to a few thousand characters.
TEXT_LIMITS = {
    "facts": ("基本案情", 20_000),
    "dispute": ("争议焦点", 5_000),
    "decision": ("处理结果", 10_000),
    "analysis": ("法理分析", 20_000),
    "lessons": ("启示", 10_000),
    "source_note": ("来源说明", 500),  # its column
}
NOTE_LIMIT = 300  # 适用说明 of an applied article


def _normalise_title(title: str) -> str:
    t = title.replace("中华人民共和国", "").replace(" ", "").replace("\u3000", "")
    for left, right in (("（", "）"), ("(", ")")):
        while left in t and right in t and t.index(left) < t.index(right):
            t = t[: t.index(left)] + t[t.index(right) + 1 :]
    return t.replace("《", "").replace("》", "")


def resolve_article(*, law: str, article: str | int) -> Article:
    """The current text of 《law》第N条 (law by title or short name; article as label or number)."""
    norm = _normalise_title(str(law))
    if not norm:
        raise ValidationFailed("适用条文缺少法规名称。")
    found = Law.objects.filter(norm_title=norm).first() or Law.objects.filter(short_name=str(law)).first()
    if found is None:
        raise ValidationFailed(f"法规库中没有《{law}》，请先在法规库中录入该法规。")
    if isinstance(article, int) or str(article).isdigit():
        number, suffix = int(article), 0
    else:
        try:
            number, suffix = parse_article_label(str(article))
        except (ValueError, KeyError) as exc:
            raise ValidationFailed(f"无法识别条文编号“{article}”，请写成“第二十条”或数字。") from exc
    candidates = Article.objects.filter(law=found, number=number, suffix=suffix).select_related("version")
    best = (
        candidates.filter(version_id=current_version_ids([found.pk]).get(found.pk)).first()
        or candidates.order_by("-version__publish_date").first()
    )
    if best is None:
        raise ValidationFailed(
            f"《{found.title}》中没有{article if not str(article).isdigit() else f'第{number}条'}。"
        )
    return best


def _clean_fields(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValidationFailed("案例标题不能为空。")
    out["title"] = title
    category = str(data.get("category") or "").strip()
    category = CATEGORY_BY_CHINESE.get(category, category)
    if category not in Category.values:
        raise ValidationFailed(f"案例类别“{category}”无效，可选：{'、'.join(Category.labels)}。")
    out["category"] = category
    for name in ("source_issuer", "source_doc_number", "source_url", "source_note", "tags"):
        out[name] = str(data.get(name) or "").strip()
    for name, (label, limit) in LIMITS.items():
        check_length(out[name], label, limit)
    url = out["source_url"]
    if url and not url.startswith(("http://", "https://")):
        raise ValidationFailed("来源网址必须以 http:// 或 https:// 开头。")
    when = data.get("source_date")
    if isinstance(when, str) and when:
        try:
            when = dt.date.fromisoformat(when)
        except ValueError as exc:
            raise ValidationFailed(f"文书日期“{when}”格式不正确，应为 YYYY-MM-DD。") from exc
    if when and when > timezone.localdate():
        raise ValidationFailed(f"文书日期 {when} 晚于今天，请检查。")
    out["source_date"] = when or None
    for name in TEXT_FIELDS:
        out[name] = str(data.get(name) or "")
    check_length(out["summary"], "摘要", SUMMARY_LIMIT)  # refused, never cut
    for name, (label, limit) in TEXT_LIMITS.items():  # the admin form shows the same at each field
        check_length(out[name], label, limit)
    return out


@transaction.atomic
def create_case(*, user: Any, data: dict[str, Any], articles: list[dict[str, Any]] | None = None) -> Case:
    """Create a draft case (editors only); `articles` is [{"law": "预算法", "article": "第十四条", "note": ""}]."""
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    fields = _clean_fields(data)
    resolved = _resolved(articles or [])
    case = Case.objects.create(created_by=user, **fields)
    _set_applied(case, resolved)
    return case


def _resolved(articles: list[dict[str, Any]]) -> list[tuple[Article, dict[str, Any]]]:
    """Each applied article with its spec; a note too long for its column is refused, never cut."""
    for a in articles:
        check_length(str(a.get("note") or ""), "适用说明", NOTE_LIMIT)
    return [(resolve_article(law=a.get("law", ""), article=a.get("article", "")), a) for a in articles]


def _set_applied(case: Case, resolved: list[tuple[Article, dict[str, Any]]]) -> None:
    case.applied.all().delete()
    seen = set()
    for order, (art, spec) in enumerate(resolved):
        key = (art.law_id, art.number, art.suffix)
        if key in seen:
            continue
        seen.add(key)
        AppliedArticle.objects.create(case=case, article=art, note=str(spec.get("note") or ""), order=order)


@transaction.atomic
def set_articles(*, user: Any, case: Case, articles: list[dict[str, Any]]) -> Case:
    """Replace the articles a case applied."""
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    _set_applied(case, _resolved(articles))
    case_changed(case=case)
    return case


def case_changed(*, case: Case) -> None:
    """Keep the search index in step with the database (call inside the writing transaction)."""
    outbox.enqueue(INDEX, case.pk)


def publish_problem(*, facts: str | None, decision: str | None) -> str:
    """Why a case with this text cannot be (or stay) published; "" when it can."""
    if not ((facts or "").strip() or (decision or "").strip()):
        return "发布前请至少填写“基本案情”或“处理结果”。"
    return ""


@transaction.atomic
def publish_case(*, user: Any, case_id: int) -> Case:
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("案例不存在或已被删除。")
    problem = publish_problem(facts=case.facts, decision=case.decision)
    if problem:
        raise ValidationFailed(problem)
    before = {"status": case.status}
    if case.status != CaseStatus.PUBLISHED:
        case.status = CaseStatus.PUBLISHED
        case.published_at = case.published_at or timezone.now()
        case.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(
            action="transition", obj=case, comment="发布案例", before=before, after={"status": case.status}
        )
    case_changed(case=case)
    return case


@transaction.atomic
def unpublish_case(*, user: Any, case_id: int) -> Case:
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("案例不存在或已被删除。")
    if case.status == CaseStatus.PUBLISHED:
        case.status = CaseStatus.DRAFT
        case.save(update_fields=["status", "updated_at"])
        audit.record(
            action="transition",
            obj=case,
            comment="撤回案例",
            before={"status": "published"},
            after={"status": "draft"},
        )
    case_changed(case=case)
    return case
