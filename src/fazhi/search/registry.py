"""Domain apps register one Adapter per indexed document type (in their AppConfig.ready()).

Contract: an adapter names its index, declares its fields, yields every object to index
(`iter_all`), loads objects by id (`load`), and turns one object into field values
(`to_document`, None when the object must not be searchable).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fazhi.search.engine import SearchIndex
from fazhi.search.schema import Field


@dataclass
class PageHit:
    title: str
    url: str
    snippet: str  # HTML-safe, query words marked


@dataclass
class PageResults:
    """What an app's own search page shows for a query: its total and its first hits."""

    total: int
    hits: list[PageHit] = field(default_factory=list)
    # The first hit is what the query names exactly (预算法第十条 → that article): the site search shows
    # this group first.
    exact: bool = False


class Adapter:
    name: str = ""
    fields: list[Field] = []

    def iter_all(self) -> Iterator[Any]:
        raise NotImplementedError

    def load(self, ids: Iterable[str]) -> dict[str, Any]:
        """Objects by id (missing ids are absent from the result)."""
        raise NotImplementedError

    def to_document(self, obj: Any) -> dict[str, Any] | None:
        raise NotImplementedError

    def doc_id(self, obj: Any) -> str:
        return str(obj.pk)

    def count(self) -> int | None:
        """How many objects iter_all yields, for the progress bar (None if unknown)."""
        return None

    # What `rebuilt` recomputes, for its progress bar ("" when it does nothing).
    rebuilt_label: str = ""

    def rebuilt(self, progress: Callable[[int], None] | None = None) -> None:
        """Recompute what the app derives from all its objects together, after the index was rebuilt
        from them (`progress(1)` per object); nothing by default."""

    def page_search(self, text: str, limit: int) -> PageResults | None:
        """The total and first `limit` results of the app's own search page for `text`, with its defaults
        (synonyms, re-ranking, hidden expired items), so that the site-wide search links to a page that
        shows the same number. None: the app has no search page of its own; the index is queried directly."""
        return None

    # The index object is created lazily so that settings (FAZHI_INDEX_DIR) can change in tests.
    _index: SearchIndex | None = None
    _index_dir: str | None = None

    @property
    def index(self) -> SearchIndex:
        from django.conf import settings

        current = str(settings.FAZHI_INDEX_DIR)
        if self._index is None or self._index_dir != current:
            self._index = SearchIndex(self.name, self.fields)
            self._index_dir = current
        return self._index


_adapters: dict[str, Adapter] = {}


def register(adapter: Adapter) -> Adapter:
    _adapters[adapter.name] = adapter
    return adapter


def get(name: str) -> Adapter:
    return _adapters[name]


def all_adapters() -> list[Adapter]:
    return list(_adapters.values())


def total_docs() -> int:
    total = 0
    for adapter in _adapters.values():
        try:
            total += adapter.index.num_docs()
        except Exception:  # an index not built yet counts as empty
            continue
    return total
