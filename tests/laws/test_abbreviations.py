"""Everyday abbreviations as query expansions (issue #8): the data file, the matching, the ranking hook."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings

from fazhi.laws.models import Article, Law, LawVersion, Level
from fazhi.laws.ranking import abbreviations
from fazhi.search import analysis

LAW_FILES = ("laws.jsonl.gz", "extras-judicial.jsonl.gz", "extras-local.jsonl.gz")


def test_the_data_file_is_a_general_list_of_groups():
    table = abbreviations.groups()
    assert 30 <= len(table) <= 60
    assert table["交强险"] == ["机动车交通事故责任强制保险"]
    assert table["低保"] == ["最低生活保障"]
    for abbreviation, terms in table.items():
        assert terms, abbreviation
        # An abbreviation is shorter than the (longest) statute term it stands for.
        assert len(abbreviation) < max(len(t) for t in terms), abbreviation


def test_every_statute_term_occurs_in_an_article_of_the_shared_laws():
    """The statute terms are the laws' own words: each one is in the text of at least one shared law."""
    missing = {t for terms in abbreviations.groups().values() for t in terms}
    total = len(missing)
    for name in LAW_FILES:
        path = Path(settings.FAZHI_DATA_DIR) / "laws" / name
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                text = analysis.normalize(json.loads(line).get("text") or "")
                missing = {t for t in missing if t not in text}
                if not missing:
                    break
        if not missing:
            break
    assert total > 30
    assert not missing, f"statute terms found in no law: {sorted(missing)}"


def test_parse_skips_comments_and_lines_without_terms():
    table = abbreviations.parse("# 注释\n社保 社会保险 # 社会保险法\n孤行\n\n醫保 医疗保险 医疗保险\n")
    assert table == {"社保": ["社会保险"], "医保": ["医疗保险"]}


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("开车没买交强险被查到会怎么罚", ["交强险"]),
        ("家里没收入怎么申请低保", ["低保"]),
        ("单位不给交五险一金", ["五险一金"]),
        ("个税怎么算", ["个税"]),
        ("过年假期有几天", []),  # 年假 straddles two words: not the abbreviation
        ("最低保障线是多少", []),  # nor 低保 here
    ],
)
def test_two_character_abbreviations_are_matched_on_word_boundaries(question, found):
    assert abbreviations.found_in(analysis.normalize(question)) == found


def test_expansions_are_the_statute_words_not_already_in_the_question():
    normalized = analysis.normalize("没买交强险，机动车被扣了")
    words = analysis.query_terms(analysis.cut(normalized, normalized=True))
    exp = dict(abbreviations.expansions(normalized, words, 0.5))
    # The statute term's words as the segmenter cuts them (with or without the THUOCL dictionary, which
    # another test may have kept out of this process), less 机动车, the question's own word.
    statute = analysis.query_terms(analysis.cut("机动车交通事故责任强制保险"))
    assert "机动车" in words and "机动车" in statute
    assert exp == {w: 0.5 for w in statute if w != "机动车"}
    assert abbreviations.expansions(normalized, words, 0.0) == []


LIBRARY = [
    (
        "机动车交通事故责任强制保险条例",
        "未投保机动车交通事故责任强制保险的，由公安机关交通管理部门扣留机动车。",
    ),
    ("机动车交通事故责任强制保险条例", "保险公司应当按照国务院保险监督管理机构批准的费率收取保险费。"),
    ("储蓄管理条例", "开车去储蓄机构存款的，储蓄机构应当公告存款利率。"),
]
QUESTIONS = [
    ("去银行存钱利息多少", ("储蓄管理条例", 1)),
    ("存款利率在哪里看", ("储蓄管理条例", 1)),
    ("保险公司保费怎么收", ("机动车交通事故责任强制保险条例", 2)),
]


@pytest.fixture
def model(db, settings, tmp_path):
    from fazhi.laws.ranking import training
    from fazhi.search import build

    settings.VAR_DIR = tmp_path / "var"
    laws: dict[str, tuple[Law, LawVersion]] = {}
    for n, (title, body) in enumerate(LIBRARY, start=1):
        if title not in laws:
            law = Law.objects.create(
                title=title, short_name=title, norm_title=title, level=Level.ADMIN_REGULATION
            )
            version = LawVersion.objects.create(
                law=law, text=body, text_hash=hashlib.sha256(body.encode()).hexdigest()
            )
            laws[title] = (law, version)
        law, version = laws[title]
        number = Article.objects.filter(law=law).count() + 1
        Article.objects.create(
            version=version, law=law, number=number, label=f"第{number}条", ordinal=n, text=body
        )
    build.rebuild("laws")
    path = tmp_path / "train.jsonl"
    lines = [
        json.dumps({"qid": i, "query": q, "relevant": [{"law": law, "article": n}]}, ensure_ascii=False)
        for i, (q, (law, n)) in enumerate(QUESTIONS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = training.load_corpus()
    return training.fit(corpus, training.load_questions(path, corpus), {})


def test_an_abbreviation_finds_the_article_that_only_uses_the_statute_term(model):
    from fazhi.laws.ranking import rerank
    from fazhi.laws.search import LawFilters, adapter
    from fazhi.search import query as sq

    first = Article.objects.get(text__startswith="未投保").pk
    aq = sq.analyze("没买交强险会怎么样")
    filters = LawFilters().as_dict()
    off = rerank.rank(aq, filters, model, index=adapter.index, params={"abbreviation_weight": 0.0})
    assert first not in off.ids.tolist()
    on = rerank.rank(aq, filters, model, index=adapter.index, params={"abbreviation_weight": 1.0})
    assert on.ids.tolist()[0] == first
    statute = analysis.query_terms(analysis.cut("机动车交通事故责任强制保险"))
    assert {(w, 1.0) for w in statute} <= set(on.expansions)


def test_the_statute_words_also_lift_the_law_prior(model):
    from fazhi.laws.ranking import rerank
    from fazhi.laws.search import LawFilters, adapter
    from fazhi.search import query as sq

    first = Article.objects.get(text__startswith="未投保").pk
    aq = sq.analyze("没买交强险会怎么样")
    filters = LawFilters().as_dict()
    prior = {}
    for on in (False, True):
        r = rerank.rank(
            aq,
            filters,
            model,
            index=adapter.index,
            params={"abbreviation_weight": 1.0, "abbreviation_priors": on},
        )
        prior[on] = float(r.components["law_prior"][r.ids.tolist().index(first)])
    assert prior[True] > prior[False]
