"""申报时间 state: 尚未开始 / 申报中 / 即将截止 (7 days, the end day included) / 已截止 / no end date stated, on
pages and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.policies.models import CLOSING_DAYS, application_window
from fazhi.search import build

TODAY = dt.date(2026, 3, 1)


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("start", "end", "state", "label", "short"),
    [
        (None, _days(-1), "closed", "申报已截止", "已截止"),
        (None, TODAY, "closing", "今天截止申报", "今天截止"),
        (None, _days(1), "closing", "即将截止，剩1天", "剩1天"),
        (None, _days(CLOSING_DAYS), "closing", f"即将截止，剩{CLOSING_DAYS}天", f"剩{CLOSING_DAYS}天"),
        (None, _days(CLOSING_DAYS + 1), "open", f"申报中，剩{CLOSING_DAYS + 1}天", "申报中"),
        (_days(-10), None, "open_ended", "2026年2月19日起可申报，未注明截止日期", "未注明截止"),
        (TODAY, None, "open_ended", "2026年3月1日起可申报，未注明截止日期", "未注明截止"),
        (_days(1), _days(30), "upcoming", "尚未开始，2026年3月2日起可申报", "未开始"),
        (_days(-30), _days(-1), "closed", "申报已截止", "已截止"),
    ],
)
def test_the_window_state_at_every_boundary(start, end, state, label, short):
    w = application_window(start, end, TODAY)
    assert (w.state, w.label, w.short) == (state, label, short)


def test_no_stated_window_has_no_state():
    assert application_window(None, None, TODAY) is None


def test_pages_and_api_mark_a_closed_window_and_one_closing_soon(client, make_policy):
    today = timezone.localdate()
    closed = make_policy(
        title="已截止的补贴申报通知",
        full_text="申报截止后不再受理补贴申请。",
        apply_start=(today - dt.timedelta(days=60)).isoformat(),
        apply_end=(today - dt.timedelta(days=1)).isoformat(),
    )
    soon = make_policy(
        title="即将截止的补贴申报通知",
        full_text="请于三日内提交补贴申请。",
        apply_end=(today + dt.timedelta(days=3)).isoformat(),
    )
    build.rebuild("policies")
    page = client.get(f"/policies/{closed.pk}/").content.decode()
    assert 'class="window window-closed">申报已截止<' in page
    page = client.get(f"/policies/{soon.pk}/").content.decode()
    assert 'class="window window-closing">即将截止，剩3天<' in page

    listing = client.get("/policies/", {"q": "补贴申报"}).content.decode()
    assert 'class="window window-closed">已截止<' in listing
    assert 'class="window window-closing">剩3天<' in listing

    assert client.get(f"/api/v1/policies/{closed.pk}").json()["application_window"] == "申报已截止"
    assert client.get(f"/api/v1/policies/{soon.pk}").json()["application_window"] == "即将截止，剩3天"


def test_the_match_api_and_page_give_each_result_its_window(client, make_policy, login, enterprise):
    today = timezone.localdate()
    make_policy(
        title="餐饮企业稳岗补贴",
        industries="H",
        full_text="餐饮企业稳岗补贴。",
        apply_end=(today + dt.timedelta(days=20)).isoformat(),
    )
    build.rebuild("policies")
    body = client.post(
        "/api/v1/policies/match",
        {"profile": {"name": "某餐饮公司", "industry": "catering"}},
        content_type="application/json",
    ).json()
    row = next(r for r in body["results"] if r["title"] == "餐饮企业稳岗补贴")
    assert row["application_window"] == "申报中，剩20天"
    assert row["apply_end"] == (today + dt.timedelta(days=20)).isoformat()

    page = login(enterprise)
    page.post("/policies/match/", {"name": "某餐饮公司", "industry": "catering", "region": "北京市"})
    html = page.get("/policies/match/").content.decode()
    assert "餐饮企业稳岗补贴" in html and 'class="window window-open">申报中<' in html
