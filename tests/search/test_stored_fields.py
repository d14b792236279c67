"""A STORED field is kept with each document and read back by address; one that `keeps` KEYWORD fields holds
their values as indexed. Adding one changes only its own index's schema marker."""

from __future__ import annotations

import pytest

from fazhi.search.engine import SearchIndex, signature
from fazhi.search.schema import INT, KEYWORD, STORED, TEXT, Field

FIELDS = [
    Field("title", TEXT, bigram_boost=0.3),
    Field("kind", KEYWORD),
    Field("tags", KEYWORD),
    Field("kept", STORED, keeps=("kind", "tags")),
    Field("note", STORED),
]


def _index(tmp_path, fields=FIELDS, name="t") -> SearchIndex:
    return SearchIndex(name, fields, directory=tmp_path / name)


def test_the_kept_values_are_the_indexed_ones(tmp_path):
    idx = _index(tmp_path)
    with idx.writer(heap_size=15_000_000, num_threads=1) as w:
        w.add_document(
            idx.make_document("1", {"title": "减免房租", "kind": "a", "tags": ["x", "", None, "y", "x"]})
        )
        w.add_document(idx.make_document("2", {"title": "贴息", "kind": 2020, "note": "备注"}))
        w.add_document(idx.make_document("3", {"title": "无", "kept": "ignored: filled by the engine"}))
        # Values holding the separators of the compact form (written as JSON instead), or brackets.
        w.add_document(idx.make_document("4", {"kind": "[a]", "tags": ["b\x1fc", "d\x1e", "\x1d"]}))
        w.add_document(idx.make_document("5", {"kind": "[a]", "tags": ['"e",', "\\"]}))
    searcher = idx.searcher()
    got = dict(idx.stored_by_id(searcher, ["1", "2", "3", "4", "5", "404"], "kept"))
    # Empty values are not indexed, a repeated one is indexed once, numbers as their text.
    assert got == {
        "1": [["a"], ["x", "y"]],
        "2": [["2020"], []],
        "3": [[], []],
        "4": [["[a]"], ["b\x1fc", "d\x1e", "\x1d"]],
        "5": [["[a]"], ['"e",', "\\"]],
    }
    notes = dict(idx.stored_by_id(searcher, ["1", "2"], "note"))
    assert notes == {"1": None, "2": "备注".encode()}
    # The kept values are those the index filters by.
    assert [h.id for h in idx.search(idx.term("tags", "y")).hits] == ["1"]
    assert list(idx.stored_by_id(searcher, [], "kept")) == []


def test_only_a_stored_field_keeps_and_only_keyword_fields(tmp_path):
    with pytest.raises(ValueError):
        _index(tmp_path, [Field("kind", KEYWORD), Field("kept", KEYWORD, keeps=("kind",))])
    with pytest.raises(ValueError):
        _index(tmp_path, [Field("title", TEXT), Field("kept", STORED, keeps=("title",))])
    with pytest.raises(ValueError):
        _index(tmp_path, [Field("kept", STORED, keeps=("missing",))])


def test_markers_of_indexes_without_stored_fields_are_unchanged():
    """The laws and cases indexes of an existing installation keep their documents: their markers read as
    they did before STORED fields existed."""
    assert signature([Field("title", TEXT), Field("kind", KEYWORD), Field("n", INT)]) == (
        "1:title/text/True,kind/keyword/True,n/int/True"
    )
    assert signature(FIELDS).endswith(",kept/stored/True/kind+tags,note/stored/True")


def test_adding_a_stored_field_empties_that_index_only(tmp_path):
    before = [Field("title", TEXT), Field("kind", KEYWORD)]
    for name in ("changed", "other"):
        idx = _index(tmp_path, before, name)
        with idx.writer(heap_size=15_000_000, num_threads=1) as w:
            w.add_document(idx.make_document("1", {"title": "减免房租", "kind": "a"}))
    after = [*before, Field("kept", STORED, keeps=("kind",))]
    assert _index(tmp_path, after, "changed").num_docs() == 0
    assert _index(tmp_path, before, "other").num_docs() == 1
    # … and a document written now carries the stored values.
    changed = _index(tmp_path, after, "changed")
    with changed.writer(heap_size=15_000_000, num_threads=1) as w:
        w.add_document(changed.make_document("1", {"title": "减免房租", "kind": "a"}))
    assert dict(changed.stored_by_id(changed.searcher(), ["1"], "kept")) == {"1": [["a"]]}
