"""A learned fallback for the rule families: one linear model per family over character n-grams.

Contract: `train(items)` → a `Model` (deterministic: fixed vocabulary order, zero start, full-batch
gradient descent with a fixed number of steps; numpy only). `Model.score(text, family)` → a probability.
The shipped model lives in rules/learned.json and is rebuilt from the committed labelled set by

    .venv/bin/python -m fazhi.review.precheck.learned      (writes rules/learned.json)

The engine uses it through the rules FC-GENERAL, PROC-GENERAL and POWER-GENERAL (logic
`learned_fallback`): only in a sentence that holds one of the family's trigger words, only when no rule
found anything there, and only above the rule's threshold. Features (character 1-4-grams), the positive
class weight and the thresholds were chosen by leave-one-batch-out (tests/data/precheck/README.md).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).parent / "rules" / "learned.json"
DEFAULT_LABELLED = Path(__file__).resolve().parents[4] / "tests" / "data" / "precheck" / "sentences.jsonl"
FAMILIES = ("POWER", "FC", "PROC")
NGRAMS = (1, 2, 3, 4)  # character n-gram lengths (chosen by leave-one-batch-out, see the README)
MIN_DF = 2
STEPS = 600
LEARNING_RATE = 4.0
L2 = 1e-4
CLASS_WEIGHT = 2.0  # weight of a positive example (the families are rare)

_DIGITS = re.compile(r"[0-9０-９]+(?:\.[0-9]+)?")
_CN_NUMBER = re.compile(r"[一二三四五六七八九十百千万两]+(?=[年日个元万%分倍名家项次])")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """White space goes and numbers become 0, so "加3分" and "加五分" share their n-grams."""
    text = _SPACE.sub("", text)
    text = _DIGITS.sub("0", text)
    return _CN_NUMBER.sub("0", text)


def ngrams(text: str, sizes: tuple[int, ...] = NGRAMS) -> set[str]:
    t = normalise(text)
    return {t[i : i + n] for n in sizes for i in range(len(t) - n + 1)}


@dataclass
class Model:
    vocab: dict[str, int]
    weights: dict[str, np.ndarray]  # family → weight per vocabulary entry
    bias: dict[str, float]
    meta: dict = field(default_factory=dict)

    def score(self, text: str, family: str) -> float:
        """Probability that the family applies; features scaled as in training (1/sqrt(known n-grams))."""
        sizes = tuple(self.meta.get("ngrams") or (2, 3))
        idx = [self.vocab[g] for g in ngrams(text, sizes) if g in self.vocab]
        z = self.bias[family]
        if idx:
            z += float(self.weights[family][idx].sum()) / len(idx) ** 0.5
        return float(1.0 / (1.0 + np.exp(-z)))

    def as_json(self) -> dict:
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        return {
            "meta": self.meta,
            "terms": terms,
            "bias": {f: round(b, 6) for f, b in self.bias.items()},
            "weights": {f: [round(float(w), 3) for w in self.weights[f]] for f in self.weights},
        }

    @classmethod
    def from_json(cls, data: dict) -> Model:
        terms = list(data["terms"])
        return cls(
            vocab={t: i for i, t in enumerate(terms)},
            weights={f: np.asarray(w, dtype=np.float64) for f, w in data["weights"].items()},
            bias={f: float(b) for f, b in data["bias"].items()},
            meta=dict(data.get("meta") or {}),
        )


def train(items: list[dict]) -> Model:
    """Logistic regression per family on binary n-gram features (deterministic)."""
    grams = [ngrams(i["text"], NGRAMS) for i in items]
    df: dict[str, int] = {}
    for g in grams:
        for t in g:
            df[t] = df.get(t, 0) + 1
    terms = sorted(t for t, c in df.items() if c >= MIN_DF)
    vocab = {t: i for i, t in enumerate(terms)}
    x = np.zeros((len(items), len(terms)), dtype=np.float32)
    for row, g in enumerate(grams):
        cols = [vocab[t] for t in g if t in vocab]
        x[row, cols] = 1.0
    # Rows scaled to unit length, so long clauses do not dominate.
    norms = np.sqrt(x.sum(axis=1, keepdims=True))
    norms[norms == 0] = 1.0
    xs = x / norms
    weights: dict[str, np.ndarray] = {}
    bias: dict[str, float] = {}
    n = len(items)
    for family in FAMILIES:
        y = np.array([1.0 if family in i["families"] else 0.0 for i in items], dtype=np.float32)
        # Positive examples weigh CLASS_WEIGHT; the weights are scaled to mean 1.
        sample = np.where(y > 0, CLASS_WEIGHT, 1.0).astype(np.float32)
        sample /= sample.mean()
        w = np.zeros(len(terms), dtype=np.float32)
        b = 0.0
        for _ in range(STEPS):
            z = xs @ w + b
            p = 1.0 / (1.0 + np.exp(-z))
            grad = (p - y) * sample
            w -= LEARNING_RATE * ((xs.T @ grad) / n + L2 * w)
            b -= LEARNING_RATE * float(grad.mean())
        weights[family] = w.astype(np.float64)
        bias[family] = b
    meta = {"items": n, "terms": len(terms), "ngrams": list(NGRAMS), "class_weight": CLASS_WEIGHT}
    return Model(vocab=vocab, weights=weights, bias=bias, meta=meta)


def load_items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=1)
def shipped_model() -> Model | None:
    """The committed model (rules/learned.json), or None when it has not been built."""
    if not MODEL_PATH.exists():
        return None
    return Model.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def build(labelled: Path = DEFAULT_LABELLED, target: Path = MODEL_PATH) -> Model:
    model = train(load_items(labelled))
    model.meta["source"] = labelled.name
    target.write_text(
        json.dumps(model.as_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    shipped_model.cache_clear()
    return model


if __name__ == "__main__":  # pragma: no cover - a build command
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_LABELLED
    built = build(source)
    print(f"trained on {built.meta['items']} items, {built.meta['terms']} n-grams → {MODEL_PATH}")
