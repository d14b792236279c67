"""Role checks shared by pages and the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from fazhi.core.api_errors import CSRF_FAILED, FORBIDDEN
from fazhi.core.errors import DomainError, PermissionDenied

# A check run on the authenticated user before the request is read: returns, or raises PermissionDenied.
UserCheck = Callable[[Any], None]


def has_role(user: Any, *roles: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_role(*roles))


def require_role(user: Any, *roles: str, message: str = FORBIDDEN) -> None:
    """Raise PermissionDenied unless the user holds one of the roles."""
    if not has_role(user, *roles):
        raise PermissionDenied(message)


def role_required(*roles: str) -> Callable:
    """Page decorator: anonymous users go to the login page; others without the role get a 403 page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                return render(request, "core/forbidden.html", {"roles": roles}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class TokenAuth(HttpBearer):
    """Bearer token issued by POST /api/v1/auth/token; `check` (see api_auth_for) then vets the user."""

    def __init__(self, check: UserCheck | None = None) -> None:
        super().__init__()
        self.check = check

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from django.utils import timezone

        from fazhi.core.models import ApiToken

        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.expires_at <= now:
            raise DomainError(
                f"访问令牌已过期（有效期 {settings.FAZHI_TOKEN_DAYS} 天），"
                "请重新调用 POST /api/v1/auth/token 获取新令牌。",
                code="token_expired",
                status=401,
            )
        # Touch last_used_at at most once a minute: busy clients (exam answer saves) skip the write.
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.auth_user = found.user  # type: ignore[attr-defined]
        request.user = found.user
        if self.check is not None:
            self.check(found.user)
        return found.user


class SessionAuth(APIKeyCookie):
    """The page session, CSRF-protected. Unlike ninja's `django_auth`, which checks the CSRF token before it
    looks at the session (so an anonymous POST got 403 "CSRF check Failed" instead of 401), a request
    without a logged-in session is simply not authenticated here (→ 401), and a logged-in session without
    the CSRF token gets a Chinese 403; `check` (see api_auth_for) then vets the user."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, check: UserCheck | None = None) -> None:
        super().__init__(csrf=True)
        self.check = check

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, CSRF_FAILED)
        if self.check is not None:
            self.check(user)
        return user


token_auth = TokenAuth()
django_auth = SessionAuth()
# Internal API endpoints accept a bearer token, or the page session (CSRF-protected).
api_auth = [token_auth, django_auth]


def api_auth_checked(check: UserCheck) -> list[AuthBase]:
    """`api_auth` that runs `check(user)` as soon as the caller is authenticated, i.e. before ninja reads the
    path, query or body: a caller the check refuses gets its 403, never a 422 listing the endpoint's fields.
    For a requirement that is more than a set of roles but does not depend on the object addressed."""
    return [TokenAuth(check=check), SessionAuth(check=check)]


def api_auth_for(*roles: str, message: str = FORBIDDEN) -> list[AuthBase]:
    """`api_auth` for an endpoint only holders of one of `roles` may use: anyone else is refused with
    `message` (403, code "forbidden") before the request is read. Authentication is unchanged (no caller
    → 401, an expired token's message, CSRF for the session), and the roles are judged as `has_role` judges
    them (a superuser holds every role). An endpoint whose answer depends on the object addressed keeps its
    own check too; this refuses, at once, whoever could never pass it."""
    if not roles:
        raise ValueError("api_auth_for needs at least one role")

    def check(user: Any) -> None:
        require_role(user, *roles, message=message)

    return api_auth_checked(check)


def api_user(request: HttpRequest) -> Any:
    """The authenticated user of an API request (token or session)."""
    return getattr(request, "auth_user", None) or request.user


def staff_request(request: HttpRequest) -> bool:
    """True for a logged-in staff member (is_staff or 系统管理员), by session or bearer token, on a public
    endpoint that takes no authentication of its own (the search "explain" views); False for anyone else."""
    from fazhi.core import roles

    user = getattr(request, "auth_user", None) or getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            try:
                user = token_auth.authenticate(request, header[7:].strip())
            except DomainError:  # an expired token: an ordinary visitor of the public endpoint
                user = None
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_staff or has_role(user, roles.SYSADMIN))
