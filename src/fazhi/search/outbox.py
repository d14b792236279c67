"""Outbox: services call `enqueue` inside their transaction; after commit the rows are applied.

`process()` applies pending rows in id order (one writer per index) and deletes them; it runs
right after each commit that enqueued something and from `fazhi index process` (a safety net).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

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


def _load(adapter: registry.Adapter, ids: list[str], broken: set[str]) -> dict[str, Any]:
    """The adapter's objects for `ids`; when the batch fails (one unreadable row), one at a time, and the
    ids that still fail go into `broken`."""
    try:
        return adapter.load(ids)
    except Exception:
        log.exception(
            "search outbox: loading %d objects of %s failed; loading one at a time", len(ids), adapter
        )
    objects: dict[str, Any] = {}
    for oid in ids:
        try:
            objects.update(adapter.load([oid]))
        except Exception:
            log.exception("search outbox: object %s cannot be loaded; it stays queued", oid)
            broken.add(oid)
    return objects


def process(batch: int = 5000) -> int:
    """Apply pending outbox rows; return how many were applied.

    An object that cannot be loaded or turned into a document (a bad value written around the services)
    is logged and its rows stay queued for the next run; every other row is applied, so one bad record
    never stops the index from following the database."""
    applied = 0
    held: set[int] = set()  # rows kept for the next run
    while True:
        rows = list(OutboxEntry.objects.exclude(id__in=held).order_by("id")[:batch])
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
            broken: set[str] = set()
            objects = _load(adapter, [oid for oid, op in latest.items() if op == OutboxEntry.UPSERT], broken)
            documents: dict[str, dict[str, Any] | None] = {}
            for oid, op in latest.items():
                if oid in broken:
                    continue
                obj = objects.get(oid) if op == OutboxEntry.UPSERT else None
                try:
                    documents[oid] = adapter.to_document(obj) if obj is not None else None
                except Exception:
                    log.exception(
                        "search outbox: object %s of %s cannot be indexed; it stays queued", oid, name
                    )
                    broken.add(oid)
            with adapter.index.writer(heap_size=50_000_000) as writer:
                for oid, values in documents.items():
                    adapter.index.upsert(writer, oid, values)
            held.update(e.id for e in entries if e.object_id in broken)
        done = [r.id for r in rows if r.id not in held]
        OutboxEntry.objects.filter(id__in=done).delete()
        applied += len(done)
