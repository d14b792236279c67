"""What the model says of a question before retrieval: bridge expansions, law/chapter priors, title match."""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np

from fazhi.laws.ranking.model import RankingModel

_members_lock = threading.Lock()
_members: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def expansions(model: RankingModel, words: list[str], terms: int | None = None) -> list[tuple[str, float]]:
    """Weighted statute words for the question words (the question's own words excluded)."""
    terms = int(model.params.get("expansion_terms", 10)) if terms is None else terms
    if terms <= 0:
        return []
    known = set(words)
    total: dict[int, float] = {}
    for w in dict.fromkeys(words):
        i = model.vocab.get(w)
        if i is None:
            continue
        cols, vals = model.bridge.row(i)
        for v, s in zip(cols.tolist(), vals.tolist(), strict=True):
            total[v] = total.get(v, 0.0) + s
    ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for v, s in ranked:
        word = model.words[v]
        if word in known:
            continue
        out.append((word, round(float(s), 4)))
        if len(out) >= terms:
            break
    return out


def _nb_logp(
    model: RankingModel,
    words: list[str],
    *,
    count: np.ndarray,
    qtot: np.ndarray,
    text_tot: np.ndarray,
    q: Any,
    text: Any,
    mu: float,
    lam: float,
    alpha: np.ndarray,
    beta: float = 0.0,
) -> np.ndarray:
    """log P(unit) + λ·Σ log P(word | unit), P(word | unit) from the unit's training questions
    smoothed (Dirichlet, μ) by the unit's article texts; shifted so the best unit is 0, clipped."""
    lp = np.log((count + alpha) / (count.sum() + alpha.sum()))
    denom = qtot + mu
    safe_tot = np.maximum(text_tot, 1.0)
    all_text = float(text_tot.sum()) or 1.0
    for w in dict.fromkeys(words):
        i = model.vocab.get(w)
        if i is None:
            continue
        counts = text.dense_row(i)
        if beta > 0:
            # The unit's text smoothed by the whole library (a word absent from a small law costs
            # what it costs in the library, not a fixed near-zero probability).
            background = max(float(counts.sum()), 0.5) / all_text
            pt = (counts + beta * background) / (text_tot + beta)
        else:
            pt = counts / safe_tot
        pq = q.dense_row(i)
        lp += lam * np.log((pq + mu * pt + 1e-6) / denom)
    lp -= lp.max()
    return np.maximum(lp, float(model.params.get("floor", -30.0)))


def law_logp(model: RankingModel, words: list[str]) -> np.ndarray:
    p = model.params
    return _nb_logp(
        model,
        words,
        count=model.law_count,
        qtot=model.law_qtot,
        text_tot=model.law_text_tot,
        q=model.law_q,
        text=model.law_text,
        mu=float(p.get("law_mu", 200.0)),
        lam=float(p.get("law_lambda", 0.5)),
        alpha=model.law_alpha,
        beta=float(p.get("law_text_beta", 0.0)),
    )


def chapter_logp(model: RankingModel, words: list[str]) -> np.ndarray:
    p = model.params
    return _nb_logp(
        model,
        words,
        count=model.chap_count,
        qtot=model.chap_qtot,
        text_tot=model.chap_text_tot,
        q=model.chap_q,
        text=model.chap_text,
        mu=float(p.get("chapter_mu", 50.0)),
        lam=float(p.get("chapter_lambda", 0.5)),
        alpha=model.chap_alpha,
        beta=float(p.get("chapter_text_beta", 0.0)),
    )


_titles: dict[int, tuple[list[str], np.ndarray]] = {}
_title_df_lock = threading.Lock()
_title_df: dict[tuple[int, str], np.ndarray] = {}


