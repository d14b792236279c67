"""A Tantivy index for one document type (laws articles, policies, cases …).

Contract: `add(docs)` / `delete(ids)` change the index (commit with `commit()`); `search(query, …)`
returns ids with scores, the total and facet counts. Text arrives already analysed by
fazhi.search.analysis: the words field holds words joined by spaces (indexed with Tantivy's
whitespace tokenizer, so positions are word positions); the bigram field holds bigrams.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

from fazhi.search import analysis
from fazhi.search.schema import FLOAT, INT, KEYWORD, TEXT, Field

SCHEMA_VERSION = "1"


_pool_lock = threading.Lock()
_pool_state: dict[str, Any] = {"pid": None, "pool": None}
# Facet counts of the whole index, per index directory, commit and facet list (see facet_counts).
_whole_lock = threading.Lock()
_whole_counts: dict[tuple[Path, tuple[int, int, int], tuple[str, ...]], dict[str, dict[str, int]]] = {}
_ALL_VALUES = 1_000_000


def _facet_pool() -> ThreadPoolExecutor:
    """One small pool per process (re-created after a fork: a forked child has no worker threads)."""
    with _pool_lock:
        if _pool_state["pid"] != os.getpid():
            _pool_state.update(
                pid=os.getpid(), pool=ThreadPoolExecutor(max_workers=2, thread_name_prefix="fazhi-facets")
            )
        return _pool_state["pool"]  # type: ignore[no-any-return]


@dataclass
class Hit:
    id: str
    score: float


@dataclass
class Result:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def build_schema(fields: list[Field]) -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    for f in fields:
        if f.kind == TEXT:
            sb.add_text_field(f.name, stored=False, tokenizer_name="whitespace", index_option="position")
            if f.bigram_boost:
                sb.add_text_field(
                    f"{f.name}_bi", stored=False, tokenizer_name="whitespace", index_option="freq"
                )
        elif f.kind == KEYWORD:
            sb.add_text_field(f.name, stored=False, tokenizer_name="raw", fast=True)
        elif f.kind == INT:
            sb.add_integer_field(f.name, stored=False, indexed=True, fast=True)
        elif f.kind == FLOAT:
            sb.add_float_field(f.name, stored=False, indexed=True, fast=True)
        else:
            raise ValueError(f"unknown field kind {f.kind}")
    return sb.build()


class SearchIndex:
    def __init__(self, name: str, fields: list[Field], directory: Path | None = None) -> None:
        self.name = name
        self.fields = fields
        self.by_name = {f.name: f for f in fields}
        self.directory = Path(directory or Path(settings.FAZHI_INDEX_DIR) / name)
        self.schema = build_schema(fields)
        self._index: tantivy.Index | None = None
        # One opening at a time in a process: a search and its facet counts (another thread) may both be
        # the first to open a fresh index directory, and both wrote its schema marker.
        self._opening = threading.Lock()

    # --- opening ------------------------------------------------------------------------------
    def _open(self) -> tantivy.Index:
        if self._index is not None:
            return self._index
        with self._opening:
            if self._index is not None:
                return self._index
            self.directory.mkdir(parents=True, exist_ok=True)
            marker = self.directory / "SCHEMA_VERSION"
            signature = (
                SCHEMA_VERSION
                + ":"
                + ",".join(f"{f.name}/{f.kind}/{bool(f.bigram_boost)}" for f in self.fields)
            )
            found = marker.read_text() if marker.exists() else None
            if found is not None and found != signature:
                # The schema changed in code: start empty; `fazhi index rebuild` refills it.
                shutil.rmtree(self.directory)
                self.directory.mkdir(parents=True)
            self._index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
            if found != signature:
                # Written only when it changes, and atomically: a process that opened the index while
                # another rewrote the marker in place once read it empty, took that for a schema change
                # and deleted the whole index (seen when `make run`'s processes restarted together).
                tmp = marker.with_name(f".{marker.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
                tmp.write_text(signature)
                os.replace(tmp, marker)
        return self._index

    @property
    def index(self) -> tantivy.Index:
        return self._open()

    def searcher(self) -> tantivy.Searcher:
        idx = self._open()
        idx.reload()
        return idx.searcher()

    def _meta_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = (self.directory / "meta.json").stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def searcher_and_generation(self) -> tuple[tantivy.Searcher, tuple[int, int, int] | None]:
        """A fresh searcher and the commit it shows: Tantivy replaces meta.json on every commit, so its
        inode, mtime and size name the generation; None when a commit landed while the searcher opened."""
        before = self._meta_stamp()
        searcher = self.searcher()
        return searcher, (before if before is not None and before == self._meta_stamp() else None)

    def num_docs(self) -> int:
        return self.searcher().num_docs

    # --- writing ------------------------------------------------------------------------------
    @contextmanager
    def writer(self, heap_size: int = 128_000_000, num_threads: int = 0):  # noqa: ANN201
        """One writer per index across processes (a file lock), committed on success."""
        self.directory.mkdir(parents=True, exist_ok=True)
        lock_path = self.directory / ".fazhi-writer.lock"
        with open(lock_path, "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                w = self._open().writer(
                    heap_size=heap_size, num_threads=num_threads or min(2, os.cpu_count() or 1)
                )
                try:
                    yield w
                    w.commit()
                    w.wait_merging_threads()
                except BaseException:
                    w.rollback()
                    raise
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def make_document(self, doc_id: str, values: dict[str, Any]) -> tantivy.Document:
        """Turn raw field values into a Tantivy document (text is analysed here)."""
        doc = tantivy.Document()
        doc.add_text("id", str(doc_id))
        for name, value in values.items():
            f = self.by_name.get(name)
            if f is None or value is None or value == "":
                continue
            if f.kind == TEXT:
                text = analysis.normalize(" ".join(value) if isinstance(value, list | tuple) else str(value))
                doc.add_text(name, " ".join(analysis.cut(text, normalized=True)))
                if f.bigram_boost:
                    doc.add_text(f"{name}_bi", " ".join(analysis.bigrams(text, normalized=True)))
            elif f.kind == KEYWORD:
                for v in value if isinstance(value, list | tuple | set) else [value]:
                    if v not in (None, ""):
                        doc.add_text(name, str(v))
            elif f.kind == INT:
                for v in value if isinstance(value, list | tuple | set) else [value]:
                    doc.add_integer(name, int(v))
            elif f.kind == FLOAT:
                doc.add_float(name, float(value))
        return doc

    def upsert(self, writer: tantivy.IndexWriter, doc_id: str, values: dict[str, Any] | None) -> None:
        writer.delete_documents_by_term("id", str(doc_id))
        if values is not None:
            writer.add_document(self.make_document(doc_id, values))

    def clear(self) -> None:
        self._index = None
        if self.directory.exists():
            shutil.rmtree(self.directory)

    # --- reading ------------------------------------------------------------------------------
    def search(
        self,
        query: tantivy.Query,
        *,
        limit: int = 10,
        offset: int = 0,
        facets: Iterable[str] = (),
        facet_size: int = 50,
        order_by: str | None = None,
        ascending: bool = False,
    ) -> Result:
        searcher, generation = self.searcher_and_generation()
        kwargs: dict[str, Any] = {"limit": max(1, limit), "offset": offset, "count": True}
        if order_by:
            kwargs["order_by_field"] = order_by
            kwargs["order"] = tantivy.Order.Asc if ascending else tantivy.Order.Desc
        res = searcher.search(query, **kwargs)
        hits = []
        for score, address in res.hits:
            stored = searcher.doc(address)
            hits.append(Hit(id=stored["id"][0], score=float(score) if not order_by else 0.0))
        total = int(getattr(res, "count", 0) or 0)
        facet_counts = self.facet_counts(
            query, facets, facet_size, searcher=searcher, generation=generation, matched=total
        )
        return Result(total=total, hits=hits, facets=facet_counts)

    def facet_counts(
        self,
        query: tantivy.Query,
        facets: Iterable[str],
        facet_size: int = 50,
        *,
        searcher: tantivy.Searcher | None = None,
        generation: tuple[int, int, int] | None = None,
        matched: int | None = None,
    ) -> dict[str, dict[str, int]]:
        """Per facet field, value → number of documents matching `query` (the largest `facet_size`, most
        frequent first, then by value).

        A question is an OR of many words and bigrams and matches most of the index (about 50,000 of
        59,900 policies), and aggregating over every match costs time in proportion. When the query
        matches more than half the index and the searcher's commit is known, the counts are those of the
        whole index (kept per commit) minus those of the documents the query misses: 4.6 ms instead of
        12 ms on 59,900 policies, with identical counts (bench/policy_scale.py)."""
        facet_list = list(facets)
        if not facet_list:
            return {}
        if searcher is None:
            searcher, generation = self.searcher_and_generation()
        counts: dict[str, dict[str, int]] | None = None
        if generation is not None:
            if matched is None:
                matched = int(getattr(searcher.search(query, limit=1, count=True), "count", 0) or 0)
            if 2 * matched > searcher.num_docs:
                whole = self._whole_index_counts(searcher, generation, tuple(facet_list))
                missed_query = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, query)]
                )
                missed = self._aggregate(searcher, missed_query, facet_list)
                counts = {
                    f: {v: n - missed[f].get(v, 0) for v, n in whole[f].items() if n > missed[f].get(v, 0)}
                    for f in facet_list
                }
        if counts is None:
            # Every value, cut here: Tantivy cuts each segment's list at about the requested size before
            # merging them, which can leave a value's count short and makes the cut among equal counts
            # depend on the segments.
            counts = self._aggregate(searcher, query, facet_list)
        return {
            f: dict(sorted(counts[f].items(), key=lambda kv: (-kv[1], kv[0]))[:facet_size])
            for f in facet_list
        }

    @staticmethod
    def _aggregate(
        searcher: tantivy.Searcher, query: tantivy.Query, facet_list: list[str]
    ) -> dict[str, dict[str, int]]:
        """Tantivy terms aggregation of every value of each field."""
        agg = {f: {"terms": {"field": f, "size": _ALL_VALUES}} for f in facet_list}
        out = searcher.aggregate(query, agg)
        return {
            f: {str(b["key"]): int(b["doc_count"]) for b in out.get(f, {}).get("buckets", [])}
            for f in facet_list
        }

    def _whole_index_counts(
        self, searcher: tantivy.Searcher, generation: tuple[int, int, int], facet_list: tuple[str, ...]
    ) -> dict[str, dict[str, int]]:
        key = (self.directory, generation, facet_list)
        with _whole_lock:
            found = _whole_counts.get(key)
        if found is None:
            found = self._aggregate(searcher, tantivy.Query.all_query(), list(facet_list))
            with _whole_lock:
                for old in [k for k in _whole_counts if k[0] == self.directory and k[2] == facet_list]:
                    del _whole_counts[old]  # an earlier commit's counts
                _whole_counts[key] = found
        return found

    def facet_counts_later(
        self, query: tantivy.Query, facets: Iterable[str], facet_size: int = 50
    ) -> Future[dict[str, dict[str, int]]]:
        """`facet_counts` on a worker thread: Tantivy releases the GIL while it aggregates, so the caller's
        Python work (re-ranking, snippets) runs meanwhile. On 59,900 policies the aggregation was 12-20 ms
        of a 35 ms search before the whole-index counts were kept; 4-8 ms since (bench/policy_scale.py)."""
        return _facet_pool().submit(self.facet_counts, query, list(facets), facet_size)

    # --- query helpers ------------------------------------------------------------------------
    def term(self, field_name: str, value: Any) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field_name, value)

    def any_of(self, field_name: str, values: Iterable[Any]) -> tantivy.Query:
        vals = list(values)
        if len(vals) == 1:
            return self.term(field_name, vals[0])
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, self.term(field_name, v)) for v in vals])

    def phrase(self, field_name: str, words: list[str]) -> tantivy.Query:
        if len(words) == 1:
            return self.term(field_name, words[0])
        return tantivy.Query.phrase_query(self.schema, field_name, list[str | tuple[int, str]](words))
