"""Second-stage ranking and snippets for policy search.

Contract: `rerank(aq, hits, texts, searcher=…)` re-orders the first hits by the weighted features of
`fazhi.policies.learning` (weights from the trained model file when present, else hand-tuned); `snippet(text, aq)` returns an HTML-safe window with the query words marked;
`load_light` / `load_texts` fetch only the columns a result list needs.
"""

from __future__ import annotations

import re
from functools import lru_cache

import tantivy
from django.utils.html import escape

from fazhi.policies import learning
from fazhi.policies.models import Policy
from fazhi.search import query as sq

# Second stage over the best RERANK_DEPTH hits: BM25 (scaled to the best hit) plus how much of the
# query's character bigrams (IDF-weighted) the text covers, the title covers, and the densest
# WINDOW-character passage covers. Measured on ncpqa-train: R@1 0.805 → 0.825, MRR@10 0.865 → 0.880.
RERANK_DEPTH = learning.RERANK_DEPTH
RERANK = dict(learning.DEFAULT_WEIGHTS)
WINDOW = learning.WINDOW


window_coverage = learning.window_coverage


LIGHT_FIELDS = (
    "pk",
    "external_id",
    "title",
    "issuer",
    "doc_number",
    "status",
    "level",
    "published_date",
    "written_date",
    "apply_end",
    "effective_to",
)


def load_light(ids: list[str]) -> dict[str, Policy]:
    """Policies by id without the large columns (text and lists), for result lists."""
    pks = [int(i) for i in ids if str(i).isdigit()]
    return {str(p.pk): p for p in Policy.objects.filter(pk__in=pks).only(*LIGHT_FIELDS)}


def load_texts(pks: list[int]) -> dict[int, str]:
    return dict(Policy.objects.filter(pk__in=pks).values_list("pk", "full_text"))


def rerank(
    aq: sq.AnalyzedQuery,
    hits: list[tuple[Policy, float]],
    texts: dict[int, str],
    *,
    searcher: tantivy.Searcher,
    depth: int = RERANK_DEPTH,
    params: dict[str, float] | None = None,
    model: learning.RankingModel | None = None,
) -> list[tuple[Policy, float]]:
    """Re-order the first `depth` hits by the weighted features of `learning` (scores returned are the new ones).

    The weights come from the trained model file when present (`fazhi train policyranking`), else the
    hand-tuned defaults; `params` overrides single weights (benchmarks). Query bigrams are CJK-only and
    already simplified, so plain substring tests on the stored text suffice.
    """
    if not hits or not aq.bigrams:
        return hits
    model = model or learning.current()
    if params:
        model = learning.RankingModel(weights={**model.weights, **params}, depth=model.depth, learned=True)
    head, tail = hits[:depth], hits[depth:]
    terms = learning.QueryTerms.of(aq, searcher)
    dense_scores = None
    if model.needs("dense"):
        from fazhi.policies import dense

        dense_scores = dense.similarities(aq.raw, [p.pk for p, _ in head])
    rows = learning.features(
        aq,
        [s for _, s in head],
        [texts.get(p.pk, "") for p, _ in head],
        [p.title for p, _ in head],
        terms,
        model=model,
        dense=dense_scores,
    )
    top = max(s for _, s in head) or 1.0
    rescored = sorted(
        ((policy, model.score(row)) for (policy, _), row in zip(head, rows, strict=True)),
        key=lambda x: -x[1],
    )
    floor = min((s for _, s in rescored), default=0.0)
    # Keep the tail below the re-ranked head, in its BM25 order.
    tail = [(policy, min(floor, score / top) - 1e-6) for policy, score in tail]
    return rescored + tail


SNIPPET_SCAN = 6000  # characters searched for the best window (policies put the substance early)


@lru_cache(maxsize=256)
def _patterns(terms: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(pattern marking every query term, pattern of the 2+-character terms that choose the window)."""
    mark = re.compile("(?:" + "|".join(re.escape(t) for t in terms) + ")+")
    long_terms = [t for t in terms if len(t) >= 2] or list(terms)
    choose = re.compile("|".join(re.escape(t) for t in long_terms))
    return mark, choose


def snippet(text: str, aq: sq.AnalyzedQuery, length: int = 120) -> str:
    """A window of the text around the densest query words, words wrapped in <mark>, HTML-escaped."""
    if not text:
        return ""
    terms = tuple(sorted({w for w in aq.highlight_terms if w and w.strip()}, key=lambda t: (-len(t), t)))
    if not terms:
        return escape(text[:length]) + ("…" if len(text) > length else "")
    mark, choose = _patterns(terms)
    hits = [(m.start(), m.group(0)) for m in choose.finditer(text, 0, SNIPPET_SCAN)]
    start = 0
    if hits:
        # The window with the most distinct terms (ties: the earliest).
        best, j = -1, 0
        counts: dict[str, int] = {}
        for pos, term in hits:
            counts[term] = counts.get(term, 0) + 1
            while hits[j][0] < pos - length + len(term):
                old = hits[j][1]
                counts[old] -= 1
                if not counts[old]:
                    del counts[old]
                j += 1
            score = sum(len(t) for t in counts)
            if score > best:
                best, start = score, max(0, hits[j][0] - length // 6)
    end = min(len(text), start + length)
    out: list[str] = []
    cursor = start
    for m in mark.finditer(text, start, end):
        out.append(escape(text[cursor : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        cursor = m.end()
    out.append(escape(text[cursor:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
