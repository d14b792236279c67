"""Running an article search: the first stage or the learned re-ranker, rows read in one query, snippets."""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass, field
from typing import Any

import tantivy

from fazhi.core import paging
from fazhi.core.errors import ValidationFailed
from fazhi.laws.feedback import feedback_expansions
from fazhi.laws.models import Article, Status
from fazhi.laws.search.index import adapter
from fazhi.laws.search.query import TUNING, LawFilters, Tuning, _with_analysis, build_query
from fazhi.laws.selectors import current_version_ids
from fazhi.search import highlight

MAX_LIMIT = 100
_ARTICLE_HINT = re.compile("第.{1,12}条")


@dataclass
class ArticleRow:
    """The fields a result list shows, read in one query (no model instances: results stay fast)."""

    pk: int
    law_id: int
    law_title: str
    label: str
    number: int
    suffix: int
    text: str
    status: str
    part: str
    chapter: str
    section: str
    version_id: int
    current: bool = True  # the version the law's page shows by default (selectors.current_version)

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status in Status.values else self.status

    @property
    def heading_path(self) -> str:
        return " / ".join(p for p in (self.part, self.chapter, self.section) if p)

    @property
    def url(self) -> str:
        """The article page of this text: an older (or not yet valid) version's article keeps `?version=`,
        since the plain address shows the same number in the current version, which may read otherwise."""
        path = (
            f"/laws/{self.law_id}/articles/{self.number}" + (f"-{self.suffix}" if self.suffix else "") + "/"
        )
        return path if self.current else f"{path}?version={self.version_id}"


_ROW_FIELDS = (
    "pk",
    "law_id",
    "law__title",
    "label",
    "number",
    "suffix",
    "text",
    "version__status",
    "part",
    "chapter",
    "section",
    "version_id",
)


def load_rows(ids: list[int]) -> dict[int, ArticleRow]:
    rows = {r[0]: ArticleRow(*r) for r in Article.objects.filter(pk__in=ids).values_list(*_ROW_FIELDS)}
    current = current_version_ids(r.law_id for r in rows.values())
    for row in rows.values():
        row.current = current.get(row.law_id) == row.version_id
    return rows


@dataclass
class ArticleHit:
    article: ArticleRow
    score: float
    snippet: str
    explain: dict[str, Any] | None = None  # the learned ranking's components (staff only, issue #8)


@dataclass
class ArticleResults:
    """One page of a search. `total` counts every matching article; `shown` is how many of them paging
    can reach (offset < shown): the learned re-ranker orders its candidates only (the first ~1,000 BM25
    matches and the predicted laws' and chapters' articles), and no search goes past paging.MAX_RESULTS."""

    query: str
    total: int
    took_ms: float
    hits: list[ArticleHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    cited: list[int] = field(default_factory=list)  # articles the question cites (预算法第十条), put first
    shown: int = 0


def search_articles(
    *,
    q: str,
    limit: int = 10,
    offset: int = 0,
    filters: LawFilters | None = None,
    facets: bool = False,
    tuning: Tuning = TUNING,
    snippets: bool = True,
    explain: bool = False,
) -> ArticleResults:
    """Ranked articles for a question; raises ValidationFailed for an empty question, a limit outside
    1–MAX_LIMIT, a negative offset, or a result window beyond paging.MAX_RESULTS."""
    from fazhi.laws.cited import cited_articles

    started = time.perf_counter()
    text = (q or "").strip()
    if not text:
        raise ValidationFailed("请输入要检索的内容。")
    if limit > MAX_LIMIT:
        raise ValidationFailed(paging.limit_message(MAX_LIMIT))
    # limit >= 1, offset >= 0 and offset + limit <= paging.MAX_RESULTS: Tantivy allocates for
    # offset + limit hits up front, and an unbounded offset once aborted the worker.
    paging.check_window(offset=offset, limit=limit, max_limit=MAX_LIMIT)
    filters = filters or LawFilters()
    query, aq = build_query(text, filters, tuning)
    if query is None:
        return ArticleResults(query=text, total=0, took_ms=_ms(started), hits=[])
    # An article cited by name and number (预算法第十条) comes first.
    pinned = cited_articles(aq.normalized, filters) if _ARTICLE_HINT.search(aq.normalized) else []
    if tuning is TUNING:
        # The learned re-ranker (fazhi.laws.ranking, issue #8) when a model fits the library.
        from fazhi.laws.ranking.hooks import ranked_page

        ranked = ranked_page(
            aq,
            filters.as_dict(),
            offset=offset,
            limit=limit,
            explain=explain,
            pinned=pinned,
            facets=["level", "status"] if facets else None,
        )
        if ranked is not None:
            total, candidates, page, counts = ranked
            rows = load_rows([pk for pk, _, _ in page])
            terms = aq.words + [w for p in aq.phrases for w in p]
            hits = [
                ArticleHit(
                    article=rows[pk],
                    score=score,
                    snippet=highlight.snippet(rows[pk].text, terms, normalized=True) if snippets else "",
                    explain=info,
                )
                for pk, score, info in page
                if pk in rows
            ]
            return ArticleResults(
                query=text,
                total=total,
                took_ms=_ms(started),
                hits=hits,
                facets=counts,
                cited=pinned,
                shown=min(candidates, paging.MAX_RESULTS),
            )
    if tuning.feedback_docs and tuning.feedback_terms and not aq.phrases:
        searcher = adapter.index.searcher()
        # The feedback words come from the first hits of every 效力级别: with words depending on the level
        # filter, a level's count on the unfiltered page would differ from the total its link shows.
        unleveled = dataclasses.replace(filters, level=[])
        first_query = (_with_analysis(aq, unleveled, tuning) or query) if filters.level else query
        if not tuning.feedback_bigrams:
            # The feedback pass skips the bigram clauses: a smaller query, nearly the same first hits.
            first_query = (
                _with_analysis(aq, unleveled, dataclasses.replace(tuning, bigram_weight=0.0)) or first_query
            )
        first = searcher.search(first_query, limit=tuning.feedback_docs, count=False)
        ids = [int(searcher.doc(address)["id"][0]) for _, address in first.hits]
        texts = list(Article.objects.filter(pk__in=ids).values_list("text", flat=True))
        aq.expansions = feedback_expansions(texts, aq, tuning, searcher)
        if aq.expansions:
            query = _with_analysis(aq, filters, tuning) or query
    if pinned:
        # The cited articles (already filtered) score above every match, matching the words or not.
        cited = tantivy.Query.const_score_query(adapter.index.any_of("id", [str(i) for i in pinned]), 1000.0)
        query = tantivy.Query.boolean_query([(tantivy.Occur.Should, query), (tantivy.Occur.Should, cited)])
    result = adapter.index.search(
        query, limit=limit, offset=offset, facets=["level", "status"] if facets else ()
    )
    rows = load_rows([int(h.id) for h in result.hits])
    terms = aq.words + [w for p in aq.phrases for w in p]
    hits = []
    for h in result.hits:
        row = rows.get(int(h.id))
        if row is None:  # deleted since it was indexed; the outbox removes it shortly
            continue
        hits.append(
            ArticleHit(
                article=row,
                score=h.score,
                snippet=highlight.snippet(row.text, terms, normalized=True) if snippets else "",
            )
        )
    return ArticleResults(
        query=text,
        total=result.total,
        took_ms=_ms(started),
        hits=hits,
        facets=result.facets,
        cited=pinned,
        shown=min(result.total, paging.MAX_RESULTS),
    )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
