"""Consultation filler is stripped from questions; words that only look like filler stay."""

from __future__ import annotations

from fazhi.search import analysis
from fazhi.search import query as sq


def test_filler_is_stripped():
    assert analysis.strip_filler("请问公司拖欠工资怎么办？").split() == ["公司拖欠工资"]
    assert analysis.strip_filler("我想咨询一下试用期能否延长").split() == ["我", "试用期能否延长"]
    assert "是否" not in analysis.strip_filler("用人单位是否必须缴纳社保")


def test_consultation_as_a_subject_is_kept():
    """咨询 names a service (咨询电话, 咨询服务): stripping it lost the word from policy questions."""
    assert "咨询" in sq.analyze("海陵区民政局咨询电话是多少").normalized.replace(" ", "")
    aq = sq.analyze("如何强化线上税费咨询服务")
    assert "咨询服务" in aq.words
    assert "询服" in aq.bigrams


def test_a_question_made_only_of_filler_is_kept_whole():
    assert analysis.strip_filler("怎么办？") == "怎么办？"


def test_the_fast_one_for_one_fold_equals_the_translate_table():
    from fazhi.search import analysis

    for text in [
        "",
        "Ａｂｃ１２３，（全角）…℃",
        "𝐀𝐁 outside the BMP 𠀀",
        "lone \ud800 surrogate",
        "税费减免　政策",
    ]:
        assert analysis._nfkc_one(text) == text.translate(analysis._NFKC_ONE)
    assert analysis.normalize_aligned("Ａ１，税費") == "a1,税费"
