"""Refusals and wrong methods get Chinese answers: the admin's PermissionDenied, a GET on a POST-only page."""

from __future__ import annotations

import pytest

from fazhi.core.models import Message


@pytest.mark.parametrize("debug", [True, False])
def test_an_admin_refusal_shows_the_chinese_page(login, director, settings, debug):
    settings.DEBUG = debug
    # 分管领导 is staff but may not edit 普法 posts or cases in the admin.
    for url in ("/admin/publicity/post/", "/admin/cases/case/"):
        response = login(director).get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "无权访问" in page and "您的账号没有访问此页面的权限" in page
        assert "403 Forbidden" not in page and "Forbidden" not in page


def test_opening_a_mark_read_address_leads_to_the_inbox(login, clerk):
    msg = Message.objects.create(recipient=clerk, title="提醒", body="x")
    response = login(clerk).get(f"/messages/{msg.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/messages/"
    msg.refresh_from_db()
    assert msg.read_at is None
    assert login(clerk).post(f"/messages/{msg.pk}/read/").status_code == 302
    msg.refresh_from_db()
    assert msg.read_at is not None
