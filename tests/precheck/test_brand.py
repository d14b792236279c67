"""A draft naming a particular brand without quotes ("统一采购华为品牌产品") must be flagged (审计: missed)."""

from __future__ import annotations

import pytest

from fazhi.review.precheck import engine

pytestmark = pytest.mark.django_db

NORMATIVE = "行政规范性文件"
PROCUREMENT = "政府采购文件"


def _by_rule(text: str, doc_type: str) -> dict[str, str]:
    return {f.rule_id: f.basis for f in engine.check(text, doc_type, overrides={})}


@pytest.mark.parametrize(
    "sentence",
    [
        "第四条 区内办公设备统一采购华为品牌产品。",
        "第四条 各单位新购公务用车须选用比亚迪品牌汽车。",
        "第四条 各单位须采购联想品牌的计算机。",
    ],
)
def test_policy_naming_a_brand_is_an_art8_finding(sentence: str) -> None:
    found = _by_rule(sentence, NORMATIVE)
    assert found.get("FC-DESIGNATE") == "公平竞争审查条例第八条"


def test_procurement_requirement_to_purchase_a_brand_is_flagged() -> None:
    found = _by_rule("采购需求：各单位须采购联想品牌的计算机。", PROCUREMENT)
    assert found.get("PROC-BRAND") == "《中华人民共和国政府采购法实施条例》第二十条第（六）项"


@pytest.mark.parametrize(
    "sentence",
    [
        "各单位不得限定使用特定品牌的产品。",
        "同一项目的监控设备应当采用同一品牌，便于维护。",
        "鼓励各单位采购自主品牌产品。",
    ],
)
def test_generic_or_prohibiting_brand_sentences_are_not_designation(sentence: str) -> None:
    assert "FC-DESIGNATE" not in _by_rule(sentence, NORMATIVE)
