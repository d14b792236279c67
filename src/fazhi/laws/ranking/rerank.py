"""Query time: deep BM25 retrieval with learned expansions, then the learned re-ranker.

Contract:
- `expansions(model, words)` → [(statute word, weight)] from the vocabulary bridge; `rank` adds the
  statute terms of everyday abbreviations in the question (`abbreviations`, weight `abbreviation_weight`).
- `law_logp(model, words)` / `chapter_logp(model, words)` → naive-Bayes log P(unit | question words),
  shifted so the best unit is 0 and clipped at `floor`. These two and `expansions` live in `priors`.
- `rank(aq, filters, model)` → `Ranking`: candidate article ids ordered by
  bm25/max(bm25) + law_weight·law/10 + chapter_weight·chapter/10 + popularity_weight·popularity
  (+ named_law_weight for articles of a law named in the question)
  (+ question_words_weight · how much the article's training questions share the question's words)
  (+ title_match_weight · rare question words in the title of a law without training answers × bm25/max),
  with every component kept for the staff "explain" view. The BM25 query also scores pairs of nearby
  question words (sloppy phrases, `pair_weight`). A national law without training answers whose title
  shares rare words with the question has its chapter prior lifted towards the candidates' median
  (`title_vouch`): the priors learned without it do not bury it. Candidates: the first `depth` BM25 hits
  (question words, bigrams, title and headings, weighted expansions) plus the articles of the
  best-predicted chapters that pass the filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import tantivy

from fazhi.laws.ranking import abbreviations
from fazhi.laws.ranking.model import RankingModel
from fazhi.laws.ranking.priors import (
    chapter_logp,
    chapter_members,
    expansions,
    law_logp,
    question_words_match,
    title_match,
)
from fazhi.search import query as sq


def retrieval_query(
    index: Any, aq: sq.AnalyzedQuery, params: dict[str, Any], expansion_terms: list[tuple[str, float]]
) -> tantivy.Query | None:
    """Words over text (1.0), title and headings; bigrams over text and title; expansions over text."""
    title_boost = float(params.get("title_boost", 0.5))
    headings_boost = float(params.get("headings_boost", 0.5))
    bigram = float(params.get("bigram_weight", 0.5))
    gamma = float(params.get("expansion_weight", 0.2))
    should = tantivy.Occur.Should
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for w in aq.words:
        clauses.append((should, index.term("text", w)))
        if title_boost:
            clauses.append((should, tantivy.Query.boost_query(index.term("title", w), title_boost)))
        if headings_boost:
            clauses.append((should, tantivy.Query.boost_query(index.term("headings", w), headings_boost)))
    if bigram:
        for bg in aq.bigrams:
            clauses.append((should, tantivy.Query.boost_query(index.term("text_bi", bg), bigram)))
            if title_boost:
                clauses.append(
                    (should, tantivy.Query.boost_query(index.term("title_bi", bg), bigram * title_boost))
                )
    pair_w = float(params.get("pair_weight", 0.0))
    proximity = proximity_query(index, aq.words, params) if pair_w else None
    if proximity is not None:
        clauses.append((should, tantivy.Query.boost_query(proximity, pair_w)))
    if gamma:
        for v, weight in expansion_terms:
            clauses.append((should, tantivy.Query.boost_query(index.term("text", v), gamma * weight)))
    phrase_groups = []
    for p in aq.phrases:
        alternatives = [(should, index.phrase(name, p)) for name in ("text", "title", "headings")]
        phrase_groups.append((tantivy.Occur.Must, tantivy.Query.boolean_query(alternatives)))
    if not clauses and not phrase_groups:
        return None
    if phrase_groups:
        scoring = [(tantivy.Occur.Must, tantivy.Query.boolean_query(clauses))] if clauses else []
        return tantivy.Query.boolean_query(phrase_groups + scoring)
    return tantivy.Query.boolean_query(clauses)


@dataclass
class Ranking:
    total: int
    ids: np.ndarray  # article ids, best first
    score: np.ndarray
    components: dict[str, np.ndarray]  # name → value per ranked article (same order)
    expansions: list[tuple[str, float]] = field(default_factory=list)
    named_laws: list[int] = field(default_factory=list)
    model: RankingModel | None = None
    # The documents `total` counts (the filtered BM25 matches plus the chapter and cited candidates):
    # facet counts over this query add up to `total`, and a facet's count is the total its filter gives.
    counted: tantivy.Query | None = None

    def explain(self, i: int) -> dict[str, Any]:
        """Why the i-th article ranked where it did: each weighted component of its score."""
        out: dict[str, Any] = {k: round(float(v[i]), 4) for k, v in self.components.items()}
        out["score"] = round(float(self.score[i]), 4)
        out["source"] = "chapter" if out.pop("from_chapter", 0.0) else "bm25"
        out["expansions"] = [{"word": w, "weight": wt} for w, wt in self.expansions]
        out["named_laws"] = list(self.named_laws)
        out["chapter"] = ""
        if self.model is not None:
            pos = int(self.model.positions(self.ids[i : i + 1])[0])
            if pos >= 0 and self.model.chap_names:
                out["chapter"] = self.model.chap_names[int(self.model.article_chap[pos])]
        return out


def proximity_query(index: Any, words: list[str], params: dict[str, Any]) -> tantivy.Query | None:
    """Pairs of nearby question words (each word with the next `pair_span`) as phrases with slop
    `pair_slop` over the article text: articles where the question's words stand close together."""
    content = [w for w in dict.fromkeys(words) if len(w) >= 2]
    span = int(params.get("pair_span", 2))
    slop = int(params.get("pair_slop", 20))
    clauses = []
    for i, a in enumerate(content):
        for b in content[i + 1 : i + 1 + span]:
            pair = tantivy.Query.phrase_query(index.schema, "text", [a, b], slop=slop)
            clauses.append((tantivy.Occur.Should, pair))
    return tantivy.Query.boolean_query(clauses) if clauses else None


