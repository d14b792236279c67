"""A value built from admin-edited table rows, kept per process and forgotten when a row changes.

Used by the working-day calendar (core.workdays) and the SME size thresholds (policies.sizing). The value
is read once and kept for `seconds`. Saving or deleting a row of a watched model empties the cache here
(and again when the transaction commits, since a reader outside the transaction may have cached the old
rows meanwhile); other worker processes see a change within `seconds`. Inside a database transaction the
value is always read afresh, so anything stored is computed from the committed rows and a rolled-back
edit never lingers in the cache.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")


class TableCache(Generic[T]):
    def __init__(self, load: Callable[[], T], seconds: float = 60.0) -> None:
        self.load = load
        self.seconds = seconds
        self._lock = threading.Lock()
        self._cached: tuple[float, T] | None = None

    def get(self) -> T:
        if connection.in_atomic_block:
            return self.load()
        now = time.monotonic()
        cached = self._cached
        if cached is not None and now - cached[0] < self.seconds:
            return cached[1]
        with self._lock:
            fresh = self.load()
            self._cached = (now, fresh)
        return fresh

    def invalidate(self) -> None:
        self._cached = None

    def _on_change(self, sender: Any, **kwargs: Any) -> None:
        self.invalidate()
        transaction.on_commit(self.invalidate)

    def watch(self, model: Any, uid: str) -> None:
        """Forget the value whenever a row of `model` is saved or deleted."""
        post_save.connect(self._on_change, sender=model, dispatch_uid=f"{uid}_saved", weak=False)
        post_delete.connect(self._on_change, sender=model, dispatch_uid=f"{uid}_deleted", weak=False)
