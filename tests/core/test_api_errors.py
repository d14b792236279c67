"""The API speaks Chinese when a request cannot even reach a view: pydantic validation errors, a body that
is not JSON, and unauthenticated or CSRF-less writes."""

from __future__ import annotations

import json
import re

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from fazhi.core import api_errors
from fazhi.policies.models import EnterpriseProfile, PolicySubscription

NOT_LOGGED_IN = "未登录或令牌无效，请先获取访问令牌。"
ENGLISH = re.compile(
    r"Input should|Field required|valid|Cannot parse|Expecting value|CSRF check|finite number"
)


def _no_english(body: dict) -> None:
    text = json.dumps(body, ensure_ascii=False)
    assert not ENGLISH.search(text), text


# --- validation errors ------------------------------------------------------------------------
def test_a_non_integer_limit_is_a_chinese_422(client, db):
    resp = client.get("/api/v1/policies/search", {"limit": "abc"})
    assert resp.status_code == 422
    body = resp.json()
    assert body["detail"] == "请求参数不正确：limit：应为整数"
    assert body["errors"] == [{"loc": ["query", "limit"], "type": "int_parsing", "msg": "应为整数"}]
    _no_english(body)


def test_a_missing_field_and_a_nan_number_are_named_in_chinese(client, db):
    missing = client.post(
        "/api/v1/policies/match", {"profile": {"name": "某公司"}}, content_type="application/json"
    )
    assert missing.status_code == 422
    assert missing.json()["detail"] == "请求参数不正确：profile.industry：缺少必填项"
    _no_english(missing.json())
    nan = client.post(
        "/api/v1/policies/match",
        {"profile": {"name": "某公司", "industry": "software", "revenue": "NaN"}},
        content_type="application/json",
    )
    assert nan.status_code == 422
    assert nan.json()["detail"] == "请求参数不正确：profile.revenue：应为有限的数字（不能是 NaN 或无穷大）"
    _no_english(nan.json())


def test_several_problems_are_listed_together(client, db):
    resp = client.post(
        "/api/v1/policies/match",
        {"profile": {"name": "某公司", "industry": "software", "established_on": "2020-13-01", "tags": "x"}},
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert resp.json()["detail"] == (
        "请求参数不正确：profile.established_on：应为日期，格式如 2026-03-01；profile.tags：应为列表"
    )


def test_a_body_that_is_not_json_is_a_chinese_400(client, db):
    for body in ("not json", "{", "[1, 2"):
        resp = client.post("/api/v1/policies/match", body, content_type="application/json")
        assert resp.status_code == 400
        assert resp.json() == {"detail": "请求体不是有效的 JSON。"}


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "missing", "loc": ("body", "payload", "name")}, "缺少必填项"),
        ({"type": "int_parsing"}, "应为整数"),
        ({"type": "float_parsing"}, "应为数字"),
        ({"type": "finite_number"}, "应为有限的数字（不能是 NaN 或无穷大）"),
        ({"type": "string_too_long", "ctx": {"max_length": 200}}, "不能超过 200 个字符"),
        ({"type": "string_too_short", "ctx": {"min_length": 2}}, "至少 2 个字符"),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "不能小于 1"),
        ({"type": "less_than_equal", "ctx": {"le": 100}}, "不能大于 100"),
        (
            {"type": "literal_error", "ctx": {"expected": "'relevance', 'date' or 'closing'"}},
            "应为以下之一：relevance、date、closing",
        ),
        ({"type": "json_invalid", "ctx": {"error": "Expecting value"}}, "不是有效的 JSON"),
        ({"type": "bool_parsing"}, "应为 true 或 false"),
        (
            {"type": "value_error", "ctx": {"error": ValueError("统一社会信用代码校验位错误")}},
            "统一社会信用代码校验位错误",
        ),
        ({"type": "value_error", "ctx": {"error": ValueError("bad value")}}, "格式不正确"),
        ({"type": "string_too_long"}, "不能超过"),  # ctx missing: the phrase without the number
        ({"type": "some_future_type", "msg": "Something English"}, "格式不正确"),
    ],
)
def test_pydantic_error_types_become_chinese_phrases(error, message):
    assert api_errors.error_message(error) == message


