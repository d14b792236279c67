"""统一社会信用代码 (GB 32100-2015): every part is checked and each fault named in Chinese.

The valid codes below are constructed (check characters computed), not real organisations' codes.
"""

from __future__ import annotations

import pytest

from fazhi.core import credit_code

ENTERPRISE = "91110105MA0000A19L"  # 9 工商 · 1 企业 · 110105 · MA0000A1-9 · L


@pytest.mark.parametrize(
    "code",
    [
        ENTERPRISE,
        "92110105L000000110",  # 个体工商户
        "121000000000123434",  # 机构编制 · 机关 · 100000 (全国)
        "52110000MA0000023X",  # 民政 · 民办非企业单位; 主体标识码 check digit X
        "Y1330100MA2A00018N",  # 其他
        "N2110105MA0000031L",  # 农村集体经济组织
        "91110105MA00003490",  # both check characters 0
    ],
)
def test_well_formed_codes_are_valid(code):
    assert credit_code.problem(code) == ""


def test_the_organisation_code_check_digit_follows_gb_11714():
    # Worked by hand: M=22, A=10 → 22×3 + 10×7 + 10×4 + 1×2 = 178; 178 mod 11 = 2; 11 − 2 = 9.
    assert credit_code.org_check_char("MA0000A1") == "9"
    assert credit_code.org_check_char("MA000004") == "X"  # 11 − 1 = 10 → X
    assert credit_code.org_check_char("MA000009") == "0"  # 11 − 0 = 11 → 0


def test_lower_case_and_spaces_are_tolerated():
    assert credit_code.is_valid(" " + ENTERPRISE.lower() + " ")


def test_all_zeros_is_refused_at_the_first_position():
    assert "第1位登记管理部门代码无效" in credit_code.problem("000000000000000000")


@pytest.mark.parametrize("first", ["0", "B", "X", "M"])
def test_an_unknown_registration_department_is_named(first):
    code = credit_code.make(first + "1110105", "MA0000A1")
    message = credit_code.problem(code)
    assert "第1位登记管理部门代码无效" in message and f"“{first}”" in message


@pytest.mark.parametrize(("prefix", "bad"), [("9", "4"), ("9", "9"), ("1", "4"), ("5", "4"), ("Y", "2")])
def test_the_category_must_belong_to_the_department(prefix, bad):
    code = credit_code.make(prefix + bad + "110105", "MA0000A1")
    message = credit_code.problem(code)
    assert "第2位机构类别代码无效" in message and f"实际为“{bad}”" in message


@pytest.mark.parametrize(("prefix", "ok"), [("9", "123"), ("1", "1239"), ("5", "1239"), ("Y", "1")])
def test_the_categories_the_standard_lists_are_accepted(prefix, ok):
    for kind in ok:
        assert credit_code.is_valid(credit_code.make(prefix + kind + "110105", "MA0000A1"))


@pytest.mark.parametrize("region", ["000000", "11A105", "990000"])
def test_the_administrative_division_must_be_six_digits_of_a_real_province(region):
    code = credit_code.make("91" + region, "MA0000A1")
    assert "第3至8位登记管理机关行政区划码无效" in credit_code.problem(code)


def test_a_wrong_organisation_check_digit_names_the_expected_one():
    body = "91110105MA0000A18"  # 17th should be 9
    message = credit_code.problem(body + credit_code.check_char(body))
    assert "第9至17位主体标识码" in message and "第17位应为“9”" in message


def test_a_wrong_check_character_names_the_expected_one():
    message = credit_code.problem(ENTERPRISE[:17] + "A")
    assert "校验位错误" in message and "第18位应为“L”" in message


def test_a_changed_digit_breaks_a_checksum():
    assert not credit_code.is_valid("91110105MA0000A29L")


def test_the_length_must_be_eighteen():
    assert "应为18位" in credit_code.problem(ENTERPRISE[:16])


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_charset_are_refused(letter):
    code = ENTERPRISE[:16] + letter + "Q"
    assert "不是允许的字符" in credit_code.problem(code)


def test_spaces_hyphens_full_width_and_lower_case_normalise_to_the_eighteen_characters():
    typed = "９１１１ ０１０５-ma00　00a1 9l"
    assert credit_code.normalize(typed) == ENTERPRISE
    assert credit_code.problem(typed) == ""
    assert credit_code.normalize(None) == ""
