"""撤销退订: the page an unsubscribe link opens offers to turn the subscription back on (a click by mistake,
or a mail scanner that followed the link); the token is the credential, as for unsubscribing."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from fazhi.policies import services
from fazhi.policies.models import PolicySubscription


def _subscription(enterprise) -> PolicySubscription:
    sub = services.subscribe(actor=enterprise, themes=["稳岗就业"])
    PolicySubscription.objects.filter(pk=sub.pk).update(
        last_checked_at=timezone.now() - dt.timedelta(days=30)
    )
    return sub


def test_an_unsubscribe_by_mistake_is_undone_from_the_same_page(enterprise):
    sub = _subscription(enterprise)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/policies/unsubscribe/{sub.token}/")
    html = page.content.decode()
    assert page.status_code == 200 and "已退订" in html and "撤销退订" in html
    sub.refresh_from_db()
    assert not sub.active
    undo = browser.post(
        f"/policies/unsubscribe/{sub.token}/undo/",
        {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value},
    )
    assert undo.status_code == 200 and "已恢复订阅" in undo.content.decode()
    sub.refresh_from_db()
    assert sub.active
    # Policies published while it was off are not announced afterwards.
    assert timezone.now() - sub.last_checked_at < dt.timedelta(minutes=5)


def test_undo_is_refused_when_an_identical_subscription_is_active_and_for_a_bad_token(enterprise, client):
    sub = _subscription(enterprise)
    services.unsubscribe(token=sub.token)
    again = services.subscribe(actor=enterprise, themes=["稳岗就业"])
    resp = client.post(f"/policies/unsubscribe/{sub.token}/undo/")
    assert resp.status_code == 400 and "已有相同内容的订阅" in resp.content.decode()
    sub.refresh_from_db()
    assert not sub.active and PolicySubscription.objects.filter(active=True).get() == again
    assert client.post("/policies/unsubscribe/nope/undo/").status_code == 404
    assert client.get(f"/policies/unsubscribe/{sub.token}/undo/").status_code == 405
    sub.refresh_from_db()
    assert not sub.active
