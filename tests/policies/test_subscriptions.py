"""Subscriptions: one message per event however often the daily job runs; one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.core.models import Message
from fazhi.policies import services, subscriptions
from fazhi.policies.models import PolicySubscription, application_window

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def subscriber(enterprise):
    enterprise.email = "boss@example.com"
    enterprise.save()
    return enterprise


def test_a_new_policy_is_announced_exactly_once(subscriber, make_policy, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.subscribe(actor=subscriber, themes=["稳岗就业"])
    make_policy(title="新的稳岗政策", themes="稳岗就业")
    make_policy(title="无关政策", themes="外贸")
    first = subscriptions.run_daily(today=TODAY)
    second = subscriptions.run_daily(today=TODAY)
    assert first["new"] == 1 and second["new"] == 0
    messages = Message.objects.filter(recipient=subscriber)
    assert [m.title for m in messages] == ["新政策：新的稳岗政策"]
    assert len(mail.outbox) == 1 and "退订" in mail.outbox[0].body


def test_a_closing_window_is_announced_once(subscriber, make_policy):
    sub = services.subscribe(actor=subscriber, industries=["C"])
    policy = make_policy(title="设备更新补贴", industries="C", apply_end="2026-03-05")
    # Created before the subscription was last checked: only the closing reminder applies.
    PolicySubscription.objects.filter(pk=sub.pk).update(
        last_checked_at=policy.created_at + dt.timedelta(seconds=1)
    )
    for _ in range(3):
        subscriptions.run_daily(today=TODAY)
    titles = list(Message.objects.filter(recipient=subscriber).values_list("title", flat=True))
    assert titles == ["申报即将截止（剩4天）：设备更新补贴"]


def test_a_window_closing_later_than_seven_days_is_not_announced(subscriber, make_policy):
    sub = services.subscribe(actor=subscriber, industries=["C"])
    policy = make_policy(title="远期补贴", industries="C", apply_end="2026-03-20")
    PolicySubscription.objects.filter(pk=sub.pk).update(
        last_checked_at=policy.created_at + dt.timedelta(seconds=1)
    )
    subscriptions.run_daily(today=TODAY)
    assert not Message.objects.filter(recipient=subscriber).exists()


def test_profile_subscriptions_only_announce_eligible_policies(subscriber, make_policy):
    services.save_profile(
        actor=subscriber, data={"name": "某餐馆", "industry": "catering", "employees": 30, "revenue": 500}
    )
    services.subscribe(actor=subscriber, match_profile=True)
    # National: open to every region (a policy whose region is unknown is never "eligible").
    make_policy(title="餐饮业纾困补助", level="国家", industries="H")
    make_policy(title="制造业技改补助", level="国家", industries="C")
    subscriptions.run_daily(today=TODAY)
    assert list(Message.objects.filter(recipient=subscriber).values_list("title", flat=True)) == [
        "新政策：餐饮业纾困补助"
    ]


def test_unsubscribe_is_one_click_and_stops_messages(client, subscriber, make_policy):
    sub = services.subscribe(actor=subscriber, themes=["稳岗就业"])
    resp = client.get(f"/policies/unsubscribe/{sub.token}/")
    assert resp.status_code == 200 and "已退订" in resp.content.decode()
    make_policy(title="新的稳岗政策", themes="稳岗就业")
    subscriptions.run_daily(today=TODAY)
    assert not Message.objects.filter(recipient=subscriber).exists()


def test_an_unknown_unsubscribe_token_is_a_404(client, db):
    assert client.get("/policies/unsubscribe/nope/").status_code == 404


def test_only_enterprise_users_subscribe(outsider, clerk):
    for user in (outsider, clerk):
        with pytest.raises(PermissionDenied):
            services.subscribe(actor=user, themes=["稳岗就业"])


def test_an_empty_subscription_is_refused(subscriber):
    with pytest.raises(ValidationFailed, match="至少选择"):
        services.subscribe(actor=subscriber)


def test_the_daily_job_is_registered():
    from fazhi.core import periodic

    assert "policies.daily" in {j.name for j in periodic.jobs()}


def test_subscribing_to_e_mail_without_an_address_says_it_cannot_arrive(login, enterprise):
    enterprise.email = ""
    enterprise.save()
    page = login(enterprise).post(
        "/policies/subscribe/", {"themes": ["稳岗就业"], "email": "on"}, follow=True
    )
    text = page.content.decode()
    assert "订阅成功" in text and "您的账号没有登记电子邮箱，邮件提醒无法送达" in text
    enterprise.email = "firm@example.com"
    enterprise.save()
    page = login(enterprise).post(
        "/policies/subscribe/", {"themes": ["房租减免"], "email": "on"}, follow=True
    )
    assert "没有登记电子邮箱" not in page.content.decode()


def test_the_unsubscribe_link_in_an_in_site_message_is_a_link(login, subscriber, make_policy):
    services.subscribe(actor=subscriber, themes=["稳岗就业"])
    make_policy(title="援企稳岗补贴实施办法", themes="稳岗就业")
    subscriptions.run_daily(today=TODAY)
    inbox = login(subscriber).get("/messages/").content.decode()
    assert re.search(r'<a href="http://[^"]+/policies/unsubscribe/[^"]+"', inbox)


def test_the_last_day_reminder_says_today_like_the_policy_page(subscriber, make_policy, client):
    sub = services.subscribe(actor=subscriber, industries=["C"])
    policy = make_policy(title="设备更新补贴", industries="C", apply_end="2026-03-01")
    PolicySubscription.objects.filter(pk=sub.pk).update(
        last_checked_at=policy.created_at + dt.timedelta(seconds=1)
    )
    subscriptions.run_daily(today=TODAY)
    message = Message.objects.get(recipient=subscriber)
    assert message.title == "今天截止申报：设备更新补贴"
    assert "今天（2026年3月1日）截止" in message.body and "剩0天" not in message.title
    assert application_window(None, policy.apply_end, TODAY).label == "今天截止申报"  # the page's words


def test_the_mail_offers_the_mail_programs_one_click_unsubscribe(subscriber, make_policy, settings, client):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sub = services.subscribe(actor=subscriber, themes=["稳岗就业"], email=True)
    make_policy(title="新的稳岗政策", themes="稳岗就业")
    subscriptions.run_daily(today=TODAY)
    [message] = mail.outbox
    link = f"/policies/unsubscribe/{sub.token}/"
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{link}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The mail program POSTs to the address (no CSRF token, no login): the subscription ends.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    sub.refresh_from_db()
    assert not sub.active
