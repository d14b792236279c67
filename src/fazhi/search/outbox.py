"""Outbox: services call `enqueue` inside their transaction; after commit the rows are applied.

`process()` applies pending rows in id order (one writer per index) and deletes them; it runs
right after each commit that enqueued something and from `fazhi index process` (a safety net).
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction

from fazhi.search import registry
from fazhi.search.models import OutboxEntry

log = logging.getLogger(__name__)


def enqueue(index: str, object_id: object, *, delete: bool = False) -> None:
    OutboxEntry.objects.create(
        index=index, object_id=str(object_id), op=OutboxEntry.DELETE if delete else OutboxEntry.UPSERT
    )
    transaction.on_commit(_process_quietly)


def enqueue_many(index: str, object_ids: list[object]) -> None:
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(index=index, object_id=str(i)) for i in object_ids], batch_size=2000
    )
    transaction.on_commit(_process_quietly)


def _process_quietly() -> None:
    try:
        process()
    except Exception:  # the rows stay in the outbox and the next run applies them
        log.exception("search outbox processing failed")


def process(batch: int = 5000) -> int:
    """Apply pending outbox rows; return how many were applied."""
    applied = 0
    while True:
        rows = list(OutboxEntry.objects.order_by("id")[:batch])
        if not rows:
            return applied
        by_index: dict[str, list[OutboxEntry]] = defaultdict(list)
        for row in rows:
            by_index[row.index].append(row)
        for name, entries in by_index.items():
            try:
                adapter = registry.get(name)
            except KeyError:
                continue
            # Last operation per object wins; upserts reload the current database row.
            latest: dict[str, str] = {}
            for e in entries:
                latest[e.object_id] = e.op
            objects = adapter.load([oid for oid, op in latest.items() if op == OutboxEntry.UPSERT])
            with adapter.index.writer(heap_size=50_000_000) as writer:
                for oid, op in latest.items():
                    obj = objects.get(oid) if op == OutboxEntry.UPSERT else None
                    values = adapter.to_document(obj) if obj is not None else None
                    adapter.index.upsert(writer, oid, values)
        OutboxEntry.objects.filter(id__in=[r.id for r in rows]).delete()
        applied += len(rows)
