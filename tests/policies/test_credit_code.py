"""统一社会信用代码 checksum (GB 32100-2015)."""

from __future__ import annotations

import pytest

from fazhi.policies import credit_code


@pytest.mark.parametrize("code", ["91110108551385082Q", "91440300708461136T", "91350100M000100Y43"])
def test_published_codes_are_valid(code):
    assert credit_code.is_valid(code)


def test_lower_case_and_spaces_are_tolerated():
    assert credit_code.is_valid(" 91110108551385082q ")


def test_a_wrong_check_character_names_the_expected_one():
    message = credit_code.problem("91110108551385082A")
    assert "第18位应为“Q”" in message


def test_a_changed_digit_breaks_the_checksum():
    assert not credit_code.is_valid("91110108551385083Q")


def test_the_length_must_be_eighteen():
    assert "应为18位" in credit_code.problem("9111010855138508")


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_charset_are_refused(letter):
    code = "9111010855138508" + letter + "Q"
    assert "不是允许的字符" in credit_code.problem(code)


def test_the_check_character_can_be_zero():
    # Search a body whose checksum is 31 ≡ 0 and make sure "0" is what we expect.
    for n in range(1000):
        body = f"91110000{n:09d}"
        if credit_code.check_char(body) == "0":
            assert credit_code.is_valid(body + "0")
            return
    pytest.fail("no body with check character 0 found")
