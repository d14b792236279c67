"""Second-stage ranking and snippets for policy search.

Contract: `rerank(aq, hits, texts, searcher=…)` re-orders the first hits by the weighted features of
`fazhi.policies.learning` (weights from the trained model file when present, else hand-tuned); `snippet(text, aq)` returns an HTML-safe window with the query words marked (the shared
`fazhi.search.highlight.snippet` with the policy options);
`load_light` / `load_texts` fetch only the columns a result list needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tantivy

from fazhi.policies import learning
from fazhi.policies.models import INACTIVE_STATUSES, Policy
from fazhi.search import highlight
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
    "apply_start",
    "apply_end",
    "effective_to",
    "duplicate_of",  # reposts are folded on the list page and named in the API
)


def load_light(ids: list[str]) -> dict[str, Policy]:
    """Policies by id without the large columns (text and lists), for result lists."""
    pks = [int(i) for i in ids if str(i).isdigit()]
    return {str(p.pk): p for p in Policy.objects.filter(pk__in=pks).only(*LIGHT_FIELDS)}


@dataclass(frozen=True, slots=True)
class Brief:
    """A matched policy below the re-ranked head and the page, with what ranking it further needs: its title
    (cited_first), its group of reposts and whether it is in force (folding reposts). Read as a plain row,
    about 20 times cheaper than a model instance: folding reposts on the list page fetches up to the number
    of matched reposts below the page (1,200 at 59,900 policies); `whole` loads the ones that reach it."""

    pk: int
    title: str
    duplicate_of_id: int | None
    status: str

    @property
    def is_inactive(self) -> bool:
        return self.status in INACTIVE_STATUSES


Ranked = tuple[Policy | Brief, float]


def load_ranked(scored: list[tuple[int, float]], whole: int) -> list[Ranked]:
    """The hits (policy id, score) in their order: the first `whole` as light policies (load_light), the
    rest as Brief rows; an id the database no longer holds is left out."""
    head = load_light([str(pk) for pk, _ in scored[:whole]])
    rest = [pk for pk, _ in scored[whole:]]
    briefs = (
        {
            pk: Brief(pk, title, group, status)
            for pk, title, group, status in Policy.objects.filter(pk__in=rest).values_list(
                "pk", "title", "duplicate_of", "status"
            )
        }
        if rest
        else {}
    )
    out: list[Ranked] = []
    for at, (pk, score) in enumerate(scored):
        found = head.get(str(pk)) if at < whole else briefs.get(pk)
        if found is not None:
            out.append((found, score))
    return out


def whole(hits: list[Ranked]) -> list[tuple[Policy, float]]:
    """The hits with each Brief loaded as a light policy (one that has gone from the database left out)."""
    briefs = [p.pk for p, _ in hits if isinstance(p, Brief)]
    loaded = load_light([str(pk) for pk in briefs]) if briefs else {}
    out = []
    for p, score in hits:
        policy = loaded.get(str(p.pk)) if isinstance(p, Brief) else p
        if policy is not None:
            out.append((policy, score))
    return out


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
    explain: dict[int, dict[str, Any]] | None = None,
    passages: dict[int, tuple[int, int]] | None = None,
) -> list[tuple[Policy, float]]:
    """Re-order the first `depth` hits by the weighted features of `learning` (scores returned are the new ones).

    The weights come from the trained model file when present (`fazhi train policyranking`), else the
    hand-tuned defaults; `params` overrides single weights (benchmarks). Query bigrams are CJK-only and
    already simplified, so plain substring tests on the stored text suffice. With `explain` (a dict), each
    hit's reasons are stored in it by policy id: first-stage rank and BM25, every feature with its
    weight and contribution, the final score (the staff "explain" view, issue #8). With `passages` (a
    dict), each re-ranked hit's densest passage, (start, end) in its text, is stored by policy id for
    its snippet.
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
    found: list[tuple[int, int]] = []
    rows = learning.features(
        aq,
        [s for _, s in head],
        [texts.get(p.pk, "") for p, _ in head],
        [p.title for p, _ in head],
        terms,
        model=model,
        dense=dense_scores,
        passages=found if passages is not None else None,
    )
    if passages is not None:
        passages.update((p.pk, span) for (p, _), span in zip(head, found, strict=True) if span[1] > span[0])
    top = max(s for _, s in head) or 1.0
    scores = [model.score(row) for row in rows]
    if explain is not None:
        for rank, ((policy, first), row, score) in enumerate(zip(head, rows, scores, strict=True), start=1):
            explain[policy.pk] = {
                "stage": "re-ranked",
                "first_stage_rank": rank,
                "first_stage_bm25": round(first, 4),
                "model": "learned" if model.learned else "hand-tuned",
                "features": {
                    name: {
                        "value": round(row.get(name, 0.0), 4),
                        "weight": weight,
                        "contribution": round(weight * row.get(name, 0.0), 4),
                    }
                    for name, weight in model.weights.items()
                },
                "score": round(score, 4),
            }
    rescored = sorted(
        ((policy, score) for (policy, _), score in zip(head, scores, strict=True)),
        key=lambda x: (-x[1], x[0].pk),  # ties: the older record first, whatever the index layout
    )
    floor = min((s for _, s in rescored), default=0.0)
    # Keep the tail below the re-ranked head, in its BM25 order.
    tail = [(policy, min(floor, score / top) - 1e-6) for policy, score in tail]
    if explain is not None:
        for rank, ((policy, first), (_, score)) in enumerate(
            zip(hits[depth:], tail, strict=True), start=depth + 1
        ):
            explain[policy.pk] = {
                "stage": "first stage only",
                "first_stage_rank": rank,
                "first_stage_bm25": round(first, 4),
                "score": round(score, 4),
                "note": f"排在第一阶段前 {depth} 名之外，不参与二次排序，按 BM25 排在其后",
            }
    return rescored + tail


SNIPPET_SCAN = 6000  # characters searched for the best window (policies put the substance early)
# Results below the first page get a shorter scan: with limit=100 on 60,000 policies the snippets were
# most of the request (bench/policy_scale.py: limit-100 p95 80 ms with 1,000 characters, 48 ms with 400).
SNIPPET_SCAN_DEEP = 400
FIRST_PAGE = 20


def snippet(
    text: str,
    aq: sq.AnalyzedQuery,
    length: int = 120,
    *,
    scan: int = SNIPPET_SCAN,
    passage: tuple[int, int] | None = None,
) -> str:
    """`highlight.snippet` with the policy options: long texts scanned only at the head, adjacent and
    one-character query words marked as one, the window with the most distinct words, text as written.

    With `passage` (the densest passage the re-ranker found, `rerank(passages=…)`), only that part of
    the text and `length // 2` characters either side are searched: the snippet shows the passage that
    ranked the policy, wherever it is in the text, and long texts are not folded from the head on
    every search (at 60,000 policies the head scans were 16 of a limit-100 search's 37 ms).
    """
    return highlight.snippet(
        text,
        aq.highlight_terms,
        length=length,
        scan=None if passage else scan,
        region=(max(0, passage[0] - length // 2), passage[1] + length // 2) if passage else None,
        join=True,
        single_chars=True,
        distinct=True,
        as_written=True,
    )
