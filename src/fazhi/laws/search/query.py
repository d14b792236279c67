"""A question as a Tantivy query: tuning knobs, laws named in the question, filters, weighted terms."""

from __future__ import annotations

import dataclasses
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import tantivy

from fazhi.core.errors import ValidationFailed
from fazhi.laws.models import Law, Level, Status
from fazhi.laws.search.index import adapter
from fazhi.search import query as sq
from fazhi.search.schema import TEXT

NATIONAL_LEVELS = [
    Level.CONSTITUTION.value,
    Level.LAW.value,
    Level.ADMIN_REGULATION.value,
    Level.JUDICIAL_INTERPRETATION.value,
    Level.DEPARTMENT_RULE.value,
]


@dataclass(frozen=True)
class Tuning:
    """Relevance knobs, kept in one place (issue #8 tunes them further)."""

    text_boost: float = 1.0
    title_boost: float = 0.3
    headings_boost: float = 0.5
    bigram_weight: float = 0.6  # bigram field weight relative to its word field
    named_law_boost: float = 4.0  # a law named in the question ("劳动合同法") pulls its articles up
    min_law_name_chars: int = 3
    # A citizen's question is usually answered by national law; local regulations repeat it per
    # province. National levels get a constant bonus (skipped when the question filters a region).
    national_prior: float = 20.0
    statute_prior: float = 10.0  # extra for 法律 (the statute itself) over regulations and interpretations
    # Pseudo-relevance feedback: words frequent in the first results and rare in the index are
    # added with a small weight (bridges a layperson's words to the statute's).
    feedback_docs: int = 5
    feedback_terms: int = 10
    feedback_weight: float = 0.3
    feedback_bigrams: bool = True  # False: a cheaper feedback pass (R@100 -0.004 on STARD train)


TUNING = Tuning()


