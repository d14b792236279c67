"""Helpers for the concurrency tests: requests that run at the same moment, in threads.

Real parallel requests need real row locks: those tests run on PostgreSQL (CI's second pass, or
DATABASE_URL set) and are skipped on SQLite, whose writers take turns for the whole transaction.
Each thread uses its own database connection, so the tests using these helpers are transactional
(`@pytest.mark.django_db(transaction=True)`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="并发请求需要 PostgreSQL 的行锁（SQLite 的写事务本就依次执行）；设置 DATABASE_URL 后运行",
)


def at_once(*calls: Callable[[], Any], timeout: float = 10) -> list[Any]:
    """Run the calls in threads released together; each one's result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a request is still waiting (deadlock?)"
    return results


class Interleaving:
    """Force the order a race needs, instead of hoping for it: request A reads, request B writes, A writes.

    A reaches a point patched to call `hold()` (after its checks, before its writes) and waits there until
    B has finished, at most `seconds`. When the code is right, B cannot finish while A holds its lock: A
    goes on after `seconds`, and B runs after A, seeing what A wrote.
    """

    def __init__(self, seconds: float = 1.0) -> None:
        self.reached = threading.Event()
        self.released = threading.Event()
        self.seconds = seconds

    def hold(self) -> None:
        if self.reached.is_set():  # only the first caller (request A) waits
            return
        self.reached.set()
        self.released.wait(self.seconds)

    def run(self, a: Callable[[], Any], b: Callable[[], Any]) -> list[Any]:
        def after_a_read() -> Any:
            self.reached.wait(5)
            try:
                return b()
            finally:
                self.released.set()

        return at_once(a, after_a_read)
