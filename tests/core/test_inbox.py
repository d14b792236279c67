"""站内消息: every message reachable page by page, unread filter, 全部标为已读 (own messages only), and a
read message still links to what it is about."""

from __future__ import annotations

import re

from fazhi.core.models import Message
from fazhi.core.services import notify
from fazhi.core.views import INBOX_PAGE_SIZE


def _titles(html: str) -> list[str]:
    return re.findall(r"提醒第\d{3}条", html)


def test_every_message_is_reachable_page_by_page(clerk, login):
    for i in range(INBOX_PAGE_SIZE + 4):
        notify(recipient=clerk, title=f"提醒第{i:03d}条", url="/policies/")
    client = login(clerk)
    first = client.get("/messages/").content.decode()
    second = client.get("/messages/", {"page": 2}).content.decode()
    assert len(_titles(first)) == INBOX_PAGE_SIZE and len(_titles(second)) == 4
    assert "提醒第033条" in first and "提醒第000条" in second  # newest first
    assert f"共 {INBOX_PAGE_SIZE + 4} 条" in first


def test_the_unread_filter_and_marking_all_read_touch_only_the_users_messages(clerk, reviewer, login):
    read = notify(recipient=clerk, title="提醒第001条", url="/policies/1/")
    notify(recipient=clerk, title="提醒第002条")
    notify(recipient=reviewer, title="提醒第003条")
    client = login(clerk)
    client.post(f"/messages/{read.pk}/read/")
    unread = client.get("/messages/", {"show": "unread"}).content.decode()
    assert _titles(unread) == ["提醒第002条"] and "未读（1）" in unread
    # A read message keeps its link to what it is about.
    assert '<a href="/policies/1/">提醒第001条</a>' in client.get("/messages/").content.decode()

    assert client.get("/messages/read-all/").status_code == 405  # a link cannot mark anything
    done = client.post("/messages/read-all/", follow=True).content.decode()
    assert "已将 1 条未读消息标为已读" in done
    assert not Message.objects.filter(recipient=clerk, read_at__isnull=True).exists()
    assert Message.objects.get(recipient=reviewer).read_at is None
    assert "没有未读消息" in client.post("/messages/read-all/", follow=True).content.decode()


def test_an_anonymous_visitor_is_sent_to_login(client, clerk):
    notify(recipient=clerk, title="提醒第001条")
    assert "login" in client.get("/messages/")["Location"]
    assert "login" in client.post("/messages/read-all/")["Location"]
    assert Message.objects.get().read_at is None
