"""The learned ranking (issue #8) on a tiny synthetic library: training, re-ranking, explain, fallback."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from fazhi.laws.models import Article, Law, LawVersion, Level

LIBRARY = {
    ("中华人民共和国劳动合同法", "劳动合同法"): [
        ("第一章 总则", "用人单位安排劳动者加班的，应当按照国家有关规定向劳动者支付加班费。"),
        ("第一章 总则", "劳动者在试用期内提前三日通知用人单位，可以解除劳动合同。"),
        ("第二章 劳动报酬", "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。"),
    ],
    ("中华人民共和国道路交通安全法", "道路交通安全法"): [
        ("第一章 总则", "机动车驾驶人应当遵守道路交通安全法律、法规的规定，按照操作规范安全驾驶。"),
        ("第二章 通行规定", "机动车通过有交通信号灯控制的交叉路口，应当按照交通信号通行。"),
    ],
    ("储蓄管理条例", "储蓄管理条例"): [
        ("第一章 总则", "老板把钱存入储蓄机构的，储蓄机构应当保证老板的钱的安全，老板取钱自由。"),
        ("第一章 总则", "储蓄机构应当按照规定公告存款利率。"),
    ],
}

QUESTIONS = [
    ("老板不给加班钱", ("劳动合同法", 1)),
    ("老板拖欠加班工资", ("劳动合同法", 1)),
    ("公司老板晚上让我们加班不给钱", ("劳动合同法", 1)),
    ("试用期想辞职要提前几天", ("劳动合同法", 2)),
    ("工资一直拖着不发", ("劳动合同法", 3)),
    ("开车闯红灯", ("道路交通安全法", 2)),
    ("路口红绿灯怎么走", ("道路交通安全法", 2)),
    ("司机开车要遵守什么", ("道路交通安全法", 1)),
]


def _make_library() -> dict[tuple[str, int], int]:
    ids = {}
    for (title, short), articles in LIBRARY.items():
        norm = title.replace("中华人民共和国", "")
        law = Law.objects.create(title=title, short_name=short, norm_title=norm, level=Level.LAW)
        text = "\n".join(t for _, t in articles)
        version = LawVersion.objects.create(
            law=law, text=text, text_hash=hashlib.sha256(text.encode()).hexdigest()
        )
        for n, (chapter, body) in enumerate(articles, start=1):
            art = Article.objects.create(
                version=version,
                law=law,
                number=n,
                label=f"第{'一二三四五'[n - 1]}条",
                chapter=chapter,
                ordinal=n,
                text=body,
            )
            ids[(norm, n)] = art.pk
    return ids


def _write_questions(path, questions=QUESTIONS):  # noqa: ANN001, ANN202
    lines = [
        json.dumps({"qid": i, "query": q, "relevant": [{"law": law, "article": n}]}, ensure_ascii=False)
        for i, (q, (law, n)) in enumerate(questions)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def library(db, settings, tmp_path):
    from fazhi.search import build

    settings.VAR_DIR = tmp_path / "var"
    ids = _make_library()
    build.rebuild("laws")
    return ids


@pytest.fixture
def trained(library, tmp_path):
    from fazhi.laws import ranking

    ranking.train_and_save(questions_file=_write_questions(tmp_path / "train.jsonl"))
    return library


def test_training_learns_priors_bridge_and_popularity_from_the_questions(library, tmp_path):
    from fazhi.laws.ranking import rerank, training
    from fazhi.laws.ranking.model import RankingModel

    corpus = training.load_corpus()
    questions = training.load_questions(_write_questions(tmp_path / "q.jsonl"), corpus)
    assert all(q.positions for q in questions)
    model = training.fit(corpus, questions)

    # The layperson's 老板 … 钱 leads to the statute's words of the overtime article.
    bridged = dict(rerank.expansions(model, ["老板", "加班"]))
    assert "用人单位" in bridged and "劳动者" in bridged
    # Naive Bayes: a question about 红绿灯 points to the traffic law, not the labour law.
    lp = rerank.law_logp(model, ["路口", "红绿灯"])
    laws = dict(zip(model.law_ids.tolist(), lp.tolist(), strict=True))
    traffic = Law.objects.get(short_name="道路交通安全法").pk
    labour = Law.objects.get(short_name="劳动合同法").pk
    assert laws[traffic] > laws[labour]
    # Popularity counts how often an article answered a training question.
    pos = model.positions(np.asarray([library[("劳动合同法", 1)], library[("储蓄管理条例", 2)]]))
    assert model.popularity[pos[0]] > 0 and model.popularity[pos[1]] == 0

    # The files round-trip.
    path = tmp_path / "m" / "laws-ranking"
    model.save(path)
    again = RankingModel.load(path)
    assert again.words == model.words
    assert np.array_equal(again.article_ids, model.article_ids)
    assert dict(rerank.expansions(again, ["老板", "加班"])) == bridged


def test_training_is_reproducible(library, tmp_path):
    from fazhi.laws.ranking import training

    path = _write_questions(tmp_path / "q.jsonl")
    a = training.fit(training.load_corpus(), training.load_questions(path, training.load_corpus()))
    corpus = training.load_corpus()
    b = training.fit(corpus, training.load_questions(path, corpus))
    assert np.array_equal(a.bridge.data, b.bridge.data) and np.array_equal(a.law_q.data, b.law_q.data)


def test_the_re_ranker_puts_the_learned_answer_above_a_word_match(trained, settings, tmp_path):
    from fazhi.laws.search import search_articles

    overtime = trained[("劳动合同法", 1)]
    decoy = trained[("储蓄管理条例", 1)]
    ranked = [h.article.pk for h in search_articles(q="老板不给钱", limit=10).hits]
    assert ranked[0] == overtime
    assert decoy in ranked

    settings.VAR_DIR = tmp_path / "no-model"  # the same question without a model: plain BM25
    plain = [h.article.pk for h in search_articles(q="老板不给钱", limit=10).hits]
    assert plain[0] == decoy


def test_search_works_without_a_model(library):
    from fazhi.laws.ranking.hooks import active_model
    from fazhi.laws.search import search_articles

    assert active_model() is None
    res = search_articles(q="交通信号灯", limit=5)
    assert res.hits and res.hits[0].article.pk == library[("道路交通安全法", 2)]


def test_a_model_of_another_library_is_ignored(trained, settings):
    from fazhi.laws.ranking.hooks import active_model

    assert active_model() is not None
    Article.objects.filter(pk=min(trained.values())).delete()
    assert active_model() is None


def test_explain_is_shown_to_staff_only(trained, client, login, reviewer, outsider, token_for):
    url = "/api/v1/laws/search?q=老板不给加班钱&explain=1"
    anonymous = client.get(url).json()["results"]
    assert anonymous and all(r.get("explain") is None for r in anonymous)
    plain = login(outsider).get(url).json()["results"]
    assert all(r.get("explain") is None for r in plain)

    for staff in (login(reviewer).get(url), client.get(url, headers=token_for(reviewer))):
        first = staff.json()["results"][0]["explain"]
        assert set(first) >= {"bm25", "law_prior", "chapter_prior", "popularity", "expansions", "source"}
        assert any(e["word"] == "用人单位" for e in first["expansions"])


def test_the_train_command_prints_the_cross_validation_and_writes_the_model(library, settings, tmp_path):
    import io

    from django.core.management import call_command

    data = tmp_path / "data"
    (data / "eval").mkdir(parents=True)
    _write_questions(data / "eval" / "stard-train.jsonl", QUESTIONS * 2)
    settings.FAZHI_DATA_DIR = data
    out = io.StringIO()
    call_command("train_ranking", "--folds", "2", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "2 折交叉验证（16 个问题" in text and "| BM25" in text and "R@100" in text
    assert (settings.VAR_DIR / "models" / "laws-ranking.npz").exists()
    assert "16 个找到了答案条文" in text


def test_an_article_added_after_training_is_still_found(trained):
    from fazhi.laws.ranking.hooks import active_model
    from fazhi.laws.search import search_articles
    from fazhi.search import build

    text = "电动自行车驾驶人通过路口时，应当遵守红绿灯指示。"
    law = Law.objects.create(
        title="某市电动自行车管理条例", norm_title="某市电动自行车管理条例", level=Level.LAW
    )
    version = LawVersion.objects.create(
        law=law, text=text, text_hash=hashlib.sha256(text.encode()).hexdigest()
    )
    new = Article.objects.create(version=version, law=law, number=1, label="第一条", ordinal=1, text=text)
    build.rebuild("laws")
    assert active_model() is not None
    hits = search_articles(q="电动自行车闯红绿灯", limit=5).hits
    assert hits[0].article.pk == new.pk


def _add_law(title: str, level: str, articles: list[str]) -> list[int]:
    law = Law.objects.create(title=title, short_name=title, norm_title=title, level=level)
    text = "\n".join(articles)
    version = LawVersion.objects.create(
        law=law, text=text, text_hash=hashlib.sha256(text.encode()).hexdigest()
    )
    return [
        Article.objects.create(
            version=version, law=law, number=n, label=f"第{'一二三'[n - 1]}条", ordinal=n, text=body
        ).pk
        for n, body in enumerate(articles, start=1)
    ]


def test_a_law_no_training_question_answers_is_found_by_its_rare_title_words(library, tmp_path):
    """Issue #8: 公司拖欠小企业货款 must find 保障中小企业款项支付条例 although the training questions
    never answer with it; the learned law prior alone would bury it under the answered laws."""
    from fazhi.laws.ranking import rerank, training
    from fazhi.laws.search import LawFilters, adapter
    from fazhi.search import build
    from fazhi.search import query as sq

    unseen = _add_law(
        "保障中小企业款项支付条例",
        Level.ADMIN_REGULATION,
        [
            "机关、事业单位和大型企业不得拖欠中小企业的货物、工程、服务款项。",
            "大型企业迟延支付中小企业款项的，应当支付逾期利息。",
        ],
    )
    # A local regulation with the same words in its title: it must not profit from the title signal.
    local = _add_law(
        "某市促进中小企业款项支付条例", Level.LOCAL_REGULATION, ["本市大型企业不得拖欠中小企业款项。"]
    )
    labour_arrears = [
        ("老板拖欠工资不给", ("劳动合同法", 3)),
        ("公司拖欠工资怎么办", ("劳动合同法", 3)),
        ("单位拖欠工资三个月", ("劳动合同法", 3)),
    ]
    build.rebuild("laws")
    corpus = training.load_corpus()
    questions = training.load_questions(
        _write_questions(tmp_path / "q.jsonl", QUESTIONS + labour_arrears), corpus
    )
    model = training.fit(corpus, questions)
    slot = {int(pk): i for i, pk in enumerate(model.law_ids.tolist())}
    law_pk = Law.objects.get(title="保障中小企业款项支付条例").pk
    assert model.law_count[slot[law_pk]] == 0  # no training question answers with it

    aq = sq.analyze("公司拖欠小企业货款")
    ranking = rerank.rank(aq, LawFilters().as_dict(), model, index=adapter.index)
    ranked = ranking.ids.tolist()
    assert ranked[0] in unseen
    assert ranking.explain(0)["title_match"] > 0
    assert ranked.index(local[0]) > ranked.index(unseen[0])
    # Without the title signal and the chapter lift the learned priors put the answered labour law first.
    off = {"title_match_weight": 0.0, "title_vouch": 0.0}
    plain = rerank.rank(aq, LawFilters().as_dict(), model, index=adapter.index, params=off).ids.tolist()
    assert plain.index(unseen[0]) > ranked.index(unseen[0])


def test_unseen_laws_share_the_good_turing_prior_mass(library, tmp_path):
    from fazhi.laws.ranking import training

    corpus = training.load_corpus()
    questions = training.load_questions(_write_questions(tmp_path / "q.jsonl"), corpus)
    with_mass = training.fit(corpus, questions)
    without = training.fit(corpus, questions, {"law_unseen_mass": 0.0})
    unseen = with_mass.law_count == 0
    assert unseen.any() and (~unseen).any()

    def unseen_share(m):  # noqa: ANN001, ANN202
        p = (m.law_count + m.law_alpha) / (m.law_count.sum() + m.law_alpha.sum())
        return float(p[unseen].sum())

    # Laws answered exactly once / answers: the share still to come from laws never seen.
    n1 = float((with_mass.law_count == 1).sum()) or 1.0
    expected = n1 / with_mass.law_count.sum()
    assert unseen_share(with_mass) == pytest.approx(expected, rel=1e-6)
    # Without it the unseen laws keep the level back-off's pseudo-counts (another share).
    assert unseen_share(without) != pytest.approx(expected, rel=1e-3)


def test_the_article_question_words_feature_and_an_older_model_file(library, tmp_path):
    from fazhi.laws.ranking import rerank, training
    from fazhi.laws.ranking.model import RankingModel

    corpus = training.load_corpus()
    questions = training.load_questions(_write_questions(tmp_path / "q.jsonl"), corpus)
    # Off by default (too close to memorising training questions): then nothing is stored.
    default = training.fit(corpus, questions)
    assert default.art_q is None and default.word_qdf is None
    model = training.fit(corpus, questions, {"question_words_weight": 0.3})
    pos = model.positions(np.asarray([library[("劳动合同法", 1)], library[("储蓄管理条例", 1)]]))
    score = rerank.question_words_match(model, ["加班", "老板"], pos)
    assert score[0] > 0 and score[1] == 0  # only the overtime article answered questions with 加班

    path = tmp_path / "m" / "laws-ranking"
    model.save(path)
    again = RankingModel.load(path)
    assert np.array_equal(rerank.question_words_match(again, ["加班", "老板"], pos), score)
    # A model written before the feature existed still loads; the feature is then simply off.
    model.art_q, model.word_qdf = None, None
    model.save(path)
    older = RankingModel.load(path)
    assert older.art_q is None and not rerank.question_words_match(older, ["加班"], pos).any()


def test_hand_written_law_questions_are_scored_by_law(library, tmp_path):
    from fazhi.laws.ranking import evaluation, training

    corpus = training.load_corpus()
    model = training.fit(corpus, training.load_questions(_write_questions(tmp_path / "q.jsonl"), corpus))
    path = tmp_path / "laws.jsonl"
    path.write_text(
        '{"query": "路口红绿灯", "laws": ["中华人民共和国道路交通安全法"]}\n'
        '{"query": "路口红绿灯", "laws": ["储蓄管理条例"]}\n',
        encoding="utf-8",
    )
    res = evaluation.law_questions(path, model)
    assert res["n"] == 2
    assert res["ranks"][0][1] == 1 and res["ranks"][1][1] != 1
    assert res["S@10"] >= 0.5 and 0 < res["MRR@10"] <= 1.0


def test_the_unseen_law_questions_file_is_well_formed():
    import pathlib

    path = pathlib.Path(__file__).parent / "data" / "unseen_laws.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 10
    assert all(
        r["query"].strip() and r["laws"] and all(isinstance(t, str) and t for t in r["laws"]) for r in rows
    )
    assert "保障中小企业款项支付条例" in {t for r in rows for t in r["laws"]}