def _law_info(model: RankingModel) -> tuple[list[str], np.ndarray]:
    """(normalised title, is a local regulation) per law slot, read from the database once per model."""
    key = id(model)
    found = _titles.get(key)
    if found is None:
        from fazhi.laws.models import Law, Level
        from fazhi.search import analysis

        rows = Law.objects.filter(pk__in=model.law_ids.tolist()).values_list("pk", "title", "level")
        by_pk = {pk: (title, level) for pk, title, level in rows}
        info = [by_pk.get(int(pk), ("", "")) for pk in model.law_ids]
        found = (
            [analysis.normalize(title) for title, _ in info],
            np.asarray([level == Level.LOCAL_REGULATION for _, level in info], dtype=bool),
        )
        _titles.clear()
        _titles[key] = found
        with _title_df_lock:
            _title_df.clear()  # a new model (its id may be an old one's): title look-ups start afresh
    return found


def law_titles(model: RankingModel) -> list[str]:
    """Normalised title per law slot (read from the database once per model)."""
    return _law_info(model)[0]


def _laws_titled(model: RankingModel, word: str) -> np.ndarray:
    """Slots of the laws whose title contains the word (cached per model and word)."""
    key = (id(model), word)
    found = _title_df.get(key)
    if found is None:
        titles = law_titles(model)
        found = np.asarray([i for i, t in enumerate(titles) if word in t], dtype=np.int64)
        with _title_df_lock:
            if len(_title_df) > 20000:
                _title_df.clear()
            _title_df[key] = found
    return found


def title_match(
    model: RankingModel,
    words: list[str],
    slots: np.ndarray,
    *,
    unseen_only: bool = False,
    national_only: bool = False,
) -> np.ndarray:
    """Rare question words found in a law's title: Σ idf(word) / log(number of laws) over the question's
    words (two characters or more) that the title contains, idf counted over the library's titles, so
    a word shared by few titles (中小企业, 公积金, 居住证) says much and one in many titles (管理) little."""
    out = np.zeros(len(slots))
    n = model.n_laws
    if n < 2:
        return out
    per_law = np.zeros(n)
    for w in dict.fromkeys(words):
        if len(w) < 2:
            continue
        hit = _laws_titled(model, w)
        if len(hit) == 0:
            continue
        if unseen_only:
            if (model.law_count[hit] > 0).any():
                continue  # a law answered in training claims the word: its learned evidence decides
            hit = hit[model.law_count[hit] == 0]
        per_law[hit] += math.log(n / len(hit)) / math.log(n)
    if national_only:
        per_law[_law_info(model)[1]] = 0.0
    known = slots >= 0
    out[known] = per_law[slots[known]]
    return out


def question_words_match(model: RankingModel, words: list[str], pos: np.ndarray) -> np.ndarray:
    """How much each article's training questions share the question's words: Σ idf(w)·log(1 + n(w, a))
    / Σ idf(w) over the question's known words, n(w, a) = training questions answered by article a that
    contain w, idf over the training questions (aggregate counts: no question is kept)."""
    out = np.zeros(len(pos))
    if model.art_q is None or model.word_qdf is None or len(pos) == 0:
        return out
    n_q = float(model.meta.get("questions", 0) or model.law_count.sum()) + 1.0
    norm = 0.0
    where = {int(x): i for i, x in enumerate(pos.tolist()) if x >= 0}
    for w in dict.fromkeys(words):
        i = model.vocab.get(w)
        if i is None or i >= len(model.word_qdf):
            continue
        idf = math.log(n_q / (float(model.word_qdf[i]) + 1.0))
        if idf <= 0:
            continue
        norm += idf
        cols, vals = model.art_q.row(i)
        for a, c in zip(cols.tolist(), vals.tolist(), strict=True):
            j = where.get(a)
            if j is not None:
                out[j] += idf * math.log1p(c)
    return out / norm if norm else out


def chapter_members(model: RankingModel) -> tuple[np.ndarray, np.ndarray]:
    """(article positions ordered by chapter, start offset of each chapter), computed once per model."""
    key = id(model)
    found = _members.get(key)
    if found is None:
        with _members_lock:
            order = np.argsort(model.article_chap, kind="stable")
            starts = np.searchsorted(model.article_chap[order], np.arange(model.n_chapters + 1))
            found = (order, starts)
            _members.clear()
            _members[key] = found
    return found
