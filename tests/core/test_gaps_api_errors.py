"""Every answer of /api/v1/ is JSON in the project's shape ({"detail": 中文, "code": …}), an unhandled error
included, whether DEBUG is on or off; a traceback is shown only to a developer who asked for technical errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from fazhi.core import api as core_api
from fazhi.core import api_errors


@pytest.fixture
def broken_health(monkeypatch):
    """GET /api/v1/health fails inside the ninja operation with an error nobody handles."""

    def explode(label: str) -> int:
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setattr(core_api, "_count", explode)


def _server_error(response) -> dict:
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] == api_errors.SERVER_ERROR
    assert body["code"] == "server_error"
    return body


@pytest.mark.parametrize("debug", [True, False])
def test_an_unhandled_error_is_chinese_json_without_a_traceback(db, settings, broken_health, caplog, debug):
    settings.DEBUG = debug
    settings.FAZHI_TECHNICAL_ERRORS = False
    response = Client(raise_request_exception=False).get("/api/v1/health")
    body = _server_error(response)
    text = response.content.decode()
    assert "Traceback" not in text and "secret-internal-detail" not in text and "traceback" not in body
    # The error is not lost: it is logged with its traceback for the operators.
    assert any(r.exc_info and "secret-internal-detail" in str(r.exc_info[1]) for r in caplog.records)


def test_a_developer_with_technical_errors_gets_the_traceback_in_json(db, settings, broken_health):
    settings.DEBUG = True
    settings.FAZHI_TECHNICAL_ERRORS = True
    body = _server_error(Client(raise_request_exception=False).get("/api/v1/health"))
    assert "Traceback" in body["traceback"] and "secret-internal-detail" in body["traceback"]


def test_technical_errors_without_debug_never_show_a_traceback(db, settings, broken_health):
    settings.DEBUG = False
    settings.FAZHI_TECHNICAL_ERRORS = True
    body = _server_error(Client(raise_request_exception=False).get("/api/v1/health"))
    assert "traceback" not in body


@pytest.mark.parametrize("debug", [True, False])
def test_a_django_permission_denied_in_an_operation_stays_a_403(db, settings, monkeypatch, debug):
    settings.DEBUG = debug

    def refuse(label: str) -> int:
        raise PermissionDenied

    monkeypatch.setattr(core_api, "_count", refuse)
    response = Client(raise_request_exception=False).get("/api/v1/health")
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有执行此操作的权限。"


@pytest.mark.urls("tests.core.urls_broken")
def test_without_debug_an_error_outside_ninja_under_api_is_json_too(db, settings):
    # /api/v1/boom of the test URLconf is a plain Django view: Django's handler500 answers it.
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/api/v1/boom")
    _server_error(response)
    page = Client(raise_request_exception=False).get("/boom/")
    assert page.status_code == 500 and "系统暂时无法处理您的请求" in page.content.decode()
