"""Facet counts: a query that matches most of the index is counted as the whole index minus the
documents it misses (whole-index counts kept per commit); the counts must equal a direct count, follow
every commit, and cut long value lists the same way in both paths."""

from __future__ import annotations

import tantivy

from fazhi.search import engine
from fazhi.search.engine import SearchIndex
from fazhi.search.schema import KEYWORD, TEXT, Field

FIELDS = [Field("body", TEXT, bigram_boost=0.3), Field("kind", KEYWORD), Field("tag", KEYWORD)]


def _index(tmp_path, docs: list[tuple[str, str, str, list[str]]]) -> SearchIndex:
    idx = SearchIndex("f", FIELDS, directory=tmp_path / "f")
    with idx.writer(heap_size=15_000_000, num_threads=1) as w:
        for doc_id, body, kind, tags in docs:
            w.add_document(idx.make_document(doc_id, {"body": body, "kind": kind, "tag": tags}))
    return idx


def _body(idx: SearchIndex, *words: str) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, idx.term("body", w)) for w in words])


DOCS = [
    ("1", "房租 减免", "a", ["x", "y"]),
    ("2", "房租 补贴", "a", ["x"]),
    ("3", "贷款 贴息", "b", ["y"]),
    ("4", "房租 贴息", "b", []),
    ("5", "社保 缓缴", "c", ["z"]),
]


def _direct(
    idx: SearchIndex, query: tantivy.Query, size: int = 50, facets: tuple[str, ...] = ("kind", "tag")
) -> dict[str, dict[str, int]]:
    return idx.facet_counts(query, facets, size, searcher=idx.searcher())  # no commit known: counted directly


def test_a_broad_query_is_counted_from_what_it_misses_and_matches_a_direct_count(tmp_path, monkeypatch):
    idx = _index(tmp_path, DOCS)
    broad = _body(idx, "房租", "贴息")  # documents 1-4 of 5
    seen: list[tantivy.Query] = []
    aggregate = SearchIndex._aggregate

    def spy(searcher, query, facet_list):  # type: ignore[no-untyped-def]
        seen.append(query)
        return aggregate(searcher, query, facet_list)

    monkeypatch.setattr(SearchIndex, "_aggregate", staticmethod(spy))
    counts = idx.facet_counts(broad, ["kind", "tag"])
    assert counts == {"kind": {"a": 2, "b": 2}, "tag": {"x": 2, "y": 2}}
    assert "MustNot" in repr(seen[-1])  # the complement path was taken
    assert counts == _direct(idx, broad)
    # a narrow query (1 of 5) is counted directly
    seen.clear()
    assert idx.facet_counts(_body(idx, "社保"), ["kind", "tag"]) == {"kind": {"c": 1}, "tag": {"z": 1}}
    assert "MustNot" not in repr(seen[-1])


def test_counts_follow_every_commit(tmp_path):
    idx = _index(tmp_path, DOCS)
    broad = _body(idx, "房租", "贴息")
    assert idx.facet_counts(broad, ["kind"]) == {"kind": {"a": 2, "b": 2}}
    with idx.writer(heap_size=15_000_000, num_threads=1) as w:
        idx.upsert(w, "2", {"body": "房租 补贴", "kind": "c", "tag": []})  # a changed value, same doc count
        w.add_document(idx.make_document("6", {"body": "房租", "kind": "d", "tag": []}))
    assert idx.facet_counts(broad, ["kind"]) == {"kind": {"a": 1, "b": 2, "c": 1, "d": 1}}
    with idx.writer(heap_size=15_000_000, num_threads=1) as w:
        w.delete_documents_by_term("id", "4")
    assert idx.facet_counts(broad, ["kind"]) == {"kind": {"a": 1, "b": 1, "c": 1, "d": 1}}
    assert idx.facet_counts(broad, ["kind", "tag"]) == _direct(idx, broad)
    # only the latest commit's whole-index counts are kept
    assert {key[2] for key in engine._whole_counts if key[0] == idx.directory} == {("kind",), ("kind", "tag")}
    assert sum(1 for key in engine._whole_counts if key[0] == idx.directory) == 2


def test_long_value_lists_are_cut_the_same_way_in_both_paths(tmp_path):
    docs = [(str(i), "房租", f"k{i % 7}", [f"t{i % 11}"]) for i in range(40)] + [("x", "社保", "k0", [])]
    idx = _index(tmp_path, docs)
    broad = _body(idx, "房租")
    cut = idx.facet_counts(broad, ["kind", "tag"], 3)
    assert cut == _direct(idx, broad, 3)
    # most frequent first, equal counts by value
    assert list(cut["kind"].items()) == [("k0", 6), ("k1", 6), ("k2", 6)]
    assert list(cut["tag"].items()) == [("t0", 4), ("t1", 4), ("t2", 4)]


def test_the_search_call_passes_its_own_count(tmp_path):
    idx = _index(tmp_path, DOCS)
    result = idx.search(_body(idx, "房租", "贴息"), limit=2, facets=["kind"])
    assert result.total == 4
    assert result.facets == {"kind": {"a": 2, "b": 2}}
