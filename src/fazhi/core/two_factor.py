"""两步验证: a one-time code from an authenticator app after the password.

GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》8.1.4.1 d)（第三级）：应采用口令、密码技术、生物技术等
两种或两种以上组合的鉴别技术对用户进行身份鉴别. Here the second factor is TOTP (RFC 6238: HMAC-SHA1, 6 digits,
30-second steps), which every common authenticator app (including the ones inside 微信/企业微信 mini
programs and the phone makers' own) can hold.

Contract:
- `start(user)` → a new secret (not yet in force); `uri(user, secret)` and `qr_svg(uri)` show it.
- `enable(user, secret, code, password)` puts it in force once the app shows a right code and the password
  is right; returns the ten recovery codes, shown once.
- `verify(user, code, request=...)` accepts a current code (one step of clock drift either way) or an
  unused recovery code. A code is accepted once; wrong codes are counted per user
  (FAZHI_LOGIN_MAX_FAILURES_PER_USER within the login window, then a lock of FAZHI_LOGIN_LOCK_MINUTES;
  a right password does not reset this count) and logged in the login log as 动态验证码错误.
- `disable(user, password, code)`, `new_recovery_codes(user, code)`.
- `required(user)`: the user holds a role in FAZHI_2FA_REQUIRED_ROLES and must set it up before using
  the site (TwoFactorRequiredMiddleware).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import pyotp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from fazhi.core import audit, login_guard
from fazhi.core.errors import ValidationFailed
from fazhi.core.models import LoginAttempt, TwoFactor

RECOVERY_CODES = 10
STEP_SECONDS = 30
WRONG_CODE = "动态验证码不正确，请输入验证器应用中当前显示的 6 位数字（或一个未用过的备用验证码）。"
LOCKED = "动态验证码错误次数过多，请于 {until} 后再试或联系系统管理员。"


def enabled(user: Any) -> bool:
    return bool(
        getattr(user, "pk", None) and TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()
    )


def required(user: Any) -> bool:
    wanted = set(settings.FAZHI_2FA_REQUIRED_ROLES)
    if not wanted or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=wanted).exists()


def start() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def uri(user: Any, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=settings.SITE_NAME)


def qr_svg(text: str) -> str:
    import segno

    return str(segno.make(text, error="m").svg_inline(scale=4, title="两步验证二维码"))


def _digits(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "")


def _matching_step(secret: str, code: str, after: int, now: dt.datetime | None = None) -> int | None:
    """The time step whose code is `code` (now, or one step either side), if it is later than `after`."""
    code = _digits(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or timezone.now())
    for step in (current - 1, current, current + 1):
        if step > after and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(_digits(code).lower().encode()).hexdigest()


def _recovery_codes() -> tuple[list[str], list[str]]:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes, [_hash(c) for c in codes]


def enable(
    *, user: Any, secret: str, code: str, password: str, request: HttpRequest | None = None
) -> list[str]:
    _check_password(user, password, request)
    step = _matching_step(secret, code, after=0)
    if step is None:
        raise ValidationFailed("验证码不正确：请用验证器应用扫描二维码后，输入它当前显示的 6 位数字。")
    codes, hashes = _recovery_codes()
    with transaction.atomic():
        TwoFactor.objects.update_or_create(
            user=user,
            defaults={
                "secret": secret,
                "confirmed_at": timezone.now(),
                "last_step": step,
                "recovery_hashes": hashes,
            },
        )
        audit.record(action="2fa_enable", obj=user)
    return codes


def _otp_key(user: Any) -> str:
    return f"otp:{user.pk}"


def _check_password(user: Any, password: str, request: HttpRequest | None) -> None:
    right, locked = login_guard.recheck_password(
        request, user=user, password=password or "", channel=LoginAttempt.Channel.PROFILE
    )
    if not right:
        raise ValidationFailed(locked or "当前密码不正确。")


def verify(*, user: Any, code: str, request: HttpRequest | None = None) -> None:
    """Accept the code or raise ValidationFailed (wrong, used before, or too many wrong codes). Each try is
    counted by the login guard under its own key, so a right password does not reset the wrong codes."""
    if not enabled(user):
        raise ValidationFailed("该账号没有启用两步验证。")
    ticket = login_guard.reserve_keys({_otp_key(user): settings.FAZHI_LOGIN_MAX_FAILURES_PER_USER})
    if ticket.locked_until is not None:
        raise ValidationFailed(LOCKED.format(until=login_guard.until_text(ticket.locked_until)))
    if _accept(user, code):
        login_guard.forget([_otp_key(user)])  # a right code clears the wrong ones before it
        return
    login_guard.settle(ticket, LoginAttempt.Result.BAD_OTP)
    login_guard.record(
        request=request, username=user.get_username(), user=user, result=LoginAttempt.Result.BAD_OTP
    )
    if ticket.lock_ends is not None:  # this wrong code was the last one allowed
        raise ValidationFailed(LOCKED.format(until=login_guard.until_text(ticket.lock_ends)))
    raise ValidationFailed(WRONG_CODE)


def _accept(user: Any, code: str) -> bool:
    """Spend `code`: a current code not used before, or an unused recovery code."""
    with transaction.atomic():
        row = TwoFactor.objects.select_for_update().get(user=user, confirmed_at__isnull=False)
        step = _matching_step(row.secret, code, after=row.last_step)
        if step is not None:
            row.last_step = step
            row.save(update_fields=["last_step"])
            return True
        hashed = _hash(code)
        if hashed in row.recovery_hashes:
            row.recovery_hashes = [h for h in row.recovery_hashes if h != hashed]
            row.save(update_fields=["recovery_hashes"])
            audit.record(action="2fa_recovery_used", obj=user, after={"left": len(row.recovery_hashes)})
            return True
    return False


def recovery_left(user: Any) -> int:
    row = TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    return len(row.recovery_hashes) if row else 0


def new_recovery_codes(*, user: Any, code: str, request: HttpRequest | None = None) -> list[str]:
    verify(user=user, code=code, request=request)
    codes, hashes = _recovery_codes()
    TwoFactor.objects.filter(user=user).update(recovery_hashes=hashes)
    audit.record(action="2fa_new_recovery_codes", obj=user)
    return codes


def disable(*, user: Any, password: str, code: str, request: HttpRequest | None = None) -> None:
    if required(user):
        raise ValidationFailed("您的角色必须使用两步验证，不能关闭；更换手机请先用新手机重新设置。")
    _check_password(user, password, request)
    verify(user=user, code=code, request=request)
    TwoFactor.objects.filter(user=user).delete()
    audit.record(action="2fa_disable", obj=user)


def reset_by_admin(*, actor: Any, user: Any) -> bool:
    """A lost phone: the system administrator removes the user's 两步验证 (audited); the user sets it up anew."""
    deleted, _ = TwoFactor.objects.filter(user=user).delete()
    if deleted:
        audit.record(action="2fa_reset", obj=user, actor=actor, comment="系统管理员重置两步验证")
    return bool(deleted)
