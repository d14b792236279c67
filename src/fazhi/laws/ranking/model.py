"""The learned ranking model for article search: arrays keyed by article id, saved as .npz + .json.

Contract:
- `RankingModel` holds, for the latest-version articles known at training time:
  * `article_ids` (sorted) with each article's law slot, chapter slot and popularity (log(1 + times the
    article answered a training question));
  * per law and per chapter (law + 编/章/节 headings): how often each word occurs in their article texts
    (the smoothing background) and in the training questions they answered (naive Bayes P(unit | words));
  * the vocabulary bridge: for a question word, weighted statute words (co-occurrence lift, see training);
  * optional (absent in older files, the feature is then off): per article, how many training questions
    it answered contain each word (`art_q`), and per word the training questions containing it (`word_qdf`);
    the last two only when the question-words feature is on (it is off by default).
- `save(path)` / `load(path)` write and read `<path>.npz` (arrays) and `<path>.json` (vocabulary, params).
- `get_model()` returns the model of this process (loaded lazily once, reloaded when the file changes),
  or None when no model was trained: search then stays plain BM25.
Sparse word × unit matrices are stored as CSR triples (indptr, indices, data) with plain numpy.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMAT_VERSION = 1
MODEL_NAME = "laws-ranking"


@dataclass
class Csr:
    """A word × unit count matrix (rows = vocabulary ids)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    ncols: int

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = int(self.indptr[i]), int(self.indptr[i + 1])
        return self.indices[a:b], self.data[a:b]

    def dense_row(self, i: int) -> np.ndarray:
        out = np.zeros(self.ncols, dtype=np.float64)
        if 0 <= i < len(self.indptr) - 1:
            cols, vals = self.row(i)
            out[cols] = vals
        return out

    @classmethod
    def from_rows(cls, rows: list[dict[int, float]], ncols: int) -> Csr:
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        for i, r in enumerate(rows):
            indptr[i + 1] = indptr[i] + len(r)
        indices = np.zeros(int(indptr[-1]), dtype=np.int32)
        data = np.zeros(int(indptr[-1]), dtype=np.float32)
        for i, r in enumerate(rows):
            if r:
                a = int(indptr[i])
                keys = sorted(r)
                indices[a : a + len(keys)] = keys
                data[a : a + len(keys)] = [r[k] for k in keys]
        return cls(indptr, indices, data, ncols)


_CSR_NAMES = ("law_text", "law_q", "chap_text", "chap_q", "bridge")
_OPTIONAL_CSR = ("art_q",)  # added later: a model file without it still loads (the feature is then off)
_OPTIONAL_ARRAYS = ("word_qdf",)
_ARRAY_NAMES = (
    "article_ids",
    "article_law",
    "article_chap",
    "popularity",
    "law_ids",
    "law_count",
    "law_alpha",
    "chap_alpha",
    "law_qtot",
    "law_text_tot",
    "chap_count",
    "chap_qtot",
    "chap_text_tot",
)


