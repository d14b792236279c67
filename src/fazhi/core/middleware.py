"""Per-request context: a request id, the client IP and the user, for the audit log."""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from fazhi.core import api_errors, audit

log = logging.getLogger("fazhi.errors")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        ctx = RequestContextWithLazyUser(request=request, request_id=request_id, ip=client_ip(request))
        token = audit.set_context(ctx)
        try:
            response = self.get_response(request)
        finally:
            audit.reset_context(token)
        response["X-Request-ID"] = request_id
        return response


class PasswordAgeMiddleware:
    """身份鉴别信息定期更换: a signed-in user whose password is older than FAZHI_PASSWORD_MAX_AGE_DAYS is sent
    to 修改密码 from every page until it is changed. Signing out, the password pages themselves, static
    files and the API (whose token endpoint refuses such a password) stay open."""

    OPEN = (
        "/accounts/password/",
        "/accounts/logout/",
        "/accounts/login/",
        "/accounts/keepalive/",
        "/admin/password_change/",
        "/admin/logout/",
        "/static/",
        "/api/",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.urls import reverse

        from fazhi.core import accounts

        user = getattr(request, "user", None)
        if (
            settings.FAZHI_PASSWORD_MAX_AGE_DAYS
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.OPEN)
            and accounts.password_expired(user)
        ):
            messages.warning(request, accounts.password_expired_message())
            return redirect(reverse("core:password_change"))
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """A signed-in user whose role is in FAZHI_2FA_REQUIRED_ROLES and who has not set up 两步验证 is sent to
    /accounts/2fa/ from every page until it is done (the pages PasswordAgeMiddleware leaves open stay
    open too)."""

    OPEN = (*PasswordAgeMiddleware.OPEN, "/accounts/2fa/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.urls import reverse

        from fazhi.core import two_factor

        user = getattr(request, "user", None)
        if (
            settings.FAZHI_2FA_REQUIRED_ROLES
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.OPEN)
            and two_factor.required(user)
            and not two_factor.enabled(user)
        ):
            messages.warning(request, "您的角色须启用两步验证：请先完成设置，再继续使用本系统。")
            return redirect(reverse("core:two_factor"))
        return self.get_response(request)