def test_the_detail_names_the_field_without_where_it_came_from():
    detail, errors = api_errors.validation_detail(
        [
            {
                "type": "missing",
                "loc": ("body", "payload", "profile", "industry"),
                "msg": "Field required",
                "input": {},
            }
        ]
    )
    assert detail == "请求参数不正确：profile.industry：缺少必填项"
    assert errors == [
        {"loc": ["body", "payload", "profile", "industry"], "type": "missing", "msg": "缺少必填项"}
    ]


# --- authentication and CSRF ------------------------------------------------------------------
PROFILE = {"name": "某科技公司", "industry": "software", "employees": 40, "revenue": 600}


@pytest.fixture
def browser():
    """A client that enforces CSRF as a browser's requests are checked (the default test client does not)."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Bearer "}]
)
def test_anonymous_writes_get_the_same_401_as_reads(browser, db, headers):
    sub = browser.post(
        "/api/v1/policies/subscriptions",
        {"themes": ["稳岗就业"]},
        content_type="application/json",
        headers=headers,
    )
    assert sub.status_code == 401 and sub.json() == {"detail": NOT_LOGGED_IN}
    profile = browser.put(
        "/api/v1/policies/profile", PROFILE, content_type="application/json", headers=headers
    )
    assert profile.status_code == 401 and profile.json() == {"detail": NOT_LOGGED_IN}
    read = browser.get("/api/v1/policies/subscriptions", headers=headers)
    assert read.status_code == 401 and read.json() == {"detail": NOT_LOGGED_IN}
    assert not PolicySubscription.objects.exists() and not EnterpriseProfile.objects.exists()


def test_a_logged_in_session_without_the_csrf_token_gets_a_chinese_403(browser, enterprise):
    browser.force_login(enterprise)
    resp = browser.post(
        "/api/v1/policies/subscriptions", {"themes": ["稳岗就业"]}, content_type="application/json"
    )
    assert resp.status_code == 403
    assert resp.json() == {"detail": api_errors.CSRF_FAILED}
    assert resp.json()["detail"].startswith("CSRF 校验失败：请刷新页面后重试")
    assert not PolicySubscription.objects.exists()
    # Reads need no token.
    assert browser.get("/api/v1/policies/subscriptions").status_code == 200


def test_a_logged_in_session_with_the_csrf_token_writes(browser, enterprise):
    browser.force_login(enterprise)
    token = _get_new_csrf_string()
    browser.cookies["csrftoken"] = token
    resp = browser.post(
        "/api/v1/policies/subscriptions",
        {"themes": ["稳岗就业"]},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert resp.status_code == 201
    assert PolicySubscription.objects.filter(user=enterprise).count() == 1


def test_a_bearer_token_needs_no_csrf_token(browser, enterprise, token_for):
    resp = browser.put(
        "/api/v1/policies/profile", PROFILE, content_type="application/json", headers=token_for(enterprise)
    )
    assert resp.status_code == 200 and resp.json()["size"] == "小型"


def test_ninja_messages_of_other_errors_are_chinese_too(rf):
    from django.http import Http404
    from ninja.errors import HttpError, Throttled

    from fazhi.api import api

    request = rf.get("/api/v1/anything")
    cases = [
        (Http404(), 404, "未找到请求的内容。"),
        (Http404("该案例不存在。"), 404, "该案例不存在。"),
        (Throttled(wait=5), 429, "请求过于频繁，请稍后再试。"),
        (HttpError(405, "Method not allowed"), 405, "不支持该请求方法。"),
        (HttpError(400, "Something odd"), 400, "请求不正确。"),
        (HttpError(409, "版本已变化，请刷新后重试。"), 409, "版本已变化，请刷新后重试。"),
    ]
    for exc, status, detail in cases:
        resp = api.on_exception(request, exc)
        assert resp.status_code == status
        assert json.loads(resp.content) == {"detail": detail}
