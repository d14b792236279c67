"""In Chromium: an enterprise registers, lands on 政策体检 with its name filled in, changes its password, logs
out and logs in again; an open exam sheet keeps pinging the session while the candidate reads."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fazhi.core import credit_code
from fazhi.core.models import EnterpriseAccount
from tests.exams.conftest import candidate, exam, question_bank  # noqa: F401

pytestmark = pytest.mark.browser
CODE = credit_code.make("91110105", "MA01BRWX")


def test_an_enterprise_registers_changes_its_password_and_logs_in_again(page, live_server, transactional_db):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="企业注册").click()
    expect(page.get_by_role("heading", name="企业注册")).to_be_visible()
    page.get_by_label("用户名").fill("qingshan")
    page.get_by_label("密码", exact=True).fill("blue-hill-2026")
    page.get_by_label("再次输入密码").fill("blue-hill-2026")
    page.get_by_label("企业名称").fill("青山餐饮管理有限公司")
    page.get_by_label("统一社会信用代码").fill(CODE.lower())
    page.get_by_label("联系人").fill("赵敏")
    page.get_by_label("手机号").fill("139 0013 9000")
    page.get_by_label("电子邮箱").fill("zhaomin@qingshan.example.com")
    page.get_by_role("button", name="注册").click()

    expect(page).to_have_url(re.compile(r"/policies/match/$"))
    expect(page.get_by_role("heading", name="政策体检")).to_be_visible()
    expect(page.get_by_label("企业名称")).to_have_value("青山餐饮管理有限公司")
    expect(page.get_by_label("统一社会信用代码")).to_have_value(CODE)
    assert EnterpriseAccount.objects.get(credit_code=CODE).user.username == "qingshan"

    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("原密码").fill("blue-hill-2026")
    page.get_by_label("新密码", exact=True).fill("green-hill-2027")
    page.get_by_label("再次输入新密码").fill("green-hill-2027")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("heading", name="密码已修改")).to_be_visible()

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("link", name="登录")).to_be_visible()

    page.goto(live_server.url + "/accounts/login/?next=/policies/match/")
    page.get_by_label("用户名").fill("qingshan")
    page.get_by_label("密码").fill("blue-hill-2026")  # the old one
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误，请重新输入。")
    page.get_by_label("密码").fill("green-hill-2027")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/policies/match/$"))
    expect(page.get_by_label("企业名称")).to_have_value("青山餐饮管理有限公司")


def test_an_open_exam_sheet_pings_the_session_while_the_candidate_reads(
    page,
    live_server,
    transactional_db,
    exam,  # noqa: F811
    candidate,  # noqa: F811
):
    candidate.set_password("cand-pass-2026")
    candidate.save()
    page.clock.install()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill("cand_a")
    page.get_by_label("密码").fill("cand-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + f"/exams/{exam.pk}/")
    page.get_by_role("button", name=re.compile("开始")).click()
    # The script has started its clock (it rewrites the server's "约 N 分钟"): only then can the fake
    # clock's six minutes reach its timer (on a loaded machine the script ran after run_for).
    expect(page.locator("#timer")).to_contain_text("服务器计时")

    with page.expect_response(lambda r: r.url.endswith("/accounts/keepalive/")) as pinged:
        page.clock.run_for(6 * 60 * 1000)  # six quiet minutes of reading, no answer changed
    assert pinged.value.status == 200 and pinged.value.json()["ok"] is True
