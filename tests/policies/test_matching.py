"""政策体检: each structured condition is judged met / unmet / unknown in plain Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.policies import matching
from fazhi.policies.models import EnterpriseProfile, Policy

TODAY = dt.date(2026, 3, 1)


def profile(**kw) -> EnterpriseProfile:
    values = {
        "name": "某餐饮公司",
        "industry": "catering",
        "region": "北京市朝阳区",
        "established_on": dt.date(2020, 5, 1),
        "employees": 50,
        "revenue": Decimal(800),
        "tags": ["科技型中小企业"],
        "size": "小型",
    }
    values.update(kw)
    return EnterpriseProfile(**values)


def test_a_national_policy_without_conditions_is_open_to_every_region_but_not_called_a_match():
    result = matching.evaluate(Policy(title="x", level="national"), profile(), today=TODAY)
    assert (result.met, result.unmet, result.unknown) == (["适用地区不限（国家级政策）。"], [], [])
    # It states nothing about the enterprise: "符合全部条件" would claim a fit nobody checked.
    assert result.possible and not result.conditions_stated and not result.eligible
    assert result.group == 3


def test_the_groups_put_checked_fits_before_notices_for_everyone_and_failures_last():
    fits = matching.evaluate(Policy(title="a", industries=["H"], level="national"), profile(), today=TODAY)
    to_check = matching.evaluate(
        Policy(title="b", industries=["H"], level="district"), profile(), today=TODAY
    )
    everyone = matching.evaluate(Policy(title="c", level="national"), profile(), today=TODAY)
    fails = matching.evaluate(Policy(title="d", industries=["C"], level="national"), profile(), today=TODAY)
    assert [r.group for r in (fits, to_check, everyone, fails)] == [0, 2, 3, 4]
    assert fits.eligible and not to_check.eligible and to_check.possible and not fails.possible


def test_industry_size_and_region_are_met():
    policy = Policy(title="x", industries=["H"], sizes=["小型", "微型"], regions=["北京市"])
    result = matching.evaluate(policy, profile(), today=TODAY)
    assert len(result.met) == 3 and not result.unmet and not result.unknown
    assert "住宿和餐饮业" in result.met[0]
    assert "企业为小型企业" in result.met[1]
    assert "企业位于北京市朝阳区" in result.met[2]


def test_wrong_industry_size_or_region_are_unmet():
    policy = Policy(title="x", industries=["C"], sizes=["微型"], regions=["上海市"])
    result = matching.evaluate(policy, profile(), today=TODAY)
    assert len(result.unmet) == 3
    assert not result.eligible


def test_years_since_establishment_counts_whole_years():
    policy = Policy(title="x", level="national", min_years_established=6)
    assert matching.evaluate(policy, profile(established_on=dt.date(2020, 3, 1)), today=TODAY).met
    assert matching.evaluate(policy, profile(established_on=dt.date(2020, 3, 2)), today=TODAY).unmet
    assert matching.evaluate(policy, profile(established_on=None), today=TODAY).unknown == [
        "要求成立满6年，未填写成立日期。"
    ]


def test_required_tags_must_all_be_present():
    policy = Policy(title="x", level="national", required_tags=["高新技术企业", "科技型中小企业"])
    result = matching.evaluate(policy, profile(), today=TODAY)
    assert result.met == ["适用地区不限（国家级政策）。", "要求具备“科技型中小企业”资格，企业已具备。"]
    assert result.unmet == ["要求具备“高新技术企业”资格，企业画像中没有该标签。"]


def test_employee_and_revenue_ranges_include_their_bounds():
    policy = Policy(title="x", level="national", employees_min=10, employees_max=50, revenue_max=Decimal(800))
    result = matching.evaluate(policy, profile(), today=TODAY)
    assert len(result.met) == 3 and not result.unmet
    result = matching.evaluate(policy, profile(employees=51, revenue=None), today=TODAY)
    assert result.unmet == ["从业人员须在10至50人之间，企业为51人。"]
    assert result.unknown == ["营业收入须不超过800万元，未填写营业收入。"]


def test_unknown_size_is_reported_not_guessed():
    result = matching.evaluate(Policy(title="x", sizes=["小型"]), profile(size=""), today=TODAY)
    assert result.unknown and not result.unmet


def test_a_closed_application_window_is_unmet():
    policy = Policy(title="x", apply_end=dt.date(2026, 2, 28))
    assert matching.evaluate(policy, profile(), today=TODAY).unmet == ["申报已于2026年2月28日截止。"]


def test_region_keys_are_administrative_prefixes():
    assert matching._region_keys("北京市朝阳区") == ["北京市", "北京市朝阳区"]


def test_match_ranks_fitting_policies_first_and_leaves_out_expired_and_other_industries(policies, db):
    titles = [r.policy.title for r in matching.match(profile(), limit=10, today=TODAY)]
    assert titles[0] == "关于减免小微企业房租的通知"  # industry, size and region all met
    assert "援企稳岗补贴实施办法" in titles  # no restriction: a candidate, ranked lower
    assert "已经到期的租金补助办法" not in titles  # 已失效
    assert "疫情防控重点保障企业贷款贴息" not in titles  # 制造业 only


def test_match_through_the_api_returns_conditions_and_the_size(client, policies):
    resp = client.post(
        "/api/v1/policies/match",
        {
            "profile": {
                "name": "某餐饮公司",
                "industry": "catering",
                "employees": 50,
                "revenue": 800,
                "region": "北京市朝阳区",
            }
        },
        content_type="application/json",
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["size"] == "小型"
    assert body["size_explanation"]
    first = body["results"][0]
    assert first["title"] == "关于减免小微企业房租的通知"
    assert set(first) >= {"met", "unmet", "unknown", "eligible", "possible", "conditions_stated"}
    assert first["eligible"] and first["conditions_stated"]


def _match(client, limit=20, **profile):
    body = {"profile": {"name": "某餐饮公司", "industry": "catering", **profile}, "limit": limit}
    return client.post("/api/v1/policies/match", body, content_type="application/json")


@pytest.mark.parametrize(
    ("overrides", "limit", "message"),
    [
        ({}, 0, "limit"),
        ({}, 101, None),
        ({"name": "某" * 201}, 20, "企业名称不能超过 200 个字（当前 201 个字）。"),
        ({"industry": "饮食"}, 20, "industry（工业）、construction（建筑业）"),
        ({"tags": ["不存在标签"]}, 20, "企业标签“不存在标签”无效"),
        ({"established_on": "1800-01-01"}, 20, "成立日期不能早于1900年"),
    ],
)
def test_match_refuses_bad_input_in_chinese(client, db, overrides, limit, message):
    resp = _match(client, limit=limit, **overrides)
    if message is None:  # a limit above 100 is cut to 100, as in search
        assert resp.status_code == 200
        return
    assert resp.status_code == 400
    assert message in resp.json()["detail"]


def test_match_accepts_an_industry_by_its_chinese_name_and_a_credit_code_with_spaces(client, policies):
    resp = _match(client, industry="餐饮业", credit_code=" ９１１１ 0108 MA01 2345 37 ".replace("37", "XX"))
    assert resp.status_code == 400 and "统一社会信用代码" in resp.json()["detail"]
    assert "当前为" not in resp.json()["detail"]  # the spaces and full-width digits were not counted
    ok = _match(client, industry="餐饮业", employees=50, revenue=800, region="北京市朝阳区")
    assert ok.status_code == 200 and ok.json()["size"] == "小型"


@pytest.mark.parametrize(
    ("code", "message"),
    [("91110108MA0000A19A", "校验位"), ("000000000000000000", "第1位登记管理部门代码无效")],
)
def test_match_refuses_an_invalid_credit_code(client, code, message):
    resp = _match(client, credit_code=code)
    assert resp.status_code == 400
    assert message in resp.json()["detail"]
