"""Article search over the law library (index "laws": one document per article of every version).

Contract:
- `LawArticleAdapter` feeds the index: the article text, the law title (boosted), the 编/章/节
  headings, and keyword fields level / status / law_id / region for filters and facets.
- `build_query(text, filters)` turns a user question into a Tantivy query (see `Tuning` for the
  knobs: field boosts, bigram weight, a boost for laws named in the question).
- `search_articles(...)` runs it and joins the hits with the database; snippets are highlighted.
Only in-force texts (有效) are searched unless the caller asks for other statuses.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import tantivy

from fazhi.core import paging
from fazhi.core.errors import ValidationFailed
from fazhi.laws.feedback import feedback_expansions
from fazhi.laws.models import Article, Law, Level, Status
from fazhi.search import highlight
from fazhi.search import query as sq
from fazhi.search.registry import Adapter, PageHit, PageResults
from fazhi.search.schema import INT, KEYWORD, TEXT, Field

INDEX = "laws"
MAX_LIMIT = 100
_ARTICLE_HINT = re.compile("第.{1,12}条")


class LawArticleAdapter(Adapter):
    name = INDEX
    fields = [
        Field("text", TEXT, boost=1.0, bigram_boost=0.3),
        Field("title", TEXT, boost=1.0, bigram_boost=0.3),
        Field("headings", TEXT, boost=0.5, bigram_boost=0.0),
        Field("level", KEYWORD),
        Field("status", KEYWORD),
        Field("law_id", KEYWORD),
        Field("region", KEYWORD),
        Field("number", INT),
    ]

    def _queryset(self):  # noqa: ANN202
        return Article.objects.select_related("law", "version").only(
            "id",
            "number",
            "suffix",
            "label",
            "part",
            "chapter",
            "section",
            "text",
            "law_id",
            "version_id",
            "law__title",
            "law__short_name",
            "law__level",
            "law__region",
            "version__status",
        )

    def iter_all(self) -> Iterator[Article]:
        yield from self._queryset().order_by("pk").iterator(chunk_size=5000)

    def page_search(self, text: str, limit: int) -> PageResults:
        """As /laws/search?q= shows it: articles in force, re-ranked, cited articles first."""
        found = search_articles(q=text, limit=limit)
        hits = [
            PageHit(f"{h.article.law_title}{h.article.label}", h.article.url, h.snippet) for h in found.hits
        ]
        exact = bool(found.hits) and found.hits[0].article.pk in found.cited
        return PageResults(total=found.total, hits=hits, exact=exact)

    def load(self, ids: Iterable[str]) -> dict[str, Article]:
        pks = [int(i) for i in ids if str(i).isdigit()]
        return {str(a.pk): a for a in self._queryset().filter(pk__in=pks)}

    def count(self) -> int:
        return Article.objects.count()

    def to_document(self, obj: Article) -> dict[str, Any]:
        law = obj.law
        title = law.title if law.short_name in law.title else f"{law.title} {law.short_name}"
        return {
            "text": obj.text,
            "title": title,
            "headings": " ".join(p for p in (obj.part, obj.chapter, obj.section) if p),
            "level": law.level,
            "status": obj.version.status,
            "law_id": str(law.pk),
            "region": law.region,
            "number": obj.number,
        }


adapter = LawArticleAdapter()
NATIONAL_LEVELS = [
    Level.CONSTITUTION.value,
    Level.LAW.value,
    Level.ADMIN_REGULATION.value,
    Level.JUDICIAL_INTERPRETATION.value,
    Level.DEPARTMENT_RULE.value,
]


# --- query building -----------------------------------------------------------------------------


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


# --- running a search ---------------------------------------------------------------------------


@dataclass
class ArticleRow:
    """The fields a result list shows, read in one query (no model instances: results stay fast)."""

    pk: int
    law_id: int
    law_title: str
    label: str
    number: int
    suffix: int
    text: str
    status: str
    part: str
    chapter: str
    section: str

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status in Status.values else self.status

    @property
    def heading_path(self) -> str:
        return " / ".join(p for p in (self.part, self.chapter, self.section) if p)

    @property
    def url(self) -> str:
        return (
            f"/laws/{self.law_id}/articles/{self.number}" + (f"-{self.suffix}" if self.suffix else "") + "/"
        )


_ROW_FIELDS = (
    "pk",
    "law_id",
    "law__title",
    "label",
    "number",
    "suffix",
    "text",
    "version__status",
    "part",
    "chapter",
    "section",
)


def load_rows(ids: list[int]) -> dict[int, ArticleRow]:
    return {r[0]: ArticleRow(*r) for r in Article.objects.filter(pk__in=ids).values_list(*_ROW_FIELDS)}


@dataclass
class ArticleHit:
    article: ArticleRow
    score: float
    snippet: str
    explain: dict[str, Any] | None = None  # the learned ranking's components (staff only, issue #8)


@dataclass
class ArticleResults:
    query: str
    total: int
    took_ms: float
    hits: list[ArticleHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    cited: list[int] = field(default_factory=list)  # articles the question cites (预算法第十条), put first


def search_articles(
    *,
    q: str,
    limit: int = 10,
    offset: int = 0,
    filters: LawFilters | None = None,
    facets: bool = False,
    tuning: Tuning = TUNING,
    snippets: bool = True,
    explain: bool = False,
) -> ArticleResults:
    """Ranked articles for a question; raises ValidationFailed for an empty question, a limit outside
    1–MAX_LIMIT, a negative offset, or a result window beyond paging.MAX_RESULTS."""
    from fazhi.laws.cited import cited_articles

    started = time.perf_counter()
    text = (q or "").strip()
    if not text:
        raise ValidationFailed("请输入要检索的内容。")
    if limit > MAX_LIMIT:
        raise ValidationFailed(paging.limit_message(MAX_LIMIT))
    # limit >= 1, offset >= 0 and offset + limit <= paging.MAX_RESULTS: Tantivy allocates for
    # offset + limit hits up front, and an unbounded offset once aborted the worker.
    paging.check_window(offset=offset, limit=limit, max_limit=MAX_LIMIT)
    filters = filters or LawFilters()
    query, aq = build_query(text, filters, tuning)
    if query is None:
        return ArticleResults(query=text, total=0, took_ms=_ms(started), hits=[])
    # An article cited by name and number (预算法第十条) comes first.
    pinned = cited_articles(aq.normalized, filters) if _ARTICLE_HINT.search(aq.normalized) else []
    if tuning is TUNING:
        # The learned re-ranker (fazhi.laws.ranking, issue #8) when a model fits the library.
        from fazhi.laws.ranking.hooks import ranked_page

        ranked = ranked_page(
            aq,
            filters.as_dict(),
            offset=offset,
            limit=limit,
            explain=explain,
            pinned=pinned,
            facets=["level", "status"] if facets else None,
        )
        if ranked is not None:
            total, page, counts = ranked
            rows = load_rows([pk for pk, _, _ in page])
            terms = aq.words + [w for p in aq.phrases for w in p]
            hits = [
                ArticleHit(
                    article=rows[pk],
                    score=score,
                    snippet=highlight.snippet(rows[pk].text, terms, normalized=True) if snippets else "",
                    explain=info,
                )
                for pk, score, info in page
                if pk in rows
            ]
            return ArticleResults(
                query=text, total=total, took_ms=_ms(started), hits=hits, facets=counts, cited=pinned
            )
    if tuning.feedback_docs and tuning.feedback_terms and not aq.phrases:
        searcher = adapter.index.searcher()
        # The feedback words come from the first hits of every 效力级别: with words depending on the level
        # filter, a level's count on the unfiltered page would differ from the total its link shows.
        unleveled = dataclasses.replace(filters, level=[])
        first_query = (_with_analysis(aq, unleveled, tuning) or query) if filters.level else query
        if not tuning.feedback_bigrams:
            # The feedback pass skips the bigram clauses: a smaller query, nearly the same first hits.
            first_query = (
                _with_analysis(aq, unleveled, dataclasses.replace(tuning, bigram_weight=0.0)) or first_query
            )
        first = searcher.search(first_query, limit=tuning.feedback_docs, count=False)
        ids = [int(searcher.doc(address)["id"][0]) for _, address in first.hits]
        texts = list(Article.objects.filter(pk__in=ids).values_list("text", flat=True))
        aq.expansions = feedback_expansions(texts, aq, tuning, searcher)
        if aq.expansions:
            query = _with_analysis(aq, filters, tuning) or query
    if pinned:
        # The cited articles (already filtered) score above every match, matching the words or not.
        cited = tantivy.Query.const_score_query(adapter.index.any_of("id", [str(i) for i in pinned]), 1000.0)
        query = tantivy.Query.boolean_query([(tantivy.Occur.Should, query), (tantivy.Occur.Should, cited)])
    result = adapter.index.search(
        query, limit=limit, offset=offset, facets=["level", "status"] if facets else ()
    )
    rows = load_rows([int(h.id) for h in result.hits])
    terms = aq.words + [w for p in aq.phrases for w in p]
    hits = []
    for h in result.hits:
        row = rows.get(int(h.id))
        if row is None:  # deleted since it was indexed; the outbox removes it shortly
            continue
        hits.append(
            ArticleHit(
                article=row,
                score=h.score,
                snippet=highlight.snippet(row.text, terms, normalized=True) if snippets else "",
            )
        )
    return ArticleResults(
        query=text, total=result.total, took_ms=_ms(started), hits=hits, facets=result.facets, cited=pinned
    )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
