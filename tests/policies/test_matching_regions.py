"""政策体检 and regions: only national policies are open to every region; a policy's region covers an
enterprise only when the enterprise lies within it; an unknown region is never presented as met."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.policies import matching
from fazhi.policies.models import EnterpriseProfile, Policy
from fazhi.search import build

TODAY = dt.date(2026, 3, 1)


def profile(**kw) -> EnterpriseProfile:
    values = {
        "name": "某餐饮公司",
        "industry": "catering",
        "region": "北京市朝阳区",
        "employees": 45,
        "revenue": Decimal(800),
        "size": "小型",
    }
    values.update(kw)
    return EnterpriseProfile(**values)


def region_of(policy: Policy, **kw) -> tuple[list[str], list[str], list[str]]:
    r = matching.evaluate(policy, profile(**kw), today=TODAY)
    return r.met, r.unmet, r.unknown


@pytest.mark.parametrize("level", ["", "provincial", "city", "district"])
def test_a_policy_without_a_known_region_is_unknown_unless_national(level):
    result = matching.evaluate(Policy(title="x", level=level), profile(), today=TODAY)
    assert not result.met and not result.unmet
    assert len(result.unknown) == 1 and "未能确定适用地区，请核对原文" in result.unknown[0]
    assert not result.eligible and result.possible


def test_the_unknown_region_names_the_level_when_known():
    _, _, unknown = region_of(Policy(title="x", level="city"))
    assert unknown == ["该政策为市级政策，未能确定适用地区，请核对原文。"]


def test_a_national_policy_without_a_region_applies_everywhere_even_without_the_enterprise_region():
    met, unmet, unknown = region_of(Policy(title="x", level="national"), region="")
    assert met == ["适用地区不限（国家级政策）。"] and not unmet and not unknown


def test_an_enterprise_within_the_policy_region_meets_it():
    for policy_region in ("北京市", "北京", "北京市朝阳区"):
        met, unmet, unknown = region_of(Policy(title="x", regions=[policy_region]))
        assert met == [f"适用地区为{policy_region}，企业位于北京市朝阳区。"], policy_region
        assert not unmet and not unknown


def test_a_bare_province_name_is_the_same_province():
    met, _, _ = region_of(Policy(title="x", regions=["北京市"]), region="北京")
    assert met == ["适用地区为北京市，企业位于北京。"]


def test_a_city_policy_covers_an_enterprise_that_also_names_its_province():
    met, _, _ = region_of(Policy(title="x", regions=["广州市"]), region="广东省广州市天河区")
    assert met == ["适用地区为广州市，企业位于广东省广州市天河区。"]


def test_a_district_policy_does_not_cover_an_enterprise_that_only_names_the_city():
    met, unmet, unknown = region_of(Policy(title="x", regions=["北京市朝阳区"]), region="北京市")
    assert not met and not unmet
    assert unknown == ["适用地区为北京市朝阳区，企业所在地区只填写到北京市，请补充到区县后再核对。"]


@pytest.mark.parametrize("region", ["北", "南京市", "上海市浦东新区", "天津市"])
def test_a_fragment_or_another_region_matches_nothing(region):
    met, unmet, unknown = region_of(Policy(title="x", regions=["北京市"]), region=region)
    assert not met and not unknown
    assert unmet == [f"适用地区为北京市，企业位于{region}。"]


def test_an_enterprise_region_without_a_province_is_not_judged_against_a_province():
    met, unmet, unknown = region_of(Policy(title="x", regions=["广东省"]), region="广州市天河区")
    assert not met and not unmet and "未写明省份" in unknown[0]


def test_region_matches_only_looks_down_the_hierarchy():
    assert matching.region_matches("北京市", "北京市朝阳区")
    assert not matching.region_matches("北京市朝阳区", "北京市")
    assert not matching.region_matches("北京市", "北")


def test_region_keys_keep_city_names_and_drop_the_province_for_a_second_set():
    assert matching._region_keys("浙江省杭州市西湖区") == [
        "浙江省",
        "浙江省杭州市",
        "浙江省杭州市西湖区",
        "杭州市",
        "杭州市西湖区",
    ]


@pytest.fixture
def regional(make_policy):
    made = {
        "beijing": make_policy(
            title="北京市餐饮企业纾困补助", level="省", regions="北京市", industries="H", sizes="小型、微型"
        ),
        "national": make_policy(title="全国小微企业减税政策", level="国家", industries="H"),
        "chongqing": make_policy(title="重庆市餐饮业扶持办法", level="省", regions="重庆市", industries="H"),
        "unknown_province": make_policy(title="关于支持餐饮业恢复发展的若干措施", level="省", industries="H"),
        "news": make_policy(title="温州出台餐饮企业帮扶政策（新闻）", industries="H"),
    }
    build.rebuild("policies")
    return made


def test_matching_never_presents_an_unknown_region_as_eligible(client, regional):
    resp = client.post(
        "/api/v1/policies/match",
        {
            "profile": {
                "name": "某餐饮公司",
                "industry": "catering",
                "employees": 45,
                "revenue": 800,
                "region": "北京市朝阳区",
            }
        },
        content_type="application/json",
    )
    assert resp.status_code == 200
    results = {r["title"]: r for r in resp.json()["results"]}
    assert "重庆市餐饮业扶持办法" not in results  # another province's policy is not even a candidate
    assert results["北京市餐饮企业纾困补助"]["eligible"] is True
    assert results["全国小微企业减税政策"]["eligible"] is True
    for title in ("关于支持餐饮业恢复发展的若干措施", "温州出台餐饮企业帮扶政策（新闻）"):
        assert results[title]["eligible"] is False
        assert any("未能确定适用地区" in u for u in results[title]["unknown"])
    ranked = list(results)
    assert ranked.index("温州出台餐饮企业帮扶政策（新闻）") > ranked.index("全国小微企业减税政策")
    assert ranked.index("关于支持餐饮业恢复发展的若干措施") > ranked.index("北京市餐饮企业纾困补助")


@pytest.mark.parametrize("region", ["北京市朝阳区", "北京", "广东省广州市", "广州市天河区", ""])
def test_complete_place_names_are_accepted_as_a_profile_region(region):
    assert matching.region_problem(region) == ""


@pytest.mark.parametrize("region", ["北", "北京朝阳", "Beijing", "朝阳"])
def test_fragments_are_not_place_names(region):
    assert "不是完整的地名" in matching.region_problem(region)


@pytest.mark.parametrize(
    ("issuer", "title"),
    [
        ("防控工作领导小组指挥部", "广西壮族自治区新型冠状病毒感染的肺炎疫情防控工作领导小组指挥部令"),
        ("武汉市新型肺炎防控指挥部", "通告（第7号）"),
        ("中共海南省委宣传部", "文明健康过年倡议书"),
        ("中国人民银行成都分行办公室", "关于加强金融服务支持打赢疫情防控阻击战的通知"),
    ],
)
def test_a_national_label_on_a_local_document_is_not_trusted(issuer, title):
    met, unmet, unknown = region_of(Policy(title=title, issuer=issuer, level="national"))
    assert not met and not unmet
    assert "标注为国家级" in unknown[0] and "未能确定适用地区，请核对原文" in unknown[0]


@pytest.mark.parametrize(
    "issuer", ["国家市场监督管理总局", "市场监管总局", "财政部", "国务院办公厅", "中国人民银行"]
)
def test_national_issuers_stay_national(issuer):
    met, _, unknown = region_of(Policy(title="关于支持小微企业的通知", issuer=issuer, level="national"))
    assert met == ["适用地区不限（国家级政策）。"] and not unknown


@pytest.mark.parametrize(
    ("region", "message"),
    [("北", "不是完整的地名"), ("朝阳", "不是完整的地名"), ("北京市" + "朝阳区" * 40, "不能超过 100 个字")],
)
def test_a_profile_with_an_incomplete_or_overlong_region_is_refused_and_nothing_saved(db, region, message):
    from fazhi.core.errors import ValidationFailed
    from fazhi.policies import services

    with pytest.raises(ValidationFailed, match=message):
        services.clean_profile({"name": "某餐饮企业", "industry": "catering", "region": region})


def test_a_complete_region_is_kept(db):
    from fazhi.policies import services

    assert (
        services.clean_profile(
            {"name": "某餐饮企业", "industry": "catering", "region": "湖北省武汉市汉阳区"}
        )["region"]
        == "湖北省武汉市汉阳区"
    )
