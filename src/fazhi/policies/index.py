"""The "policies" search index: adapter, the query over the index fields, and ranked search.

Contract: `PolicyAdapter` turns a Policy into index fields; `analyze(text)` (query_analysis) adds weighted
synonyms to an AnalyzedQuery; `search(text, filters=…, limit=…, sort=…)` returns a SearchOutcome (hits with
Policy rows, total, facet counts, the analysed query for snippets).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import tantivy
from django.utils import timezone

from fazhi.policies import learning, ranking, sizing
from fazhi.policies.models import INACTIVE_STATUSES, Level, Policy, Status
from fazhi.policies.query_analysis import analyze, cnsyn_synonyms, own_synonyms
from fazhi.policies.query_analysis import own_groups as own_groups  # bench/ncpqa.py --ablation reads it here
from fazhi.search import analysis
from fazhi.search import query as sq
from fazhi.search.engine import Result
from fazhi.search.registry import Adapter, PageHit, PageResults
from fazhi.search.schema import INT, KEYWORD, TEXT, Field

INDEX = "policies"
FACETS = ["issuer", "level", "doc_type", "theme", "industry", "size", "support_type", "status", "year"]
ANY = "*"  # matching fields: the policy does not restrict this dimension

# Query weights per index field, tuned on ncpqa-train with bench/ncpqa.py --ablation. The body starts
# with the title, so the title is already counted once; a separately weighted title field lowered
# R@1 (title 1.0: 0.739 vs 0.805 without) because short titles full of 疫情/企业 out-score the
# passage that answers. The title still counts in the second stage (title_coverage).
WEIGHTS = {"title": 0.0, "title_bi": 0.0, "body": 1.0, "body_bi": 0.6}
TITLE_BOOST = WEIGHTS["title"]
BODY_BOOST = WEIGHTS["body"]


class PolicyAdapter(Adapter):
    name = INDEX
    fields = [
        Field("title", TEXT, boost=TITLE_BOOST, bigram_boost=0.3),
        Field("body", TEXT, boost=BODY_BOOST, bigram_boost=0.3),
        Field("issuer", KEYWORD),
        Field("level", KEYWORD),
        Field("doc_type", KEYWORD),
        Field("theme", KEYWORD),
        Field("industry", KEYWORD),
        Field("size", KEYWORD),
        Field("support_type", KEYWORD),
        Field("status", KEYWORD),
        Field("year", KEYWORD),
        Field("match_industry", KEYWORD),
        Field("match_size", KEYWORD),
        Field("match_region", KEYWORD),
        Field("published", INT),
        Field("apply_end", INT),
    ]

    def iter_all(self) -> Iterator[Policy]:
        return Policy.objects.order_by("pk").iterator(chunk_size=2000)

    def count(self) -> int:
        return Policy.objects.count()

    def load(self, ids: Iterable[str]) -> dict[str, Policy]:
        pks = [int(i) for i in ids if str(i).isdigit()]
        return {str(p.pk): p for p in Policy.objects.filter(pk__in=pks)}

    def to_document(self, obj: Policy) -> dict[str, Any]:
        return policy_document(obj)

    rebuilt_label = "比对相近内容"

    def rebuilt(self, progress: Callable[[int], None] | None = None) -> None:
        """Regroup the policies whose texts are the same or nearly so (reposts, shown folded in results)."""
        from fazhi.policies import duplicates

        duplicates.refresh_all(progress=progress)

    def page_search(self, text: str, limit: int) -> PageResults:
        """As /policies/?q= shows it: expired and repealed policies hidden, synonyms and re-ranking on."""
        from fazhi.policies.selectors import ACTIVE_STATUSES  # selectors imports this module

        filters = {"status": list(ACTIVE_STATUSES)}
        keep = page_relevance(text, filters).keep
        outcome = search(text, filters=filters, limit=limit, facets=False, keep=keep, collapse=True)
        hits = [
            PageHit(p.title, p.get_absolute_url(), outcome.snippets.get(p.pk, "")) for p, _ in outcome.hits
        ]
        return PageResults(total=outcome.total, hits=hits)


NO_WINDOW = 99991231  # how an index built before this fix marked a policy without an application window


def _date_int(d: Any) -> int:
    return int(d.strftime("%Y%m%d")) if d else 0


def policy_document(p: Policy) -> dict[str, Any]:
    section_names = sizing.sections()
    issuers = p.issuers
    return {
        "title": p.title,
        # The issuing body and the document number are part of what people type ("北京市…采取什么措施").
        "body": " ".join(
            x for x in (p.issuer, p.doc_number, p.beneficiaries, p.support_standard, p.full_text) if x
        ),
        "issuer": issuers,
        "level": Level(p.level).label if p.level else "",
        "doc_type": p.doc_kind,
        "theme": list(p.themes),
        "industry": [section_names.get(s, s) for s in p.industries],
        "size": list(p.sizes),
        "support_type": list(p.support_types),
        "status": Status(p.status).label,
        "year": str(p.year) if p.year else "",
        "match_industry": list(p.industries) or [ANY],
        "match_size": list(p.sizes) or [ANY],
        "match_region": list(p.regions) or [ANY],
        "published": _date_int(p.published_date or p.written_date),
        # No application window: the field is left out (None), so no date range matches the policy.
        # (It used to be indexed as 99991231, which every "open from today" range matched.)
        "apply_end": _date_int(p.apply_end) or None,
    }


adapter = PolicyAdapter()


# Sloppy phrases of adjacent query words: measured no gain (0.5: R@1 -0.002), so off.
PAIR_WEIGHT = 0.0
PAIR_SLOP = 0


def build_query(
    aq: sq.AnalyzedQuery,
    weights: dict[str, float] | None = None,
    *,
    pair_weight: float | None = None,
    pair_slop: int | None = None,
) -> tantivy.Query | None:
    """Weighted sum of term queries: words and synonyms on the word fields, bigrams on the *_bi fields,
    plus (optionally) sloppy phrases of adjacent query words on the body."""
    w = {**WEIGHTS, **(weights or {})}
    pair_weight = PAIR_WEIGHT if pair_weight is None else pair_weight
    pair_slop = PAIR_SLOP if pair_slop is None else pair_slop
    index = adapter.index
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []

    def add(q: tantivy.Query, weight: float) -> None:
        if weight > 0:
            clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, weight)))

    for name in ("title", "body"):
        for word in aq.words:
            add(index.term(name, word), w[name])
        for word, ew in aq.expansions:
            add(index.term(name, word), w[name] * ew)
        for bg in aq.bigrams:
            add(index.term(f"{name}_bi", bg), w[f"{name}_bi"])
    if pair_weight > 0:
        for a, b in zip(aq.words, aq.words[1:], strict=False):
            add(tantivy.Query.phrase_query(index.schema, "body", [a, b], slop=pair_slop), pair_weight)
    if not clauses:
        return None
    return tantivy.Query.boolean_query(clauses)


# --- how much of the query a result holds -------------------------------------------------------
# A result of the list page must hold at least MIN_SHARE of the query's IDF-weighted words and bigrams, and
# MIN_SHARE_OF_BEST of what the best result holds. Measured on ncpqa-train (962 questions, the API's top 10):
# 0.2 / 0.4 drop 2 labelled policies from a top 10 (none ranked first) and cut the average total from 501
# to 19; 0.25 drops 12 (3 first), 0.3 drops 26 (11 first). "zzzzqqq不存在的词" keeps 20 of 369 (its
# best result holds 0.27: see WEAK_BEST), 绍兴市住房公积金管理中心 7 of 352.
MIN_SHARE = 0.2
MIN_SHARE_OF_BEST = 0.4
WEAK_BEST = 0.3  # below this even the best result holds little of the query: the page says so


@dataclass
class Relevant:
    """The policies (ids) that hold enough of a query, and the largest share any policy holds; with
    `relevant(every=True)`, also each policy holding at least MIN_SHARE with its share, best first."""

    ids: set[int]
    best: float
    shares: list[tuple[int, float]] = field(default_factory=list)


def cut_for(best: float) -> float:
    """The share a policy must hold when the best one under the same filters holds `best`."""
    return max(MIN_SHARE, MIN_SHARE_OF_BEST * min(1.0, best))


def relevant(
    aq: sq.AnalyzedQuery, filters: dict[str, list[str]] | None = None, *, every: bool = False
) -> Relevant | None:
    """The policies under the filters that hold at least MIN_SHARE of the query's IDF-weighted words and
    character bigrams (in the text or the title) and MIN_SHARE_OF_BEST of the best one's share (the
    re-ranker's coverage, counted by the index: each term scores its weight once). A word found through one
    of its synonyms (补助 → 补贴) counts as found, its bigrams with it. None when the query has no bigrams
    to judge by. `every` lists the share of every policy holding MIN_SHARE or more (the list page's facet
    counts judge each facet value's own best with them: list_facets)."""
    index = adapter.index
    searcher = index.searcher()
    terms = learning.QueryTerms.of(aq, searcher)
    total = sum(terms.bigrams.values()) + sum(terms.words.values())
    if not terms.bigrams or not total:
        return None

    def held(field: str, *alternatives: str) -> tantivy.Query:  # in the body or the title
        either = [
            (tantivy.Occur.Should, index.term(f"{name}{field}", t))
            for name in ("body", "title")
            for t in alternatives
        ]
        return tantivy.Query.boolean_query(either)

    expansions = {w for w, _ in aq.expansions}
    own, cnsyn = own_synonyms(), cnsyn_synonyms()
    clauses: list[tantivy.Query] = []
    covered: set[str] = set()
    for word, weight in terms.words.items():
        inside = [b for b in terms.bigrams if b in word and b not in covered]
        covered.update(inside)
        synonyms = sorted(({*own.get(word, {}), *cnsyn.get(word, [])} & expansions) - {word})
        whole = tantivy.Query.const_score_query(
            held("", word, *synonyms), weight + sum(terms.bigrams[b] for b in inside)
        )
        parts = [tantivy.Query.const_score_query(held("_bi", b), terms.bigrams[b]) for b in inside]
        # The word (or a synonym) earns its bigrams' weight too; without it each bigram counts alone.
        if parts:
            pieces = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in parts])
            clauses.append(tantivy.Query.disjunction_max_query([whole, pieces]))
        else:
            clauses.append(whole)
    for bigram, weight in terms.bigrams.items():
        if bigram not in covered:
            clauses.append(tantivy.Query.const_score_query(held("_bi", bigram), weight))
    query = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in clauses])
    if filters:
        scoped = tantivy.Query.const_score_query(sq.with_filters(index, None, filters), 0.0)
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, scoped)])
    hits, best = _hits_down_to(searcher, query, total, every=every)
    cut = cut_for(best)
    ids: set[int] = set()
    shares: list[tuple[int, float]] = []
    for score, address in hits:
        share = float(score) / total
        if share < (MIN_SHARE if every else cut):
            break
        pk = int(searcher.doc(address)["id"][0])
        if share >= cut:
            ids.add(pk)
        if every:
            shares.append((pk, share))
    return Relevant(ids, best, shares)


