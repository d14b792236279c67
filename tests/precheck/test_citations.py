"""Citation resolution against the law library, on the forms drafters actually write."""

from __future__ import annotations

from fazhi.review.precheck import engine


def _run(text: str) -> engine.Report:
    return engine.run(text, "", overrides={})


def _cite_ids(text: str) -> list[str]:
    return [f.rule_id for f in _run(text).findings if f.family == "CITE"]


def test_a_correct_full_title_citation_resolves_to_a_link(law_library):
    report = _run("依据《中华人民共和国预算法》第十四条，制定本办法。")
    assert [f.rule_id for f in report.findings if f.family == "CITE"] == []
    [link] = report.citations
    assert link.law == "中华人民共和国预算法"
    assert link.article == "第十四条"
    assert link.url.endswith("/articles/14/")
    assert (link.paragraph, link.start, link.end) == (1, 2, 18)


def test_a_short_title_resolves_like_the_full_one(law_library):
    report = _run("根据《预算法》第十四条第二款的规定公开部门预算。")
    assert not [f for f in report.findings if f.family == "CITE"]
    assert report.citations[0].law == "中华人民共和国预算法"


def test_article_with_suffix_resolves_and_a_missing_suffix_is_flagged(law_library):
    ok = _run("依照《中华人民共和国刑法》第一百二十条之一的规定处理。")
    assert ok.citations[0].article == "第一百二十条之一"
    assert not [f for f in ok.findings if f.family == "CITE"]
    missing = _run("依照《中华人民共和国刑法》第一百二十条之二的规定处理。")
    [finding] = [f for f in missing.findings if f.family == "CITE"]
    assert finding.rule_id == "CITE-MISSING"
    assert "第一百二十条之二" in finding.message


def test_paragraph_and_item_are_checked_against_the_article_structure(law_library):
    assert _cite_ids("依据《预算法》第十四条第二款的规定。") == []
    assert _cite_ids("依照《政府采购法实施条例》第二十条第（三）项认定。") == []
    assert _cite_ids("依据《预算法》第十四条第五款的规定。") == ["CITE-MISSING"]
    assert _cite_ids("依照《政府采购法实施条例》第二十条第（九）项认定。") == ["CITE-MISSING"]


def test_an_article_beyond_the_last_names_the_real_count(law_library):
    [finding] = [
        f for f in _run("依据《中华人民共和国预算法》第一百二十条制定。").findings if f.family == "CITE"
    ]
    assert finding.rule_id == "CITE-BEYOND"
    assert "只有一百零一条" in finding.message
    assert finding.severity == "高"
    assert finding.quote == "《中华人民共和国预算法》第一百二十条"


def test_self_references_to_the_draft_are_not_resolved_against_the_library(law_library):
    text = "本条例第五十条规定的情形，依照本办法第三条处理。"
    report = _run(text)
    assert not [f for f in report.findings if f.family == "CITE"]
    assert report.citations == []


def test_nested_titles_are_read_as_one_citation(law_library):
    text = "根据《关于修改〈中华人民共和国会计法〉的决定》和《关于修改《中华人民共和国预算法》的决定》，修订本办法。"
    report = _run(text)
    assert not [f for f in report.findings if f.family == "CITE"]


def test_an_abbreviation_defined_in_the_text_is_resolved_later(law_library):
    text = (
        "根据《中华人民共和国政府采购法实施条例》（以下简称《实施条例》），制定本细则。\n"
        "《实施条例》第二十条列举了差别待遇的情形。\n"
        "依照《实施条例》第九十条处理。"
    )
    report = _run(text)
    assert [(f.rule_id, f.paragraph) for f in report.findings if f.family == "CITE"] == [("CITE-BEYOND", 3)]
    assert {c.law for c in report.citations} == {"中华人民共和国政府采购法实施条例"}


def test_a_repealed_law_is_flagged_with_its_successor(law_library):
    [finding] = [
        f for f in _run("依照《中华人民共和国增值税暂行条例》第十五条执行。").findings if f.family == "CITE"
    ]
    assert finding.rule_id == "CITE-VERSION"
    assert "已废止" in finding.message
    assert "《中华人民共和国增值税法》" in finding.message


def test_an_amended_version_is_flagged_and_the_current_one_named(law_library):
    [finding] = [
        f
        for f in _run("按照《中华人民共和国会计法》（2017年修正）的规定设置账簿。").findings
        if f.family == "CITE"
    ]
    assert finding.rule_id == "CITE-VERSION"
    assert "2024年6月28日" in finding.message
    assert _cite_ids("按照《中华人民共和国会计法》的规定设置账簿。") == []


def test_an_unknown_statute_is_flagged_but_policy_papers_are_not(law_library):
    assert _cite_ids("依据《中华人民共和国财政资金监督法》第十二条制定。") == ["CITE-UNKNOWN"]
    assert _cite_ids("根据《关于进一步深化预算管理制度改革的意见》，制定本方案。") == []
    assert _cite_ids("按照《江城区财政专项资金管理办法》的规定执行。") == []


def test_a_wrong_quotation_is_flagged_and_an_exact_one_is_not(law_library):
    wrong = "《政府采购法实施条例》第三十三条规定：“投标保证金不得超过采购项目预算金额的百分之五。”"
    [finding] = [f for f in _run(wrong).findings if f.family == "CITE"]
    assert finding.rule_id == "CITE-QUOTE"
    assert "2%" in finding.message  # the current text is shown
    right = "《政府采购法实施条例》第三十三条规定：“投标保证金不得超过采购项目预算金额的2%。”"
    assert _cite_ids(right) == []
    # A dropped character is not a different text.
    near = "《预算法》第十四条规定：“各级政府、各部门、各单位应当将政府采购情况及时向社会公开。”"
    assert _cite_ids(near) == []


def test_a_list_of_articles_checks_each_one(law_library):
    ids = _cite_ids("依据《中华人民共和国预算法》第十四条、第一百零一条和第一百零五条的规定。")
    assert ids == ["CITE-BEYOND"]
