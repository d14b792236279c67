"""With DEBUG on (the default of `make run`), visitors get the Chinese error pages, not Django's technical
ones; FAZHI_TECHNICAL_ERRORS=1 brings the technical pages back for a developer."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.FAZHI_TECHNICAL_ERRORS = False
    return settings


def test_an_unknown_address_gets_the_chinese_page_without_the_url_list(client, db, debug):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "Page not found" not in page and "urlpatterns" not in page.lower()


def test_a_missing_record_gets_the_chinese_page(client, db, debug):
    response = client.get("/cases/999999/")
    assert response.status_code == 404
    assert "Page not found" not in response.content.decode()


def test_an_unknown_api_address_answers_in_json(client, db, debug):
    response = client.post("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("接口不存在")


@pytest.mark.urls("tests.core.urls_broken")
def test_an_error_gets_the_chinese_page_and_is_logged(db, debug, caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统暂时无法处理您的请求" in page and "Traceback" not in page and "RuntimeError" not in page
    assert any("服务器错误" in r.getMessage() and r.exc_info for r in caplog.records)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and "服务器内部错误" in api.json()["detail"]


def test_a_developer_can_ask_for_the_technical_pages(client, db, debug):
    debug.FAZHI_TECHNICAL_ERRORS = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" not in response.content.decode()


def test_a_form_without_a_csrf_token_is_explained_in_chinese(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期或无法验证请求来源" in page and "CSRF" not in page
    assert "您的账号没有访问此页面的权限" not in page


def test_without_debug_an_unknown_api_address_also_answers_in_json(client, db, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/exams/-1/nothing")
    assert response.status_code == 404 and response.json()["detail"].startswith("接口不存在")
    assert "页面不存在" in client.get("/no-such-page/").content.decode()


def test_the_login_page_says_why_it_is_shown_and_what_is_missing(client, db):
    page = client.get("/accounts/login/", {"next": "/policies/match/"}).content.decode()
    assert "您要访问的页面需要登录" in page and "政策体检和政策订阅使用企业用户账号" in page
    empty = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert "请填写用户名和密码" in empty and "用户名或密码错误" not in empty
    wrong = client.post("/accounts/login/", {"username": "nobody", "password": "x"}).content.decode()
    assert "用户名或密码错误" in wrong


def test_a_wrong_method_on_the_api_is_explained_in_json(client, db):
    response = client.get("/api/v1/policies/match")
    assert response.status_code == 405
    assert response.json()["detail"].startswith("该接口不支持 GET 请求") and "POST" in response["Allow"]


def test_a_form_address_opened_directly_gets_a_chinese_page(client, login, clerk):
    response = login(clerk).get("/cases/markdown-preview/")
    assert response.status_code == 405
    assert "此地址不能直接打开" in response.content.decode() and "POST" in response["Allow"]


def test_the_site_icon_is_declared_and_favicon_ico_finds_it(client, db):
    assert 'rel="icon"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
