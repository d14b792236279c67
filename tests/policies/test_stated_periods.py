"""Periods written in a policy's text are shown on its page; when all are over and the policy states no end,
the reader is told to check whether it still applies (the status itself is not changed)."""

from __future__ import annotations

import datetime as dt

from fazhi.policies import extract


def test_stated_periods_are_read_with_and_without_the_second_year():
    text = (
        "二、降价措施 自2020年2月1日起至6月30日止，电网企业按95%结算。"
        "【优惠内容】 自2019年6月1日至2025年12月31日，免征增值税。自2020年2月1日起至6月30日止（重复）。"
        "自2020年13月1日至2月1日（无效日期）。自2020年5月1日至2020年3月1日（倒置）。"
    )
    periods = extract.stated_periods(text)
    assert [(p.start, p.end) for p in periods] == [
        (dt.date(2020, 2, 1), dt.date(2020, 6, 30)),
        (dt.date(2019, 6, 1), dt.date(2025, 12, 31)),
    ]


def test_the_page_shows_the_periods_and_warns_when_all_are_over(client, make_policy):
    over = make_policy(title="阶段性降低电价", full_text="自2020年2月1日起至6月30日止，按95%结算电费。")
    page = client.get(f"/policies/{over.pk}/").content.decode()
    assert "正文所列措施的执行期：2020年2月1日至2020年6月30日" in page
    assert "执行期均已于2020年6月30日前届满" in page

    running = make_policy(title="长期措施", full_text="自2020年1月1日至2099年12月31日，免征相关费用。")
    page = client.get(f"/policies/{running.pk}/").content.decode()
    assert "2020年1月1日至2099年12月31日" in page and "届满" not in page

    dated = make_policy(
        title="有终止日期", effective_to="2020-12-31", full_text="自2020年2月1日起至6月30日止。"
    )
    page = client.get(f"/policies/{dated.pk}/").content.decode()
    assert "正文所列措施的执行期" not in page  # the policy's own 有效期 says it


def test_the_support_line_has_no_doubled_punctuation_or_trailing_zeros(client, make_policy):
    policy = make_policy(title="奖补", support_standard="单户最高10万元。", support_cap="10")
    page = client.get(f"/policies/{policy.pk}/").content.decode()
    start = page.index("<dt>支持方式与标准</dt>")
    shown = page[start : page.index("</dd>", start)]
    assert "单户最高10万元。（最高 10 万元）" in shown and "：单户" not in shown


def test_a_text_without_line_breaks_is_shown_in_paragraphs_at_its_headings(client, make_policy):
    text = "各区人民政府：现通知如下。 一、降低电价。（一）一般工商业降价5%。（二）大工业降价5%。二、保障措施。2.2万户受益。"
    assert extract.paragraphs(text) == [
        "各区人民政府：现通知如下。",
        "一、降低电价。",
        "（一）一般工商业降价5%。",
        "（二）大工业降价5%。",
        "二、保障措施。2.2万户受益。",
    ]
    policy = make_policy(title="降低电价的通知", full_text=text + "\n附件：申报表 <b>")
    page = client.get(f"/policies/{policy.pk}/").content.decode()
    assert "<p>（一）一般工商业降价5%。</p>" in page and "<p>附件：申报表 &lt;b&gt;</p>" in page


def test_a_policy_whose_dated_measures_are_all_over_is_not_called_a_fit(make_policy):
    from fazhi.policies import matching
    from fazhi.policies.models import EnterpriseProfile

    over = make_policy(
        title="阶段性房租减免",
        industries="H",
        level="国家",
        full_text="自2020年2月1日起至6月30日止，免收房租。",
    )
    running = make_policy(
        title="长期房租减免",
        industries="H",
        level="国家",
        full_text="自2020年1月1日至2099年12月31日，免收房租。",
    )
    assert (over.measures_end, running.measures_end) == (dt.date(2020, 6, 30), dt.date(2099, 12, 31))
    profile = EnterpriseProfile(name="某餐馆", industry="catering", employees=30, revenue=500)
    today = dt.date(2026, 3, 1)
    result = matching.evaluate(over, profile, today=today)
    assert not result.eligible and result.group == 1
    assert result.unknown == ["正文所列措施的执行期已于2020年6月30日前届满，请向发文机关核实是否仍在执行。"]
    assert matching.evaluate(running, profile, today=today).eligible


def test_the_measures_end_follows_the_text_and_the_policys_own_end(make_policy):
    policy = make_policy(title="阶段性措施", full_text="自2020年2月1日起至6月30日止，免收房租。")
    assert policy.measures_end == dt.date(2020, 6, 30)
    policy.full_text = "长期执行。"
    policy.save(update_fields=["full_text"])
    policy.refresh_from_db()
    assert policy.measures_end is None
    policy.full_text = "自2020年2月1日起至6月30日止。"
    policy.effective_to = dt.date(2030, 1, 1)
    policy.save()
    assert policy.measures_end is None  # its own 有效期 decides
