"""In Chromium: setting up 两步验证 from the QR page and signing in with the code, both pages passing axe-core."""

from __future__ import annotations

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fazhi.core import roles, two_factor
from fazhi.core.services import ensure_user
from tests.browser.helpers import sign_in_with_password

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-2026"


def _code(secret: str, ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(timezone.now()) + ahead)


def test_set_up_then_sign_in_with_the_code(page, live_server, transactional_db, axe_check, screenshot):
    user = ensure_user(
        username="otpuser", display_name="财政局科员", role_names=[roles.DRAFTER], password=PASSWORD
    )
    base = live_server.url
    sign_in_with_password(page, base, "otpuser", PASSWORD)
    page.goto(f"{base}/accounts/profile/")
    page.get_by_role("link", name="两步验证").click()
    page.get_by_role("button", name="开始设置").click()
    expect(page.locator(".qr svg")).to_be_visible()
    assert axe_check(page) == []
    screenshot(page, "two-factor-setup")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("动态验证码").fill(_code(secret))
    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_role("button", name="启用两步验证").click()
    expect(page.get_by_text("备用验证码（只显示这一次）")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert two_factor.enabled(user)

    page.get_by_role("button", name="退出").click()
    page.goto(f"{base}/accounts/login/?next=/messages/")
    page.get_by_label("用户名").fill("otpuser")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/accounts/login/code/")
    assert axe_check(page) == []
    page.get_by_label("动态验证码").fill("000000" if _code(secret, 1) != "000000" else "111111")
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_role("alert")).to_contain_text("动态验证码不正确")
    page.get_by_label("动态验证码").fill(_code(secret, 1))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(f"{base}/messages/")
    expect(page.get_by_role("heading", name="站内消息")).to_be_visible()
