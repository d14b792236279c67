"""以案释法 read queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from fazhi.cases.models import AppliedArticle, Case, CaseStatus, Category
from fazhi.cases.search import INDEX
from fazhi.cases.text import plain_text
from fazhi.core import paging
from fazhi.laws.models import Article
from fazhi.search import highlight, query, registry

PAGE_SIZE = 20
FACETS = ("category", "tags", "year")


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
    out = []
    for row in rows:
        art = (
            Article.objects.filter(law_id=row.law_id, number=row.number, suffix=row.suffix)
            .filter(version__is_latest=True)
            .first()
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
    q = query.with_filters(adapter.index, tq, filters)
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
    facets = {
        name: [(value, count, value in filters.get(name, [])) for value, count in _ordered(name, counts)]
        for name, counts in result.facets.items()
    }
    return CaseSearch(total=result.total, hits=hits, facets=facets, page=page, pages=pages)


def _ordered(name: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    if name == "year":
        return sorted(counts.items(), reverse=True)
    if name == "category":
        order = {label: i for i, label in enumerate(Category.labels)}
        return sorted(counts.items(), key=lambda kv: order.get(kv[0], 99))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
