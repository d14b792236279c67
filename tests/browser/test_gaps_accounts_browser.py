"""In Chromium: the submit-once script now comes with every page (base.html), so a page that never included
it — 企业注册 — sends a double-clicked form once; and 账号信息 works with the keyboard-and-label flow."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from playwright.sync_api import expect

from fazhi.core import accounts, credit_code
from fazhi.core.models import AuditEvent, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
CODE = credit_code.make("91110105", "MA01DBLC")


@pytest.fixture
def slow_registration(monkeypatch):
    """Registering takes 0.8 s, as on a slow connection: time for a second click."""
    original = accounts.register_enterprise

    def slow(**kwargs):
        time.sleep(0.8)
        return original(**kwargs)

    monkeypatch.setattr(accounts, "register_enterprise", slow)


def test_a_double_click_on_register_sends_the_form_once(
    page, live_server, transactional_db, slow_registration
):
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r) if r.method == "POST" and "/accounts/register/" in r.url else None,
    )
    page.goto(live_server.url + "/accounts/register/")
    page.get_by_label("用户名").fill("shuangji")
    page.get_by_label("密码", exact=True).fill("double-click-2026")
    page.get_by_label("再次输入密码").fill("double-click-2026")
    page.get_by_label("企业名称").fill("双击测试有限公司")
    page.get_by_label("统一社会信用代码").fill(CODE)
    page.get_by_label("联系人").fill("李雷")
    page.get_by_label("手机号").fill("13900139000")
    page.get_by_label("电子邮箱").fill("lilei@shuangji.example.com")
    page.eval_on_selector(
        "main form button[type=submit]", "b => { b.click(); setTimeout(() => b.click(), 200); }"
    )
    expect(page.get_by_role("heading", name="政策体检")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert len(posts) == 1
    assert User.objects.filter(username="shuangji").count() == 1


def test_a_user_changes_name_and_address_on_the_account_page(
    page, live_server, enterprise, transactional_db, axe_check
):
    client = Client()
    client.force_login(enterprise)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/policies/match/")
    page.get_by_role("link", name="账号信息").first.click()
    expect(page.get_by_role("heading", name="账号信息")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_label("姓名").fill("韩梅梅")
    page.get_by_label("电子邮箱").fill("hanmeimei@example.com")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_have_text("修改电子邮箱需要输入当前密码。")
    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存：姓名、电子邮箱")
    enterprise.refresh_from_db()
    assert (enterprise.display_name, enterprise.email) == ("韩梅梅", "hanmeimei@example.com")
    assert AuditEvent.objects.filter(action="profile_update", actor=enterprise).count() == 1
