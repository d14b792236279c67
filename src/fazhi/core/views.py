"""Core pages: login/logout and the account pages (企业注册, 账号信息, 修改密码, 找回密码, session keep-alive), the
in-site inbox, the 办事 service index and error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core import accounts, api_errors, forms, login_guard, paging, two_factor, two_factor_views
from fazhi.core import services as messaging
from fazhi.core.errors import DomainError
from fazhi.core.middleware import client_ip

BACKEND = "fazhi.core.login_guard.LoginGuardBackend"


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "max_failures": settings.FAZHI_LOGIN_MAX_FAILURES_PER_USER,
            "failure_window": settings.FAZHI_LOGIN_FAILURE_WINDOW_MINUTES,
            "lock_minutes": settings.FAZHI_LOGIN_LOCK_MINUTES,
        }

    def form_valid(self, form: Any) -> HttpResponse:
        """A right password of an account with 两步验证 asks for the code before it signs in."""
        user = form.get_user()
        if two_factor.enabled(user):
            return two_factor_views.hold(self.request, user, self.get_success_url())
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """企业注册: an enterprise creates its own 企业用户 account and goes on to 政策体检."""
    if request.user.is_authenticated:
        messages.info(request, "您已登录。如需为另一家企业注册账号，请先退出当前账号。")
        return redirect("/")
    form = forms.RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.register_enterprise(
                username=data["username"],
                password=data["password1"],
                enterprise_name=data["enterprise_name"],
                code=data["credit_code"],
                contact=data["contact"],
                mobile=data["mobile"],
                email=data["email"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            auth_login(request, user, backend=BACKEND)
            messages.success(
                request,
                "注册成功，已为您登录。企业名称和统一社会信用代码已填好，请补充其余情况后保存并体检。",
            )
            return redirect("policies:match")
    elif request.method == "POST":
        status = 400
    return render(request, "registration/register.html", {"form": form}, status=status)


class ChangePasswordView(auth_views.PasswordChangeView):
    """修改密码: the current session stays logged in; other sessions and every API token end."""

    form_class = forms.ChangePasswordForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("core:password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves (revoking the API tokens) and keeps this session
        accounts.record_password_change(user=form.user, how="本人修改密码")
        return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """账号信息: a logged-in user edits their own 姓名 and 电子邮箱."""
    form = forms.ProfileForm(request.POST or None, user=request.user, request=request)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            changed = accounts.update_profile(
                user=request.user,  # type: ignore[arg-type]
                display_name=form.cleaned_data["display_name"],
                email=form.cleaned_data["email"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            if changed:
                messages.success(request, f"已保存：{'、'.join(changed)}。")
            else:
                messages.info(request, "没有需要保存的修改。")
            return redirect("core:profile")
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "password_expires": accounts.password_expires_on(request.user),
        "password_max_age_days": settings.FAZHI_PASSWORD_MAX_AGE_DAYS,
    }
    return render(request, "registration/profile.html", context, status=status)


class PasswordChangedView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_changed.html"


class ResetRequestView(auth_views.PasswordResetView):
    """找回密码: mail a one-hour link to the address, if it belongs to an active account; the page says the
    same either way."""

    form_class = forms.ResetRequestForm
    template_name = "registration/password_reset.html"
    email_template_name = "registration/fazhi_reset_email.txt"
    subject_template_name = "registration/fazhi_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_sent")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        site_url = settings.SITE_URL or self.request.build_absolute_uri("/").rstrip("/")
        self.extra_email_context = {"site_url": site_url, "site_name": settings.SITE_NAME}
        return super().form_valid(form)


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.ResetPasswordForm
    template_name = "registration/password_reset_confirm_page.html"
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves (revoking the API tokens)
        accounts.record_password_change(user=form.user, how="通过邮件找回密码")
        # Whoever holds the mailbox is the owner: a lock left by someone guessing is lifted.
        login_guard.forget([login_guard.user_key(form.user.get_username())])
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_finished.html"


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """Pinged by a page that must not time out while it is open (an exam in progress): the request itself
    pushes the session's end back (SESSION_SAVE_EVERY_REQUEST)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "登录已超时，请重新登录。"}, status=401)
    return JsonResponse({"ok": True, "idle_seconds": settings.SESSION_COOKIE_AGE})


def services(request: HttpRequest) -> HttpResponse:
    return render(request, "core/services.html")


INBOX_PAGE_SIZE = 30


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's messages, newest first, 30 a page; `?show=unread` lists the unread ones only."""
    unread_only = request.GET.get("show") == "unread"
    page, querystring = paging.page_of(
        request, messaging.inbox_of(request.user, unread=unread_only), INBOX_PAGE_SIZE
    )
    return render(
        request,
        "core/inbox.html",
        {
            "items": page.object_list,
            "page": page,
            "querystring": querystring,
            "unread_only": unread_only,  # the unread count is the page header's (unread_messages)
        },
    )


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """全部标为已读: every unread message of the user (only the user's own)."""
    n = messaging.mark_all_read(user=request.user)
    messages.success(request, f"已将 {n} 条未读消息标为已读。" if n else "没有未读消息。")
    return redirect("core:inbox")


@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("core:inbox")  # the inbox's button posts here; an address opened directly goes back
    msg = messaging.mark_read(user=request.user, message_id=pk)
    if msg is None:
        raise Http404("消息不存在。")
    return redirect(msg.url or "core:inbox")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A refusal raised as PermissionDenied (the admin's, among others): the Chinese page, not Django's
    bare English "403 Forbidden"; JSON under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "您没有执行此操作的权限。"}, status=403)
    return render(request, "core/forbidden.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # JSON under /api/; elsewhere the Chinese page with the view's Chinese message and link, if any.
    from fazhi.core.middleware import not_found

    return not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """DEBUG off: the Chinese page; JSON under /api/ (an error outside a ninja operation, e.g. a middleware)."""
    if request.path.startswith("/api/"):
        return JsonResponse(api_errors.server_error_body(), status=500)
    return render(request, "core/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (a page open too long, cookies blocked): say so in Chinese
    instead of Django's English page (which also shows debugging help when DEBUG is on)."""
    message = (
        "页面已过期或无法验证请求来源，请刷新页面后重新提交；如仍不行，请确认浏览器允许本站使用 Cookie。"
    )
    return render(request, "core/forbidden.html", {"message": message, "plain": True}, status=403)
