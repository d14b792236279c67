"""The pipeline: positions, negation and exceptions, list prohibitions, Art 12, settings, ordering."""

from __future__ import annotations

from fazhi.review.precheck import engine
from fazhi.review.precheck.models import RuleSetting


def _families(text: str, doc_type: str = "") -> set[str]:
    return {f.family for f in engine.check(text, doc_type, overrides={})}


def test_empty_and_blank_text_give_no_findings():
    assert engine.check("", overrides={}) == []
    assert engine.check(" \n\t ", overrides={}) == []


def test_a_finding_quotes_its_paragraph_at_its_offsets():
    text = "第一条 为规范管理，制定本办法。\n\n第二条 申报企业须在本区纳税满三年方可享受房租补贴。"
    [finding] = engine.check(text, "", overrides={})
    assert finding.paragraph == 2  # blank lines are not paragraphs
    paragraph = text.split("\n")[2]
    assert paragraph[finding.start : finding.end] == finding.quote
    assert "本区纳税满三年" in finding.quote
    assert finding.basis.startswith("公平竞争审查条例")


def test_prohibitions_and_exceptions_are_not_flagged():
    compliant = [
        "不得要求外地企业在本地设立分支机构。",
        "各单位不得限定或者变相限定使用特定经营者提供的商品。",
        "除法律、行政法规另有规定外，不得要求经营者在本地缴纳社会保险。",
        "所投服务器应为华为或相当于华为性能的产品。",
        "采购需求中不得指定品牌，确需引用的应当注明“或相当于”。",
        "不得要求供应商在本地注册，或者将本地业绩作为加分条件。",
    ]
    for text in compliant:
        assert _families(text, "政府采购文件" if "采购" in text else "") == set(), text


def test_items_under_a_prohibition_lead_in_are_not_flagged():
    text = (
        "起草政策措施，不得含有下列内容：\n"
        "（一）要求外地企业在本区设立分支机构；\n"
        "（二）对将注册地迁入本区的企业给予奖励；\n"
        "（三）按企业缴纳增值税区级留成部分给予奖励。\n"
        "对外地企业设置的歧视性条件应当一并清理。\n"
        "申报企业须在本区纳税满三年方可享受补贴。"
    )
    findings = engine.check(text, "", overrides={})
    assert [f.paragraph for f in findings] == [6]


def test_a_prohibition_and_its_items_in_one_paragraph():
    text = "政策措施不得有下列内容：（一）指定企业；（二）对将注册地迁入本区的企业给予奖励。申报企业须在本区纳税满三年方可享受补贴。"
    findings = engine.check(text, "", overrides={})
    assert len(findings) == 1 and "纳税满三年" in findings[0].quote


def test_a_stated_article_12_exception_lowers_the_severity_and_says_why():
    plain = "外地生产的防疫物资不得进入本区市场。"
    [high] = engine.check(plain, "", overrides={})
    excepted = "为应对突发事件，外地生产的防疫物资不得进入本区市场，实施期限至2026年6月30日。"
    [lower] = engine.check(excepted, "", overrides={})
    assert high.severity == "高" and lower.severity == "中"
    assert "应对突发事件" in lower.message and "第十二条" in lower.message
    # What Art 12 asks besides the purpose: no alternative less harmful to competition, and a reasonable
    # term or end condition ("不会严重排除、限制竞争" is the pre-2024 wording, not the 条例's).
    assert "没有对公平竞争影响更小的替代方案" in lower.message
    assert "实施期限或者终止条件" in lower.message and "不会严重" not in lower.message


def test_procurement_sentences_belong_to_proc_and_policy_sentences_to_fc():
    assert _families("投标人须在本市设有售后服务网点。") == {"PROC"}
    assert _families("承接本区公共服务项目的企业，应当在本区设立分公司。") == {"FC"}
    assert _families("须在本区设有服务网点。", "政府采购文件") == {"PROC"}


def test_findings_are_ordered_by_position_and_deduplicated():
    text = "投标人注册资本不低于一千万元，注册资本不低于一千万元。\n投标保证金为预算金额的5%。"
    findings = engine.check(text, "政府采购文件", overrides={})
    positions = [(f.paragraph, f.start) for f in findings]
    assert positions == sorted(positions)
    assert len({(f.rule_id, f.paragraph, f.start) for f in findings}) == len(findings)


def test_form_elements_are_checked_only_for_normative_documents():
    draft = (
        "第一条 为规范管理，制定本办法。\n第二条 专项资金实行项目库管理。\n第三条 本办法由区财政局负责解释。"
    )
    ids = {f.rule_id for f in engine.check(draft, "行政规范性文件", overrides={})}
    assert {"FORM-VALIDITY", "FORM-EFFECTIVE", "FORM-CONSULT"} <= ids
    assert "FORM-INTERPRET" not in ids
    assert not [f for f in engine.check(draft, "政府采购文件", overrides={}) if f.family == "FORM"]
    # The review app's value for the type works too.
    assert {f.rule_id for f in engine.check(draft, "normative", overrides={})} == ids


def test_an_administrator_can_switch_a_rule_off_or_change_its_severity(db):
    text = "投标人注册资本不低于一千万元。"
    [finding] = engine.check(text, "政府采购文件")
    assert finding.rule_id == "PROC-SME" and finding.severity == "高"
    RuleSetting.objects.create(rule_id="PROC-SME", severity="低")
    [finding] = engine.check(text, "政府采购文件")
    assert finding.severity == "低"
    RuleSetting.objects.filter(rule_id="PROC-SME").update(enabled=False)
    assert engine.check(text, "政府采购文件") == []


def test_thresholds_are_read_from_the_numbers():
    assert _families("投标保证金为采购项目预算金额的2%。", "政府采购文件") == set()
    assert _families("投标保证金为采购项目预算金额的2.5%。", "政府采购文件") == {"PROC"}
    assert _families("本项目为服务类采购，价格分值为10分。", "政府采购文件") == set()
    assert _families("本项目为货物类采购，价格分值为29分。", "政府采购文件") == {"PROC"}
    assert _families("对小微企业报价给予百分之二十的扣除。", "政府采购文件") == set()
    assert _families("对小微企业报价给予百分之二十五的扣除。", "政府采购文件") == {"PROC"}


def test_the_penalty_rule_cites_the_article_that_forbids_other_documents_to_set_penalties():
    # 行政处罚法 (2021) 第十六条: 除法律、法规、规章外，其他规范性文件不得设定行政处罚; 第十四条 is about 地方政府规章.
    text = "对未按时报送决算报表的单位，由区财政局处以二千元以上一万元以下罚款。"
    [finding] = [
        f for f in engine.check(text, "行政规范性文件", overrides={}) if f.rule_id == "POWER-PENALTY"
    ]
    assert "《中华人民共和国行政处罚法》第十六条" in finding.basis
    assert "第十四条" not in finding.basis
