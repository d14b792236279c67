"""备案日期: the 备案 may say the day the document was filed (recorded late), which the 按期备案率 counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.reports import figures as figs
from fazhi.review import services
from fazhi.review.models import Draft, State, Transition
from tests.days import Days, resolve

TODAY = timezone.localdate
API = "/api/v1/review/drafts"


def _published(make_draft, published_on: dt.date, deadline: dt.date | None = None) -> Draft:
    draft = make_draft(state=State.PUBLISHED)
    Draft.objects.filter(pk=draft.pk).update(
        published_on=published_on, filing_deadline=deadline or published_on + dt.timedelta(days=15)
    )
    draft.refresh_from_db()
    return draft


def _file(client: Client, headers: dict, draft: Draft, **body):
    return client.post(
        f"{API}/{draft.pk}/transitions",
        {"action": "file", **body},
        content_type="application/json",
        headers=headers,
    )


def test_a_filing_recorded_late_keeps_the_day_it_was_filed(make_draft, clerk, token_for):
    filed = TODAY() - dt.timedelta(days=4)
    draft = _published(make_draft, TODAY() - dt.timedelta(days=20))
    r = _file(Client(), token_for(clerk), draft, comment="已报送区司法局", filed_on=filed.isoformat())
    assert r.status_code == 200 and r.json()["state_code"] == "filed"
    draft.refresh_from_db()
    assert draft.filed_on == filed
    step = Transition.objects.filter(draft=draft, action="file").get()
    assert step.comment == f"已报送区司法局（备案日期：{filed.year}年{filed.month}月{filed.day}日）"
    event = AuditEvent.objects.filter(
        object_type="review.Draft", object_id=str(draft.pk), action="transition"
    )
    after = event.order_by("-seq").first().after
    assert after["filed_on"] == str(filed) and after["filing_deadline"] == str(draft.filing_deadline)
    detail = Client().get(f"{API}/{draft.pk}", headers=token_for(clerk)).json()
    assert detail["filed_on"] == filed.isoformat()


def test_without_a_date_the_filing_is_today(make_draft, clerk):
    draft = _published(make_draft, TODAY() - dt.timedelta(days=3))
    services.transition(user=clerk, draft_id=draft.pk, action="file", comment="已报送")
    draft.refresh_from_db()
    assert draft.filed_on == TODAY()
    assert Transition.objects.get(draft=draft, action="file").comment == "已报送"


@pytest.mark.parametrize(
    ("filed", "expected"),
    [
        (Days(1), "不能晚于今天"),
        (Days(-21), "不能早于公布日期"),
    ],
)
def test_a_filing_date_in_the_future_or_before_publication_changes_nothing(
    make_draft, clerk, token_for, filed, expected
):
    filed = resolve(filed)
    draft = _published(make_draft, TODAY() - dt.timedelta(days=20))
    r = _file(Client(), token_for(clerk), draft, filed_on=filed.isoformat())
    assert r.status_code == 400 and expected in r.json()["detail"] and "备案日期" in r.json()["detail"]
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.filed_on is None
    assert not Transition.objects.filter(draft=draft, action="file").exists()


def test_the_filing_may_be_the_day_of_publication(make_draft, clerk):
    published = TODAY() - dt.timedelta(days=20)
    draft = _published(make_draft, published)
    services.transition(user=clerk, draft_id=draft.pk, action="file", filed_on=published)
    draft.refresh_from_db()
    assert draft.filed_on == published


@pytest.mark.parametrize("action", ["submit", "publish", "expire"])
def test_a_filing_date_with_another_action_is_refused(make_draft, clerk, token_for, action):
    draft = make_draft()
    r = Client().post(
        f"{API}/{draft.pk}/transitions",
        {"action": action, "filed_on": TODAY().isoformat()},
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert r.status_code == 400 and r.json()["detail"] == "备案日期只在备案时登记。"
    draft.refresh_from_db()
    assert draft.state == State.DRAFTING and not Transition.objects.filter(draft=draft).exists()
    with pytest.raises(ValidationFailed):
        services.transition(user=clerk, draft_id=draft.pk, action=action, filed_on=TODAY())


def test_the_on_time_rate_counts_the_day_entered(make_draft, clerk):
    year = TODAY().year - 1
    published, deadline = dt.date(year, 3, 1), dt.date(year, 3, 16)
    on_time = _published(make_draft, published, deadline)
    services.transition(user=clerk, draft_id=on_time.pk, action="file", filed_on=dt.date(year, 3, 10))
    late = _published(make_draft, published, deadline)
    services.transition(user=clerk, draft_id=late.pk, action="file", filed_on=dt.date(year, 3, 20))
    rate = figs.collect(figs.Context(year=year, unit="", today=TODAY())).by_key()["review.filed_in_time_rate"]
    assert rate.value == 50.0


def test_the_page_offers_the_date_and_records_it(make_draft, clerk, outsider, login):
    draft = _published(make_draft, TODAY() - dt.timedelta(days=20))
    client = login(clerk)
    html = client.get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'name="filed_on"' in html and f'value="{TODAY():%Y-%m-%d}"' in html and "备案日期" in html

    url = f"/review/drafts/{draft.pk}/transition/"
    r = client.post(url, {"action": "file", "form": "transition", "filed_on": "2026-13-40"}, follow=True)
    assert "请按 年-月-日 填写备案日期" in [str(m) for m in get_messages(r.wsgi_request)][0]
    future = (TODAY() + dt.timedelta(days=2)).isoformat()
    r = client.post(url, {"action": "file", "form": "transition", "filed_on": future}, follow=True)
    assert "不能晚于今天" in r.content.decode()
    assert login(outsider).post(url, {"action": "file", "filed_on": TODAY().isoformat()}).status_code == 403
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.filed_on is None

    filed = TODAY() - dt.timedelta(days=2)
    client.post(url, {"action": "file", "form": "transition", "filed_on": filed.isoformat()})
    draft.refresh_from_db()
    assert draft.state == State.FILED and draft.filed_on == filed