# Matches read at first by `relevant`; when the last one read still holds enough of the query, the read is
# repeated READ_GROWTH times larger. A query's kept matches number 20 on average among the 599 shared
# policies; reading every match (59,900 at scale) cost 40-140 ms of Python tuples a list page.
FIRST_READ = 512
READ_GROWTH = 8


def _hits_down_to(
    searcher: tantivy.Searcher, query: tantivy.Query, total: float, *, every: bool
) -> tuple[list[Any], float]:
    """The matches of `relevant`'s query, best share first, read down to the first one below the share
    the caller keeps (MIN_SHARE with `every`, else the cut for the best share) or to the last match, and
    the best share."""
    limit, everything = FIRST_READ, max(1, searcher.num_docs)
    while True:
        limit = min(limit, everything)
        hits = searcher.search(query, limit=limit).hits
        best = min(1.0, float(hits[0][0]) / total) if hits else 0.0
        floor = MIN_SHARE if every else cut_for(best)
        if len(hits) < limit or limit == everything or float(hits[-1][0]) / total < floor:
            return hits, best
        limit *= READ_GROWTH


@dataclass
class PageRelevance:
    """What the list page keeps of a query's matches (None: every match), how many hidden 已失效 or 已废止
    policies hold enough of it, and whether even the best match holds little of it; with
    `page_relevance(every=True)`, also the shares it judged by (`relevant(every=True)`), the filters it
    judged under and the analysed query."""

    keep: set[int] | None = None
    hidden: int = 0
    weak: bool = False
    judged: Relevant | None = None
    scope: dict[str, list[str]] | None = None
    query: sq.AnalyzedQuery | None = None


