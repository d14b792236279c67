"""An enterprise's region written the everyday way (北京朝阳区, 北京 朝阳区, 广东深圳市) is read as the full
place name, so that the policies of its province and city are found and their region condition is met."""

from __future__ import annotations

import pytest

from fazhi.policies import matching, services
from fazhi.policies.models import EnterpriseProfile, Policy
from fazhi.search import build


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("北京", "北京市"),
        ("北京朝阳区", "北京市朝阳区"),
        ("北京市 朝阳区", "北京市朝阳区"),
        ("  上海市　浦东新区 ", "上海市浦东新区"),
        ("广东深圳市南山区", "广东省深圳市南山区"),
        ("新疆乌鲁木齐市", "新疆维吾尔自治区乌鲁木齐市"),
        ("广西南宁市", "广西壮族自治区南宁市"),
        # Already full, or only starting like a province: unchanged.
        ("湖北省武汉市汉阳区", "湖北省武汉市汉阳区"),
        ("河北区", "河北区"),  # 天津市河北区
        ("海南州", "海南州"),  # 青海省海南藏族自治州
        ("吉林市", "吉林市"),
        ("", ""),
    ],
)
def test_the_region_is_completed(typed, canonical):
    assert matching.canonical_region(typed) == canonical


def test_a_region_with_a_space_is_accepted_and_saved_in_full(enterprise):
    profile = services.save_profile(
        actor=enterprise, data={"name": "某餐饮公司", "industry": "catering", "region": "北京 朝阳区"}
    )
    assert EnterpriseProfile.objects.get(pk=profile.pk).region == "北京市朝阳区"


def test_beijing_policies_match_an_enterprise_that_wrote_beijing_without_shi(client, make_policy):
    make_policy(title="北京市餐饮企业稳岗补贴", industries="H", regions="北京市", level="省")
    make_policy(title="朝阳区小微企业房租减免", regions="北京市朝阳区", level="区")
    build.rebuild("policies")
    profile = {"name": "某餐饮公司", "industry": "catering", "employees": 45, "revenue": 800}
    for typed in ("北京朝阳区", "北京 朝阳区"):
        page = client.post("/policies/match/", {**profile, "region": typed}).content.decode()
        assert "匹配的政策（2）" in page, typed
        assert "适用地区为北京市，企业位于北京市朝阳区。" in page
        assert "适用地区为北京市朝阳区，企业位于北京市朝阳区。" in page
        assert "不符合条件的政策" not in page
    # 北京 alone: the city-wide policy fits, the district's is a possible match asking for the district
    # (it was listed under 不符合条件的政策 with "✗" and no condition).
    page = client.post("/policies/match/", {**profile, "region": "北京"}).content.decode()
    assert "匹配的政策（2）" in page
    assert "适用地区为北京市，企业位于北京市。" in page
    assert "适用地区为北京市朝阳区，企业所在地区只填写到北京市，请补充到区县后再核对。" in page
    assert "不符合条件的政策" not in page


def test_a_profile_saved_before_with_a_short_region_meets_its_districts_policy():
    old = EnterpriseProfile(name="某餐饮公司", industry="catering", region="北京朝阳区", size="小型")
    result = matching.evaluate(Policy(title="x", regions=["北京市朝阳区"]), old)
    assert result.met == ["适用地区为北京市朝阳区，企业位于北京朝阳区。"] and not result.unmet
