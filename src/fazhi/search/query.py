"""Query building: user text → analysed parts → a Tantivy query over an adapter's fields.

Contract: `analyze(text)` returns an AnalyzedQuery (normalized text, words, quoted phrases,
bigrams); `text_query(index, aq, …)` returns a Tantivy query that sums BM25 over the word field
of each TEXT field (boosted), its bigram field and the phrases; `with_filters` adds must-clauses.
An `expansions` list of (word, weight) adds weighted extra terms (synonyms, vocabulary bridge).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy

from fazhi.search import analysis
from fazhi.search.engine import SearchIndex
from fazhi.search.schema import TEXT

MAX_QUERY_CHARS = 1000
_QUOTED = re.compile(r"[\"“”「」『』]([^\"“”「」『』]{1,100})[\"“”「」『』]")


@dataclass
class AnalyzedQuery:
    raw: str
    normalized: str
    words: list[str]
    phrases: list[list[str]] = field(default_factory=list)
    bigrams: list[str] = field(default_factory=list)
    expansions: list[tuple[str, float]] = field(default_factory=list)

    @property
    def highlight_terms(self) -> list[str]:
        return self.words + [w for w, _ in self.expansions] + [w for p in self.phrases for w in p]


def quoted(normalized: str) -> list[str]:
    """The quoted spans of a normalised query (“…”, "…", 「…」), in order."""
    return _QUOTED.findall(normalized)


def analyze(text: str, *, strip_filler: bool = True) -> AnalyzedQuery:
    raw = (text or "")[:MAX_QUERY_CHARS]
    normalized = analysis.normalize(raw)
    phrases = [analysis.cut(p, normalized=True) for p in _QUOTED.findall(normalized)]
    phrases = [p for p in phrases if p]
    body = _QUOTED.sub(" ", normalized)
    if strip_filler:
        body = analysis.strip_filler(body)
    words = analysis.query_terms(analysis.cut(body, normalized=True))
    return AnalyzedQuery(
        raw=raw,
        normalized=normalized,
        words=words,
        phrases=phrases,
        bigrams=list(dict.fromkeys(analysis.bigrams(body, normalized=True))),
    )


def text_query(
    index: SearchIndex,
    aq: AnalyzedQuery,
    *,
    boosts: dict[str, float] | None = None,
    use_bigrams: bool = True,
) -> tantivy.Query | None:
    """Sum of boosted term queries over every TEXT field; None when the query has no usable terms."""
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for f in index.fields:
        if f.kind != TEXT:
            continue
        boost = (boosts or {}).get(f.name, f.boost)
        if boost <= 0:
            continue
        for w in aq.words:
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(index.term(f.name, w), boost)))
        for w, weight in aq.expansions:
            clauses.append(
                (tantivy.Occur.Should, tantivy.Query.boost_query(index.term(f.name, w), boost * weight))
            )
        if use_bigrams and f.bigram_boost:
            for bg in aq.bigrams:
                clauses.append(
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.boost_query(index.term(f"{f.name}_bi", bg), boost * f.bigram_boost),
                    )
                )
    phrase_groups = []
    for p in aq.phrases:
        alternatives = [
            (tantivy.Occur.Should, index.phrase(f.name, p)) for f in index.fields if f.kind == TEXT
        ]
        phrase_groups.append((tantivy.Occur.Must, tantivy.Query.boolean_query(alternatives)))
    if not clauses and not phrase_groups:
        return None
    if phrase_groups:
        scoring = [(tantivy.Occur.Must, tantivy.Query.boolean_query(clauses))] if clauses else []
        return tantivy.Query.boolean_query(phrase_groups + scoring)
    return tantivy.Query.boolean_query(clauses)


def with_filters(
    index: SearchIndex, query: tantivy.Query | None, filters: dict[str, list] | None
) -> tantivy.Query:
    """AND the query with one should-group per filtered field (values OR-ed inside a field)."""
    musts: list[tuple[tantivy.Occur, tantivy.Query]] = []
    if query is not None:
        musts.append((tantivy.Occur.Must, query))
    for name, values in (filters or {}).items():
        vals = [v for v in values if v not in (None, "")]
        if vals:
            musts.append((tantivy.Occur.Must, index.any_of(name, vals)))
    if not musts:
        return tantivy.Query.all_query()
    if len(musts) == 1 and query is not None:
        return query
    if query is None:
        musts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(musts)
