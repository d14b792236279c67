"""Accounts: password rules, API-token revocation and 企业注册 (enterprise self-registration).

Contract:
- `LettersAndDigitsValidator`: 口令复杂度 (GB/T 22239-2019 8.1.4.1 a：身份鉴别信息具有复杂度要求并定期更换);
  with MinimumLengthValidator(8) a password has at least 8 characters, letters and digits.
- `AfterPasswordChange`: Django calls every validator's password_changed() after a password is set and
  saved (change, reset, the admin's "修改密码", `changepassword`), so no door forgets to revoke the API
  tokens or to restart the password's age (`password_expires_on`, FAZHI_PASSWORD_MAX_AGE_DAYS).
- `register_enterprise(...)` creates an active, non-staff account in the 企业用户 role only, with its
  EnterpriseAccount; one account per credit code (a code on another user's enterprise profile counts too:
  `credit_code_taken`), usernames unique without regard to case, at most
  FAZHI_REGISTRATIONS_PER_IP_HOUR registrations per client address and hour.
- `update_profile(user=…, display_name=…, email=…)`: the user's own 姓名 and 电子邮箱 (账号信息), validated,
  one audit event with what changed; a changed address is announced to the old one. Addresses are not
  unique (registration allows a shared mailbox and 找回密码 mails every account of an address), so none is
  refused for being in use. The page asks for the password before the address changes (the view's job).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import audit, credit_code, login_guard, roles
from fazhi.core.errors import Conflict, DomainError, ValidationFailed
from fazhi.core.limits import check_field, check_length
from fazhi.core.models import ApiToken, EnterpriseAccount, User

_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
# 《电信网编号计划（2017年版）》（工业和信息化部）: mainland public mobile numbers have 11 digits and begin
# with the network codes 13–19.
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, in Chinese (Django 5.2 changed the message and its zh-hans catalogue no longer matches)."""

    def get_error_message(self) -> str:
        return f"密码太短：至少需要 {self.min_length} 个字符，请加长。"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "这个密码太常见，容易被猜中，请换一个。"

    def get_help_text(self) -> str:
        return "不能使用常见密码。"


class LettersAndDigitsValidator:
    """口令复杂度: the password contains both letters (A–Z, a–z) and digits (0–9)."""

    message = "密码须同时包含字母和数字。"

    def validate(self, password: str, user: Any = None) -> None:
        if not (_LETTER.search(password) and _DIGIT.search(password)):
            raise ValidationError(self.message, code="password_letters_and_digits")

    def get_help_text(self) -> str:
        return "密码至少 8 个字符，须同时包含字母和数字。"


