"""Splitting long lists for bulk queries: `chunks(items, size)` yields consecutive slices of at most
`size` items (the default keeps an `IN (…)` list within every backend's parameter limit); a stream that
is not a sequence (a query's `.iterator()`) comes in lists of that size, read as they are needed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

IN_LIST_SIZE = 900  # values per IN (…): SQLite allows 999 parameters in one statement by default


def chunks(items: Iterable[T], size: int = IN_LIST_SIZE) -> Iterator[Sequence[T]]:
    if isinstance(items, Sequence):
        for start in range(0, len(items), size):
            yield items[start : start + size]
        return
    stream = iter(items)
    while batch := list(islice(stream, size)):
        yield batch
