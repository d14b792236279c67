"""Training the ranking model from the law library and STARD's training questions.

Contract:
- `load_corpus()` reads every latest-version article from the database and cuts it into words once
  (the same analysis as the index), giving the law/chapter word statistics (`Corpus`).
- `load_questions(path)` reads stard-train.jsonl (the only STARD file used) and maps each gold
  (law, article) to article ids of the corpus; `gold_key(...)` is the evaluation's matching key.
  These three live in `corpus`; `load_corpus` and `load_questions` are importable from here too.
- `fit(corpus, questions, params)` returns a `RankingModel`: nothing question-specific is kept except
  aggregate word statistics per law and chapter (no question text, no question → answer lookup).
  A finer, per-article statistic (how many of an article's training questions contain each word) is
  implemented but off by default (`question_words_weight` 0): it is stored only when switched on.
- Laws no training question answered share the Good-Turing mass N1/N of the law prior (N1 = laws
  answered once, N = answers), by level (`law_unseen_mass`), instead of a near-zero pseudo-count.
Deterministic: no randomness here; the cross-validation folds use a fixed seed (evaluation.py).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from fazhi.laws.ranking.corpus import Corpus, Question
from fazhi.laws.ranking.corpus import load_corpus as load_corpus  # read here by fazhi train ranking, bench
from fazhi.laws.ranking.corpus import load_questions as load_questions
from fazhi.laws.ranking.model import Csr, RankingModel
from fazhi.search import analysis

DEFAULT_PARAMS: dict[str, Any] = {
    # query time (see rerank.py); values chosen by 5-fold CV on stard-train (bench/stard_cv.py)
    "depth": 1000,  # BM25 candidates read from the index
    "bigram_weight": 0.5,
    "title_boost": 0.5,
    "headings_boost": 0.5,
    "expansion_weight": 0.2,
    "expansion_terms": 10,
    # Everyday abbreviations (src/fazhi/laws/data/abbreviations.txt: 交强险 → 机动车交通事故责任强制保险) add
    # their statute words to the expansions (× expansion_weight, like the bridge's) and to the words of the
    # law/chapter naive Bayes and title match. CV unchanged (20 of 1,230 questions hold one); the hand-written
    # unseen-law questions S@10 0.571 → 0.714, S@100 0.786 → 0.929 (bench/stard_cv.py).
    "abbreviation_weight": 1.0,
    "abbreviation_priors": True,
    "pair_weight": 0.3,  # proximity: nearby question-word pairs as sloppy phrases in the BM25 query
    "pair_slop": 20,
    "pair_span": 2,  # each word pairs with the next two
    "law_weight": 0.15,
    "chapter_weight": 0.25,
    "popularity_weight": 0.12,
    "named_law_weight": 0.3,
    # The article's training questions share the question's words: +0.011 R@10 in CV, but it keeps a bag of
    # words per answered article (one question's words when the article was asked about once) and lifts the
    # in-sample score far more (R@10 0.877 → 0.942) — too close to memorising training questions, so off;
    # the model file then does not store those bags at all.
    "question_words_weight": 0.0,
    # Laws no training question was answered by (issue #8: 保障中小企业款项支付条例 for 公司拖欠小企业货款):
    "title_match_weight": 0.2,  # rare question words in the law's title (× the article's BM25)
    "title_match_unseen_only": True,  # only laws without training answers, words no answered law's title has
    "title_match_national_only": True,  # not local regulations (unless the search filters a region)
    "title_vouch": 1.0,  # such a law's chapters rise towards the median chapter score, in proportion
    "law_text_beta": 0.0,  # library background for the NB text statistics (tried: no gain)
    "chapter_text_beta": 0.0,
    "law_bm25_weight": 0.0,  # cluster evidence (best BM25 of the same law/chapter): no gain in CV
    "chapter_bm25_weight": 0.0,
    "chapter_candidates": 10,  # articles of the best-predicted chapters join the candidates
    "law_candidates": 5,  # matching articles of the best-predicted laws join the candidates
    "law_depth": 200,
    "floor": -30.0,  # log-probabilities are clipped here (then divided by 10)
    # training
    "law_mu": 200.0,
    "law_lambda": 0.35,
    "law_backoff": 8.0,  # pseudo-counts shared by the laws of a level (unseen laws)
    "law_unseen_mass": 1.0,  # × Good-Turing N1/N: the prior mass of laws without training answers
    "chapter_mu": 50.0,
    "chapter_lambda": 0.35,
    "chapter_backoff": 8.0,  # pseudo-counts shared by the chapters of a law
    "bridge_min_questions": 2,
    "bridge_min_cooccurrence": 2.0,
    "bridge_min_lift": 1.5,
    "bridge_row_terms": 30,
}


def _unit_matrix(pairs_word: np.ndarray, pairs_unit: np.ndarray, nwords: int, nunits: int) -> Csr:
    """Count (word, unit) pairs into a CSR matrix."""
    if len(pairs_word) == 0:
        return Csr(
            np.zeros(nwords + 1, dtype=np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32), nunits
        )
    key = pairs_word.astype(np.int64) * nunits + pairs_unit.astype(np.int64)
    uniq, counts = np.unique(key, return_counts=True)
    rows = (uniq // nunits).astype(np.int64)
    cols = (uniq % nunits).astype(np.int32)
    indptr = np.zeros(nwords + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    indptr = np.cumsum(indptr)
    return Csr(indptr, cols, counts.astype(np.float32), nunits)


@dataclass
class TextStats:
    """The question-independent part of the model (computed once, shared by the CV folds)."""

    law_text: Csr
    chap_text: Csr
    law_text_tot: np.ndarray
    chap_text_tot: np.ndarray


def text_stats(corpus: Corpus, nwords: int) -> TextStats:
    n_art, n_law, n_chap = len(corpus.article_ids), len(corpus.law_ids), len(corpus.chap_names)
    arts = np.repeat(np.arange(n_art), np.diff(corpus.word_ptr))
    law_text = _unit_matrix(corpus.word_ids, corpus.article_law[arts], nwords, n_law)
    chap_text = _unit_matrix(corpus.word_ids, corpus.article_chap[arts], nwords, n_chap)
    law_tot = np.bincount(corpus.article_law[arts], minlength=n_law).astype(np.float64)
    chap_tot = np.bincount(corpus.article_chap[arts], minlength=n_chap).astype(np.float64)
    return TextStats(law_text, chap_text, law_tot, chap_tot)


def fit(
    corpus: Corpus,
    questions: list[Question],
    params: dict[str, Any] | None = None,
    stats: TextStats | None = None,
    meta: dict[str, Any] | None = None,
) -> RankingModel:
    """Learn the priors, the naive-Bayes word statistics and the vocabulary bridge."""
    p = DEFAULT_PARAMS | (params or {})
    # The vocabulary: article words, then question words (ids of article words stay stable).
    for q in questions:
        for word in q.words:
            corpus.word_id(word)
    nwords = len(corpus.words)
    stats = stats or text_stats(corpus, nwords)
    n_art, n_law, n_chap = len(corpus.article_ids), len(corpus.law_ids), len(corpus.chap_names)

    popularity = np.zeros(n_art, dtype=np.float64)
    law_count = np.zeros(n_law)
    chap_count = np.zeros(n_chap)
    law_q: Counter[tuple[int, int]] = Counter()
    chap_q: Counter[tuple[int, int]] = Counter()
    art_q: Counter[tuple[int, int]] = Counter()  # (word, article): the article's questions with the word
    question_df: Counter[int] = Counter()  # questions containing the word
    gold_df: Counter[int] = Counter()  # gold articles containing the word
    co: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    n_pairs = 0
    for q in questions:
        if not q.positions:
            continue
        qw = sorted({corpus.vocab[word] for word in q.words})
        for pos in q.positions:
            popularity[pos] += 1
        for pos in q.positions:
            for w in qw:
                art_q[(w, pos)] += 1
        for law in {int(corpus.article_law[pos]) for pos in q.positions}:
            law_count[law] += 1
            for w in qw:
                law_q[(w, law)] += 1
        for chap in {int(corpus.article_chap[pos]) for pos in q.positions}:
            chap_count[chap] += 1
            for w in qw:
                chap_q[(w, chap)] += 1
        question_df.update(qw)
        share = 1.0 / len(q.positions)
        for pos in q.positions:
            n_pairs += 1
            art_words = corpus.article_words(pos).tolist()
            gold_df.update(art_words)
            for w in qw:
                row = co[w]
                for v in art_words:
                    row[v] += share

    def to_csr(pairs: Counter[tuple[int, int]], ncols: int) -> Csr:
        rows: list[dict[int, float]] = [{} for _ in range(nwords)]
        for (w, u), c in pairs.items():
            rows[w][u] = c
        return Csr.from_rows(rows, ncols)

    # Vocabulary bridge: question word w → statute word v with lift P(v in gold | w in question) / P(v in gold).
    stop = analysis.STOP_WORDS
    bridge_rows: list[dict[int, float]] = [{} for _ in range(nwords)]
    for w, row in co.items():
        n_w = question_df[w]
        if n_w < p["bridge_min_questions"]:
            continue
        scored: list[tuple[float, int]] = []
        for v, c in row.items():
            if c < p["bridge_min_cooccurrence"] or corpus.words[v] in stop:
                continue
            prob = c / n_w
            lift = prob / (gold_df[v] / n_pairs + 1e-9)
            if lift > p["bridge_min_lift"]:
                scored.append((prob * math.log(lift), v))
        scored.sort(reverse=True)
        bridge_rows[w] = {v: s for s, v in scored[: int(p["bridge_row_terms"])]}

    law_alpha, chap_alpha = _backoff(corpus, law_count, p)
    law_q_csr = to_csr(law_q, n_law)
    chap_q_csr = to_csr(chap_q, n_chap)
    law_qtot = np.zeros(n_law)
    for (_, u), n in law_q.items():
        law_qtot[u] += n
    chap_qtot = np.zeros(n_chap)
    for (_, u), n in chap_q.items():
        chap_qtot[u] += n
    return RankingModel(
        words=list(corpus.words),
        article_ids=corpus.article_ids,
        article_law=corpus.article_law,
        article_chap=corpus.article_chap,
        popularity=np.log1p(popularity).astype(np.float32),
        law_ids=corpus.law_ids,
        law_count=law_count,
        law_alpha=law_alpha,
        chap_alpha=chap_alpha,
        law_qtot=law_qtot,
        law_text_tot=stats.law_text_tot,
        chap_count=chap_count,
        chap_qtot=chap_qtot,
        chap_text_tot=stats.chap_text_tot,
        law_text=_pad(stats.law_text, nwords),
        law_q=law_q_csr,
        chap_text=_pad(stats.chap_text, nwords),
        chap_q=chap_q_csr,
        bridge=Csr.from_rows(bridge_rows, nwords),
        # Per-article and per-word training-question counts serve only the question-words feature; with
        # it off (the default) the model file keeps neither.
        art_q=to_csr(art_q, n_art) if p["question_words_weight"] else None,
        word_qdf=_dense_counts(question_df, nwords) if p["question_words_weight"] else None,
        chap_names=corpus.chap_names,
        params=p,
        meta=(meta or {})
        | {
            "questions": len(questions),
            "articles": n_art,
            "laws": n_law,
            "chapters": n_chap,
            "check": _check_pairs(corpus),
        },
    )


def _backoff(corpus: Corpus, law_count: np.ndarray, p: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Dirichlet pseudo-counts: a law unseen in training borrows its level's share of the answers,
    a chapter its law's share (instead of one constant for every law and chapter)."""
    from fazhi.laws.models import Law

    n_law, n_chap = len(corpus.law_ids), len(corpus.chap_names)
    a_law = float(p.get("law_backoff", 0.0))
    if a_law > 0:
        level_of = dict(Law.objects.filter(pk__in=corpus.law_ids.tolist()).values_list("pk", "level"))
        levels = [level_of.get(int(pk), "") for pk in corpus.law_ids]
        names = sorted(set(levels))
        code = np.asarray([names.index(x) for x in levels], dtype=np.int64)
        answered = np.bincount(code, weights=law_count, minlength=len(names))
        share = (answered + 1.0) / (answered.sum() + len(names))
        members = np.bincount(code, minlength=len(names))
        law_alpha = a_law * share[code] / members[code]
        unseen_factor = float(p.get("law_unseen_mass", 0.0))
        total = float(law_count.sum())
        unseen = law_count == 0
        if unseen_factor > 0 and total > 0 and unseen.any():
            # Good-Turing: the answers still to come from laws never seen in training are about as many
            # as the laws seen exactly once (N1 / N). That mass is shared by the unseen laws, by level.
            mass = min(0.5, unseen_factor * max(float((law_count == 1).sum()), 1.0) / total)
            pseudo = mass * (total + float(law_alpha[~unseen].sum())) / (1.0 - mass)
            unseen_members = np.bincount(code[unseen], minlength=len(names))
            level_share = share * (unseen_members > 0)
            level_share = level_share / (level_share.sum() or 1.0)
            per_law = pseudo * level_share[code] / np.maximum(unseen_members[code], 1)
            law_alpha = np.where(unseen, per_law, law_alpha)
    else:
        law_alpha = np.full(n_law, 0.05)
    a_chap = float(p.get("chapter_backoff", 0.0))
    if a_chap > 0:
        chap_law = np.zeros(n_chap, dtype=np.int64)
        chap_law[corpus.article_chap] = corpus.article_law
        law_p = (law_count + law_alpha) / (law_count.sum() + law_alpha.sum())
        per_law = np.bincount(chap_law, minlength=n_law)
        chap_alpha = a_chap * law_p[chap_law] / per_law[chap_law]
    else:
        chap_alpha = np.full(n_chap, 0.02)
    return law_alpha, chap_alpha


def _dense_counts(counts: Counter[int], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    for i, c in counts.items():
        out[i] = c
    return out


def _check_pairs(corpus: Corpus) -> list[list[int]]:
    """A few (article id, law id) pairs that identify the library the model was trained on."""
    n = len(corpus.article_ids)
    if n == 0:
        return []
    picks = sorted({0, n // 3, (2 * n) // 3, n - 1})
    return [[int(corpus.article_ids[i]), int(corpus.law_ids[corpus.article_law[i]])] for i in picks]


def _pad(m: Csr, nwords: int) -> Csr:
    """Extend a CSR matrix with empty rows for words added after it was built."""
    missing = nwords + 1 - len(m.indptr)
    if missing <= 0:
        return m
    return Csr(np.concatenate([m.indptr, np.full(missing, m.indptr[-1])]), m.indices, m.data, m.ncols)


def training_file() -> Path:
    from django.conf import settings

    return Path(settings.FAZHI_DATA_DIR) / "eval" / "stard-train.jsonl"