def hides_inactive(filters: dict[str, list[str]], hidden_checked: bool) -> bool:
    """Whether the list page judges a query among every status and then hides the 已失效 and 已废止
    matches (its default status filter, in force only), rather than judging among the chosen statuses."""
    return hidden_checked and filters.get("status") == [Status.VALID.label, Status.EXPIRING.label]


def page_relevance(
    text: str,
    filters: dict[str, list[str]],
    *,
    sort: str = "relevance",
    hidden_checked: bool = False,
    every: bool = False,
) -> PageRelevance:
    """The list page's (and the site search's) cut of weak matches: the policies under `filters` that hold
    enough of the query (`relevant`). With `hidden_checked` and the default status filter (in force only),
    the inactive policies that hold enough of it are counted for the "另有 N 件已失效政策匹配" hint. A sort by
    closing date keeps every match (it lists open windows, not answers)."""
    if not text.strip() or sort == "closing":
        return PageRelevance()
    hides = hides_inactive(filters, hidden_checked)
    scope = {k: v for k, v in filters.items() if k != "status"} if hides else filters
    aq = analyze(text)
    found = relevant(aq, scope, every=every)
    if found is None:
        return PageRelevance()
    keep, hidden = found.ids, 0
    if hides:
        inactive = set(
            Policy.objects.filter(pk__in=keep, status__in=INACTIVE_STATUSES).values_list("pk", flat=True)
        )
        keep, hidden = keep - inactive, len(inactive)
    return PageRelevance(keep, hidden, found.best < WEAK_BEST, found if every else None, scope, aq)


