"""Per-request context: a request id, the client IP and the user, for the audit log."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from fazhi.core import audit


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
    return request.META.get("REMOTE_ADDR", "")[:64]
