"""Everyday abbreviations → the statute terms the laws use (交强险 → 机动车交通事故责任强制保险, 低保 → 最低生活保障).

Contract:
- `groups()` → {abbreviation: [statute term, …]} from src/fazhi/laws/data/abbreviations.txt, read once.
- `expansions(normalized, words, weight)` → [(statute word, weight)] for the abbreviations found in the
  normalised question (anywhere for three characters or more, 交五险|一金 being how the segmenter cuts
  交五险一金; a two-character one only on word boundaries: 过年|假期 does not hold 年假): the words of each statute term (the question's own words excluded), to be added to the vocabulary
  bridge's expansions (rerank.rank): no second expansion mechanism.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fazhi.search import analysis

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "abbreviations.txt"

_lock = threading.Lock()
_groups: dict[str, list[str]] | None = None
_term_words: dict[str, list[str]] = {}


def parse(text: str) -> dict[str, list[str]]:
    """One group per line: the abbreviation, then its statute terms (spaces between; "#" comments)."""
    out: dict[str, list[str]] = {}
    for parts in analysis.word_groups(text):
        abbreviation = analysis.normalize(parts[0])
        terms = out.setdefault(abbreviation, [])
        for term in parts[1:]:
            term = analysis.normalize(term)
            if term not in terms and term != abbreviation:
                terms.append(term)
    return {a: t for a, t in out.items() if t}


def groups() -> dict[str, list[str]]:
    global _groups
    if _groups is None:
        with _lock:
            if _groups is None:
                _groups = parse(DATA_FILE.read_text(encoding="utf-8")) if DATA_FILE.exists() else {}
    return _groups


def _words_of(term: str) -> list[str]:
    found = _term_words.get(term)
    if found is None:
        found = analysis.query_terms(analysis.cut(term, normalized=True))
        _term_words[term] = found
    return found


def found_in(normalized: str) -> list[str]:
    """The abbreviations in the normalised text: three characters or more anywhere, two on word boundaries."""
    table = groups()
    if not table or not normalized:
        return []
    tokens = analysis.cut_with_offsets(normalized, normalized=True)
    starts = {s for _, s, _ in tokens}
    ends = {e for _, _, e in tokens}
    hits = []
    for abbreviation in table:
        at = normalized.find(abbreviation)
        if at >= 0 and len(abbreviation) >= 3:
            hits.append(abbreviation)
            continue
        while at >= 0:
            if at in starts and at + len(abbreviation) in ends:
                hits.append(abbreviation)
                break
            at = normalized.find(abbreviation, at + 1)
    return hits


def expansions(normalized: str, words: list[str], weight: float) -> list[tuple[str, float]]:
    """(statute word, weight) for the abbreviations in the question; none when weight is 0."""
    if weight <= 0:
        return []
    known = set(words)
    out: dict[str, float] = {}
    table = groups()
    for abbreviation in found_in(normalized):
        for term in table[abbreviation]:
            for w in _words_of(term):
                if w not in known:
                    out.setdefault(w, weight)
    return list(out.items())
