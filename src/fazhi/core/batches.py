"""Splitting long lists for bulk queries: `chunks(items, size)` yields consecutive slices of at most
`size` items (the default keeps an `IN (…)` list within every backend's parameter limit)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_LIST_SIZE = 900  # values per IN (…): SQLite allows 999 parameters in one statement by default


def chunks(items: Sequence[T], size: int = IN_LIST_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
