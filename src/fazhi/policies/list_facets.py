"""The facet counts beside the policy list (/policies/): each value counts the entries the list shows once
that value is chosen.

Contract: `counts(text, filters=…, chosen=…, sort=…, judged=…, hidden_checked=…, groups=…)` returns, per
facet field, value → the `total` the list page would show with that field set to that value alone (the
other filters as they are): each group of reposts once (index.search(collapse=True)), and, for a query,
only the matches that hold enough of it under that filter (index.page_relevance). The cut of weak matches
follows the best match *among the policies carrying the value*, so a value's list may keep matches the
unfiltered page cuts: its count is judged with the value's own best, from the shares
`relevant(every=True)` gives. A group counts under a value when any member the list would keep carries
it: choosing the value filters the members before the list folds them, and the entry then shows that
member. `counts_later` runs it on a worker thread while the page searches.

`policy_values(ids)` gives each policy's indexed facet values, kept per process for the index's current
commit; the counting reads them instead of asking the index once per value. The JSON API keeps the
index's own facet counts (every matched copy): it does not fold reposts.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import tantivy

from fazhi.core.batches import chunks
from fazhi.policies import index
from fazhi.policies.query_analysis import analyze

FIELDS = {name: i for i, name in enumerate(index.FACETS)}
Values = tuple[tuple[str, ...], ...]  # a policy's indexed values of each facet field, in FACETS order
NO_VALUES: Values = tuple(() for _ in index.FACETS)
_ALL = 1_000_000
# Policies read per aggregation: Tantivy refuses an aggregation of more than 65,000 buckets, and a policy
# makes about ten (one per value).
READ_BATCH = 2000
CACHE_LIMIT = 100_000  # policies whose values are kept per process (about 300 bytes each, tuples shared)

_lock = threading.Lock()  # the cache
_pool_lock = threading.Lock()
_pool_state: dict[str, Any] = {"pid": None, "pools": {}}
_cache: dict[str, Any] = {"at": None, "values": {}, "shared": {}}


_gc_lock = threading.Lock()
_gc_state = {"paused": 0, "was_enabled": False}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while values are read and kept: a reading makes tens of
    thousands of short-lived dicts and lists (the aggregation's buckets), and each collection they trigger
    walks the whole heap, kept values included. Nothing read makes a reference cycle, so nothing waits for
    the collector; it runs again as soon as the last reading in the process ends (readings on several
    threads overlap), and only if it was running before."""
    with _gc_lock:
        if _gc_state["paused"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_state["paused"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["paused"] -= 1
            if _gc_state["paused"] == 0 and _gc_state["was_enabled"]:
                gc.enable()


def _read(searcher: tantivy.Searcher, pks: list[int]) -> dict[int, list[list[str]]]:
    """The indexed facet values of the given policies: one aggregation by value, then by policy id."""
    found: dict[int, list[list[str]]] = {}
    schema = index.adapter.index.schema
    for some in chunks(pks, READ_BATCH):
        query = tantivy.Query.term_set_query(schema, "id", [str(pk) for pk in some])
        spec = {
            name: {
                "terms": {"field": name, "size": _ALL},
                "aggs": {"ids": {"terms": {"field": "id", "size": len(some)}}},
            }
            for name in index.FACETS
        }
        out = searcher.aggregate(query, spec)
        for name, i in FIELDS.items():
            for bucket in out.get(name, {}).get("buckets", []):
                value = str(bucket["key"])
                for member in bucket["ids"]["buckets"]:
                    pk = int(member["key"])
                    if pk not in found:
                        found[pk] = [[] for _ in FIELDS]
                    found[pk][i].append(value)
    return found


def policy_values(pks: Iterable[int]) -> dict[int, Values]:
    """Each policy's facet values as the index holds them (what the filters match); a policy the index does
    not hold has none. Kept per process for the index's current commit (values change only when a policy
    is indexed again, which commits); the first call after a commit reads the ones it needs and has every
    other policy read on a worker thread."""
    return {pk: held.values for pk, held in _held(pks).items()}


@dataclass(frozen=True)
class _Held:
    values: Values
    ids: np.ndarray  # the same values as numbers (_value_ids), for counting many policies at once


# Every (field index, value) met, numbered: the numbers stay valid for the life of the process.
_value_ids: dict[tuple[int, str], int] = {}
_value_names: list[tuple[int, str]] = []


def _held(pks: Iterable[int]) -> dict[int, _Held]:
    idx = index.adapter.index
    searcher, generation = idx.searcher_and_generation()
    at = (idx.directory, generation)
    wanted = list(dict.fromkeys(pks))
    with _lock:
        fresh = _cache["at"] != at
        if fresh:
            _cache.update(at=at, values={}, shared={})
        known: dict[int, _Held] = _cache["values"]
        out = {pk: known[pk] for pk in wanted if pk in known}
    if fresh and generation is not None:
        _pool("reading", 1).submit(_read_all, at)
    missing = [pk for pk in wanted if pk not in out]
    if missing:
        with _collector_paused():
            out.update(_keep(at, missing, _read(searcher, missing)))
    return out


def _keep(at: tuple[Any, Any], pks: list[int], read: dict[int, list[list[str]]]) -> dict[int, _Held]:
    """The values read, as kept (identical tuples stored once), and kept if the commit is still `at`."""
    with _lock:
        current = _cache["at"] == at and at[1] is not None
        shared: dict[tuple[str, ...], tuple[str, ...]] = _cache["shared"] if current else {}
        out = {}
        for pk in pks:
            lists = read.get(pk)
            if not lists:
                out[pk] = _Held(NO_VALUES, np.empty(0, dtype=np.int32))
                continue
            values = tuple(shared.setdefault(tuple(sorted(v)), tuple(sorted(v))) for v in lists)
            numbers = []
            for i, of_field in enumerate(values):
                for value in of_field:
                    number = _value_ids.get((i, value))
                    if number is None:
                        number = _value_ids[(i, value)] = len(_value_names)
                        _value_names.append((i, value))
                    numbers.append(number)
            out[pk] = _Held(values, np.array(numbers, dtype=np.int32))
        if current and len(_cache["values"]) < CACHE_LIMIT:
            _cache["values"].update(out)
    return out


def _read_all(at: tuple[Any, Any]) -> None:
    """Read every policy's values for the commit `at`, a batch at a time, unless another commit came."""
    searcher, generation = index.adapter.index.searcher_and_generation()
    if (index.adapter.index.directory, generation) != at:
        return
    found = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs)).hits
    pks = [int(searcher.doc(address)["id"][0]) for _, address in found]
    for some in chunks(pks, READ_BATCH):
        with _lock:
            if _cache["at"] != at:
                return
            missing = [pk for pk in some if pk not in _cache["values"]]
        with _collector_paused():
            _keep(at, missing, _read(searcher, missing))