# --- searching --------------------------------------------------------------------------------
SORTS = {"relevance": "相关度", "date": "发布日期", "closing": "申报截止临近"}


@dataclass
class SearchOutcome:
    query: sq.AnalyzedQuery
    total: int
    hits: list[tuple[Policy, float]]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    snippets: dict[int, str] = field(default_factory=dict)
    took_ms: float = 0.0
    explain: dict[int, dict[str, Any]] | None = None  # by policy id, when asked for (staff only)
    collapsed: int = 0  # matched reposts left out of `hits` and `total` (search(collapse=True))


# A document number typed into the question: 京政办发〔2020〕7号, 京政办发[2020]7号, 京政办发2020年7号,
# 税务总局公告2020年第8号. The agency code is compared by suffix with the parsed 机关代字 of each policy.
CITED_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fa5]{2,20}?)\s*[〔\[［【(（]?\s*(?P<year>(?:19|20)\d\d)\s*[〕\]］】)）年]?\s*"
    r"第?\s*(?P<serial>\d{1,5})\s*号"
)


def cited_policies(text: str) -> list[int]:
    """Policies whose 文号 the question cites (by 机关代字, year and serial), oldest record first."""
    found: list[int] = []
    for m in CITED_NUMBER.finditer(analysis.normalize(text)):
        code, year, serial = m.group("code"), int(m.group("year")), int(m.group("serial"))
        rows = Policy.objects.filter(doc_year=year, doc_serial=serial).order_by("pk")
        for pk, stored in rows.values_list("pk", "doc_agency_code"):
            short, long = sorted((stored or "", code), key=len)
            if len(short) >= 2 and long.endswith(short) and pk not in found:
                found.append(pk)
    return found


def cited_first(
    text: str, hits: list[tuple[Policy, float]], reasons: dict[int, dict[str, Any]] | None = None
) -> list[tuple[Policy, float]]:
    """The ranked hits with the policies whose 文号 the question cites, or whose title the question is
    (a title pasted into the box, with or without 《》), moved to the front."""
    cited = set(cited_policies(text))  # no number in the text: no lookup
    normalized = analysis.normalize(text).strip().strip('《》“”"').strip()
    if len(normalized) >= 6:
        cited |= {p.pk for p, _ in hits if analysis.normalize(p.title).strip() == normalized}
    if not cited:
        return hits
    if reasons is not None:
        for pk in cited:
            reasons.setdefault(pk, {})["cited_document_number"] = True
    return [h for h in hits if h[0].pk in cited] + [h for h in hits if h[0].pk not in cited]


def _only(index: Any, query: tantivy.Query, ids: Iterable[int]) -> tantivy.Query:
    """`query` restricted to the given policies, its scores unchanged."""
    listed = tantivy.Query.term_set_query(index.schema, "id", [str(pk) for pk in ids])
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, query), (tantivy.Occur.Must, tantivy.Query.const_score_query(listed, 0.0))]
    )


def matched_among(query: tantivy.Query, ids: Collection[int]) -> set[int]:
    """Those of the policies `ids` that `query` matches."""
    index = adapter.index
    return {int(h.id) for h in index.search(_only(index, query, ids), limit=len(ids)).hits} if ids else set()


