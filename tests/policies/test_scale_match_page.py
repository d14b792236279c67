"""政策体检 without an account: visitors try it (nothing is saved); saving and subscribing still need an
enterprise account; other logged-in roles stay refused."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from fazhi.policies.models import EnterpriseProfile, PolicySubscription

PROFILE = {
    "name": "某餐饮公司",
    "industry": "catering",
    "region": "北京市朝阳区",
    "employees": 20,
    "revenue": 300,
}


def test_a_visitor_sees_the_form_and_how_to_log_in_or_register_to_save(client, db):
    resp = client.get("/policies/match/")
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "不会保存" in page and "体检（不保存）" in page
    assert 'href="/accounts/login/?next=/policies/match/"' in page
    assert 'href="/accounts/register/"' in page
    assert 'action="/policies/subscribe/"' not in page  # subscribing needs an account


def test_a_visitor_sees_the_matches_for_the_profile_entered_and_nothing_is_saved(client, policies):
    users = get_user_model().objects.count()
    resp = client.post("/policies/match/", PROFILE)
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "关于减免小微企业房租的通知" in page and "符合全部条件" in page
    assert "企业规模：小型" in page or "企业规模：微型" in page
    assert not EnterpriseProfile.objects.exists()
    assert get_user_model().objects.count() == users


def test_a_visitors_bad_input_is_explained_in_chinese_and_nothing_is_saved(client, policies):
    resp = client.post("/policies/match/", {**PROFILE, "region": "北"})
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "不是完整的地名" in page
    assert "关于减免小微企业房租的通知" not in page
    assert not EnterpriseProfile.objects.exists()


def test_a_visitor_who_subscribes_is_sent_to_log_in_and_nothing_is_saved(client, db):
    resp = client.post("/policies/subscribe/", {"themes": ["稳岗就业"]})
    assert resp.status_code == 302 and "login" in resp["Location"]
    assert not PolicySubscription.objects.exists()


def test_a_logged_in_account_without_the_enterprise_role_may_try_it_and_saves_nothing(login, outsider, clerk):
    assert login(outsider).get("/policies/match/").status_code == 200
    resp = login(clerk).post("/policies/match/", PROFILE)
    assert resp.status_code == 200 and "不会保存" in resp.content.decode()
    assert not EnterpriseProfile.objects.exists()


def test_an_enterprise_user_still_saves_the_profile(login, enterprise, policies):
    resp = login(enterprise).post("/policies/match/", PROFILE)
    assert resp.status_code == 302
    assert EnterpriseProfile.objects.get(owner=enterprise).name == "某餐饮公司"
    page = login(enterprise).get("/policies/match/").content.decode()
    assert "不会保存" not in page and "保存并体检" in page and 'action="/policies/subscribe/"' in page


def test_the_match_api_stays_open_to_visitors(client, policies):
    resp = client.post("/api/v1/policies/match", {"profile": PROFILE}, content_type="application/json")
    assert resp.status_code == 200
    assert resp.json()["results"][0]["title"] == "关于减免小微企业房租的通知"
    assert not EnterpriseProfile.objects.exists()
