"""A policy question analysed: synonyms added (expand); quoted terms, question words, place stems (refine)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from fazhi.search import analysis
from fazhi.search import query as sq

OWN_SYNONYM_WEIGHT = 0.5
# cnsyn (read from FAZHI_DATA_DIR/lexicon) is wired in but off: weight 0.2/0.3 lowered R@1 slightly.
CNSYN_WEIGHT = 0.0


def _groups_from(path: Path) -> list[list[str]]:
    return analysis.word_groups(path.read_text(encoding="utf-8")) if path.exists() else []


def own_groups() -> list[tuple[list[str], float]]:
    """The groups of data/synonyms.txt with their weight factor ("@0.2" on the line; 1 when absent)."""
    out = []
    for group in _groups_from(Path(__file__).parent / "data" / "synonyms.txt"):
        factor = 1.0
        words = []
        for token in group:
            if token.startswith("@"):
                factor = float(token[1:])
            else:
                words.append(token)
        if len(words) >= 2:
            out.append((words, factor))
    return out


@lru_cache(maxsize=1)
def own_synonyms() -> dict[str, dict[str, float]]:
    """Enterprise words from data/synonyms.txt: word → {other word of its group: weight factor}."""
    out: dict[str, dict[str, float]] = {}
    for group, factor in own_groups():
        for w in group:
            for x in group:
                if x != w:
                    out.setdefault(w, {})[x] = max(out.get(w, {}).get(x, 0.0), factor)
    return out


@lru_cache(maxsize=1)
def cnsyn_synonyms() -> dict[str, list[str]]:
    """cnsyn synonym groups (read from FAZHI_DATA_DIR/lexicon; small groups of CJK words only)."""
    out: dict[str, list[str]] = {}
    path = Path(settings.FAZHI_DATA_DIR) / "lexicon" / "cnsyn_sim_words.txt"
    for group in _groups_from(path):
        if len(group) > 4:
            continue  # large groups are topical neighbours, not synonyms
        for w in group:
            if len(w) >= 2:
                out.setdefault(w, []).extend(x for x in group if x != w and len(x) >= 2)
    return out


def expand(
    aq: sq.AnalyzedQuery, *, own_weight: float | None = None, cnsyn_weight: float | None = None
) -> sq.AnalyzedQuery:
    """Add the synonyms of the query words as weighted extra terms (not already in the query)."""
    own_weight = OWN_SYNONYM_WEIGHT if own_weight is None else own_weight
    cnsyn_weight = CNSYN_WEIGHT if cnsyn_weight is None else cnsyn_weight
    present = set(aq.words)
    extra: dict[str, float] = {}

    def add(syn: str, weight: float) -> None:
        if syn not in present:
            extra[syn] = max(extra.get(syn, 0.0), weight)

    if own_weight > 0:
        # The enterprise words are matched inside the question too: 小型微型 is cut into 小型 / 微型.
        for w, synonyms in own_synonyms().items():
            if w in present or w in aq.normalized:
                for syn, factor in synonyms.items():
                    add(syn, own_weight * factor)
    if cnsyn_weight > 0:
        table = cnsyn_synonyms()
        for w in aq.words:
            for syn in table.get(w, []):
                add(syn, cnsyn_weight)
    aq.expansions = list(aq.expansions) + sorted(extra.items())
    return aq


# Words that every policy question carries ("采取什么措施", "有哪些政策"): they rank nothing.
QUESTION_WORDS = frozenset(
    [
        "采取",
        "措施",
        "政策",
        "什么",
        "哪些",
        "如何",
        "有何",
        "内容",
        "给予",
        "要求",
        "进行",
        "做出",
        "做",
        "具体",
        "主要",
        "有关",
        "相关",
        "方面",
        "规定",
        "出台",
        "推出",
        "情况",
        "工作",
        "问题",
        "通知",
        "提出",
        "明确",
        "发布",
        "怎样",
        "怎么",
        "多少",
        "哪里",
        "几",
        "目前",
        "近日",
        "对于",
        "关于",
        "针对",
    ]
)
# Place stems (重庆市 → also 重庆) are available but off: measured R@1 0.8274 on vs 0.8285 off.
_PLACE = re.compile(r"^(.{2,8}?)(省|市|自治区|县|区)$")


def refine(
    aq: sq.AnalyzedQuery, *, drop_question_words: bool = False, place_stems: bool = False
) -> sq.AnalyzedQuery:
    """Quoted terms count as words; drop question words (and the bigrams made only of them); add the bare
    place name (重庆市 → 重庆).

    Enterprises quote the name of a measure (“五色图”, “无接触点餐”) for emphasis, not as a filter: the
    shared analyser sets quoted text apart as phrases, so here its words and bigrams join the scored terms
    (measured on ncpqa-train, in-process: R@1 0.8274 → 0.8389, MRR@10 0.8820 → 0.8926)."""
    if aq.phrases:
        quoted = [w for p in aq.phrases for w in p if w.strip()]
        aq.words = list(dict.fromkeys([*aq.words, *analysis.query_terms(quoted)]))
        spans = sq.quoted(aq.normalized)
        quoted_bigrams = [b for span in spans for b in analysis.bigrams(span, normalized=True)]
        aq.bigrams = list(dict.fromkeys([*aq.bigrams, *quoted_bigrams]))
    if drop_question_words:
        kept = [w for w in aq.words if w not in QUESTION_WORDS]
        if kept:
            dropped = "".join(w for w in aq.words if w in QUESTION_WORDS)
            aq.words = kept
            aq.bigrams = [b for b in aq.bigrams if not (b in dropped and not any(b in w for w in kept))]
    extra: list[tuple[str, float]] = []
    for w in aq.words if place_stems else []:
        m = _PLACE.match(w)
        if m and m.group(1) not in aq.words:
            extra.append((m.group(1), 1.0))
    aq.expansions = list(aq.expansions) + extra
    return aq


def analyze(
    text: str, *, drop_question_words: bool = False, place_stems: bool = False, **expand_kw: Any
) -> sq.AnalyzedQuery:
    return refine(
        expand(sq.analyze(text), **expand_kw),
        drop_question_words=drop_question_words,
        place_stems=place_stems,
    )