def unmatched_among(query: tantivy.Query, ids: Collection[int]) -> set[int]:
    """Those of the policies `ids` that `query` does not match: asked this way round when nearly all match
    (the list page's kept policies match its query, unless one holds the query's words only in its title),
    the index returns next to nothing."""
    if not ids:
        return set()
    index = adapter.index
    listed = tantivy.Query.term_set_query(index.schema, "id", [str(pk) for pk in ids])
    missed = tantivy.Query.boolean_query([(tantivy.Occur.Must, listed), (tantivy.Occur.MustNot, query)])
    return {int(h.id) for h in index.search(missed, limit=len(ids)).hits}


def _reposts_matched(query: tantivy.Query, keep: set[int] | None, groups: dict[int, int] | None) -> int:
    """How many matched policies a collapsed list leaves out: of each group of reposts (duplicates.py), every
    matched member but one. `groups` is every grouped policy's group (duplicates.group_keys(), when the
    caller has read it); without it, the database is asked about the grouped ones among `keep` (the
    policies the query may match), or about all. The index then tells which of them `query` matches: with
    `keep`, asked for the few it does not match (a kept policy holding the query's words only in its title)."""
    from fazhi.policies import duplicates

    if groups is None:
        groups = duplicates.group_keys(keep)
    if keep is None:
        if len(groups) == len(set(groups.values())):
            return 0
        found = matched_among(query, groups)
        return len(found) - len({groups[pk] for pk in found})
    kept = {pk: groups[pk] for pk in keep if pk in groups}
    if len(kept) == len(set(kept.values())):
        return 0  # no two of them in one group
    missed = unmatched_among(query, kept)
    matched = [key for pk, key in kept.items() if pk not in missed]
    return len(matched) - len(set(matched))


def _collapse(hits: list[tuple[Policy, float]]) -> list[tuple[Policy, float]]:
    """The hits with each group of reposts in the place of its best-ranked member; when that one is no
    longer in force and a lower-ranked copy is, the copy in force takes the place: a reader must not take a
    measure for dead because an expired repost of it ranked higher."""
    out: list[tuple[Policy, float]] = []
    at: dict[int, int] = {}
    for policy, score in hits:
        key = policy.duplicate_of_id or policy.pk
        if key not in at:
            at[key] = len(out)
            out.append((policy, score))
        elif out[at[key]][0].is_inactive and not policy.is_inactive:
            out[at[key]] = (policy, score)
    return out


def matching(tq: tantivy.Query | None, filters: dict[str, list[str]] | None, sort: str) -> tantivy.Query:
    """What `search` matches: the query's terms (every policy without them) under the filters; sorted by
    closing date, only the windows still open (apply_end >= today): windows already closed and policies
    without a window drop out of that view. The upper bound also leaves out the 99991231 that indexes
    built before policy_document left a missing date out still hold."""
    index = adapter.index
    full = sq.with_filters(index, tq, filters)
    if sort != "closing":
        return full
    today = _date_int(timezone.localdate())
    open_windows = tantivy.Query.range_query(
        index.schema, "apply_end", tantivy.FieldType.Integer, today, NO_WINDOW - 1
    )
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, full), (tantivy.Occur.Must, open_windows)])