class AfterPasswordChange:
    """Checks nothing; after any password change the user's API tokens stop working and the time of the
    change is recorded (for FAZHI_PASSWORD_MAX_AGE_DAYS)."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        revoke_api_tokens(user=user)
        user.password_changed_at = timezone.now()
        type(user).objects.filter(pk=user.pk).update(password_changed_at=user.password_changed_at)

    def get_help_text(self) -> str:
        return ""


def password_expires_on(user: Any) -> dt.datetime | None:
    """When the user's password must be changed (FAZHI_PASSWORD_MAX_AGE_DAYS after it was set; before the
    time was recorded, after the account was created), or None when the rule is off."""
    days = settings.FAZHI_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.has_usable_password():
        return None
    since = getattr(user, "password_changed_at", None) or user.date_joined
    return since + dt.timedelta(days=days)


def password_expired(user: Any, now: dt.datetime | None = None) -> bool:
    expires = password_expires_on(user)
    return expires is not None and (now or timezone.now()) >= expires


def password_expired_message() -> str:
    days = settings.FAZHI_PASSWORD_MAX_AGE_DAYS
    return f"您的密码已超过 {days} 天未更换，按安全要求须先修改密码才能继续使用。"


def revoke_api_tokens(*, user: Any) -> int:
    """Revoke every live API token of `user`; returns how many."""
    return ApiToken.objects.filter(user_id=user.pk, revoked=False).update(revoked=True)


def record_password_change(*, user: Any, how: str) -> None:
    """Audit-log a password change (the automatic model log masks the password and would record nothing)."""
    audit.record(action="password_change", obj=user, comment=f"{how}；API 令牌已全部作废", actor=user)


def normalize_mobile(text: str) -> str:
    """11 digits: full-width digits, spaces, hyphens and a +86 / 0086 prefix removed."""
    value = re.sub(r"[\s\-－()（）]", "", unicodedata.normalize("NFKC", str(text or "")))
    for prefix in ("+86", "0086", "86"):
        if value.startswith(prefix) and len(value) == len(prefix) + 11:
            value = value[len(prefix) :]
            break
    return value


def mobile_problem(mobile: str) -> str:
    if not _MOBILE.match(normalize_mobile(mobile)):
        return "手机号应为 11 位中国大陆手机号码（以 13 至 19 开头），如 13800138000。"
    return ""


CREDIT_CODE_TAKEN = (
    "该统一社会信用代码已由另一企业账号登记，每家企业只能有一个账号。如忘记用户名或密码，"
    "请在登录页使用“找回密码”；如认为被他人误用，请联系区财政局。"
)
# Apps that keep credit codes of their own (the enterprise profiles of 政策体检) register a lookup here —
# (code, user id to leave out) → held by someone else — so that registration refuses those codes too
# without core importing the app.
_CODE_HOLDERS: list[Callable[[str, int | None], bool]] = []


def register_credit_code_holder(holder: Callable[[str, int | None], bool]) -> None:
    if holder not in _CODE_HOLDERS:
        _CODE_HOLDERS.append(holder)


def credit_code_taken(code: str, *, except_user_id: int | None = None) -> bool:
    """Whether an enterprise account or (through the registered lookups) a profile of another user than
    `except_user_id` holds the credit code."""
    accounts = EnterpriseAccount.objects.filter(credit_code=code)
    if except_user_id is not None:
        accounts = accounts.exclude(user_id=except_user_id)
    return accounts.exists() or any(holder(code, except_user_id) for holder in _CODE_HOLDERS)


def register_enterprise(
    *,
    username: str,
    password: str,
    enterprise_name: str,
    code: str,
    contact: str,
    mobile: str,
    email: str,
    ip: str = "",
) -> User:
    """企业注册: create the enterprise user (企业用户 only, never staff) and its registration record.

    The password must already have passed the validators (the form does that, as it knows both copies).
    """
    username = username.strip()
    enterprise_name = enterprise_name.strip()
    code = credit_code.normalize(code)
    if not username or not enterprise_name or not contact.strip():
        raise ValidationFailed("请填写用户名、企业名称和联系人。")
    check_field(enterprise_name, EnterpriseAccount, "name", "企业名称")
    check_field(contact.strip(), EnterpriseAccount, "contact", "联系人")
    problem = credit_code.problem(code)
    if problem:
        raise ValidationFailed(problem)
    problem = mobile_problem(mobile)
    if problem:
        raise ValidationFailed(problem)
    with transaction.atomic():
        # One registration at a time: the case-insensitive username check below then cannot race.
        login_guard.serialize("register")
        if ip:
            retry = login_guard.take(
                key=f"register:{ip}",
                limit=settings.FAZHI_REGISTRATIONS_PER_IP_HOUR,
                window=dt.timedelta(hours=1),
            )
            if retry is not None:
                raise DomainError(
                    f"同一网络地址每小时最多注册 {settings.FAZHI_REGISTRATIONS_PER_IP_HOUR} 个账号，"
                    f"请于 {login_guard.until_text(retry)} 后再试，或联系区财政局办理。",
                    code="too_many_registrations",
                    status=429,
                )
        if User.objects.filter(username__iexact=username).exists():
            raise Conflict(f"用户名“{username}”已被使用，请换一个用户名。")
        if EnterpriseAccount.objects.filter(credit_code=code).exists():
            raise Conflict(
                "该统一社会信用代码已注册过企业账号，每家企业只能注册一个账号。"
                "如忘记用户名或密码，请在登录页使用“找回密码”；如需更换账号，请联系区财政局。"
            )
        if credit_code_taken(code):  # held by another account's enterprise profile (政策体检)
            raise Conflict(CREDIT_CODE_TAKEN)
        user = User(
            username=username,
            email=email.strip(),
            display_name=contact.strip(),
            department=enterprise_name,
            phone=normalize_mobile(mobile),
            is_active=True,
            is_staff=False,
            is_superuser=False,
        )
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
                EnterpriseAccount.objects.create(
                    user=user,
                    name=enterprise_name,
                    credit_code=code,
                    contact=contact.strip(),
                    mobile=normalize_mobile(mobile),
                    registered_ip=ip,
                )
        except IntegrityError:
            raise Conflict("该用户名或统一社会信用代码刚刚已被注册，请检查后重试。")
        group, _ = Group.objects.get_or_create(name=roles.ENTERPRISE)
        user.groups.add(group)
    return user


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def update_profile(*, user: User, display_name: str, email: str) -> list[str]:
    """账号信息: change the user's own 姓名 and 电子邮箱; returns the labels of what changed (empty: nothing)."""
    display_name = unicodedata.normalize("NFKC", str(display_name or "")).strip()
    email = User.objects.normalize_email(str(email or "").strip())
    if not display_name:
        raise ValidationFailed("请填写姓名。")
    check_length(display_name, "姓名", 100)
    if _CONTROL.search(display_name):
        raise ValidationFailed("姓名不能含换行等控制字符。")
    if not email:
        raise ValidationFailed("请填写电子邮箱：找回密码和订阅邮件都发送到这个地址。")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed("电子邮箱格式不正确，如 name@example.com。") from None
    if len(email) > 254:
        raise ValidationFailed("电子邮箱不能超过 254 个字符。")
    before = {"display_name": user.display_name, "email": user.email}
    after = {"display_name": display_name, "email": email}
    changed = [key for key in after if before[key] != after[key]]
    if not changed:
        return []
    with transaction.atomic():
        # update() sends no signal: one event that says what happened instead of the generic row "update".
        User.objects.filter(pk=user.pk).update(**{key: after[key] for key in changed})
        audit.record(
            action="profile_update",
            obj=user,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
            comment="本人修改账号信息",
            actor=user,
        )
    old_email = user.email
    for key in changed:
        setattr(user, key, after[key])
    if "email" in changed and old_email:
        # Whoever changed it, the owner of the old address hears of it (a session taken over shows up here).
        send_mail(
            f"{settings.SITE_NAME}：账号电子邮箱已更改",
            f"您的账号“{user.get_username()}”的电子邮箱已改为 {email}。如非本人操作，请立即修改密码并联系系统管理员。",
            None,
            [old_email],
            fail_silently=True,
        )
    labels = {"display_name": "姓名", "email": "电子邮箱"}
    return [labels[key] for key in changed]
