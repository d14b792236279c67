import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.numerals import article_label, cn_to_int, int_to_cn, parse_article_label, parse_ordinal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("一百", 100),
        ("一百零一", 101),
        ("一百一十", 110),
        ("一百二十五", 125),
        ("一千零一", 1001),
        ("一千二百六十", 1260),
        ("两千", 2000),
        ("〇", 0),
        ("105", 105),
        ("１２", 12),
    ],
)
def test_it_parses_chinese_numerals(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("value", "text"), [(20010, "二万零一十"), (10015, "一万零一十五"), (100010, "十万零一十"), (10, "十")]
)
def test_int_to_cn_keeps_yi_before_shi_after_wan(value, text):
    assert int_to_cn(value) == text


@given(st.integers(min_value=1, max_value=99999))
def test_int_to_cn_round_trips(n):
    assert cn_to_int(int_to_cn(n)) == n


@given(st.integers(min_value=1, max_value=2000), st.integers(min_value=0, max_value=9))
def test_article_labels_round_trip(number, suffix):
    assert parse_article_label(article_label(number, suffix)) == (number, suffix)


def test_it_reads_article_suffix_and_ordinals():
    assert parse_article_label("第十条之一") == (10, 1)
    assert parse_article_label("第一百零一条") == (101, 0)
    assert parse_ordinal("第二款", "款") == 2
    assert parse_ordinal("（三）", "项") == 3
    assert int_to_cn(10) == "十" and int_to_cn(110) == "一百一十" and int_to_cn(101) == "一百零一"


@pytest.mark.parametrize("bad", ["", "第条", "abc", "第十款"])
def test_it_rejects_non_articles(bad):
    with pytest.raises(ValueError):
        parse_article_label(bad)
