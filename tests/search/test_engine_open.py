"""Opening an index: the schema marker is rewritten only when the schema changes, so that processes
opening the same index together can never read it half-written and wipe the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.search.engine import SearchIndex
from fazhi.search.schema import KEYWORD, TEXT, Field

FIELDS = [Field("title", TEXT, bigram_boost=0.3), Field("kind", KEYWORD)]


def _filled(directory: Path) -> SearchIndex:
    idx = SearchIndex("t", FIELDS, directory=directory)
    with idx.writer(heap_size=15_000_000, num_threads=1) as w:
        w.add_document(idx.make_document("1", {"title": "减免房租", "kind": "a"}))
    return idx


def test_reopening_an_index_leaves_its_marker_and_documents_alone(tmp_path, monkeypatch):
    _filled(tmp_path / "t")
    marker = tmp_path / "t" / "SCHEMA_VERSION"
    before = marker.stat().st_mtime_ns, marker.read_text()

    def no_write(self: Path, *args: object, **kwargs: object) -> int:
        raise AssertionError(f"{self.name} rewritten although the schema is unchanged")

    monkeypatch.setattr(Path, "write_text", no_write)
    again = SearchIndex("t", FIELDS, directory=tmp_path / "t")
    assert again.num_docs() == 1
    assert (marker.stat().st_mtime_ns, marker.read_text()) == before
    assert not list((tmp_path / "t").glob(".SCHEMA_VERSION.*"))  # no temporary file left behind


def test_a_changed_schema_still_starts_the_index_empty(tmp_path):
    _filled(tmp_path / "t")
    changed = SearchIndex("t", [*FIELDS, Field("year", KEYWORD)], directory=tmp_path / "t")
    assert changed.num_docs() == 0
    assert "year/keyword" in (tmp_path / "t" / "SCHEMA_VERSION").read_text()
    # … and the new marker holds: opening once more keeps what is written after the change.
    with changed.writer(heap_size=15_000_000, num_threads=1) as w:
        w.add_document(changed.make_document("2", {"title": "贴息", "kind": "b", "year": "2020"}))
    assert SearchIndex("t", [*FIELDS, Field("year", KEYWORD)], directory=tmp_path / "t").num_docs() == 1


@pytest.mark.parametrize("content", ["", "1:title/text/True"])
def test_a_marker_that_does_not_match_is_a_schema_change(tmp_path, content):
    _filled(tmp_path / "t")
    (tmp_path / "t" / "SCHEMA_VERSION").write_text(content)
    assert SearchIndex("t", FIELDS, directory=tmp_path / "t").num_docs() == 0


def test_threads_opening_a_fresh_index_together_all_succeed(tmp_path):
    """A search and its facet counts (a pool thread) may both be first to open a new index directory;
    both once wrote the schema marker through the same temporary file and one failed (a 500 on the first
    policy search of a fresh index)."""
    import threading

    idx = SearchIndex("t", FIELDS, directory=tmp_path / "fresh")
    start, errors = threading.Barrier(8), []

    def open_it() -> None:
        start.wait()
        try:
            idx.searcher()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert (tmp_path / "fresh" / "SCHEMA_VERSION").read_text().startswith("1:")
    assert not list((tmp_path / "fresh").glob(".SCHEMA_VERSION.*"))