@dataclass
class RankingModel:
    words: list[str]
    article_ids: np.ndarray  # int64, sorted
    article_law: np.ndarray  # int32 law slot per article
    article_chap: np.ndarray  # int32 chapter slot per article
    popularity: np.ndarray  # float32 log(1 + training answers)
    law_ids: np.ndarray  # int64 Law pk per law slot
    law_count: np.ndarray  # training questions answered by the law
    law_alpha: np.ndarray  # prior pseudo-count per law (backs off to the law's level)
    chap_alpha: np.ndarray  # prior pseudo-count per chapter (backs off to its law)
    law_qtot: np.ndarray  # question words counted for the law
    law_text_tot: np.ndarray  # article-word occurrences counted for the law
    chap_count: np.ndarray
    chap_qtot: np.ndarray
    chap_text_tot: np.ndarray
    law_text: Csr  # vocabulary × laws: articles of the law containing the word
    law_q: Csr  # vocabulary × laws: training questions of the law containing the word
    chap_text: Csr
    chap_q: Csr
    bridge: Csr  # vocabulary × vocabulary: expansion score
    # vocabulary × articles: training questions answered by the article with the word
    art_q: Csr | None = None
    word_qdf: np.ndarray | None = None  # training questions containing the word
    chap_names: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    vocab: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.vocab:
            self.vocab = {w: i for i, w in enumerate(self.words)}

    @property
    def n_laws(self) -> int:
        return len(self.law_ids)

    @property
    def n_chapters(self) -> int:
        return len(self.chap_count)

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Index of each article id in the model's arrays, -1 for articles the model does not know."""
        if len(self.article_ids) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        pos = np.searchsorted(self.article_ids, ids)
        pos = np.minimum(pos, len(self.article_ids) - 1)
        return np.where(self.article_ids[pos] == ids, pos, -1)

    # --- files ----------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {name: getattr(self, name) for name in _ARRAY_NAMES}
        for name in _OPTIONAL_ARRAYS:
            if getattr(self, name) is not None:
                arrays[name] = getattr(self, name)
        present = [n for n in _CSR_NAMES + _OPTIONAL_CSR if getattr(self, n) is not None]
        for name in present:
            m: Csr = getattr(self, name)
            arrays[f"{name}_indptr"] = m.indptr
            arrays[f"{name}_indices"] = m.indices
            arrays[f"{name}_data"] = m.data
        sizes = {name: getattr(self, name).ncols for name in present}
        tmp_npz = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp_npz, **arrays)  # type: ignore[arg-type]
        tmp_json = path.with_name(path.name + ".tmp.json")
        tmp_json.write_text(
            json.dumps(
                {
                    "format": FORMAT_VERSION,
                    "words": self.words,
                    "chap_names": self.chap_names,
                    "sizes": sizes,
                    "params": self.params,
                    "meta": self.meta,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        os.replace(tmp_json, path.with_suffix(".json"))
        os.replace(tmp_npz, path.with_suffix(".npz"))  # the .npz is written last: it marks a complete model

    @classmethod
    def load(cls, path: Path) -> RankingModel:
        info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if info.get("format") != FORMAT_VERSION:
            raise ValueError("ranking model format changed; run `fazhi train ranking`")
        with np.load(path.with_suffix(".npz")) as z:
            arrays = {name: z[name] for name in _ARRAY_NAMES}
            csrs = {
                name: Csr(
                    z[f"{name}_indptr"], z[f"{name}_indices"], z[f"{name}_data"], int(info["sizes"][name])
                )
                for name in _CSR_NAMES + _OPTIONAL_CSR
                if name in info["sizes"]
            }
            optional = {name: z[name] for name in _OPTIONAL_ARRAYS if name in z.files}
        return cls(
            words=info["words"],
            chap_names=info.get("chap_names", []),
            params=info.get("params", {}),
            meta=info.get("meta", {}),
            **arrays,
            **optional,
            **csrs,  # type: ignore[arg-type]
        )


def model_path() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "models" / MODEL_NAME


class _Cache:
    """One model per process, loaded on first use and again when the file on disk changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str, float] | None = None
        self._model: RankingModel | None = None
        self.override: RankingModel | None = None  # set by cross-validation and tests
        self.use_override = False

    def get(self) -> RankingModel | None:
        if self.use_override:
            return self.override
        path = model_path()
        npz = path.with_suffix(".npz")
        try:
            stamp = npz.stat().st_mtime
        except OSError:
            self._model, self._key = None, None
            return None
        key = (str(npz), stamp)
        if key == self._key:
            return self._model
        with self._lock:
            if key != self._key:
                try:
                    self._model = RankingModel.load(path)
                except (OSError, ValueError, KeyError):
                    self._model = None  # unreadable model: plain BM25 until it is retrained
                self._key = key
        return self._model


cache = _Cache()


def get_model() -> RankingModel | None:
    return cache.get()
