"""Write paths refuse anonymous users and outsiders; enterprise users save their profile."""

from __future__ import annotations

from fazhi.policies.models import EnterpriseProfile, PolicySubscription

PROFILE = {
    "name": "某科技公司",
    "industry": "software",
    "employees": 40,
    "revenue": 600,
    "credit_code": "91110108MA0000A190",  # constructed, valid under GB 32100
    "region": "北京市海淀区",
    "tags": ["高新技术企业"],
}


def test_a_visitor_may_try_the_match_page_but_nothing_is_saved(client, db):
    resp = client.get("/policies/match/")
    assert resp.status_code == 200
    resp = client.post("/policies/match/", PROFILE)
    assert resp.status_code == 200
    assert "企业规模" in resp.content.decode()
    assert not EnterpriseProfile.objects.exists()


def test_subscribing_sends_anonymous_users_to_login(client, db):
    resp = client.post("/policies/subscribe/", {"kind": "profile"})
    assert resp.status_code == 302 and "login" in resp["Location"]
    assert not PolicySubscription.objects.exists()


def test_an_account_without_the_enterprise_role_gets_the_trial_and_saves_nothing(login, outsider, buyer, db):
    for user in (outsider, buyer):
        client = login(user)
        page = client.get("/policies/match/")
        assert page.status_code == 200 and "您登录的不是企业账号" in page.content.decode()
        resp = client.post("/policies/match/", PROFILE)
        assert resp.status_code == 200 and "企业规模：小型" in resp.content.decode()
    assert not EnterpriseProfile.objects.exists()
    # Saving and subscribing stay with enterprise accounts.
    assert login(buyer).post("/policies/subscribe/", {"match_profile": "on"}).status_code == 403
    assert not PolicySubscription.objects.exists()


def test_an_enterprise_user_saves_a_profile_and_sees_how_the_size_was_computed(login, enterprise, policies):
    client = login(enterprise)
    data = {**PROFILE, "tags": ["高新技术企业"]}
    resp = client.post("/policies/match/", data)
    assert resp.status_code == 302
    profile = EnterpriseProfile.objects.get(owner=enterprise)
    assert profile.size == "小型"
    page = client.get("/policies/match/").content.decode()
    assert "企业规模：小型" in page and "工信部联企业〔2011〕300号" in page


def test_a_bad_credit_code_is_shown_on_the_form(login, enterprise, db):
    resp = login(enterprise).post("/policies/match/", {**PROFILE, "credit_code": "91110108MA0000A19A"})
    assert resp.status_code == 200
    assert "校验位错误" in resp.content.decode()
    assert not EnterpriseProfile.objects.exists()


def test_a_credit_code_pasted_with_spaces_is_saved_from_the_page_as_eighteen_characters(
    login, enterprise, db
):
    resp = login(enterprise).post("/policies/match/", {**PROFILE, "credit_code": "9111 0108 MA00 00A1 90"})
    assert resp.status_code == 302
    assert EnterpriseProfile.objects.get(owner=enterprise).credit_code == "91110108MA0000A190"


def test_a_full_width_establishment_date_is_read_as_the_same_date(login, enterprise, db):
    resp = login(enterprise).post("/policies/match/", {**PROFILE, "established_on": "２０２０-０２-０５"})
    assert resp.status_code == 302
    assert EnterpriseProfile.objects.get(owner=enterprise).established_on.isoformat() == "2020-02-05"


def test_the_profile_api_refuses_anonymous_and_outsiders(client, outsider, token_for, enterprise):
    assert client.put("/api/v1/policies/profile", PROFILE, content_type="application/json").status_code == 401
    resp = client.put(
        "/api/v1/policies/profile", PROFILE, content_type="application/json", headers=token_for(outsider)
    )
    assert resp.status_code == 403
    ok = client.put(
        "/api/v1/policies/profile", PROFILE, content_type="application/json", headers=token_for(enterprise)
    )
    assert ok.status_code == 200 and ok.json()["size"] == "小型"


def test_the_subscription_api_refuses_anonymous_and_outsiders(client, outsider, token_for, enterprise):
    payload = {"themes": ["稳岗就业"]}
    assert (
        client.post("/api/v1/policies/subscriptions", payload, content_type="application/json").status_code
        == 401
    )
    resp = client.post(
        "/api/v1/policies/subscriptions",
        payload,
        content_type="application/json",
        headers=token_for(outsider),
    )
    assert resp.status_code == 403
    ok = client.post(
        "/api/v1/policies/subscriptions",
        payload,
        content_type="application/json",
        headers=token_for(enterprise),
    )
    assert ok.status_code == 201 and ok.json()["unsubscribe_url"].endswith(
        f"/policies/unsubscribe/{PolicySubscription.objects.get().token}/"
    )


def test_the_subscribe_page_refuses_an_outsider(login, outsider):
    assert login(outsider).post("/policies/subscribe/", {"themes": ["稳岗就业"]}).status_code == 403
    assert not PolicySubscription.objects.exists()


def test_an_outsider_cannot_edit_policies(outsider):
    import pytest

    from fazhi.core.errors import PermissionDenied
    from fazhi.policies import services

    with pytest.raises(PermissionDenied):
        services.save_policy(actor=outsider, values={"title": "x"})


def test_form_labels_end_with_a_full_width_colon(login, enterprise):
    page = login(enterprise).get("/policies/match/").content.decode()
    assert "企业名称（必填）：</label>" in page and "企业名称（必填）:</label>" not in page


def test_the_admin_index_headings_are_in_chinese(login, sysadmin):
    page = login(sysadmin).get("/admin/").content.decode()
    assert "数据类型" in page and "Model name" not in page and "Change or view list link" not in page