def search(
    text: str,
    *,
    filters: dict[str, list[str]] | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    facets: bool = True,
    weights: dict[str, float] | None = None,
    pair_weight: float | None = None,
    pair_slop: int | None = None,
    drop_question_words: bool = False,
    place_stems: bool = False,
    rerank_params: dict[str, float] | None = None,
    rerank_depth: int = ranking.RERANK_DEPTH,
    with_snippets: bool = True,
    explain: bool = False,
    keep: set[int] | None = None,
    collapse: bool = False,
    groups: dict[int, int] | None = None,
    **expand_kw: Any,
) -> SearchOutcome:
    """Ranked policies for a query (all policies when the query is empty), with facet counts.

    `keep` (the list page: `relevant(...).ids`) leaves out, from the ranked results and the total, every
    policy not in it: only the kept policies are ranked (and re-ranked).

    `collapse` (the list page) lists each group of reposts once, in the place of its best-ranked member, on
    every page: `total` counts groups, `collapsed` the copies left out. `groups` (duplicates.group_keys(),
    read by the caller for other uses too) spares reading them again."""
    started = time.perf_counter()
    aq = analyze(text, drop_question_words=drop_question_words, place_stems=place_stems, **expand_kw)
    index = adapter.index
    tq = build_query(aq, weights, pair_weight=pair_weight, pair_slop=pair_slop)
    if tq is None and text.strip():
        # Something was typed but nothing in it can be searched (😀, 。，！, *): no result, not every policy.
        return SearchOutcome(query=aq, total=0, hits=[], took_ms=(time.perf_counter() - started) * 1000)
    full = matching(tq, filters, sort)
    order_by, ascending = None, False
    if sort == "date" or (tq is None and sort == "relevance"):
        order_by = "published"
    elif sort == "closing":
        order_by, ascending = "apply_end", True
    relevance = order_by is None
    # Facet counts are aggregated on a worker thread while this one re-ranks and cuts snippets.
    facet_counts = index.facet_counts_later(full, FACETS) if facets else None
    # The kept policies are searched for themselves: fetching every match to filter them afterwards took
    # 3 s a page on 59,900 policies (bench/policy_scale.py --pages).
    ranked = _only(index, full, keep) if keep else full
    # Collapsing removes at most `left_out` hits above the page's end: fetch that many more to fill it.
    left_out = _reposts_matched(ranked, keep, groups) if collapse else 0
    end = limit + offset + left_out
    fetch = max(end, rerank_depth) if relevance and offset < rerank_depth else end
    if keep is not None and not keep:
        result = Result(total=0, hits=[])
    else:
        result = index.search(ranked, limit=fetch, offset=0, order_by=order_by, ascending=ascending)
    scored = [(int(h.id), h.score) for h in result.hits if str(h.id).isdigit()]
    if relevance:
        # Equal scores (reposted copies of one text) would keep Tantivy's document order, which depends on
        # how the index was built; the older record first makes the ranking the same after any rebuild.
        scored.sort(key=lambda hit: (-hit[1], hit[0]))
    # Whole rows for what is re-ranked and what the page shows unless reposts fold; the hits fetched below
    # them only to fill a folded page are read as brief rows, and loaded whole if they reach the page.
    hits: list[Any] = ranking.load_ranked(scored, max(offset + limit, rerank_depth if relevance else 0))
    texts: dict[int, str] = {}
    rerank_now = relevance and rerank_depth and tq is not None
    need = [p.pk for p, _ in hits[: max(rerank_depth, offset + limit)]] if rerank_now else []
    if not rerank_now or not with_snippets:
        need += [p.pk for p, _ in hits[offset : offset + limit]] if with_snippets else []
    texts = ranking.load_texts(list(dict.fromkeys(need))) if need else {}
    reasons: dict[int, dict[str, Any]] | None = None
    if explain:  # the first stage's account of every hit; the second stage overwrites the ones it re-ranks
        reasons = {
            policy.pk: {
                "stage": "first stage only" if relevance else f"sorted by {order_by}",
                "first_stage_rank": rank,
                "first_stage_bm25": round(score, 4),
            }
            for rank, (policy, score) in enumerate(hits, start=1)
        }
    passages: dict[int, tuple[int, int]] = {}  # the re-ranker's densest passage of each text, for snippets
    if rerank_now:
        hits = ranking.rerank(
            aq,
            hits,
            texts,
            searcher=index.searcher(),
            depth=rerank_depth,
            params=rerank_params,
            explain=reasons,
            passages=passages if with_snippets else None,
        )
    if relevance and tq is not None:
        hits = cited_first(text, hits, reasons)
    total = result.total  # with `keep`, the kept matches only: the index was asked for those
    if left_out:
        hits = _collapse(hits)
        total = max(0, total - left_out)
    hits = ranking.whole(hits[offset : offset + limit])
    if with_snippets and left_out:  # collapsing may have brought up hits whose texts were not read
        texts.update(ranking.load_texts([p.pk for p, _ in hits if p.pk not in texts]))
    snippets = (
        {
            p.pk: ranking.snippet(
                texts.get(p.pk, ""),
                aq,
                scan=ranking.SNIPPET_SCAN if offset + i < ranking.FIRST_PAGE else ranking.SNIPPET_SCAN_DEEP,
                passage=passages.get(p.pk),
            )
            for i, (p, _) in enumerate(hits)
        }
        if with_snippets
        else {}
    )
    return SearchOutcome(
        query=aq,
        total=total,
        hits=hits,
        facets=facet_counts.result() if facet_counts is not None else {},
        snippets=snippets,
        took_ms=(time.perf_counter() - started) * 1000,
        explain=reasons,
        collapsed=left_out,
    )
