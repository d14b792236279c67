"""The policy page states each application condition once."""

from __future__ import annotations

import pytest

from fazhi.policies.models import Policy


def conditions_of(page: str) -> str:
    start = page.index("<dt>申报条件</dt>")
    return page[start : page.index("</dd>", start)]


def test_a_condition_the_text_already_states_is_not_repeated(client, make_policy):
    policy = make_policy(
        title="稳岗奖励办法", conditions_text="成立满1年；上年度未发生重大劳动争议。", min_years_established=1
    )
    shown = conditions_of(client.get(f"/policies/{policy.pk}/").content.decode())
    assert shown.count("成立满1年") == 1
    assert "。；" not in shown


def test_structured_conditions_the_text_lacks_are_added_once(client, make_policy):
    policy = make_policy(
        title="高企奖励办法",
        conditions_text="上年度未发生重大劳动争议。",
        min_years_established=2,
        required_tags="高新技术企业",
    )
    shown = conditions_of(client.get(f"/policies/{policy.pk}/").content.decode())
    assert "上年度未发生重大劳动争议。<br>成立满2年；须为高新技术企业" in shown


def test_without_text_the_structured_conditions_are_shown_instead_of_see_the_text(client, make_policy):
    policy = make_policy(title="小微奖励办法", min_years_established=3)
    shown = conditions_of(client.get(f"/policies/{policy.pk}/").content.decode())
    assert "成立满3年" in shown and "见正文" not in shown


@pytest.mark.parametrize(
    ("text", "years", "tags", "extra"),
    [
        ("注册成立一年以上的企业", 1, [], []),
        ("依法设立满两年", 2, [], []),
        ("成立满十一年", 1, [], ["成立满1年"]),
        ("成立满11年", 1, [], ["成立满1年"]),
        ("须为高新技术企业，成立满3年", 3, ["高新技术企业", "专精特新"], ["须为专精特新"]),
        ("", None, [], []),
    ],
)
def test_extra_conditions(text, years, tags, extra):
    policy = Policy(conditions_text=text, min_years_established=years, required_tags=tags)
    assert policy.extra_conditions == extra
