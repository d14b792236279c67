"""In Chromium, a 后台任务 page that updates itself every second, for screen reader users (GB/T 37668-2019 /
WCAG 4.1.3, 2.4.3): its progress is said in one polite live region that stays in the page and changes only when
its words do (a region replaced on every update is read again, or not at all), a warning likewise, and the
focus on the page's link is not lost when the job ends and the link goes: it moves to the result's heading."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fazhi.core import roles
from fazhi.core.models import Job
from fazhi.core.services import ensure_user
from tests.browser.helpers import sign_in_with_password

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-2026"

# Counts every change below the live regions; each region is remembered to see that it stays the same node.
WATCH_JS = """() => {
    window.__regions = [...document.querySelectorAll('[role=status], [role=alert]')];
    window.__changes = 0;
    const seen = new MutationObserver(() => { window.__changes += 1; });
    for (const r of window.__regions) seen.observe(r, {childList: true, subtree: true, characterData: true});
}"""
SAME_REGIONS_JS = """() => window.__regions.every(r => document.contains(r))
    && document.querySelectorAll('[role=status], [role=alert]').length === window.__regions.length"""


@pytest.fixture
def owner(transactional_db):
    return ensure_user(
        username="jobaria", display_name="政策科", role_names=[roles.DRAFTER], password=PASSWORD
    )


def open_job(page, live_server, owner, **values) -> Job:
    job = Job.objects.create(kind="t.browser", title="测试导入", created_by=owner, file_name="政策.xlsx")
    if values:
        Job.objects.filter(pk=job.pk).update(**values)
    sign_in_with_password(page, live_server.url, "jobaria", PASSWORD)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    return job


def wait_for_updates(page, job: Job, count: int = 2) -> None:
    for _ in range(count):
        with page.expect_response(lambda r: r.url.endswith(f"/jobs/{job.pk}/")):
            pass
    page.wait_for_timeout(150)  # htmx settles the new content


def test_the_progress_is_announced_once_per_change_from_a_region_that_stays(
    page, live_server, owner, axe_check
):
    job = open_job(page, live_server, owner)
    line = page.locator("#job-status-h ~ [role=status]")
    expect(line).to_have_text("排队中 · 排队等待中…")
    assert line.get_attribute("aria-live") == "polite"
    page.evaluate(WATCH_JS)

    wait_for_updates(page, job)
    assert page.evaluate(SAME_REGIONS_JS) and page.evaluate("window.__changes") == 0  # nothing new to say

    Job.objects.filter(pk=job.pk).update(status="running", stage="校验", done=500, total=1000)
    expect(line).to_contain_text("正在校验：500 / 1,000 项")
    expect(page.locator("#job-status progress")).to_have_attribute("value", "50")  # the bar still moves
    said = page.evaluate("window.__changes")
    assert said > 0
    wait_for_updates(page, job)
    assert page.evaluate(SAME_REGIONS_JS) and page.evaluate("window.__changes") == said
    assert axe_check(page) == []


def test_a_standing_warning_is_not_alerted_again_on_every_update(page, live_server, owner):
    job = open_job(page, live_server, owner, created_at=timezone.now() - dt.timedelta(minutes=5))
    expect(page.get_by_role("alert")).to_contain_text("任务已排队超过1分钟仍未开始")
    page.evaluate(WATCH_JS)
    wait_for_updates(page, job, count=3)
    assert page.evaluate(SAME_REGIONS_JS) and page.evaluate("window.__changes") == 0


def test_the_focus_moves_to_the_result_when_the_job_ends_and_its_link_goes(
    page, live_server, owner, axe_check
):
    job = open_job(page, live_server, owner)
    page.locator("#job-status").get_by_role("link", name="我的后台任务").focus()
    wait_for_updates(page, job)
    assert page.evaluate("document.activeElement.id") == "job-list-link"  # kept while the job runs

    Job.objects.filter(pk=job.pk).update(
        status="done", finished_at=timezone.now(), result={"summary": "导入完成：新增 3 条，更新 0 条。"}
    )
    expect(page.get_by_text("导入完成：新增 3 条，更新 0 条。")).to_be_visible()
    expect(page.locator("#job-status-h ~ [role=status]")).to_have_text("已完成")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'job-result-h'")
    assert page.evaluate("document.activeElement.textContent") == "结果"
    assert axe_check(page) == []


def test_the_focus_is_not_taken_when_it_was_elsewhere(page, live_server, owner):
    job = open_job(page, live_server, owner)
    page.get_by_role("link", name="我的后台任务").first.focus()  # the link above the heading, not updated
    Job.objects.filter(pk=job.pk).update(
        status="done", finished_at=timezone.now(), result={"summary": "完成。"}
    )
    expect(page.get_by_text("完成。", exact=True)).to_be_visible()
    page.wait_for_timeout(150)
    assert page.evaluate("document.activeElement.closest('#job-status') === null")
    assert page.evaluate("document.activeElement.textContent") == "我的后台任务"
