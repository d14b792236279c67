"""The training data: library articles cut into words (`Corpus`), STARD questions mapped onto them."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fazhi.core.numerals import cn_to_int, int_to_cn
from fazhi.search import analysis
from fazhi.search import query as sq


def norm_title(title: str) -> str:
    """The evaluation's law key (same rule as ../shared/tools/search_eval.py)."""
    if "民法典" in title and "解释" not in title:
        return "民法典"
    title = title.split("·")[0].strip()
    title = re.sub(r"[（(].*?[)）]", "", title).replace("中华人民共和国", "")
    return re.sub(r"\s+", "", title)


def gold_key(law_title: str, number: int, suffix: int) -> tuple[str, int | str]:
    return norm_title(law_title), (f"{number}-之{int_to_cn(suffix)}" if suffix else number)


def label_key(label: str) -> int | str:
    """An article label (第十条之一) as the evaluation's article key."""
    label = label.strip().lstrip("第").rstrip("条")
    if "条之" in label:
        a, b = label.split("条之")
        return f"{cn_to_int(a)}-之{b}"
    return cn_to_int(label) if not label.isdigit() else int(label)


@dataclass
class Corpus:
    article_ids: np.ndarray  # sorted int64
    article_law: np.ndarray
    article_chap: np.ndarray
    law_ids: np.ndarray
    chap_names: list[str]
    words: list[str]
    vocab: dict[str, int]
    word_ptr: np.ndarray  # article i's distinct word ids: word_ids[word_ptr[i]:word_ptr[i+1]]
    word_ids: np.ndarray
    keys: list[tuple[str, int | str]]  # evaluation key per article
    by_key: dict[tuple[str, int | str], list[int]]  # evaluation key → article positions

    def article_words(self, i: int) -> np.ndarray:
        return self.word_ids[self.word_ptr[i] : self.word_ptr[i + 1]]

    def word_id(self, w: str) -> int:
        i = self.vocab.get(w)
        if i is None:
            i = self.vocab[w] = len(self.words)
            self.words.append(w)
        return i


def load_corpus(progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None) -> Corpus:
    """Every article of the latest version of each law, cut into distinct words."""
    from fazhi.laws.models import Article

    qs = (
        Article.objects.filter(version__is_latest=True)
        .order_by("pk")
        .values_list("pk", "law_id", "law__title", "number", "suffix", "part", "chapter", "section", "text")
    )
    total = qs.count()
    rows: Iterable[Any] = qs.iterator(chunk_size=5000)
    if progress is not None:
        rows = progress(rows, total)
    ids: list[int] = []
    law_slot: dict[int, int] = {}
    chap_slot: dict[tuple[int, str], int] = {}
    chap_names: list[str] = []
    art_law: list[int] = []
    art_chap: list[int] = []
    vocab: dict[str, int] = {}
    words: list[str] = []
    ptr = [0]
    wids: list[int] = []
    keys: list[tuple[str, int | str]] = []
    by_key: dict[tuple[str, int | str], list[int]] = defaultdict(list)
    for pk, law_id, title, number, suffix, part, chapter, section, text in rows:
        pos = len(ids)
        ids.append(pk)
        art_law.append(law_slot.setdefault(law_id, len(law_slot)))
        heading = " ".join(h for h in (part, chapter, section) if h)
        ck = (law_id, heading)
        if ck not in chap_slot:
            chap_slot[ck] = len(chap_slot)
            chap_names.append(f"{title} {heading}".strip())
        art_chap.append(chap_slot[ck])
        norm = analysis.normalize(text)
        for w in set(analysis.cut(norm, normalized=True)):
            i = vocab.get(w)
            if i is None:
                i = vocab[w] = len(words)
                words.append(w)
            wids.append(i)
        ptr.append(len(wids))
        key = gold_key(title, number, suffix)
        keys.append(key)
        by_key[key].append(pos)
    return Corpus(
        article_ids=np.asarray(ids, dtype=np.int64),
        article_law=np.asarray(art_law, dtype=np.int32),
        article_chap=np.asarray(art_chap, dtype=np.int32),
        law_ids=np.asarray(sorted(law_slot, key=law_slot.__getitem__), dtype=np.int64),
        chap_names=chap_names,
        words=words,
        vocab=vocab,
        word_ptr=np.asarray(ptr, dtype=np.int64),
        word_ids=np.asarray(wids, dtype=np.int32),
        keys=keys,
        by_key=dict(by_key),
    )


@dataclass
class Question:
    qid: Any
    text: str
    words: list[str]
    gold: set[tuple[str, int | str]]
    positions: list[int]  # corpus positions of the gold articles found in the library


def question_words(text: str) -> list[str]:
    return sq.analyze(text).words


def load_questions(path: Path, corpus: Corpus) -> list[Question]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            gold = {(r["law"], r["article"]) for r in d["relevant"]}
            positions = sorted({p for g in gold for p in corpus.by_key.get(g, [])})
            out.append(Question(d.get("qid"), d["query"], question_words(d["query"]), gold, positions))
    return out
