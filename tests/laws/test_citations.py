"""Citations inside law texts: the tricky forms, and resolving them to laws and articles."""

from __future__ import annotations

from fazhi.laws.citations import find_citations, normalize_title, resolve
from fazhi.laws.models import Law


def _one(text: str):
    found = find_citations(text)
    assert len(found) == 1, found
    return found[0]


def test_it_finds_a_full_title_with_an_article():
    c = _one("依照《中华人民共和国预算法》第十四条的规定公开")
    assert (c.law_title, c.number, c.suffix, c.self_ref) == ("中华人民共和国预算法", 14, 0, False)
    assert c.text == "《中华人民共和国预算法》第十四条"


def test_it_reads_zhi_articles_paragraphs_and_items():
    c = _one("违反《预算法》第十条之一第二款第（三）项规定")
    assert (c.law_title, c.number, c.suffix, c.paragraph, c.item) == ("预算法", 10, 1, 2, 3)
    assert c.label == "第十条之一第二款第（三）项"


def test_it_reads_self_references_and_lists():
    found = find_citations("依照本条例第二十条、第二十二条和第三十条之二的规定处理")
    assert [(c.number, c.suffix, c.self_ref) for c in found] == [(20, 0, True), (22, 0, True), (30, 2, True)]
    assert found[0].text == "本条例第二十条"


def test_it_keeps_nested_titles_whole():
    c = _one("《最高人民法院关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释》第五条")
    assert c.law_title == "最高人民法院关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释"
    assert c.number == 5
    c = _one("根据《关于修改《中华人民共和国预算法》的决定》")
    assert c.law_title == "关于修改《中华人民共和国预算法》的决定" and c.number is None


def test_it_reads_a_law_named_without_brackets():
    found = find_citations("依照预算法第九十三条、第九十四条和政府采购法实施条例第二十条处理")
    assert [(c.law_title, c.number) for c in found] == [
        ("预算法", 93),
        ("预算法", 94),
        ("政府采购法实施条例", 20),
    ]


def test_a_bare_article_is_a_reference_to_the_same_text():
    c = _one("犯前款罪的，依照第二百三十四条处罚")
    assert c.self_ref and c.implicit and c.number == 234


def test_an_articles_own_heading_is_no_citation():
    assert find_citations("第一条 为了规范预算") == []


def test_it_normalises_titles_like_the_evaluation():
    assert normalize_title("中华人民共和国民法典·合同编") == "民法典"
    assert normalize_title("人民检察院刑事诉讼规则（试行）") == "人民检察院刑事诉讼规则"


def test_it_resolves_full_titles_short_names_and_self_references(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    law, article = resolve(_one("《中华人民共和国预算法》第十四条"))
    assert law == budget and article.number == 14 and article.law == budget
    law, article = resolve(_one("《预算法》第十四条"))
    assert law == budget and article.label == "第十四条"
    rules = Law.objects.get(title="中华人民共和国预算法实施条例")
    law, article = resolve(_one("本条例第三条"), context_law=rules)
    assert law == rules and article.version.law == rules


def test_it_leaves_unknown_laws_and_articles_unresolved(small_library):
    assert resolve(_one("《不存在的法》第一条")) == (None, None)
    law, article = resolve(_one("《预算法》第九百条"))
    assert law is not None and article is None
