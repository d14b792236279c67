"""Account forms: login (page and admin), 企业注册, 账号信息, 修改密码, 找回密码 — all messages in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from fazhi.core import accounts, credit_code, login_guard
from fazhi.core.limits import MaxChars
from fazhi.core.middleware import client_ip
from fazhi.core.models import User


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}。"}


class GuardedLoginMixin:
    """Say why a login was refused: locked (with the time), disabled, or wrong name/password (one message
    for an unknown username and a wrong password)."""

    request: HttpRequest | None

    def get_invalid_login_error(self) -> ValidationError:
        found = login_guard.outcome(self.request)
        if found is not None and found.result in (
            login_guard.Result.LOCKED,
            login_guard.Result.INACTIVE,
            login_guard.Result.NO_ADMIN,
        ):
            return ValidationError(found.message, code=found.result)
        return ValidationError(login_guard.BAD_CREDENTIALS, code="invalid_login")


class LoginForm(GuardedLoginMixin, AuthenticationForm):
    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["username"].error_messages.update(_required("用户名"))
        self.fields["password"].label = "密码"
        self.fields["password"].error_messages.update(_required("密码"))


class AdminLoginForm(GuardedLoginMixin, AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "请输入工作人员账号的用户名和密码。",
    }

    def confirm_login_allowed(self, user: Any) -> None:
        """The admin's own login form has no code field: an account with 两步验证 signs in on the site's."""
        super().confirm_login_allowed(user)
        from fazhi.core import two_factor

        if two_factor.enabled(user):
            raise ValidationError(
                "该账号已启用两步验证，请从网站登录页（/accounts/login/?next=/admin/）登录并输入动态验证码。",
                code="two_factor",
            )


class RegistrationForm(forms.Form):
    """企业注册."""

    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[
            UnicodeUsernameValidator(
                message="用户名只能包含字母、数字、汉字和 @ . + - _ 这些符号，不能有空格。"
            )
        ],
        help_text="登录时使用，不能与已有用户名重复（不区分大小写）；可用字母、数字、汉字和 @ . + - _。",
        error_messages={**_required("用户名"), "max_length": "用户名不能超过 150 个字符。"},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label="密码",
        strip=False,
        help_text="至少 8 个字符，须同时包含字母和数字。",
        error_messages=_required("密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="再次输入密码",
        strip=False,
        error_messages=_required("第二遍密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    enterprise_name = forms.CharField(
        label="企业名称",
        validators=[MaxChars("企业名称", 200)],
        help_text="与营业执照一致。",
        error_messages=_required("企业名称"),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=40,  # pasted with spaces or hyphens it is normalised to 18 characters
        help_text="18 位，见营业执照。",
        error_messages={**_required("统一社会信用代码"), "max_length": "统一社会信用代码应为 18 位。"},
    )
    contact = forms.CharField(
        label="联系人",
        validators=[MaxChars("联系人", 50)],
        error_messages=_required("联系人"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = forms.CharField(
        label="手机号",
        max_length=20,
        error_messages={**_required("手机号"), "max_length": "手机号应为 11 位。"},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )
    email = forms.EmailField(
        label="电子邮箱",
        max_length=254,
        help_text="用于接收政策订阅邮件和找回密码。",
        error_messages={**_required("电子邮箱"), "invalid": "电子邮箱格式不正确，如 name@example.com。"},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(f"用户名“{username}”已被使用，请换一个用户名。")
        return username

    def clean_credit_code(self) -> str:
        code = credit_code.normalize(self.cleaned_data["credit_code"])
        problem = credit_code.problem(code)
        if problem:
            raise ValidationError(problem)
        return code

    def clean_mobile(self) -> str:
        problem = accounts.mobile_problem(self.cleaned_data["mobile"])
        if problem:
            raise ValidationError(problem)
        return accounts.normalize_mobile(self.cleaned_data["mobile"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致，请重新输入。")
        elif first:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


def _label_new_password_fields(form: SetPasswordForm) -> None:
    """The new password typed twice, as both 修改密码 and the reset link ask for it."""
    form.fields["new_password1"].label = "新密码"
    form.fields["new_password1"].help_text = "至少 8 个字符，须同时包含字母和数字。"
    form.fields["new_password1"].error_messages.update(_required("新密码"))
    form.fields["new_password2"].label = "再次输入新密码"
    form.fields["new_password2"].help_text = ""
    form.fields["new_password2"].error_messages.update(_required("第二遍新密码"))
    form.error_messages = {
        **form.error_messages,
        "password_mismatch": "两次输入的新密码不一致，请重新输入。",
    }


class ChangePasswordForm(PasswordChangeForm):
    """修改密码: the old password is checked through the login guard, so it cannot be guessed here."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["old_password"].error_messages.update(_required("原密码"))
        _label_new_password_fields(self)

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        right, locked = login_guard.recheck_password(
            self.request, user=self.user, password=old, channel=login_guard.Channel.PASSWORD_CHANGE
        )
        if locked:
            raise ValidationError(locked, code="locked")
        if not right:
            raise ValidationError("原密码不正确，请重新输入。", code="password_incorrect")
        return old