def _missed(values: dict[int, Values], filters: dict[str, list[str]]) -> dict[int, frozenset[str]]:
    """For each policy that misses a filter (carries none of its values), the filtered fields it misses."""
    missed: dict[int, set[str]] = {}
    for name, wanted in filters.items():
        i, want = FIELDS[name], set(wanted)
        for pk, held in values.items():
            if want.isdisjoint(held[i]):
                missed.setdefault(pk, set()).add(name)
    return {pk: frozenset(names) for pk, names in missed.items()}


NONE_MISSED: frozenset[str] = frozenset()


def _ignored(name: str, chosen: Collection[str]) -> frozenset[str]:
    """The filters a value of `name` is not counted under: a chosen `name` (its values are alternatives, each
    counted as if chosen alone). A filter applied without being chosen (the page's default status filter)
    stays: only its own values are counted, each under itself."""
    return frozenset({name} & set(chosen))


def _pool(name: str = "counts", workers: int = 2) -> ThreadPoolExecutor:
    """A small pool per purpose and process (made again after a fork: a forked child has no worker
    threads): "counts" for the pages (not the index's facet pool: counting waits on aggregations that run
    there), "reading" for reading every policy's values after a commit (a page never waits behind it)."""
    with _pool_lock:
        if _pool_state["pid"] != os.getpid():
            _pool_state.update(pid=os.getpid(), pools={})
        pools: dict[str, ThreadPoolExecutor] = _pool_state["pools"]
        if name not in pools:
            pools[name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"fazhi-policy-{name}")
        return pools[name]