class _LawNames:
    """Normalised law names (titles and short names) for spotting a law named in a question."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: dict[str, list[int]] | None = None
        self._stamp: tuple[int, int] | None = None
        self._pattern: re.Pattern[str] | None = None

    def _load(self) -> None:
        from django.db.models import Max

        stamp = (Law.objects.count(), Law.objects.aggregate(m=Max("pk"))["m"] or 0)
        if self._names is not None and stamp == self._stamp:
            return
        names: dict[str, list[int]] = {}
        for pk, norm, short in Law.objects.exclude(level=Level.LOCAL_REGULATION).values_list(
            "pk", "norm_title", "short_name"
        ):
            for name in {norm, short.split(" ")[0] if short else ""}:
                if len(name) >= TUNING.min_law_name_chars:
                    names.setdefault(name, []).append(pk)
        self._names = names
        self._stamp = stamp
        ordered = sorted(names, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(n) for n in ordered)) if ordered else None

    def ending(self, text: str) -> list[int]:
        """Ids of the laws whose name (title or short name) ends the text, the longest name first."""
        with self._lock:
            self._load()
        names = self._names or {}
        for size in range(min(len(text), 60), TUNING.min_law_name_chars - 1, -1):
            found = names.get(text[-size:])
            if found:
                return list(found)
        return []

    def find(self, text: str) -> list[int]:
        """Ids of the laws whose names appear in the text (longest names first, no overlaps)."""
        with self._lock:
            self._load()
        if self._pattern is None or self._names is None:
            return []
        out: list[int] = []
        for m in self._pattern.finditer(text):
            out.extend(self._names[m.group(0)])
        return list(dict.fromkeys(out))


law_names = _LawNames()


@dataclass
class LawFilters:
    level: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=lambda: [Status.IN_FORCE.value])
    law: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"level": self.level, "status": self.status, "law_id": self.law, "region": self.region}


def parse_filters(
    *,
    level: str | None = None,
    status: str | None = None,
    law: str | None = None,
    region: str | None = None,
    include_inactive: bool = False,
) -> LawFilters:
    """Filter values from request parameters (Chinese labels or codes; 'all' for every status)."""
    f = LawFilters()
    if level:
        value = {label: code for code, label in Level.choices}.get(level, level)
        if value not in Level.values:
            raise ValidationFailed(f"未知的效力级别：{level}")
        f.level = [value]
    if include_inactive or (status or "").strip().lower() in ("all", "全部"):
        f.status = []
    elif status:
        values = []
        for part in status.split(","):
            value = {label: code for code, label in Status.choices}.get(part.strip(), part.strip())
            if value not in Status.values:
                raise ValidationFailed(f"未知的效力状态：{part}")
            values.append(value)
        f.status = values
    if law:
        ids = [x.strip() for x in str(law).split(",") if x.strip()]
        # ASCII digits only: "²" passes str.isdigit() but is no law id.
        if not all(x.isascii() and x.isdigit() and len(x) <= 18 for x in ids):
            raise ValidationFailed("参数 law 应为法规编号（数字）。")
        f.law = ids
    if region:
        f.region = [region.strip()]
    return f


def build_query(
    text: str, filters: LawFilters, tuning: Tuning = TUNING
) -> tuple[tantivy.Query | None, sq.AnalyzedQuery]:
    """(query, analysed question); the query is None when the question has no searchable words."""
    aq = sq.analyze(text)
    return _with_analysis(aq, filters, tuning), aq


def _with_analysis(aq: sq.AnalyzedQuery, filters: LawFilters, tuning: Tuning) -> tantivy.Query | None:
    """The Tantivy query for an analysed question (expansions included), filters applied."""
    index = adapter.index
    boosts = {"text": tuning.text_boost, "title": tuning.title_boost, "headings": tuning.headings_boost}
    base = _weighted_terms(index, aq, boosts, tuning.bigram_weight)
    if base is None:
        return None
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [(tantivy.Occur.Must, base)]
    named = law_names.find(aq.normalized) if tuning.named_law_boost else []
    if named:
        pull = index.any_of("law_id", [str(pk) for pk in named[:20]])
        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(pull, tuning.named_law_boost)))
    if tuning.national_prior and not filters.region:
        national = index.any_of("level", NATIONAL_LEVELS)
        clauses.append(
            (tantivy.Occur.Should, tantivy.Query.const_score_query(national, tuning.national_prior))
        )
    if tuning.statute_prior and not filters.region:
        statute = index.term("level", Level.LAW.value)
        clauses.append((tantivy.Occur.Should, tantivy.Query.const_score_query(statute, tuning.statute_prior)))
    query = tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else base
    return sq.with_filters(index, query, filters.as_dict())


def _weighted_terms(
    index: Any, aq: sq.AnalyzedQuery, boosts: dict[str, float], bigram_weight: float
) -> tantivy.Query | None:
    """The shared text query with this module's field boosts and bigram weight.

    Expansion words (feedback) are matched in the article text only: they come from article texts,
    and skipping the title and heading fields keeps the query small (latency).
    """
    query = sq.text_query(index, dataclasses.replace(aq, expansions=[]), boosts=boosts, use_bigrams=False)
    if aq.expansions and query is not None:
        extra = [
            (
                tantivy.Occur.Should,
                tantivy.Query.boost_query(index.term("text", w), boosts.get("text", 1.0) * weight),
            )
            for w, weight in aq.expansions
        ]
        query = tantivy.Query.boolean_query([(tantivy.Occur.Should, query), *extra])
    if bigram_weight <= 0:
        return query
    bigram_clauses = []
    for f in index.fields:
        if f.kind != TEXT or not f.bigram_boost or boosts.get(f.name, f.boost) <= 0:
            continue
        for bg in aq.bigrams:
            bigram_clauses.append(
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(
                        index.term(f"{f.name}_bi", bg), boosts.get(f.name, f.boost) * bigram_weight
                    ),
                )
            )
    if not bigram_clauses:
        return query
    bigram_query = tantivy.Query.boolean_query(bigram_clauses)
    if query is None:
        return bigram_query if not aq.phrases else None
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Should, bigram_query)])
