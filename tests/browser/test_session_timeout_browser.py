"""In Chromium: before the idle logout (GB/T 22239 连接超时) a signed-in page warns, and "继续使用" keeps the
session (WCAG 2.2.1, which GB/T 37668 follows); once the time is up the page says so, keeps what was typed and
links to the login page with the way back. The browser's clock is moved forward; the server's session is real."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from fazhi.core import roles
from fazhi.core.services import ensure_user
from tests.browser.helpers import sign_in_with_session

pytestmark = pytest.mark.browser


@pytest.fixture
def member(db):
    return ensure_user(username="timeout-user", display_name="超时测试", role_names=[roles.ENTERPRISE])


def _open_profile(page, base: str, user) -> None:
    page.clock.install()
    sign_in_with_session(page, base, user)
    page.goto(f"{base}/accounts/profile/")


def test_the_warning_comes_before_the_end_and_continuing_keeps_the_session(page, live_server, member):
    idle = settings.SESSION_COOKIE_AGE
    _open_profile(page, live_server.url, member)
    notice = page.locator("#session-warning")
    expect(notice).to_be_hidden()
    page.clock.fast_forward((idle - 180) * 1000)  # three minutes left: not yet
    page.clock.run_for(6000)
    expect(notice).to_be_hidden()
    page.clock.fast_forward(90 * 1000)  # under two minutes left
    page.clock.run_for(6000)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("约 2 分钟后将按安全要求自动退出登录")
    button = page.get_by_role("button", name="继续使用")
    expect(button).to_be_focused()
    with page.expect_response("**/accounts/keepalive/") as answer:
        button.click()
    assert answer.value.status == 200
    expect(notice).to_be_hidden()
    # The countdown starts again from the ping: a further 25 minutes raise nothing.
    page.clock.fast_forward((idle - 300) * 1000)
    page.clock.run_for(6000)
    expect(notice).to_be_hidden()


def test_when_the_time_is_up_the_page_keeps_what_was_typed_and_links_to_the_login(page, live_server, member):
    idle = settings.SESSION_COOKIE_AGE
    _open_profile(page, live_server.url, member)
    field = page.get_by_label("姓名")
    field.fill("尚未提交的姓名")
    page.clock.fast_forward((idle + 10) * 1000)
    page.clock.run_for(6000)
    notice = page.locator("#session-warning")
    expect(notice).to_contain_text("已按安全要求自动退出登录")
    expect(page.get_by_role("button", name="继续使用")).to_be_hidden()
    login = page.get_by_role("link", name="重新登录")
    expect(login).to_be_focused()
    assert login.get_attribute("href") == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"
    expect(field).to_have_value("尚未提交的姓名")
    assert page.url.endswith("/accounts/profile/")  # not reloaded


def test_activity_in_another_tab_counts(page, live_server, member):
    idle = settings.SESSION_COOKIE_AGE
    _open_profile(page, live_server.url, member)
    page.clock.fast_forward((idle - 60) * 1000)
    # Another tab of the same site reached the server just now (what its own load records).
    page.evaluate("() => localStorage.setItem('fazhi:session-contact', String(Date.now()))")
    page.clock.run_for(6000)
    expect(page.locator("#session-warning")).to_be_hidden()