def counts_later(text: str, **kw: Any) -> Future[dict[str, dict[str, int]]]:
    """`counts` on a worker thread, while the page searches: it reads the index (which works without the
    GIL), never the database."""
    return _pool().submit(counts, text, **kw)


def counts(
    text: str,
    *,
    filters: dict[str, list[str]],
    chosen: Collection[str],
    sort: str,
    judged: index.PageRelevance,
    hidden_checked: bool,
    groups: dict[int, int],
) -> dict[str, dict[str, int]]:
    """Per facet field, value → the number of entries the list shows with that value chosen (see the module
    docstring); values it would show none of are left out. `judged` is the page's own
    page_relevance(..., every=True); `chosen` the fields whose filter the visitor chose; `groups` every
    grouped policy's group (duplicates.group_keys())."""
    aq = judged.query or analyze(text)
    tq = index.build_query(aq)
    if tq is None and text.strip():
        return {}  # nothing searchable typed: the list is empty whatever is chosen
    if judged.keep is None:
        return _matched_counts(tq, filters, chosen, sort, groups)
    found = judged.judged
    if found is None or judged.scope:  # judged under filters: the values of other filters need every policy
        found = index.relevant(aq, None, every=True)
    if found is None or tq is None:
        return {}
    return _kept_counts(tq, found.shares, filters, chosen, hidden_checked, groups)


def _kept_counts(
    tq: tantivy.Query,
    shares: list[tuple[int, float]],
    filters: dict[str, list[str]],
    chosen: Collection[str],
    hidden_checked: bool,
    groups: dict[int, int],
) -> dict[str, dict[str, int]]:
    """Counts for a query the page cuts (index.page_relevance): `shares` are the policies holding at least
    MIN_SHARE of it, best first, under no filter. For a value, the best share among the policies the page
    would judge under it sets the cut; the policies at or above it that the query matches under the
    filters count by group. Counted in numpy over every (policy, value) pair: 59,900 policies make
    thousands of policies and tens of thousands of pairs.

    The page hides 已失效 and 已废止 policies by the database's status and filters by the index's; here the
    index's (the two agree but while an edit waits to be indexed)."""
    pks = [pk for pk, _ in shares]
    if not pks:
        return {}
    held = _held(pks)
    unmatched = index.unmatched_among(tq, pks)
    hides = index.hides_inactive(filters, hidden_checked)
    # Per field: the filters its values are counted without, when listing and when judging (the page judges
    # a query among every status when it hides the inactive ones, and among the chosen status when one is).
    listed = [_bits(_ignored(name, chosen)) for name in FIELDS]
    judged = [
        bits | _bits({"status"}) if hides and name != "status" else bits
        for name, bits in zip(FIELDS, listed, strict=True)
    ]
    with _lock:
        named = list(_value_names)
    field_of = np.array([i for i, _ in named], dtype=np.int64)
    arrays = [held[pk].ids for pk in pks]
    values = np.concatenate(arrays).astype(np.int64)
    rows = np.repeat(np.arange(len(pks)), [len(a) for a in arrays])
    share = np.array([s for _, s in shares], dtype=np.float64)
    fields = field_of[values]
    # Each policy's missed filters as bits: a filtered field none of whose chosen values it carries.
    missed = np.zeros(len(pks), dtype=np.int64)
    for name, wanted in filters.items():
        numbers = [_value_ids[(FIELDS[name], v)] for v in wanted if (FIELDS[name], v) in _value_ids]
        carries = np.bincount(rows[np.isin(values, numbers)], minlength=len(pks)) > 0
        missed[~carries] |= _bits({name})
    misses = missed[rows]
    judged_ok = (misses & ~np.array(judged, dtype=np.int64)[fields]) == 0
    listed_ok = (misses & ~np.array(listed, dtype=np.int64)[fields]) == 0
    # Rows run from the best share down: a value's first judged row holds its best share.
    judged_rows = np.flatnonzero(judged_ok)
    seen, first = np.unique(values[judged_rows], return_index=True)
    best = np.zeros(len(named), dtype=np.float64)
    best[seen] = share[rows[judged_rows[first]]]
    cut = np.maximum(index.MIN_SHARE, index.MIN_SHARE_OF_BEST * np.minimum(1.0, best))
    counted = listed_ok & (share[rows] >= cut[values])
    if unmatched:
        counted &= ~np.isin(np.array(pks, dtype=np.int64), list(unmatched))[rows]
    per_value = np.bincount(values[counted], minlength=len(named))
    # A group with several members counted under a value counts once: the pairs of grouped policies are
    # looked at apart (few).
    position = {pk: at for at, pk in enumerate(pks)}
    grouped = [(position[pk], key) for pk, key in groups.items() if pk in position]
    if grouped:
        at, key = (np.array(column, dtype=np.int64) for column in zip(*grouped, strict=True))
        key_of = np.full(len(pks), -1, dtype=np.int64)
        key_of[at] = key
        pairs = counted & (key_of[rows] >= 0)
        entries, n = np.unique((values[pairs] << 32) | key_of[rows[pairs]], return_counts=True)
        np.subtract.at(per_value, entries >> 32, n - 1)
    out: dict[str, dict[str, int]] = {name: {} for name in FIELDS}
    names = list(FIELDS)
    for number in np.flatnonzero(per_value).tolist():
        i, value = named[number]
        out[names[i]][value] = int(per_value[number])
    return out


