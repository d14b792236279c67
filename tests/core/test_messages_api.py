"""站内消息 through the API: the caller's own messages only, paged with X-Total-Count, unread filter, mark
one or all read; another user's message is as unknown as a missing one; anonymous callers get 401."""

from __future__ import annotations

from fazhi.core.models import Message
from fazhi.core.services import notify


def test_the_caller_lists_and_marks_only_own_messages(clerk, reviewer, client, token_for):
    mine = [notify(recipient=clerk, title=f"提醒{i}", url="/review/") for i in range(5)]
    theirs = notify(recipient=reviewer, title="别人的提醒")
    auth = token_for(clerk)
    page = client.get("/api/v1/messages", {"limit": 2, "offset": 1}, headers=auth)
    assert page.status_code == 200 and page["X-Total-Count"] == "5"
    assert [m["title"] for m in page.json()] == ["提醒3", "提醒2"]  # newest first

    one = client.post(f"/api/v1/messages/{mine[0].pk}/read", headers=auth)
    assert one.status_code == 200 and one.json()["read_at"] is not None
    unread = client.get("/api/v1/messages", {"unread": "true"}, headers=auth)
    assert unread["X-Total-Count"] == "4" and "提醒0" not in {m["title"] for m in unread.json()}

    other = client.post(f"/api/v1/messages/{theirs.pk}/read", headers=auth)
    assert other.status_code == 404 and other.json()["detail"] == "消息不存在。"
    assert client.post("/api/v1/messages/read-all", headers=auth).json() == {"marked": 4}
    assert not Message.objects.filter(recipient=clerk, read_at__isnull=True).exists()
    assert Message.objects.get(pk=theirs.pk).read_at is None


def test_bad_paging_and_anonymous_callers_are_refused(clerk, client, token_for):
    notify(recipient=clerk, title="提醒")
    bad = client.get("/api/v1/messages", {"limit": 0}, headers=token_for(clerk))
    assert bad.status_code == 400 and "limit" in bad.json()["detail"]
    assert client.get("/api/v1/messages").status_code == 401
    assert client.post("/api/v1/messages/read-all").status_code == 401
    assert Message.objects.get().read_at is None