class RequestContextWithLazyUser(audit.RequestContext):
    def __init__(self, *, request: HttpRequest, request_id: str, ip: str) -> None:
        super().__init__(user=None, request_id=request_id, ip=ip)
        self._request = request

    @property  # type: ignore[override]
    def user(self):  # noqa: ANN201
        u = getattr(self._request, "auth_user", None) or getattr(self._request, "user", None)
        return u if getattr(u, "is_authenticated", False) else None

    @user.setter
    def user(self, value) -> None:  # noqa: ANN001
        pass


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless that is a proxy named in FAZHI_TRUSTED_PROXIES; then the
    right-most X-Forwarded-For entry that is not itself a trusted proxy (entries further left were written
    by whoever sent the request and prove nothing)."""
    remote = request.META.get("REMOTE_ADDR", "")[:64]
    if not _trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _trusted_proxy(address):
            return address[:64] if _is_address(address) else remote
    return remote


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _trusted_proxy(address: str) -> bool:
    proxies = getattr(settings, "FAZHI_TRUSTED_PROXIES", [])
    if not proxies or not _is_address(address):
        return False
    ip = ipaddress.ip_address(address)
    for entry in proxies:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


class ChineseErrorPagesMiddleware:
    """With DEBUG on (the default of `make run`), Django answers an unknown address with its English
    technical page listing every URL pattern, and an error with a traceback. Unless FAZHI_TECHNICAL_ERRORS
    is set, the visitor gets the same Chinese pages as in production (JSON under /api/), and the error is
    logged with its traceback. With DEBUG off Django already uses handler404/handler500. In both cases a
    wrong HTTP method on the API is answered in Chinese JSON (django-ninja's is plain English text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def active() -> bool:
        return bool(settings.DEBUG) and not getattr(settings, "FAZHI_TECHNICAL_ERRORS", False)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No view matched (the resolver's 404): the technical page would list the URL patterns.
        if response.status_code == 404 and request.resolver_match is None and self.active():
            return not_found(request)
        if (
            response.status_code == 405
            and not request.path.startswith("/api/")
            and not getattr(response, "streaming", False)
            and not response.content
        ):
            # A form's address opened directly (require_POST answers with an empty page).
            back = request.headers.get("Referer", "")
            back = back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""
            page = render(request, "core/405.html", {"back": back}, status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        if response.status_code == 405 and request.path.startswith("/api/") and not _is_json(response):
            # django-ninja answers a wrong method with the plain English text "Method not allowed".
            allowed = response.get("Allow", "")
            detail = f"该接口不支持 {request.method} 请求" + (f"，可用：{allowed}" if allowed else "") + "。"
            answer = JsonResponse({"detail": detail}, status=405)
            if allowed:
                answer["Allow"] = allowed
            return answer
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not self.active() or isinstance(exception, PermissionDenied | SuspiciousOperation):
            return None  # Django answers these with handler403 / 400 even with DEBUG on
        if isinstance(exception, Http404):
            return not_found(request, exception)
        log.error("服务器错误：%s %s", request.method, request.path, exc_info=exception)
        if request.path.startswith("/api/"):
            return JsonResponse(api_errors.server_error_body(), status=500)
        return render(request, "core/500.html", status=500)


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class PageNotFound(Http404):
    """An Http404 whose page offers a way on: `link` (a site path) labelled `link_text`, e.g. back to the
    law whose article does not exist."""

    def __init__(self, message: str, *, link: str = "", link_text: str = "") -> None:
        super().__init__(message)
        self.link = link
        self.link_text = link_text


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def public_message(exception: BaseException | None) -> str:
    """The message a view raised Http404 with, when it is one for visitors: Chinese, with no Latin letters
    (Django's own "No Post matches the given query." and the resolver's technical details are not)."""
    args = getattr(exception, "args", ())
    message = args[0] if args and isinstance(args[0], str) else ""
    return message[:300] if _CJK.search(message) and not _LATIN.search(message) else ""


def not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """The 404 answer: JSON under /api/ (unchanged); elsewhere the Chinese page with the view's own message
    (see `public_message`) and, for a `PageNotFound`, its link."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"接口不存在：{request.method} {request.path[:200]}"}, status=404)
    link = getattr(exception, "link", "")
    context = {
        "message": public_message(exception),
        # Only a path on this site (a raised link is built by our views; never an outside address).
        "link": link if link.startswith("/") and not link.startswith("//") else "",
        "link_text": getattr(exception, "link_text", "") or "返回上一级",
    }
    return render(request, "core/404.html", context, status=404)


NUL_MESSAGE = "提交的内容含有不可见的控制字符（NUL，\\x00），无法保存。请删除该字符（常见于从其他系统复制的文本）后重新提交。"


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def _fits_in_memory(request: HttpRequest) -> bool:
    """The body is within DATA_UPLOAD_MAX_MEMORY_SIZE, so reading it whole is what Django allows anyway
    (a larger multipart body is an upload, streamed to files)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is None or length <= limit


def request_holds_nul(request: HttpRequest) -> bool:
    """A NUL character in the query, a form field or a JSON body: PostgreSQL cannot store one in text, and no
    user means one. Uploaded files (binary, may hold NUL bytes) are not looked at."""
    if "\x00" in request.path or _holds_nul(list(request.GET.lists())):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            if content_type == "multipart/form-data" and _fits_in_memory(request):
                # Parsing a multipart body reads the stream; keep the raw body so a view that reads it after
                # (an API endpoint expecting JSON) still can, and answers with its own message, not a 500.
                request.body  # noqa: B018 — cached on the request
            return _holds_nul(list(request.POST.lists()))
        except Exception:  # a malformed body: the view answers it as it does today
            return False
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\x00" in body:
            return True
        if b"u0000" not in body.lower():
            return False
        try:
            return _holds_nul(json.loads(body))
        except ValueError:
            return False
    return False


class RejectNulMiddleware:
    """Refuses a request carrying a NUL character (see `request_holds_nul`) with a Chinese 400 before any view
    runs, so nothing is saved: SQLite would store it silently and PostgreSQL would fail with a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request_holds_nul(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": NUL_MESSAGE, "code": "control_character"}, status=400)
        back = request.headers.get("Referer", "")
        back = back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""
        return render(request, "core/400_nul.html", {"message": NUL_MESSAGE, "back": back}, status=400)


# Alternative texts Django's admin writes in English whatever the language (its templates and its list's
# yes/no icons do not translate them): a screen reader read "Search", "True", "False" in a Chinese page.
ADMIN_ALT_TEXTS = (
    (b'search.svg" alt="Search">', 'search.svg" alt="搜索">'.encode()),
    (b'icon-yes.svg" alt="True">', 'icon-yes.svg" alt="是">'.encode()),
    (b'icon-no.svg" alt="False">', 'icon-no.svg" alt="否">'.encode()),
    (b'icon-unknown.svg" alt="None">', 'icon-unknown.svg" alt="未知">'.encode()),
)


class AdminAltTextMiddleware:
    """The admin's pages (/admin/, HTML) with the alternative texts above in Chinese (GB/T 37668 / WCAG 3.1.2:
    the page is Chinese, so are the words read out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/admin/")
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            content = response.content
            found = [pair for pair in ADMIN_ALT_TEXTS if pair[0] in content]
            for english, chinese in found:
                content = content.replace(english, chinese)
            if found:
                response.content = content  # CommonMiddleware (outside this one) counts the length
        return response
