"""What the law search calls: the learned ranking when a model fits the library, else nothing.

Contract:
- `active_model()` → the process's model if one was trained for the articles now in the database
  (a few (article id, law id) pairs recorded at training time must still hold), else None.
- `ranked_page(aq, filters, offset=, limit=, explain=, pinned=, facets=)` →
  `(total, ranked, [(article id, score, explain|None)], facet counts)`, or None without a usable model (the
  caller then runs plain BM25). `total` counts every match, `ranked` only the candidates the re-ranker
  ordered: the page is cut from those, so an offset at or past `ranked` gets an empty page even when
  `total` is larger. `pinned` article ids (cited in the question) come first; the facet counts are taken
  over exactly the documents `total` counts, so they add up to it.
"""

from __future__ import annotations

from typing import Any

from fazhi.laws.ranking.model import RankingModel, get_model
from fazhi.search import query as sq


def active_model() -> RankingModel | None:
    model = get_model()
    if model is None:
        return None
    check = model.meta.get("check") or []
    if check:
        from fazhi.laws.models import Article

        expected = {int(a): int(b) for a, b in check}
        found = dict(Article.objects.filter(pk__in=list(expected)).values_list("pk", "law_id"))
        if found != expected:
            return None  # the library was re-imported since training: ids no longer match
    return model


def ranked_page(
    aq: sq.AnalyzedQuery,
    filters: dict[str, list[str]],
    *,
    offset: int,
    limit: int,
    explain: bool = False,
    pinned: list[int] | None = None,
    facets: list[str] | None = None,
) -> tuple[int, int, list[tuple[int, float, dict[str, Any] | None]], dict[str, dict[str, int]]] | None:
    model = active_model()
    if model is None:
        return None
    from fazhi.laws.ranking import rerank
    from fazhi.laws.search import adapter, law_names

    ranking = rerank.rank(
        aq, filters, model, index=adapter.index, named_laws=law_names.find(aq.normalized), pinned=pinned
    )
    counts = (
        adapter.index.facet_counts(ranking.counted, facets, matched=ranking.total)
        if facets and ranking.counted is not None
        else {}
    )
    page = []
    for i in range(offset, min(offset + limit, len(ranking.ids))):
        page.append((int(ranking.ids[i]), float(ranking.score[i]), ranking.explain(i) if explain else None))
    return ranking.total, len(ranking.ids), page, counts