class ProfileForm(forms.Form):
    """账号信息: the user's own 姓名 and 电子邮箱; a new address needs the current password (checked through
    the login guard, so this page cannot be used to guess it), as the address is where 找回密码 mails go."""

    display_name = forms.CharField(
        label="姓名",
        validators=[MaxChars("姓名", 100)],
        help_text="显示在页面右上角和审计记录中；企业用户填写联系人姓名。",
        error_messages=_required("姓名"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="电子邮箱",
        max_length=254,
        help_text="用于接收政策订阅邮件和找回密码。",
        error_messages={
            **_required("电子邮箱"),
            "invalid": "电子邮箱格式不正确，如 name@example.com。",
            "max_length": "电子邮箱不能超过 254 个字符。",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    current_password = forms.CharField(
        label="当前密码",
        required=False,
        strip=False,
        help_text="仅修改电子邮箱时需要填写。",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.user = user
        self.request = request
        kwargs.setdefault("initial", {"display_name": user.display_name, "email": user.email})
        super().__init__(*args, **kwargs)

    def email_changes(self) -> bool:
        new = User.objects.normalize_email((self.cleaned_data.get("email") or "").strip())
        return bool(new) and new != (self.user.email or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and self.email_changes():
            password = data.get("current_password") or ""
            if not password:
                self.add_error("current_password", "修改电子邮箱需要输入当前密码。")
                return data
            right, locked = login_guard.recheck_password(
                self.request, user=self.user, password=password, channel=login_guard.Channel.PROFILE
            )
            if locked:
                self.add_error("current_password", ValidationError(locked, code="locked"))
            elif not right:
                self.add_error("current_password", "当前密码不正确，请重新输入。")
        return data


class ResetRequestForm(PasswordResetForm):
    """找回密码: the same answer whether or not the address is registered; limited per client address."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "注册时填写的电子邮箱"
        self.fields["email"].error_messages.update(
            {**_required("电子邮箱"), "invalid": "电子邮箱格式不正确，如 name@example.com。"}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ip = client_ip(self.request) if self.request is not None else ""
        if data.get("email") and ip:
            retry = login_guard.take(
                key=f"reset:{ip}",
                limit=settings.FAZHI_PASSWORD_RESETS_PER_IP_HOUR,
                window=dt.timedelta(hours=1),
            )
            if retry is not None:
                raise ValidationError(
                    f"找回密码的请求过于频繁，请于 {login_guard.until_text(retry)} 后再试，或联系系统管理员。",
                    code="too_many_resets",
                )
        return data


class ResetPasswordForm(SetPasswordForm):
    """The new password chosen from the reset link."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        _label_new_password_fields(self)