def _search_ids(searcher: Any, query: tantivy.Query, limit: int) -> tuple[list[int], list[float], int]:
    res = searcher.search(query, limit=max(1, limit), count=True)
    ids = [int(searcher.doc(address)["id"][0]) for _, address in res.hits]
    return ids, [float(s) for s, _ in res.hits], int(getattr(res, "count", 0) or 0)


def _allowed(index: Any, searcher: Any, ids: list[int], filters: dict[str, list[str]]) -> set[int]:
    """The ids (from the model, not the index) that are indexed and pass the search filters."""
    query = sq.with_filters(index, index.any_of("id", [str(i) for i in ids]), filters)
    found, _, _ = _search_ids(searcher, query, len(ids))
    return set(found)


def _group_top_sum(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """For each item: the sum of the n largest values in its group divided by n (-1 = no group: 0)."""
    if len(values) == 0 or n <= 0:
        return np.zeros(len(values))
    order = np.lexsort((-values, groups))
    g = groups[order]
    first = np.r_[True, g[1:] != g[:-1]]
    starts = np.maximum.accumulate(np.where(first, np.arange(len(g)), 0))
    rank_in_group = np.arange(len(g)) - starts
    keep = rank_in_group < n
    uniq, inverse = np.unique(g, return_inverse=True)
    sums = np.bincount(inverse[keep], weights=values[order][keep], minlength=len(uniq)) / n
    out = np.empty(len(values))
    out[order] = sums[inverse]
    return np.where(groups >= 0, out, 0.0)


def _neutral_unknown(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Articles added after training get the median prior of the known candidates (no penalty, no bonus)."""
    if known.all():
        return values
    fill = float(np.median(values[known])) if known.any() else 0.0
    return np.where(known, values, fill)


def rank(
    aq: sq.AnalyzedQuery,
    filters: dict[str, list[str]],
    model: RankingModel,
    *,
    index: Any,
    named_laws: list[int] | None = None,
    params: dict[str, Any] | None = None,
    pinned: list[int] | None = None,
) -> Ranking:
    """Candidates from the index and the chapter model, ordered by the combined score.

    `pinned`: article ids cited in the question (预算法第十条); those that pass the filters come first."""
    p = model.params | (params or {})
    words = aq.words
    exp = expansions(model, words, int(p.get("expansion_terms", 10))) if p.get("expansion_weight") else []
    if p.get("expansion_weight"):
        # Everyday abbreviations (交强险, 低保) add their statute terms on the bridge's scale.
        bridged = {w for w, _ in exp}
        statute = abbreviations.expansions(aq.normalized, words, float(p.get("abbreviation_weight", 0.0)))
        exp = exp + [(w, wt) for w, wt in statute if w not in bridged]
        if statute and p.get("abbreviation_priors"):
            # The statute words also inform the law/chapter naive Bayes (the law's text knows them).
            words = words + [w for w, _ in statute]
    query = retrieval_query(index, aq, p, exp)
    empty = Ranking(0, np.zeros(0, np.int64), np.zeros(0), {}, exp)
    if query is None:
        return empty
    searcher = index.searcher()
    matched = sq.with_filters(index, query, filters)
    ids, scores, total = _search_ids(searcher, matched, int(p["depth"]))
    named = list(named_laws or [])
    if named and not filters.get("law_id"):
        pull = sq.with_filters(
            index,
            tantivy.Query.boolean_query([(tantivy.Occur.Must, query)]),
            filters | {"law_id": [str(x) for x in named[:20]]},
        )
        more_ids, more_scores, _ = _search_ids(searcher, pull, 200)
        seen = set(ids)
        for i, s in zip(more_ids, more_scores, strict=True):
            if i not in seen:
                ids.append(i)
                scores.append(s)
    from_chapter: list[int] = []
    law_lp = law_logp(model, words)
    chap_lp = chapter_logp(model, words)
    n_laws = min(int(p.get("law_candidates", 0)), model.n_laws)
    if n_laws > 0 and not filters.get("law_id"):
        # The best-predicted laws' articles that match the question at all (their own BM25 scores).
        best_laws = model.law_ids[np.argsort(-law_lp, kind="stable")[:n_laws]]
        pull = sq.with_filters(
            index,
            tantivy.Query.boolean_query([(tantivy.Occur.Must, query)]),
            filters | {"law_id": [str(x) for x in best_laws.tolist()]},
        )
        more_ids, more_scores, _ = _search_ids(searcher, pull, int(p.get("law_depth", 200)))
        seen = set(ids)
        for i, s in zip(more_ids, more_scores, strict=True):
            if i not in seen:
                ids.append(i)
                scores.append(s)
    k = int(p.get("chapter_candidates", 0))
    # Chapter candidates need evidence from the question: words the model knows (not the prior alone).
    if k > 0 and model.n_chapters and any(w in model.vocab for w in words):
        order, starts = chapter_members(model)
        best = np.argpartition(-chap_lp, min(k, model.n_chapters - 1))[:k]
        extra = np.concatenate([order[starts[c] : starts[c + 1]] for c in best]) if len(best) else []
        seen = set(ids)
        extra_ids = [int(model.article_ids[x]) for x in extra if int(model.article_ids[x]) not in seen]
        if extra_ids:
            allowed = _allowed(index, searcher, extra_ids, filters)
            from_chapter = [i for i in extra_ids if i in allowed]
    cited: list[int] = []
    if pinned:
        cited = [i for i in dict.fromkeys(pinned) if i in _allowed(index, searcher, list(pinned), filters)]
        seen = set(ids) | set(from_chapter)
        from_chapter += [i for i in cited if i not in seen]
    all_ids = np.asarray(ids + from_chapter, dtype=np.int64)
    if len(all_ids) == 0:
        return empty
    counted = matched
    if from_chapter:
        # Exact total: the BM25 matches plus the candidates (already filtered) that do not match.
        extra = index.any_of("id", [str(i) for i in from_chapter])
        # The word pairs only score documents that match their words already: without them the query
        # matches the same documents and is cheaper to run.
        same_matches = retrieval_query(index, aq, p | {"pair_weight": 0.0}, exp) or query
        outside = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, extra), (tantivy.Occur.MustNot, same_matches)]
        )
        total += int(getattr(searcher.search(outside, limit=1, count=True), "count", 0) or 0)
        counted = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, matched), (tantivy.Occur.Should, extra)]
        )
    bm = np.asarray(scores + [0.0] * len(from_chapter), dtype=np.float64)
    bm_norm = bm / (bm.max() or 1.0)
    pos = model.positions(all_ids)
    known = pos >= 0
    safe = np.where(known, pos, 0)
    law_c = _neutral_unknown(law_lp[model.article_law[safe]], known) / 10 * float(p["law_weight"])
    chap_c = _neutral_unknown(chap_lp[model.article_chap[safe]], known) / 10 * float(p["chapter_weight"])
    pop_c = np.where(known, model.popularity[safe], 0.0) * float(p["popularity_weight"])
    named_c = np.zeros(len(all_ids))
    if named:
        named_slots = np.isin(model.law_ids, np.asarray(named, dtype=np.int64))
        named_c = np.where(known, named_slots[model.article_law[safe]], False) * float(
            p.get("named_law_weight", 0.0)
        )
    # Cluster evidence: the best BM25 matches of the same law / chapter among the candidates.
    law_slot = np.where(known, model.article_law[safe], -1)
    chap_slot = np.where(known, model.article_chap[safe], -1)
    top_n = int(p.get("group_top", 3))
    law_bm, chap_bm = np.zeros(len(all_ids)), np.zeros(len(all_ids))
    if float(p.get("law_bm25_weight", 0.0)):
        law_bm = _group_top_sum(law_slot, bm_norm, top_n) * float(p["law_bm25_weight"])
    if float(p.get("chapter_bm25_weight", 0.0)):
        chap_bm = _group_top_sum(chap_slot, bm_norm, top_n) * float(p["chapter_bm25_weight"])
    title_w = float(p.get("title_match_weight", 0.0))
    title_c = np.zeros(len(all_ids))
    vouch = float(p.get("title_vouch", 0.0))
    if title_w or vouch:
        unseen_only = bool(p.get("title_match_unseen_only"))
        # Local regulations repeat national law per region: their titles only count when the search
        # is limited to a region.
        national_only = bool(p.get("title_match_national_only")) and not filters.get("region")
        tm = title_match(model, words, law_slot, unseen_only=unseen_only, national_only=national_only)
        title_c = tm * title_w
        if p.get("title_match_by_bm25"):
            title_c = title_c * bm_norm  # the article itself must match the question too
        seen_law = known & (model.law_count[model.article_law[safe]] > 0)
        if vouch and tm.any() and seen_law.any():
            # The chapter model learned nothing about a law no training question was answered by;
            # when its title shares rare words with the question, its chapters are not held back
            # below the median chapter score of the answered laws' candidates (in proportion).
            share = np.minimum(1.0, tm * vouch)
            mid = float(np.median(chap_c[seen_law]))
            chap_c = chap_c + share * np.maximum(0.0, mid - chap_c)
    qw_w = float(p.get("question_words_weight", 0.0))
    qw_c = question_words_match(model, words, pos) * qw_w if qw_w else np.zeros(len(all_ids))
    total_score = bm_norm + law_c + chap_c + pop_c + named_c + law_bm + chap_bm + title_c + qw_c
    cite_c = np.zeros(len(all_ids))
    if cited:
        # A cited article outranks every other candidate (and keeps its own order among the cited).
        is_cited = np.isin(all_ids, np.asarray(cited, dtype=np.int64))
        cite_c = np.where(is_cited, float(total_score.max() - total_score.min()) + 1.0, 0.0)
        total_score = total_score + cite_c
    order_ = np.lexsort((all_ids, -total_score))
    components = {
        "bm25": bm[order_],
        "bm25_normalized": bm_norm[order_],
        "law_prior": law_c[order_],
        "chapter_prior": chap_c[order_],
        "popularity": pop_c[order_],
        "named_law": named_c[order_],
        "law_bm25": law_bm[order_],
        "chapter_bm25": chap_bm[order_],
        "title_match": title_c[order_],
        "question_words": qw_c[order_],
        "citation": cite_c[order_],
        "from_chapter": np.asarray([0.0] * len(ids) + [1.0] * len(from_chapter))[order_],
    }
    return Ranking(
        total=max(total, len(all_ids)),
        ids=all_ids[order_],
        score=total_score[order_],
        components=components,
        expansions=exp,
        named_laws=named,
        model=model,
        counted=counted,
    )
