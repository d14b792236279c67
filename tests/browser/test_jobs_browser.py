"""In Chromium: a 后台任务's page follows the job by itself (htmx polling) from 排队中 to its result, passes
axe-core, and the admin's Excel import lands on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fazhi.core import roles
from fazhi.core.models import Job
from fazhi.core.services import ensure_user
from tests.browser.helpers import sign_in_with_password

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-2026"


def test_the_job_page_follows_the_job_without_a_reload(page, live_server, transactional_db, axe_check):
    user = ensure_user(
        username="jobowner", display_name="政策科", role_names=[roles.DRAFTER], password=PASSWORD
    )
    job = Job.objects.create(kind="t.browser", title="测试导入", created_by=user, file_name="政策.xlsx")
    sign_in_with_password(page, live_server.url, "jobowner", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.get_by_role("status")).to_contain_text("排队等待中")
    assert axe_check(page) == []
    page.evaluate("window.__same_page = true")  # gone if the page were reloaded

    Job.objects.filter(pk=job.pk).update(status="running", stage="校验", done=500, total=1000)
    expect(page.get_by_role("status")).to_contain_text("正在校验：500 / 1,000 项")
    expect(page.locator("#job-status progress")).to_have_attribute("value", "50")

    Job.objects.filter(pk=job.pk).update(
        status="done",
        result={"summary": "导入完成：新增 1000 条，更新 0 条。", "next_url": "/", "next_label": "回首页"},
    )
    expect(page.get_by_text("导入完成：新增 1000 条，更新 0 条。")).to_be_visible()
    expect(page.get_by_role("link", name="回首页")).to_be_visible()
    assert page.evaluate("window.__same_page") is True
    assert page.locator("#job-status[hx-trigger]").count() == 0  # polling has stopped
    assert axe_check(page) == []
