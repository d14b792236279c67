"""Rebuild an index from the database (the database is the source of truth)."""

from __future__ import annotations

from collections.abc import Callable

from fazhi.search import registry
from fazhi.search.models import OutboxEntry


def rebuild(
    name: str,
    progress: Callable[[int], None] | None = None,
    rebuilt_progress: Callable[[int], None] | None = None,
) -> int:
    """Drop and refill one index, then let the adapter recompute what it derives from all its objects
    (`Adapter.rebuilt`, reporting to `rebuilt_progress`); returns the number of documents indexed."""
    adapter = registry.get(name)
    adapter.index.clear()
    adapter._index = None
    count = 0
    with adapter.index.writer(heap_size=300_000_000) as writer:
        for obj in adapter.iter_all():
            values = adapter.to_document(obj)
            if values is not None:
                writer.add_document(adapter.index.make_document(adapter.doc_id(obj), values))
                count += 1
            if progress:
                progress(1)
    OutboxEntry.objects.filter(index=name).delete()
    adapter.rebuilt(progress=rebuilt_progress)
    return count
