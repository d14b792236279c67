"""Score arithmetic for every rule and boundary, and target-table validation (pure functions)."""

from decimal import Decimal as D

import pytest

from fazhi.performance import rules
from tests.performance.conftest import ROWS, indicator_rows

CFG = rules.Config()


def score(direction, target, actual, weight="20", config=CFG):
    return rules.score_indicator(
        direction=direction, target=target, actual=actual, weight=D(weight), config=config
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"), ("90", "优"), ("90.00", "优"), ("89.99", "良"), ("89.995", "优"), ("80", "良"),
        ("79.99", "中"), ("60", "中"), ("59.99", "差"), ("0", "差"),
    ],
)  # fmt: skip
def test_grades_follow_the_thresholds_at_every_boundary(total, grade):
    assert rules.grade_for(D(total), CFG)[0] == grade


def test_the_grade_names_the_threshold_that_decided_it():
    grade, why = rules.grade_for(D("89.99"), CFG)
    assert grade == "良" and "89.99 ≥ 80 且 < 90" in why


def test_grade_thresholds_are_settings():
    strict = rules.Config(excellent_min=D(95), good_min=D(85), fair_min=D(70))
    assert rules.grade_for(D("92"), strict)[0] == "良"
    assert rules.grade_for(D("69.99"), strict)[0] == "差"


def test_a_met_indicator_gets_full_marks_for_each_direction():
    assert score("ge", "500", "500").score == D("20.00")
    assert score("ge", "500", "501").met
    assert score("le", "2000", "2000").score == D("20.00")
    assert score("le", "1", "0.5").met
    assert score("eq", "100", "100").score == D("20.00")
    assert score("qual", "建立", "达成").score == D("20.00")


def test_a_quantitative_shortfall_scores_in_proportion():
    s = score("ge", "500", "450")
    assert (s.score, s.met, s.rule) == (D("18.00"), False, "proportional")
    assert "实际 450 ÷ 目标 500" in s.explanation and "= 18.00" in s.explanation


def test_a_lower_is_better_shortfall_scores_target_over_actual():
    assert score("le", "2000", "2500", weight="10").score == D("8.00")


def test_an_equal_shortfall_scores_by_relative_deviation():
    assert score("eq", "100", "95", weight="10").score == D("9.50")
    assert score("eq", "100", "300", weight="10").score == D("0.00")


def test_equal_tolerance_is_a_setting():
    loose = rules.Config(equal_tolerance=D(5))
    assert score("eq", "100", "96", config=loose).met
    assert not score("eq", "100", "94", config=loose).met


def test_percent_signs_and_full_width_digits_parse():
    assert score("ge", "95%", "９８％").met
    assert score("ge", "1,000", "900", weight="10").score == D("9.00")


def test_scores_round_half_up_to_cents():
    # 20 × 333/500 = 13.32; 10 × 2/3 = 6.666… → 6.67
    assert score("ge", "500", "333").score == D("13.32")
    assert score("ge", "3", "2", weight="10").score == D("6.67")


def test_all_or_nothing_mode_gives_zero_for_a_shortfall():
    cfg = rules.Config(shortfall_mode=rules.ALL_OR_NOTHING)
    s = score("ge", "500", "499", config=cfg)
    assert (s.score, s.rule) == (D("0.00"), "all_or_nothing")


def test_a_floor_ratio_gives_zero_below_it_and_proportion_at_it():
    cfg = rules.Config(zero_below_ratio=D("0.6"))
    assert score("ge", "100", "59", config=cfg).rule == "below_floor"
    assert score("ge", "100", "60", config=cfg).score == D("12.00")


def test_qualitative_levels_are_data():
    assert score("qual", "x", "基本达成").score == D("16.00")
    assert score("qual", "x", "部分达成").score == D("10.00")
    assert score("qual", "x", "未达成").score == D("0.00")
    custom = rules.Config(qualitative_levels={"好": D(1), "一般": D("0.7")})
    assert score("qual", "x", "一般", weight="10", config=custom).score == D("7.00")


def test_missing_or_unreadable_actuals_score_zero_with_a_reason():
    assert score("ge", "500", "").rule == "missing"
    s = score("ge", "500", "约450")
    assert s.rule == "invalid" and "约450" in s.explanation


def test_execution_rate_scores_in_proportion_and_caps_at_full_marks():
    ex = rules.score_execution(full_year=D("120"), executed=D("108"), config=CFG)
    assert (ex.rate, ex.score) == (D("90.00"), D("9.00"))
    over = rules.score_execution(full_year=D("100"), executed=D("130"), config=CFG)
    assert over.score == D("10.00") and "按 100% 计" in over.explanation
    assert rules.score_execution(full_year=D("0"), executed=D("5"), config=CFG).score == D("0.00")


def test_a_complete_table_is_valid():
    clean, problems = rules.validate_indicators(indicator_rows(), CFG)
    assert problems == [] and len(clean) == len(ROWS)
    assert sum(c.weight for c in clean) + CFG.weight_execution == D(100)


def test_weights_must_add_up_per_level1_category():
    rows = [list(r) for r in ROWS]
    rows[0][6] = "15"
    _, problems = rules.validate_indicators(indicator_rows([tuple(r) for r in rows]), CFG)
    assert problems == [(None, "一级指标“产出”的分值合计为 45，应为 50")]  # about the table, no row


def test_every_level1_category_must_be_present():
    rows = [r for r in ROWS if r[0] != "满意度"]
    _, problems = rules.validate_indicators(indicator_rows(rows), CFG)
    assert any(row is None and "缺少一级指标“满意度”" in e for row, e in problems)


def test_each_bad_indicator_gets_its_own_specific_message():
    rows = [list(r) for r in ROWS]
    rows[0][4] = "约500"
    rows[1][3] = "大约"
    rows[2][1] = "经济"
    rows[3][6] = "十"
    _, problems = rules.validate_indicators(indicator_rows([tuple(r) for r in rows]), CFG)
    errors = [e for _, e in problems]
    assert (
        "第1项指标“资助学生人数”：目标值“约500”不是数字（指标方向为“≥”时须填数字，如 500 或 95%）" in errors
    )
    assert "第2项指标“资助资金发放准确率”：指标方向“大约”无效，应为 ≥、≤、= 或 定性" in errors
    assert any(e.startswith("第3项指标“资金发放及时率”：二级指标“经济”不属于一级指标“产出”") for e in errors)
    assert "第4项指标“人均资助标准”：分值“十”不是数字" in errors
    # each message carries the row it is about (its position in the rows given), not only its label
    assert [row for row, _ in problems] == [0, 1, 2, 3]


def test_direction_words_are_understood():
    assert rules.parse_direction(">=") == rules.GE
    assert rules.parse_direction("不超过") == rules.LE
    assert rules.parse_direction("＝") == rules.EQ
    assert rules.parse_direction("定性") == rules.QUAL
