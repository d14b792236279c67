"""Every user gets Chinese, whatever the browser's language; the API docs load no script from elsewhere."""

from __future__ import annotations

import re


def test_an_english_browser_still_gets_chinese_messages(client, db):
    page = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="zh' in html
    resp = client.post("/admin/login/", {"username": "", "password": ""}, headers={"Accept-Language": "en"})
    body = resp.content.decode()
    assert "这个字段是必填项" in body
    assert "This field is required" not in body and "Log in" not in body


def test_the_api_docs_page_loads_its_scripts_from_this_site(client, db):
    html = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    assert all(s.startswith("/") or s.startswith("#") for s in sources), sources


def test_the_admin_names_the_task_queue_in_chinese(login, sysadmin):
    page = login(sysadmin).get("/admin/").content.decode()
    assert "任务队列记录" in page and "Tasks Database Backend" not in page and "Task Results" not in page
