"""The search outbox: one object that cannot be loaded or indexed is kept queued and logged; every other
row is applied, and the row is applied once the object reads again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
import tantivy

from fazhi.search import outbox, registry
from fazhi.search.models import OutboxEntry
from fazhi.search.schema import TEXT, Field


class _Flaky(registry.Adapter):
    name = "outboxtest"
    fields = [Field("body", TEXT)]

    def __init__(self) -> None:
        self.unreadable = {"bad"}  # load() fails whenever one of these is asked for
        self.unindexable = {"ugly"}  # to_document() fails for these
        self.loads: list[list[str]] = []

    def load(self, ids: Iterable[str]) -> dict[str, Any]:
        ids = list(ids)
        self.loads.append(ids)
        if self.unreadable & set(ids):
            raise ValueError("a stored value cannot be read")
        return {i: i for i in ids}

    def to_document(self, obj: Any) -> dict[str, Any] | None:
        if obj in self.unindexable:
            raise ValueError("cannot index")
        return {"body": f"文本 {obj}"}


@pytest.fixture
def flaky():
    adapter = registry.register(_Flaky())
    yield adapter
    registry._adapters.pop(adapter.name, None)


def _indexed(adapter: _Flaky) -> set[str]:
    searcher = adapter.index.searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=100).hits
    return {searcher.doc(address)["id"][0] for _, address in hits}


@pytest.mark.django_db
def test_a_bad_object_stays_queued_and_the_rest_is_indexed(flaky, caplog):
    for oid in ["a", "bad", "b", "ugly", "c"]:
        OutboxEntry.objects.create(index=flaky.name, object_id=oid)
    assert outbox.process() == 3
    assert _indexed(flaky) == {"a", "b", "c"}
    assert sorted(OutboxEntry.objects.values_list("object_id", flat=True)) == ["bad", "ugly"]
    assert "bad" in caplog.text and "ugly" in caplog.text
    # the next pass retries them (and returns: no endless loop over held rows) …
    assert outbox.process() == 0
    # … and applies them once they read again
    flaky.unreadable.clear()
    flaky.unindexable.clear()
    assert outbox.process() == 2
    assert _indexed(flaky) == {"a", "b", "c", "bad", "ugly"}
    assert not OutboxEntry.objects.exists()


@pytest.mark.django_db
def test_a_delete_is_applied_even_when_a_neighbour_is_broken(flaky):
    OutboxEntry.objects.create(index=flaky.name, object_id="a")
    assert outbox.process() == 1
    OutboxEntry.objects.create(index=flaky.name, object_id="a", op=OutboxEntry.DELETE)
    OutboxEntry.objects.create(index=flaky.name, object_id="bad")
    assert outbox.process() == 1
    assert _indexed(flaky) == set()
    assert list(OutboxEntry.objects.values_list("object_id", flat=True)) == ["bad"]
