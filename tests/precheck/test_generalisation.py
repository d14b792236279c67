"""Behaviour added to make the pre-check generalise: thresholds, policy voice, amounts, the learned fallback."""

from __future__ import annotations

import json

from fazhi.review.precheck import engine, learned
from fazhi.review.precheck.engine import Override
from fazhi.review.precheck.models import RuleSetting


def _ids(text: str, doc_type: str = "", overrides: dict | None = None) -> list[str]:
    return [f.rule_id for f in engine.check(text, doc_type, overrides=overrides or {})]


def _families(text: str, doc_type: str = "") -> set[str]:
    return {f.family for f in engine.check(text, doc_type, overrides={})}


def test_a_threshold_is_not_a_prohibition():
    # "不得少于" sets a quota; the clause is still a local-hiring condition.
    assert _families("在本县从事城乡客运的经营者，本县户籍驾驶员不得少于驾驶员总数的70%。") == {"FC"}
    # A real prohibition still negates.
    assert _families("不得要求经营者雇用本县户籍人员。") == set()


def test_a_policy_measure_that_mentions_bidding_is_fair_competition_not_procurement():
    assert _families("对区属国有企业参与本区市政项目的，招标时给予优先考虑。") == {"FC"}
    # Written as a procurement file (投标人…), the same restriction is PROC's.
    assert _families("国有企业投标的，在企业信誉项加3分。", "政府采购文件") == {"PROC"}


def test_a_bid_bond_given_as_an_amount_is_compared_with_the_budget():
    [finding] = engine.check(
        "投标保证金：人民币伍万元整（预算金额：150万元）。", "政府采购文件", overrides={}
    )
    assert finding.rule_id == "PROC-BID-BOND" and "3.33%" in finding.message
    assert _ids("投标保证金：人民币壹万元整（预算金额：100万元）。", "政府采购文件") == []
    # The budget may stand elsewhere in the document.
    draft = "本项目预算金额为200万元。\n投标保证金为人民币八万元。"
    assert _ids(draft, "政府采购文件") == ["PROC-BID-BOND"]


def test_direct_award_and_supplier_pools_are_found_but_prohibitions_are_not():
    assert _ids("区属国有企业承接本区基础设施项目的，可以不经招标直接确定为实施主体。") == ["FC-DIRECT"]
    assert "PROC-POOL" in _ids("本次竞争性磋商的供应商从区财政局建立的协议供货备选库中产生。", "政府采购文件")
    assert _ids("采购人不得设置备选库、名录库、资格库作为参与政府采购活动的资格条件。", "政府采购文件") == []


def test_the_learned_fallback_speaks_only_where_no_rule_did():
    text = "本区企业承接区内市政工程的，工程款优先足额支付。"
    findings = engine.check(text, "", overrides={})
    assert [f.rule_id for f in findings] == ["FC-GENERAL"]
    assert findings[0].severity == "低" and "模型提示" in findings[0].message
    # Where a rule found the problem, the model adds nothing.
    assert _ids("外地生产的商品混凝土不得进入本区重点工程。") == ["FC-LOCAL-GOODS"]


def test_a_rule_switched_off_keeps_the_fallback_quiet(db):
    text = "投标人注册资本不低于一千万元。"
    assert _ids(text, "政府采购文件") == ["PROC-SME"]
    assert _ids(text, "政府采购文件", {"PROC-SME": Override(enabled=False)}) == []
    RuleSetting.objects.create(rule_id="PROC-GENERAL", enabled=False)
    assert engine.check("本项目商务评分中，投标人在本市有长期合作客户的加1分。", "政府采购文件") == []


def test_training_is_deterministic():
    items = [
        {"text": "对本区企业给予补贴，外地企业不予补贴。", "families": ["FC"]},
        {"text": "对符合条件的企业按统一标准给予补贴。", "families": []},
        {"text": "投标人须在本市设有分支机构。", "families": ["PROC"]},
        {"text": "投标人应当具备履行合同所必需的设备。", "families": []},
        {"text": "对违规单位处以罚款。", "families": ["POWER"]},
        {"text": "依照有关法律规定处理。", "families": []},
    ]
    first, second = learned.train(items), learned.train(items)
    assert json.dumps(first.as_json()) == json.dumps(second.as_json())
    restored = learned.Model.from_json(first.as_json())
    text = "对外地企业不予补贴。"
    assert abs(restored.score(text, "FC") - first.score(text, "FC")) < 1e-3


def test_the_shipped_model_was_built_from_the_committed_labelled_set():
    model = learned.shipped_model()
    assert model is not None
    items = learned.load_items(learned.DEFAULT_LABELLED)
    # Rebuild with: .venv/bin/python -m fazhi.review.precheck.learned
    assert model.meta["items"] == len(items)
    assert model.meta["source"] == learned.DEFAULT_LABELLED.name


def test_an_anonymised_title_is_not_an_unknown_law(law_library):
    assert _ids("依照《某省生活垃圾管理条例》第十条的规定处理。") == []
    assert "CITE-UNKNOWN" in _ids("依照《城乡垃圾管理法》第十条的规定处理。")


def test_the_model_scores_with_the_features_it_was_trained_on(monkeypatch):
    items = [
        {"text": "对本区企业给予补贴，外地企业不予补贴。", "families": ["FC"]},
        {"text": "对符合条件的企业按统一标准给予补贴。", "families": []},
        {"text": "对外地企业不予补贴。", "families": ["FC"]},
        {"text": "依照有关法律规定处理。", "families": []},
    ]
    monkeypatch.setattr(learned, "NGRAMS", (2, 3))
    model = learned.train(items)
    assert model.meta["ngrams"] == [2, 3]
    assert all(len(term) in (2, 3) for term in model.vocab)
    # Restored from JSON, the model still reads 2-3-grams even when the default has changed.
    monkeypatch.setattr(learned, "NGRAMS", (1, 2, 3, 4))
    restored = learned.Model.from_json(model.as_json())
    assert (
        abs(restored.score("对外地企业不予补贴。", "FC") - model.score("对外地企业不予补贴。", "FC")) < 1e-3
    )


def test_the_three_known_misses_are_found(law_library):
    assert _ids("本项目为设备采购，价格分占总分的二十分之一。", "政府采购文件") == ["PROC-PRICE-WEIGHT"]
    assert _ids("本项目为货物采购，价格分占总分的十分之三。", "政府采购文件") == []
    assert _ids("所投系统须基于金蝶平台开发。", "政府采购文件") == ["PROC-BRAND"]
    assert "PROC-BRAND" not in _ids("所投系统须基于采购人现有的政务服务平台开发。", "政府采购文件")
    assert "POWER-COERCION" in _ids("对不按规定使用票据的单位，收缴其全部票据并暂停购领票据一年。")
