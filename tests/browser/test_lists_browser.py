"""In Chromium: the pages that gained paging and filters this round pass axe-core, and their pager and
buttons work by mouse (站内消息 全部标为已读, next page; the visitor's 政策体检 try-out)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fazhi.core import roles
from fazhi.core.models import Message
from fazhi.core.services import ensure_user, notify
from fazhi.core.views import INBOX_PAGE_SIZE
from fazhi.publicity.models import Post
from tests.browser.helpers import sign_in_with_password

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-2026"


@pytest.fixture
def editor(transactional_db):
    user = ensure_user(
        username="listeditor",
        display_name="法规科编辑",
        role_names=[roles.DRAFTER, roles.STAFF_MEMBER],
        password=PASSWORD,
    )
    for i in range(INBOX_PAGE_SIZE + 3):
        notify(recipient=user, title=f"政策提醒{i:03d}", body="请及时申报。", url="/policies/")
    Post.objects.bulk_create(Post(title=f"普法稿件{i:03d}", body="<p>正文</p>") for i in range(60))
    return user


def test_the_inbox_pages_and_marks_everything_read(page, live_server, editor, axe_check, screenshot):
    base = live_server.url
    sign_in_with_password(page, base, "listeditor", PASSWORD)
    page.goto(f"{base}/messages/")
    assert axe_check(page) == []
    screenshot(page, "inbox")
    expect(page.get_by_text(f"共 {INBOX_PAGE_SIZE + 3} 条")).to_be_visible()
    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_text("政策提醒000")).to_be_visible()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text(f"已将 {INBOX_PAGE_SIZE + 3} 条未读消息标为已读")).to_be_visible()
    assert not Message.objects.filter(recipient=editor, read_at__isnull=True).exists()
    # A read message now links to what it is about.
    expect(page.get_by_role("link", name="政策提醒032")).to_have_attribute("href", "/policies/")


def test_the_editors_post_list_and_the_profile_page_pass_axe(page, live_server, editor, axe_check):
    base = live_server.url
    sign_in_with_password(page, base, "listeditor", PASSWORD)
    problems = {}
    for path in (
        "/publicity/manage/",
        "/publicity/manage/?page=2",
        "/publicity/posts/",
        "/accounts/profile/",
        "/review/",
    ):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        found = axe_check(page)
        if found:
            problems[path] = found
    assert problems == {}
    page.goto(base + "/publicity/manage/")
    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_text("第 2 / 2 页，共 60 篇")).to_be_visible()


def test_a_visitor_tries_the_policy_check_without_an_account(page, live_server, transactional_db, axe_check):
    page.goto(live_server.url + "/policies/match/")
    assert axe_check(page) == []
    page.get_by_label("企业名称").fill("某科技公司")
    page.get_by_label("所属行业（划型行业）").select_option("software")
    page.get_by_label("从业人员（人）").fill("40")
    page.get_by_role("button", name="体检（不保存）").click()
    expect(page.get_by_text("企业规模")).to_be_visible()
    assert axe_check(page) == []
