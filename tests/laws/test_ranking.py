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
