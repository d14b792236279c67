"""Periods written in a policy's text are shown on its page; when all are over and the policy states no end,
the reader is told to check whether it still applies (the status itself is not changed)."""

from __future__ import annotations

import datetime as dt

import pytest

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
    assert not result.eligible and result.group == 2
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


# --- periods stated in other words, temporary measures ------------------------------------------
def test_a_start_month_and_a_longest_duration_make_a_period_to_the_last_day():
    text = (
        "一、自2020年2月起，各省可免征中小微企业三项社会保险单位缴费部分，免征期限不超过5个月；"
        "减征期限不超过3个月。"
    )
    assert [(p.start, p.end) for p in extract.stated_periods(text)] == [
        (dt.date(2020, 2, 1), dt.date(2020, 6, 30))
    ]


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("困难企业稳岗返还政策，实施期限延长至2020年12月31日。", dt.date(2020, 12, 31)),
        ("执行期限由原“疫情防控期间”延长至2020年6月30日。", dt.date(2020, 6, 30)),
        ("自即日起至2020年12月底，对全国农业信贷担保项目减免担保费。", dt.date(2020, 12, 31)),
        ("岗位补贴2月4日后到期的，阶段性延长至2020年6月30日。", dt.date(2020, 6, 30)),
    ],
)
def test_an_end_said_of_a_measure_is_a_period_without_a_start(text, end):
    assert [(p.start, p.end) for p in extract.stated_periods(text)] == [(None, end)]


def test_a_dated_range_that_grants_a_relief_is_a_period_but_a_filing_deadline_is_not():
    relief = "。2020年1月1日至2020年12月31日，对面临暂时性困难的企业返还失业保险费。"
    assert [(p.start, p.end) for p in extract.stated_periods(relief)] == [
        (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    ]
    for text in (
        "集中缴费截止日期由2020年2月29日统一延长至2020年3月31日。",
        "2月申报纳税期限延长至2020年2月24日。",
        "问卷在线填写起止时间为2020年2月3日至2月25日。",
        "。2019年10月1日至2020年2月10日，农发行共发放储备化肥贷款57亿元。",
    ):
        assert extract.stated_periods(text) == [], text


def test_the_page_shows_a_period_without_a_start_as_an_end(client, make_policy):
    policy = make_policy(title="电费措施", full_text="执行期限由原“疫情防控期间”延长至2020年6月30日。")
    page = client.get(f"/policies/{policy.pk}/").content.decode()
    assert "正文所列措施的执行期：至2020年6月30日" in page


@pytest.mark.parametrize(
    ("title", "text", "cue"),
    [
        ("关于阶段性减免企业社会保险费的通知", "", "阶段性"),
        ("关于疫情防控期间减免房租的通知", "", "疫情防控期间"),
        (
            "关于支持中小企业的通告",
            "本通告自即日起施行，有效期至新型冠状病毒感染肺炎疫情解除。",
            "有效期至新型冠状病毒感染肺炎疫情解除",
        ),
        (
            "税收服务措施",
            "上述一些临时性调整的措施实施期限视疫情情况另行通知。",
            "实施期限视疫情情况另行通知",
        ),
    ],
)
def test_a_policy_that_calls_itself_temporary_is_recognised(title, text, cue):
    assert extract.temporary_cue(title, text) == cue


def test_a_measure_inside_the_text_with_an_epidemic_end_is_not_the_policy():
    text = "在互联网预选了号牌号码但未及时办理机动车登记的，预选号码延长有效期，疫情结束后可以继续办理登记。"
    assert extract.temporary_cue("公安部出台便民措施", text) == ""


def test_a_temporary_policy_without_a_stated_end_is_left_to_verify(make_policy):
    from fazhi.policies import eligibility, matching
    from fazhi.policies.models import EnterpriseProfile

    temporary = make_policy(
        title="关于贯彻落实阶段性减免企业社会保险费政策的通知",
        industries="H",
        level="国家",
        full_text="各地要推动阶段性减免企业社保费政策尽快落地。",
    )
    assert temporary.temporary_cue == "阶段性" and temporary.measures_end is None
    profile = EnterpriseProfile(name="某餐馆", industry="catering", employees=30, revenue=500)
    result = matching.evaluate(temporary, profile, today=dt.date(2026, 3, 1))
    assert not result.eligible and result.group == 2
    assert result.unknown == [
        "该政策为阶段性措施（“阶段性”），正文未写明执行期限，请向发文机关核实是否仍在执行。"
    ]
    assert eligibility.eligible_pairs([profile], [temporary], today=dt.date(2026, 3, 1)) == []
    dated = make_policy(
        title="长期措施", industries="H", level="国家", full_text="自2020年1月1日至2099年12月31日，免收房租。"
    )
    assert dated.temporary_cue == "" and matching.evaluate(dated, profile, today=dt.date(2026, 3, 1)).eligible


def test_a_temporary_policy_whose_dated_periods_are_over_is_expired(make_policy):
    from fazhi.policies import services
    from fazhi.policies.models import Policy, Status

    over = make_policy(
        title="关于阶段性减免企业社会保险费的通知",
        full_text="自2020年2月起，各省可免征中小微企业三项社会保险单位缴费部分，免征期限不超过5个月。",
    )
    assert over.measures_end == dt.date(2020, 6, 30) and over.status == Status.EXPIRED
    # A package whose title does not call it temporary keeps its status: the dated period may be one measure.
    package = make_policy(
        title="关于支持中小企业的若干措施",
        full_text="自2020年2月起，免征社会保险单位缴费部分，免征期限不超过5个月。其他措施长期执行。",
    )
    assert package.status == Status.VALID
    # The daily job brings one saved before the rule (status still 有效) to 已失效.
    Policy.objects.filter(pk=over.pk).update(status=Status.VALID)
    assert services.refresh_statuses(today=dt.date(2026, 3, 1)) == 1
    assert Policy.objects.get(pk=over.pk).status == Status.EXPIRED
