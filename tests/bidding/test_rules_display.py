"""The rules page shows each rule's value in Chinese (货物 30%、服务 10%、工程 不设), never Python data, with the
rule code small beside the title; a value an administrator reshaped still reads as “键：值”."""

import pytest

from fazhi.bidding.rules_display import value_lines
from tests.bidding.helpers import set_rule


@pytest.mark.django_db
def test_the_rules_page_shows_values_in_chinese_and_no_python_data(login, supervisor):
    page = login(supervisor).get("/bidding/rules/").content.decode()
    for python in ("{'", "['", "True", "False", "None"):
        assert python not in page
    assert "货物 30%、服务 10%、工程 不设" in page  # price_weight_min
    assert "公开招标：5 人以上单数；预算 1000 万元以上 7 人以上单数；评审专家不少于成员总数的三分之二" in page
    assert "竞争性谈判：3 人以上单数；货物、服务、工程项目预算 400 万元以上 5 人以上单数" in page
    assert "竞争性磋商：综合评分法" in page and "小型企业、微型企业" in page
    assert "评审结束之日起 2 个工作日内送交评标报告" in page
    assert "规则代码 <code>sme_size_check</code>" in page


@pytest.mark.django_db
def test_a_corrected_rule_shows_its_new_value(login, supervisor):
    set_rule("identity_check_required", {"required": True})
    set_rule("price_weight_min", {"goods": 35, "services": 10, "works": None})
    page = login(supervisor).get("/bidding/rules/").content.decode()
    assert "货物 35%、服务 10%、工程 不设" in page
    row = page[page.index("评分前须通过身份核验") :]
    assert row[: row.index("</td>")].endswith("开启")


@pytest.mark.django_db
def test_the_rules_page_is_refused_to_outsiders(login, outsider):
    assert login(outsider).get("/bidding/rules/").status_code == 403


def test_a_value_its_formatter_does_not_expect_falls_back_to_plain_chinese():
    assert value_lines("price_weight_min", {"goods": 30, "extra": {"odd": True, "min_size": None}}) == [
        "货物：30；extra：（最少人数：不设，须为单数：开启）"
    ]
    assert value_lines("bid_bond_max", "2%") == ["2%"]


def test_an_unknown_rule_reads_as_key_and_value_with_known_keys_translated():
    assert value_lines("future_rule", {"open_tender": {"min_size": 5, "odd": True}}) == [
        "公开招标：最少人数：5；须为单数：开启"
    ]
    assert value_lines("future_rule", [["goods", 1.50], None]) == ["货物、1.5、不设"]


def test_values_read_in_the_choices_order_whatever_order_the_database_keeps():
    # PostgreSQL's jsonb stores keys by length, then bytes: {"goods", "works", "services"}.
    assert value_lines("price_weight_min", {"works": None, "goods": 35, "services": 10}) == [
        "货物 35%、服务 10%、工程 不设"
    ]
