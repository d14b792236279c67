"""惠企政策 under parallel requests: a subscription, a policy import, the daily mail run twice."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import Message
from fazhi.policies import services, subscriptions
from fazhi.policies.models import Policy, PolicySubscription
from tests.concurrency import Interleaving, at_once, on_postgresql

parallel = pytest.mark.django_db(transaction=True)  # threads need committed rows and their own connections


@on_postgresql
@parallel
def test_the_first_subscription_sent_twice_at_once_is_stored_once(enterprise, monkeypatch):
    order = Interleaving()
    manager = PolicySubscription.objects
    original = manager.create

    def slow_create(**kwargs):  # the "same subscription already?" check is done, nothing stored yet
        order.hold()
        return original(**kwargs)

    monkeypatch.setattr(manager, "create", slow_create)
    results = order.run(
        lambda: services.subscribe(actor=enterprise, themes=["税费优惠"]),
        lambda: services.subscribe(actor=enterprise, themes=["税费优惠"]),
    )
    assert isinstance(results[0], PolicySubscription)
    assert isinstance(results[1], ValidationFailed) and "无需重复订阅" in results[1].message
    assert PolicySubscription.objects.filter(user=enterprise, active=True).count() == 1


@on_postgresql
@parallel
def test_one_policy_imported_twice_at_once_is_one_policy_not_a_500(sysadmin, monkeypatch):
    order = Interleaving()
    original = Policy.current_status

    def slow_status(self):  # the 外部编号 was looked up and not found; the row is not inserted yet
        order.hold()
        return original(self)

    monkeypatch.setattr(Policy, "current_status", slow_status)

    def save(title):
        return services.save_policy(actor=sysadmin, values={"title": title}, external_id="X-1")

    first, second = order.run(lambda: save("第一次导入的标题"), lambda: save("第二次导入的标题"))
    assert isinstance(first, Policy) and isinstance(second, Policy), (first, second)
    assert Policy.objects.filter(external_id="X-1").count() == 1
    assert Policy.objects.get(external_id="X-1").title == "第一次导入的标题"  # the later write wins


@on_postgresql
@parallel
def test_the_daily_mail_run_twice_at_once_sends_each_event_once(enterprise, sysadmin):
    sub = services.subscribe(actor=enterprise, themes=["税费优惠"])
    PolicySubscription.objects.filter(pk=sub.pk).update(
        last_checked_at=sub.last_checked_at - dt.timedelta(days=1)
    )
    Policy.objects.filter(
        pk=services.save_policy(actor=sysadmin, values={"title": "增值税减免政策", "themes": "税费优惠"}).pk
    ).update(created_at=sub.last_checked_at - dt.timedelta(hours=1))
    results = at_once(subscriptions.run_daily, subscriptions.run_daily)
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["new"] for r in results) == 1
    assert Message.objects.filter(recipient=enterprise, dedupe_key__startswith="policies:new:").count() == 1
