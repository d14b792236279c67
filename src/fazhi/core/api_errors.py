"""Chinese messages for the errors django-ninja and pydantic raise before a view runs.

Contract:
- `validation_detail(errors)` → (detail, errors): one Chinese sentence naming each field and what is
  wrong with it ("请求参数不正确：limit：应为整数"), and the errors reduced to `loc`, `type` and the
  Chinese `msg` (pydantic's English text and the rejected input are not passed on).
- `http_error_detail(exc)` → the Chinese message for ninja's own HttpErrors (an unparseable body, a
  failed CSRF check, "Unauthorized" …); messages the project wrote itself are returned as they are.
- `BodyNotObject`: what `fazhi.api.ObjectBodyParser` raises for a JSON body that is not an object (ninja
  reads any value as an object with no fields, so `[1, 2]` would pass as `{}`).
- `server_error_body(exc)` → the JSON of a 500: the Chinese message and code "server_error"; the traceback
  (key "traceback") only with DEBUG and FAZHI_TECHNICAL_ERRORS both on, i.e. for a developer who asked.
"""

from __future__ import annotations

import re
import traceback
from typing import Any

from django.conf import settings
from ninja.errors import HttpError

BODY_NOT_JSON = "请求体不是有效的 JSON。"
BODY_NOT_OBJECT = '请求体应为 JSON 对象（形如 {"字段": 值}），不能是列表、文字或数字。'
CSRF_FAILED = "CSRF 校验失败：请刷新页面后重试，或改用访问令牌（Authorization: Bearer …）调用接口。"
NOT_AUTHENTICATED = "未登录或令牌无效，请先获取访问令牌。"
GENERIC = "格式不正确"
FORBIDDEN = "您没有执行此操作的权限。"
SERVER_ERROR = "服务器内部错误，请稍后重试；如问题持续，请联系系统管理员。"

# Where ninja says a value came from: not part of the field name shown to the caller.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "params"}
_CJK = re.compile(r"[\u3400-\u9fff]")

# pydantic error type → Chinese phrase; {…} are filled from the error's ctx.
MESSAGES: dict[str, str] = {
    "missing": "缺少必填项",
    "missing_argument": "缺少必填项",
    "extra_forbidden": "不是可接受的字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能带小数",
    "int_parsing_size": "数值过大",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字（不能是 NaN 或无穷大）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数不能超过 {max_digits} 位",
    "decimal_max_places": "小数不能超过 {decimal_places} 位",
    "decimal_whole_digits": "整数部分不能超过 {whole_digits} 位",
    "decimal_not_finite": "应为有限的数字（不能是 NaN 或无穷大）",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "string_unicode": "应为文字",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON 文本",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dataclass_type": "应为对象",
    "date_parsing": "应为日期，格式如 2026-03-01",
    "date_type": "应为日期，格式如 2026-03-01",
    "date_from_datetime_parsing": "应为日期，格式如 2026-03-01",
    "date_from_datetime_inexact": "应为日期（不带时刻），格式如 2026-03-01",
    "date_past": "应为过去的日期",
    "date_future": "应为将来的日期",
    "datetime_parsing": "应为日期时间，格式如 2026-03-01T09:00:00",
    "datetime_type": "应为日期时间，格式如 2026-03-01T09:00:00",
    "datetime_from_date_parsing": "应为日期时间，格式如 2026-03-01T09:00:00",
    "datetime_object_invalid": "应为日期时间，格式如 2026-03-01T09:00:00",
    "timezone_aware": "应带时区，格式如 2026-03-01T09:00:00+08:00",
    "timezone_naive": "不应带时区",
    "time_parsing": "应为时刻，格式如 09:00",
    "time_type": "应为时刻，格式如 09:00",
    "time_delta_parsing": "应为时长",
    "time_delta_type": "应为时长",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "url_parsing": "应为有效的网址",
    "url_type": "应为有效的网址",
    "url_scheme": "网址应以 http:// 或 https:// 开头",
    "url_too_long": "网址过长",
    "value_error": GENERIC,
    "assertion_error": GENERIC,
    "none_required": "应为空",
    "bytes_type": "应为文件内容",
    "bytes_too_long": "内容过长",
    "union_tag_invalid": GENERIC,
    "union_tag_not_found": GENERIC,
    "is_instance_of": GENERIC,
}


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


def _expected(value: Any) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a、b、c"."""
    text = str(value).replace(" or ", ", ")
    return "、".join(part.strip().strip("'\"") for part in text.split(",") if part.strip())


def field_name(loc: Any) -> str:
    parts = [str(p) for p in (loc or []) if str(p) not in _SOURCES]
    return ".".join(parts)


def error_message(err: dict[str, Any]) -> str:
    """One pydantic error as a Chinese phrase (never pydantic's English)."""
    kind = str(err.get("type", ""))
    ctx = dict(err.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        # A validator of the project may raise a Chinese message of its own: keep that.
        own = str(ctx.get("error", "")) or str(err.get("msg", ""))
        own = own.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if _CJK.search(own):
            return own
    template = MESSAGES.get(kind, GENERIC)
    if "expected" in ctx:
        ctx["expected"] = _expected(ctx["expected"])
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0].rstrip("：: ") or GENERIC


def validation_detail(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    problems = []
    cleaned = []
    for err in errors:
        name = field_name(err.get("loc"))
        msg = error_message(err)
        problems.append(f"{name or '请求参数'}：{msg}")
        cleaned.append({"loc": list(err.get("loc") or []), "type": err.get("type", ""), "msg": msg})
    return "请求参数不正确：" + "；".join(problems), cleaned


# ninja's own messages (English) → Chinese.
_HTTP_MESSAGES = {
    "Unauthorized": NOT_AUTHENTICATED,
    "Forbidden": FORBIDDEN,
    "CSRF check Failed": CSRF_FAILED,
    "Too many requests.": "请求过于频繁，请稍后再试。",
    "Not Found": "未找到请求的内容。",
}


class BodyNotObject(ValueError):
    """A JSON body that parsed to a list, a string, a number or null."""


def http_error_detail(exc: HttpError) -> str:
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        return BODY_NOT_OBJECT if isinstance(exc.__cause__, BodyNotObject) else BODY_NOT_JSON
    if message in _HTTP_MESSAGES:
        return _HTTP_MESSAGES[message]
    if _CJK.search(message):
        return message
    return {
        400: "请求不正确。",
        401: NOT_AUTHENTICATED,
        403: FORBIDDEN,
        404: "未找到请求的内容。",
        405: "不支持该请求方法。",
        429: "请求过于频繁，请稍后再试。",
    }.get(exc.status_code, "请求未能完成。")


def technical_errors() -> bool:
    """A developer asked to see tracebacks (never with DEBUG off)."""
    return bool(settings.DEBUG) and bool(getattr(settings, "FAZHI_TECHNICAL_ERRORS", False))


def server_error_body(exc: BaseException | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": SERVER_ERROR, "code": "server_error"}
    if exc is not None and technical_errors():
        body["traceback"] = "".join(traceback.format_exception(exc))
    return body
