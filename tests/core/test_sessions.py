"""连接超时自动退出 (GB/T 22239-2019 8.1.4.1 b): idle sessions end; an open exam sheet keeps its session."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.utils import timezone

from tests.exams.conftest import candidate, exam, question_bank  # noqa: F401


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_sessions_time_out_after_thirty_idle_minutes_by_default():
    assert settings.FAZHI_SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # each request pushes the end back
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True  # as README's 配置 table says


@pytest.mark.django_db
def test_an_idle_session_ends(login, clerk):
    c = login(clerk)
    assert c.get("/messages/").status_code == 200
    Session.objects.filter(session_key=c.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    r = c.get("/messages/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_each_request_pushes_the_end_back(login, clerk):
    c = login(clerk)
    Session.objects.filter(session_key=c.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=2)
    )
    c.get("/messages/")
    left = _session_row(c).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_the_keepalive_ping_pushes_the_end_back(login, clerk):
    c = login(clerk)
    c.get("/messages/")
    Session.objects.filter(session_key=c.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    r = c.post("/accounts/keepalive/")
    assert r.status_code == 200 and r.json()["ok"] is True
    assert _session_row(c).expire_date - timezone.now() > dt.timedelta(minutes=29)


@pytest.mark.django_db
def test_the_keepalive_refuses_anonymous_and_get(client, login, clerk):
    r = client.post("/accounts/keepalive/")
    assert r.status_code == 401 and r.json()["detail"] == "登录已超时，请重新登录。"
    assert login(clerk).get("/accounts/keepalive/").status_code == 405


@pytest.mark.django_db
def test_an_open_exam_sheet_pings_well_within_the_idle_timeout(exam, candidate, login):  # noqa: F811
    c = login(candidate)
    started = c.post(f"/exams/{exam.pk}/start")
    page = c.get(started["Location"]).content.decode()
    timer = re.search(r'<p id="timer"[^>]*>', page).group(0)
    assert 'data-keepalive="/accounts/keepalive/"' in timer
    every = int(re.search(r'data-keepalive-every="(\d+)"', timer).group(1))
    assert 30 <= every <= settings.SESSION_COOKIE_AGE / 3  # at least three pings per idle period
    # The sheet's script (exams/attempt.js) sends the pings.
    assert '<script src="/static/exams/attempt.js"' in page
    script = finders.find("exams/attempt.js")
    assert script and "fetch(timer.dataset.keepalive" in Path(script).read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_ping_interval_follows_a_shorter_timeout(exam, candidate, login, settings):  # noqa: F811
    settings.SESSION_COOKIE_AGE = 6 * 60
    c = login(candidate)
    page = c.get(c.post(f"/exams/{exam.pk}/start")["Location"]).content.decode()
    assert 'data-keepalive-every="120"' in page


@pytest.mark.django_db
def test_a_submitted_sheet_no_longer_pings(exam, candidate, login):  # noqa: F811
    c = login(candidate)
    url = c.post(f"/exams/{exam.pk}/start")["Location"]
    c.post(url + "save", {"action": "submit", "confirm_blank": "1"})  # handed in blank, as agreed
    # The sheet's own ping (its timer) is gone; the idle notice every signed-in page has stays.
    assert "data-keepalive-every" not in c.get(url).content.decode()


@pytest.mark.django_db
def test_signed_in_pages_carry_the_idle_notice_and_anonymous_ones_do_not(client, login, clerk):
    """The notice (static/js/session-timeout.js, tested in the browser) counts from SESSION_COOKIE_AGE."""
    assert 'id="session-warning"' not in client.get("/").content.decode()
    html = login(clerk).get("/").content.decode()
    assert (
        f'data-idle="{settings.SESSION_COOKIE_AGE}"' in html
        and 'data-keepalive="/accounts/keepalive/"' in html
    )
    assert html.count("js/session-timeout.js") == 1
