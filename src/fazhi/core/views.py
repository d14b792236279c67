"""Core pages: login/logout, the in-site inbox, the 办事 service index and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from fazhi.core.models import Message


def services(request: HttpRequest) -> HttpResponse:
    return render(request, "core/services.html")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items = Message.objects.filter(recipient_id=request.user.pk)[:200]
    return render(request, "core/inbox.html", {"items": items})


@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("core:inbox")  # the inbox's button posts here; an address opened directly goes back
    msg = get_object_or_404(Message, pk=pk, recipient=request.user)
    if msg.read_at is None:
        msg.read_at = timezone.now()
        msg.save(update_fields=["read_at"])
    return redirect(msg.url or "core:inbox")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A refusal raised as PermissionDenied (the admin's, among others): the Chinese page, not Django's
    bare English "403 Forbidden"; JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "您没有执行此操作的权限。"}, status=403)
    return render(request, "core/forbidden.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    from fazhi.core.middleware import not_found  # JSON under /api/, the Chinese page elsewhere

    return not_found(request)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (a page open too long, cookies blocked): say so in Chinese
    instead of Django's English page (which also shows debugging help when DEBUG is on)."""
    message = (
        "页面已过期或无法验证请求来源，请刷新页面后重新提交；如仍不行，请确认浏览器允许本站使用 Cookie。"
    )
    return render(request, "core/forbidden.html", {"message": message, "plain": True}, status=403)
