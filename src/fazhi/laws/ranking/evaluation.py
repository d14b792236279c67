"""K-fold cross-validation of the ranking model over stard-train.jsonl (through the real index).

Contract: `cross_validate(corpus, questions, folds=5, seed=0)` trains a model on k-1 folds, ranks the
held-out fold's questions with `rerank.rank` (Tantivy retrieval + re-ranker), and returns one row of
metrics per variant (Recall@10, Recall@100, MRR@10, nDCG@10). A question is only ever scored by a
model that did not see it. Variants that differ only in the final weights reuse one retrieval.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from fazhi.laws.ranking import rerank
from fazhi.laws.ranking.corpus import Corpus, Question
from fazhi.laws.ranking.training import fit, text_stats
from fazhi.search import query as sq


@dataclass(frozen=True)
class Variant:
    name: str
    retrieval: dict[str, Any]  # parameters that change the candidates
    # law, chapter, popularity, named law[, law BM25, chapter BM25, title, q words]
    weights: tuple[float, ...]
    use_chapter_candidates: bool = True


_OFF = {"title_vouch": 0.0, "pair_weight": 0.0}  # the later steps off (rows before them)
_PLAIN = _OFF | {"expansion_weight": 0.0, "chapter_candidates": 0, "law_candidates": 0}
VARIANTS = [
    Variant("BM25（词+二元组+标题/章节）", _PLAIN, (0, 0, 0, 0), False),
    Variant("+ 法规先验（朴素贝叶斯）", _PLAIN, (0.15, 0, 0, 0), False),
    Variant("+ 条文热度", _PLAIN, (0.15, 0, 0.12, 0), False),
    Variant("+ 章节先验", _PLAIN, (0.15, 0.25, 0.12, 0), False),
    Variant(
        "+ 词汇桥扩展", _OFF | {"chapter_candidates": 0, "law_candidates": 0}, (0.15, 0.25, 0.12, 0), False
    ),
    Variant("+ 预测章节/法规的候选 + 问题点名的法规", _OFF, (0.15, 0.25, 0.12, 0.3), True),
    Variant("+ 条文的训练问题用词", _OFF, (0.15, 0.25, 0.12, 0.3, 0, 0, 0, 0.3), True),
    Variant("+ 未见法规的标题用词", {"pair_weight": 0.0}, (0.15, 0.25, 0.12, 0.3, 0, 0, 0.2, 0.3), True),
    Variant("+ 问题词对的邻近度（默认）", {}, (0.15, 0.25, 0.12, 0.3, 0, 0, 0.2, 0.3), True),
]


def folds_of(questions: list[Question], k: int, seed: int = 0) -> list[list[Question]]:
    order = list(range(len(questions)))
    random.Random(seed).shuffle(order)
    return [[questions[i] for i in order[j::k]] for j in range(k)]


def metrics(ranked: list[Any], gold: set[Any]) -> dict[str, float]:
    if not gold:
        return {"R@10": 0.0, "R@100": 0.0, "MRR@10": 0.0, "nDCG@10": 0.0}
    out = {
        "R@10": len(set(ranked[:10]) & gold) / len(gold),
        "R@100": len(set(ranked[:100]) & gold) / len(gold),
        "MRR@10": next((1 / (i + 1) for i, d in enumerate(ranked[:10]) if d in gold), 0.0),
    }
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in gold)
    out["nDCG@10"] = dcg / sum(1 / math.log2(i + 2) for i in range(min(len(gold), 10)))
    return out


def cross_validate(
    corpus: Corpus,
    questions: list[Question],
    *,
    folds: int = 5,
    seed: int = 0,
    variants: list[Variant] | None = None,
    params: dict[str, Any] | None = None,
    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
) -> list[dict[str, Any]]:
    from fazhi.laws.search import LawFilters, adapter, law_names

    variants = variants or VARIANTS
    for q in questions:  # the vocabulary must hold every question word before the shared text stats
        for w in q.words:
            corpus.word_id(w)
    stats = text_stats(corpus, len(corpus.words))
    index = adapter.index
    filters = LawFilters().as_dict()
    key_of = dict(zip(corpus.article_ids.tolist(), corpus.keys, strict=True))
    sums = {v.name: dict.fromkeys(("R@10", "R@100", "MRR@10", "nDCG@10"), 0.0) for v in variants}
    # The slice the sealed questions may stress: a gold answer in a law the training folds never answer with.
    unseen_sums = {v.name: dict.fromkeys(("R@10", "R@100", "MRR@10", "nDCG@10"), 0.0) for v in variants}
    n_unseen = 0
    groups: dict[str, list[Variant]] = {}
    for v in variants:
        groups.setdefault(repr(sorted(v.retrieval.items())), []).append(v)
    parts = folds_of(questions, folds, seed)
    steps: Iterable[Any] = [(k, q) for k in range(folds) for q in parts[k]]
    if progress is not None:
        steps = progress(steps, len(questions))
    model = None
    current = -1
    for k, q in steps:
        if k != current:
            train = [x for j in range(folds) if j != k for x in parts[j]]
            model = fit(corpus, train, params, stats=stats)
            train_laws = {law for x in train for law, _ in x.gold}
            current = k
        assert model is not None
        unseen = any(law not in train_laws for law, _ in q.gold)
        n_unseen += unseen
        aq = sq.analyze(q.text)
        named = law_names.find(aq.normalized)
        for group in groups.values():
            raw = {
                "law_weight": 1.0,
                "chapter_weight": 1.0,
                "popularity_weight": 1.0,
                "named_law_weight": 1.0,
                "law_bm25_weight": 1.0,
                "chapter_bm25_weight": 1.0,
                "title_match_weight": 1.0,
                "question_words_weight": 1.0,
            }
            r = rerank.rank(
                aq, filters, model, index=index, named_laws=named, params=group[0].retrieval | raw
            )
            c = r.components
            for v in group:
                a, b, pw, nw, lb, cb, tw, qw = (tuple(v.weights) + (0.0,) * 4)[:8]
                if len(r.ids) == 0:
                    ranked: list[Any] = []
                else:
                    s = c["bm25_normalized"] + a * c["law_prior"] + b * c["chapter_prior"]
                    s = s + pw * c["popularity"] + nw * c["named_law"]
                    s = s + lb * c["law_bm25"] + cb * c["chapter_bm25"] + tw * c["title_match"]
                    s = s + qw * c["question_words"]
                    if not v.use_chapter_candidates:
                        s = np.where(c["from_chapter"] > 0, -np.inf, s)
                    top = np.lexsort((r.ids, -s))[:100]
                    ranked = [key_of.get(int(r.ids[i])) for i in top if np.isfinite(s[i])]
                for name, value in metrics(ranked, q.gold).items():
                    sums[v.name][name] += value
                    if unseen:
                        unseen_sums[v.name][name] += value
    n = len(questions) or 1
    return [
        {"variant": v.name}
        | {m: round(x / n, 4) for m, x in sums[v.name].items()}
        | {"unseen_n": n_unseen}
        | {f"unseen_{m}": round(x / max(n_unseen, 1), 4) for m, x in unseen_sums[v.name].items()}
        for v in variants
    ]


def format_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| 方案 | R@10 | R@100 | MRR@10 | nDCG@10 | 未见法规 R@10 / R@100 / MRR@10 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        unseen = ""
        if "unseen_R@10" in r:
            unseen = (
                f"{r['unseen_R@10']:.3f} / {r['unseen_R@100']:.3f} / {r['unseen_MRR@10']:.3f}"
                f"（{r['unseen_n']} 问）"
            )
        lines.append(
            f"| {r['variant']} | {r['R@10']:.3f} | {r['R@100']:.3f} | {r['MRR@10']:.3f} | {r['nDCG@10']:.3f}"
            f" | {unseen} |"
        )
    return "\n".join(lines)


def law_questions(path: Any, model: Any, *, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Hand-written questions labelled with the law(s) that answer them (one JSON object per line:
    {"query": ..., "laws": [title, ...]}), ranked by `model`: the share with an article of a right law
    in the first 10 / 100 results, the law-level MRR@10, and the first rank per question (0 = not in 100)."""
    import json

    from fazhi.laws.models import Article
    from fazhi.laws.ranking.corpus import norm_title
    from fazhi.laws.search import LawFilters, adapter, law_names

    filters = LawFilters().as_dict()
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    at10 = at100 = rr = 0.0
    ranks: list[tuple[str, int]] = []
    for row in rows:
        aq = sq.analyze(row["query"])
        r = rerank.rank(
            aq, filters, model, index=adapter.index, named_laws=law_names.find(aq.normalized), params=params
        )
        top = [int(x) for x in r.ids[:100]]
        titles = dict(Article.objects.filter(pk__in=top).values_list("pk", "law__title"))
        wanted = {norm_title(t) for t in row["laws"]}
        first = next((i + 1 for i, pk in enumerate(top) if norm_title(titles.get(pk, "")) in wanted), 0)
        ranks.append((row["query"], first))
        at10 += 0 < first <= 10
        at100 += first > 0
        rr += 1 / first if 0 < first <= 10 else 0.0
    n = len(rows) or 1
    return {
        "n": len(rows),
        "S@10": round(at10 / n, 4),
        "S@100": round(at100 / n, 4),
        "MRR@10": round(rr / n, 4),
        "ranks": ranks,
    }
