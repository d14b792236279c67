"""Pseudo-relevance feedback for the law search: words frequent in the first results, rare in the index."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

import tantivy

from fazhi.search import analysis
from fazhi.search import query as sq

if TYPE_CHECKING:  # pragma: no cover
    from fazhi.laws.search import Tuning


def feedback_expansions(
    texts: list[str], aq: sq.AnalyzedQuery, tuning: Tuning, searcher: tantivy.Searcher | None = None
) -> list[tuple[str, float]]:
    """(word, weight) pairs from the first results' texts: frequent there, rare in the index."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(analysis.query_terms(analysis.cut(text, normalized=True))))
    known = set(aq.words)
    candidates = [w for w, c in counts.items() if c >= 2 and len(w) >= 2 and w not in known]
    if not candidates:
        return []
    if searcher is None:
        from fazhi.laws.search import adapter

        searcher = adapter.index.searcher()
    n = max(1, searcher.num_docs)
    scored = []
    for w in candidates:
        df = searcher.doc_freq("text", w)
        if df:
            scored.append((counts[w] / len(texts) * math.log(n / df), w))
    scored.sort(reverse=True)
    top = scored[: tuning.feedback_terms]
    if not top:
        return []
    best = top[0][0]
    return [(w, tuning.feedback_weight * score / best) for score, w in top]