def _bits(names: Collection[str]) -> int:
    """Facet fields as bits (FIELDS order)."""
    return sum(1 << FIELDS[name] for name in names)


def _matched_counts(
    tq: tantivy.Query | None,
    filters: dict[str, list[str]],
    chosen: Collection[str],
    sort: str,
    keys: dict[int, int],
) -> dict[str, dict[str, int]]:
    """Counts when the page lists every match (no query, a sort by closing date, a query without bigrams):
    the index counts the matches of each value (on a worker thread); of each group of reposts with several
    matched members carrying a value, all but one are then taken off."""
    idx = index.adapter.index
    pending: dict[frozenset[str], Future[dict[str, dict[str, int]]]] = {}
    for name in FIELDS:
        ignored = _ignored(name, chosen)
        if ignored not in pending:
            scope = {k: v for k, v in filters.items() if k not in ignored}
            pending[ignored] = idx.facet_counts_later(index.matching(tq, scope, sort), index.FACETS, _ALL)
    # Meanwhile: the grouped policies the query matches (under no filter; the filters are applied below).
    groups: dict[int, list[int]] = {}
    for pk in index.matched_among(index.matching(tq, None, sort), keys):
        groups.setdefault(keys[pk], []).append(pk)
    several = [members for members in groups.values() if len(members) > 1]
    values = policy_values(pk for members in several for pk in members)
    missed = _missed(values, filters)
    out: dict[str, dict[str, int]] = {}
    for name, i in FIELDS.items():
        ignored = _ignored(name, chosen)
        counted = dict(pending[ignored].result().get(name, {}))
        for members in several:
            carried: dict[str, int] = {}
            for pk in members:
                if missed.get(pk, NONE_MISSED) <= ignored:
                    for value in values[pk][i]:
                        carried[value] = carried.get(value, 0) + 1
            for value, n in carried.items():
                counted[value] = counted.get(value, 0) - (n - 1)  # the group's matches count once
        out[name] = {value: n for value, n in counted.items() if n > 0}
    return out
