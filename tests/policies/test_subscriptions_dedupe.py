"""Subscriptions: no duplicate subscriptions, one message per user, policy and event, absolute links in
e-mails, only known themes and industries, and the subscribed content shown in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import Message
from fazhi.core.services import notify
from fazhi.policies import services, subscriptions
from fazhi.policies.models import PolicySubscription

TODAY = dt.date(2026, 3, 1)
SITE = "https://fazhi.example.gov.cn"


@pytest.fixture
def subscriber(enterprise, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    enterprise.email = "boss@example.com"
    enterprise.save()
    return enterprise


# --- duplicates -------------------------------------------------------------------------------
def test_an_identical_subscription_is_refused_and_nothing_is_saved(subscriber):
    services.subscribe(actor=subscriber, themes=["稳岗就业", "外贸"], industries=["H"])
    for themes, industries in (
        (["外贸", "稳岗就业"], ["h"]),
        (["稳岗就业", "外贸", "外贸"], ["住宿和餐饮业"]),
    ):
        with pytest.raises(ValidationFailed, match="已订阅相同内容"):
            services.subscribe(actor=subscriber, themes=themes, industries=industries, email=False)
    assert PolicySubscription.objects.count() == 1


def test_different_content_or_a_cancelled_subscription_does_not_block(subscriber):
    first = services.subscribe(actor=subscriber, themes=["稳岗就业"])
    services.subscribe(actor=subscriber, themes=["稳岗就业"], industries=["H"])
    services.unsubscribe(token=first.token)
    services.subscribe(actor=subscriber, themes=["稳岗就业"])
    assert PolicySubscription.objects.filter(active=True).count() == 2


def test_the_api_refuses_a_duplicate_with_a_400(client, subscriber, token_for):
    headers = token_for(subscriber)
    url = "/api/v1/policies/subscriptions"
    payload = {"themes": ["稳岗就业"]}
    assert client.post(url, payload, content_type="application/json", headers=headers).status_code == 201
    resp = client.post(url, payload, content_type="application/json", headers=headers)
    assert resp.status_code == 400 and "已订阅相同内容" in resp.json()["detail"]
    assert PolicySubscription.objects.count() == 1


# --- one message per user, policy and event ---------------------------------------------------
def test_two_subscriptions_matching_one_policy_send_one_message_and_one_email(subscriber, make_policy):
    a = services.subscribe(actor=subscriber, themes=["稳岗就业"])
    b = services.subscribe(actor=subscriber, industries=["H"], email=False)
    policy = make_policy(title="餐饮业稳岗补贴", themes="稳岗就业", industries="H")
    counts = subscriptions.run_daily(today=TODAY)
    subscriptions.run_daily(today=TODAY)
    assert counts["new"] == 1
    assert list(Message.objects.filter(recipient=subscriber).values_list("title", flat=True)) == [
        f"新政策：{policy.title}"
    ]
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert a.token in body and b.token in body  # each matching subscription can be cancelled


def test_a_closing_window_is_announced_once_per_user(subscriber, make_policy):
    subs = [
        services.subscribe(actor=subscriber, themes=["稳岗就业"]),
        services.subscribe(actor=subscriber, industries=["C"]),
    ]
    policy = make_policy(title="稳岗设备补贴", themes="稳岗就业", industries="C", apply_end="2026-03-05")
    later = policy.created_at + dt.timedelta(seconds=1)
    PolicySubscription.objects.filter(pk__in=[s.pk for s in subs]).update(last_checked_at=later)
    for _ in range(2):
        subscriptions.run_daily(today=TODAY)
    assert Message.objects.filter(recipient=subscriber).count() == 1
    assert len(mail.outbox) == 1


def test_an_event_already_sent_under_the_old_per_subscription_key_is_not_sent_again(subscriber, make_policy):
    sub = services.subscribe(actor=subscriber, industries=["C"])
    policy = make_policy(title="设备更新补贴", industries="C", apply_end="2026-03-05")
    PolicySubscription.objects.filter(pk=sub.pk).update(
        last_checked_at=policy.created_at + dt.timedelta(seconds=1)
    )
    notify(recipient=subscriber, title="旧提醒", dedupe_key=f"policies:closing:{sub.pk}:{policy.pk}:20260305")
    assert subscriptions.run_daily(today=TODAY)["closing"] == 0
    assert Message.objects.filter(recipient=subscriber).count() == 1


def test_a_policy_whose_region_is_unknown_is_not_pushed_to_a_profile_subscriber(subscriber, make_policy):
    services.save_profile(
        actor=subscriber,
        data={
            "name": "某餐馆",
            "industry": "catering",
            "employees": 30,
            "revenue": 500,
            "region": "北京市朝阳区",
        },
    )
    services.subscribe(actor=subscriber, match_profile=True)
    make_policy(title="某省餐饮业扶持措施", level="省", industries="H")
    make_policy(title="重庆市餐饮业扶持办法", level="省", regions="重庆市", industries="H")
    make_policy(title="北京市餐饮业扶持办法", level="省", regions="北京市", industries="H")
    subscriptions.run_daily(today=TODAY)
    assert list(Message.objects.filter(recipient=subscriber).values_list("title", flat=True)) == [
        "新政策：北京市餐饮业扶持办法"
    ]


# --- absolute links ---------------------------------------------------------------------------
def test_email_links_are_absolute(subscriber, make_policy, settings):
    settings.SITE_URL = SITE
    sub = services.subscribe(actor=subscriber, themes=["稳岗就业"])
    policy = make_policy(title="新的稳岗政策", themes="稳岗就业")
    subscriptions.run_daily(today=TODAY)
    body = mail.outbox[0].body
    assert f"{SITE}/policies/unsubscribe/{sub.token}/" in body
    assert f"{SITE}/policies/{policy.pk}/" in body
    assert "：/policies/" not in body and "\n/policies/" not in body
    # The in-site message keeps its relative link (it is opened on this site).
    assert Message.objects.get(recipient=subscriber).url == f"/policies/{policy.pk}/"


def test_the_development_default_site_url_is_absolute():
    from django.conf import settings

    assert settings.SITE_URL.startswith(("http://", "https://"))


@pytest.mark.parametrize(
    ("debug", "url", "warned"),
    [
        (False, "", True),
        (False, "fazhi.example.gov.cn", True),
        (False, "ftp://fazhi.example.gov.cn", True),
        (False, SITE, False),
        (True, "", False),
    ],
)
def test_a_system_check_warns_about_a_missing_site_url_in_production(settings, debug, url, warned):
    settings.DEBUG = debug
    settings.SITE_URL = url
    messages = subscriptions.check_site_url()
    assert [m.id for m in messages] == (["policies.W001"] if warned else [])
    if warned:
        assert "FAZHI_SITE_URL" in messages[0].msg


# --- known themes and industries --------------------------------------------------------------
def test_the_api_refuses_an_unknown_theme_and_saves_nothing(client, subscriber, token_for):
    resp = client.post(
        "/api/v1/policies/subscriptions",
        {"themes": ["稳岗就业", "完全不存在的主题"]},
        content_type="application/json",
        headers=token_for(subscriber),
    )
    assert resp.status_code == 400
    assert "主题“完全不存在的主题”不存在" in resp.json()["detail"]
    assert not PolicySubscription.objects.exists()


def test_the_api_refuses_an_unknown_industry_and_saves_nothing(client, subscriber, token_for):
    resp = client.post(
        "/api/v1/policies/subscriptions",
        {"industries": ["餐饮"]},
        content_type="application/json",
        headers=token_for(subscriber),
    )
    assert resp.status_code == 400 and "行业“餐饮”" in resp.json()["detail"]
    assert not PolicySubscription.objects.exists()


def test_a_theme_that_a_policy_carries_can_be_subscribed(subscriber, make_policy):
    make_policy(title="首台套保险补偿", themes="首台套")
    sub = services.subscribe(actor=subscriber, themes=["首台套"], industries=["住宿和餐饮业"])
    assert (sub.themes, sub.industries) == (["首台套"], ["H"])


# --- display ----------------------------------------------------------------------------------
def test_a_subscription_names_its_industries():
    sub = PolicySubscription(themes=["稳岗就业"], industries=["H"], match_profile=True)
    assert sub.summary == "主题：稳岗就业；行业：住宿和餐饮业；匹配企业画像"
    assert PolicySubscription(industries=["C"]).summary == "行业：制造业"


def test_the_match_page_lists_subscriptions_in_words(login, subscriber):
    services.subscribe(actor=subscriber, themes=["稳岗就业"], industries=["H"])
    page = login(subscriber).get("/policies/match/").content.decode()
    assert "主题：稳岗就业；行业：住宿和餐饮业" in page
    assert "<li>主题：稳岗就业；行业：住宿和餐饮业" in page
