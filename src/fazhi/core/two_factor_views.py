"""两步验证 pages: the code asked after the password (/accounts/login/code/) and the user's own settings
(/accounts/2fa/: set up with a QR code, new recovery codes, turn off)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fazhi.core import two_factor
from fazhi.core.errors import DomainError
from fazhi.core.models import User

PENDING = "fazhi_2fa_pending"  # session: {"uid", "backend", "at", "next"} between the password and the code
PENDING_SECONDS = 300
SETUP_SECRET = "fazhi_2fa_setup_secret"  # session: the secret being set up, until its first code is right


def hold(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    """The password was right and the account uses 两步验证: remember who, then ask for the code."""
    request.session[PENDING] = {
        "uid": user.pk,
        "backend": getattr(user, "backend", ""),
        "at": time.time(),
        "next": next_url,
    }
    return redirect("core:login_code")


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, "请先输入用户名和密码登录（输入密码后须在 5 分钟内输入动态验证码）。")
        return redirect("core:login")
    user = User.objects.filter(pk=pending["uid"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("core:login")
    error = ""
    if request.method == "POST":
        try:
            two_factor.verify(user=user, code=request.POST.get("code", ""), request=request)
        except DomainError as exc:
            error = exc.message
        else:
            request.session.pop(PENDING, None)
            user.backend = pending["backend"]  # type: ignore[attr-defined]
            auth_login(request, user)
            return redirect(pending.get("next") or "/")
    return render(request, "registration/login_code.html", {"error": error}, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The user's 两步验证: set it up (scan, then prove with a code and the password), new recovery codes, off."""
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    ctx: dict[str, Any] = {"enabled": two_factor.enabled(user), "required": two_factor.required(user)}
    try:
        if action == "start":
            request.session[SETUP_SECRET] = two_factor.start()
        elif action == "enable":
            secret = request.session.get(SETUP_SECRET)
            if not secret:
                raise DomainError("设置已过期，请重新开始设置。")
            ctx["codes"] = two_factor.enable(
                user=user,
                secret=secret,
                code=request.POST.get("code", ""),
                password=request.POST.get("password", ""),
                request=request,
            )
            request.session.pop(SETUP_SECRET, None)
            ctx["enabled"] = True
            messages.success(
                request, "两步验证已启用：以后登录时，输入密码后还要输入验证器应用中的动态验证码。"
            )
        elif action == "recovery":
            ctx["codes"] = two_factor.new_recovery_codes(
                user=user, code=request.POST.get("code", ""), request=request
            )
            messages.success(request, "已生成新的备用验证码，原来的备用验证码全部作废。")
        elif action == "disable":
            two_factor.disable(
                user=user,
                password=request.POST.get("password", ""),
                code=request.POST.get("code", ""),
                request=request,
            )
            ctx["enabled"] = False
            messages.success(request, "两步验证已关闭。")
        elif action:
            raise DomainError("无法识别的操作。")
    except DomainError as exc:
        ctx["error"] = exc.message
        ctx["failed"] = action  # the fields of the form that was sent are marked wrong and point to the error
    secret = request.session.get(SETUP_SECRET)
    if secret and not ctx["enabled"]:
        link = two_factor.uri(user, secret)
        ctx.update(setup=True, secret=secret, qr=two_factor.qr_svg(link))
    if ctx["enabled"]:
        ctx["recovery_left"] = two_factor.recovery_left(user)
    return render(request, "registration/two_factor.html", ctx, status=400 if ctx.get("error") else 200)
