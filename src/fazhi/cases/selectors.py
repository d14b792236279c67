"""以案释法 read queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from fazhi.cases.models import AppliedArticle, Case, CaseStatus, Category
from fazhi.cases.search import INDEX
from fazhi.cases.text import plain_text
from fazhi.core import paging
from fazhi.laws.models import Article
from fazhi.laws.selectors import current_version_ids
from fazhi.search import highlight, query, registry

PAGE_SIZE = 20
FACETS = ("category", "tags", "year")
# A case has one category and one year: choosing another replaces the chosen one, so each value is counted
# under the other filters. It has several tags: each chosen tag narrows the list, so tags are counted in it.
# Either way a count is what the value's link lists.
SINGLE_VALUED = ("category", "year")
_YEAR = re.compile(r"^[0-9]{4}$")


def check_filters(filters: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The usable facet filters and a Chinese message per ignored value: a category that is no 类别 (its
    code stands for its label) or a year that is not four digits. Any tag is usable (none may match)."""
    labels = {str(label): str(label) for label in Category.labels} | {
        code: str(label) for code, label in Category.choices
    }
    clean: dict[str, list[str]] = {}
    errors: list[str] = []
    for name in FACETS:
        values = list(dict.fromkeys(v.strip() for v in filters.get(name, []) if v and v.strip()))
        if name == "category":
            bad = [v for v in values if v not in labels]
            values = list(dict.fromkeys(labels[v] for v in values if v in labels))
            errors += [f"类别“{v[:20]}”无效，可选：{'、'.join(Category.labels)}。" for v in bad]
        elif name == "year":
            bad = [v for v in values if not _YEAR.match(v)]
            values = [v for v in values if _YEAR.match(v)]
            errors += [f"年份“{v[:20]}”无效，应为四位数字年份，如 2024。" for v in bad]
        clean[name] = values
    return clean, errors


def published() -> QuerySet[Case]:
    return Case.objects.filter(status=CaseStatus.PUBLISHED)


def cases_for_article(article: Any) -> list[Case]:
    """Published cases that applied this law article ("相关案例"), newest first.

    Matched by law + article number, so a case citing an older version's article is listed on
    the current version's page too.
    """
    if article is None:
        return []
    return list(
        published()
        .filter(
            applied__law_id=article.law_id, applied__number=article.number, applied__suffix=article.suffix
        )
        .distinct()
        .order_by("-published_at", "-id")[:20]
    )


def latest_cases(limit: int = 5) -> list[Case]:
    return list(published().order_by("-published_at", "-id")[:limit])


def get_case(pk: int, *, include_drafts: bool = False) -> Case | None:
    qs = Case.objects.all() if include_drafts else published()
    return qs.filter(pk=pk).first()


@dataclass
class AppliedView:
    law_title: str
    label: str
    note: str
    article: Article | None


def applied_articles(case: Case) -> list[AppliedView]:
    """The articles a case applied, each resolved to the current text of that law when possible."""
    rows = list(AppliedArticle.objects.filter(case=case).select_related("law", "article"))
    # The text the law's page shows (in force), not a newer one still 尚未生效: the link opens that text.
    current = current_version_ids(row.law_id for row in rows)
    out = []
    for row in rows:
        art = (
            Article.objects.filter(
                law_id=row.law_id, number=row.number, suffix=row.suffix, version_id=current.get(row.law_id)
            ).first()
            or row.article
        )
        out.append(
            AppliedView(
                law_title=row.law.title, label=str(row)[len(row.law.title) :], note=row.note, article=art
            )
        )
    return out


@dataclass
class CaseHit:
    case: Case
    snippet: str


@dataclass
class CaseSearch:
    total: int
    hits: list[CaseHit]
    facets: dict[str, list[tuple[str, int, bool]]] = field(default_factory=dict)
    page: int = 1
    pages: int = 1


def search_cases(
    *,
    text: str = "",
    filters: dict[str, list[str]] | None = None,
    page: int = 1,
    limit: int | None = None,
    beyond_last: str = "last",
) -> CaseSearch:
    """Full-text search over published cases with category/tag/year facets (newest first without a query).

    `page` is kept within 1 and the deepest page of paging.MAX_RESULTS; a page past the last one gives
    the last page (`beyond_last="last"`, the list page) or no hits (`beyond_last="empty"`, the API), with
    `page`/`pages` telling which."""
    limit = limit or PAGE_SIZE
    adapter = registry.get(INDEX)
    filters = {k: [v for v in vs if v] for k, vs in (filters or {}).items() if k in FACETS}
    aq = query.analyze(text) if text.strip() else None
    tq = query.text_query(adapter.index, aq) if aq else None
    q = _filtered(adapter.index, tq, filters)
    page = min(max(1, page), paging.max_page(limit))

    def run(page: int) -> Any:
        return adapter.index.search(
            q,
            limit=limit,
            offset=(page - 1) * limit,
            facets=FACETS,
            order_by=None if tq is not None else "sort_key",
        )

    result = run(page)
    pages = paging.reachable_pages(result.total, limit)
    if page > pages and beyond_last == "last":
        page = pages
        result = run(page)
    objects = adapter.load([h.id for h in result.hits])
    hits = []
    for h in result.hits:
        case = objects.get(h.id)
        if case is None or not case.is_published:
            continue
        body = case.summary or plain_text(case.facts) or plain_text(case.decision)
        snip = highlight.snippet(body, aq.highlight_terms) if aq else highlight.snippet(body, [])
        hits.append(CaseHit(case=case, snippet=snip))
    counts = {name: dict(result.facets.get(name, {})) for name in FACETS}
    for name in SINGLE_VALUED:
        if filters.get(name):
            others = _filtered(adapter.index, tq, filters, skip=name)
            counts[name] = adapter.index.facet_counts(others, [name])[name]
    facets = {}
    for name in FACETS:
        chosen = filters.get(name, [])
        for value in chosen:  # a chosen value stays listed, to be cleared, even when no case has it
            counts[name].setdefault(value, 0)
        facets[name] = [(value, count, value in chosen) for value, count in _ordered(name, counts[name])]
    return CaseSearch(total=result.total, hits=hits, facets=facets, page=page, pages=pages)


def _filtered(index: Any, text_query: Any, filters: dict[str, list[str]], skip: str = "") -> Any:
    """The text query (or every case) AND the filters but `skip`: any of the chosen categories and years,
    every chosen tag."""
    q = text_query
    for name, values in filters.items():
        if name == skip or not values:
            continue
        for group in [[v] for v in values] if name == "tags" else [values]:
            q = query.with_filters(index, q, {name: group})
    return q if q is not None else query.with_filters(index, None, {})


def _ordered(name: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    if name == "year":
        return sorted(counts.items(), reverse=True)
    if name == "category":
        order = {label: i for i, label in enumerate(Category.labels)}
        return sorted(counts.items(), key=lambda kv: order.get(kv[0], 99))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
