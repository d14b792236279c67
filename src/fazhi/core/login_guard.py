"""登录失败处理 and the login log.

GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》8.1.4.1 身份鉴别 b)：应具有登录失败处理功能，应配置并
启用结束会话、限制非法登录次数和当登录连接超时自动退出等相关措施. Here: FAZHI_LOGIN_MAX_FAILURES_PER_USER failed
password checks for one username (5), or FAZHI_LOGIN_MAX_FAILURES_PER_IP from one client address (30), within
FAZHI_LOGIN_FAILURE_WINDOW_MINUTES (15) lock that username / address for FAZHI_LOGIN_LOCK_MINUTES (15). While
locked even the right password is refused. (Session timeout: settings.SESSION_COOKIE_AGE.)

Contract:
- `LoginGuardBackend` is the project's only authentication backend, so every door that checks a password
  with django.contrib.auth.authenticate() — the login page, the admin's login, POST /api/v1/auth/token,
  the old password on /accounts/password/ — is counted, locked and logged the same way.
- Counting lives in the database (LoginThrottle, one row per key): an attempt is reserved under a row lock
  *before* its password is checked, so any number of processes and threads together get at most the
  allowed number of checks; a success gives its reservation back.
- Unknown usernames are counted and answered exactly like wrong passwords.
- `outcome(request)` tells a form or view why authenticate() returned None.
- At the admin's login (channel "admin") only staff accounts authenticate: the right password of another
  account is logged as 无管理后台权限 (not 成功) and, not being a guess, does not count toward a lock.
- `take()` is the same counter for self-service limits (registrations, reset mails per address and hour).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.middleware import client_ip
from fazhi.core.models import LoginAttempt, LoginThrottle

Result = LoginAttempt.Result
Channel = LoginAttempt.Channel

USER_LOCKED = "登录失败次数过多，该账号已暂时锁定，请于 {until} 后再试或联系系统管理员。"
IP_LOCKED = "登录失败次数过多，您所在网络地址的登录已暂时锁定，请于 {until} 后再试或联系系统管理员。"
INACTIVE = "该账号已停用，请联系系统管理员。"
NO_ADMIN = "该账号没有管理后台权限：管理后台仅供工作人员使用，请从网站登录页（/accounts/login/）登录。"
BAD_CREDENTIALS = "用户名或密码错误，请重新输入。"


def user_key(username: str) -> str:
    # One count for "Alice" and "alice": usernames are unique without regard to case (企业注册).
    return "user:" + str(username).strip().lower()[:150]


def ip_key(ip: str) -> str:
    return "ip:" + ip


def until_text(when: dt.datetime) -> str:
    """HH:MM local time, rounded up so that "after HH:MM" is true."""
    local = timezone.localtime(when)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return f"{local:%H:%M}"


@dataclass
class Outcome:
    """Why a password check ended as it did (left on the request for the form or view)."""

    result: str
    locked_until: dt.datetime | None = None
    scope: str = ""  # "user" or "ip" when locked

    @property
    def message(self) -> str:
        if self.result == Result.LOCKED and self.locked_until is not None:
            template = IP_LOCKED if self.scope == "ip" else USER_LOCKED
            return template.format(until=until_text(self.locked_until))
        if self.result == Result.INACTIVE:
            return INACTIVE
        if self.result == Result.NO_ADMIN:
            return NO_ADMIN
        return BAD_CREDENTIALS


def outcome(request: HttpRequest | None) -> Outcome | None:
    return getattr(request, "fazhi_login_outcome", None)


# --- counting ---------------------------------------------------------------------------------


@dataclass
class Ticket:
    """One reserved attempt: the keys it was counted against, or the lock that refused it."""

    limits: dict[str, int]
    stamp: float
    locked_until: dt.datetime | None = None
    locked_key: str = ""
    locks_set: list[str] = field(default_factory=list)  # keys this attempt locked (lifted if it succeeds)
    lock_ends: dt.datetime | None = None


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.FAZHI_LOGIN_FAILURE_WINDOW_MINUTES)


def _lock_rows(keys: list[str]) -> dict[str, LoginThrottle]:
    """The rows of `keys`, created if missing and locked until the transaction ends (sorted: no deadlock)."""
    keys = sorted(set(keys))
    LoginThrottle.objects.bulk_create([LoginThrottle(key=k) for k in keys], ignore_conflicts=True)
    return {r.key: r for r in LoginThrottle.objects.select_for_update().filter(key__in=keys).order_by("key")}


def reserve(*, username: str, ip: str) -> Ticket:
    """Count one attempt against the username and the address, or report the lock that refuses it."""
    limits = {user_key(username): settings.FAZHI_LOGIN_MAX_FAILURES_PER_USER}
    if ip:
        limits[ip_key(ip)] = settings.FAZHI_LOGIN_MAX_FAILURES_PER_IP
    return reserve_keys(limits)


def reserve_keys(limits: dict[str, int]) -> Ticket:
    """Count one attempt against each key (at most its limit within the window, then locked), or report
    the lock that refuses it. `settle` the ticket once the attempt is judged."""
    now = timezone.now()
    ticket = Ticket(limits=limits, stamp=now.timestamp())
    oldest = (now - _window()).timestamp()
    with transaction.atomic():
        rows = _lock_rows(list(limits))
        locks = sorted(
            (row.locked_until, key)
            for key, row in rows.items()
            if row.locked_until and row.locked_until > now
        )
        if locks:
            ticket.locked_until, ticket.locked_key = locks[-1]
            return ticket
        for key, limit in limits.items():
            row = rows[key]
            if row.locked_until is not None:  # a lock that has run out: a fresh start
                row.times, row.locked_until = [], None
            row.times = [t for t in row.times if t > oldest] + [ticket.stamp]
            if len(row.times) >= limit:
                # The limit-th attempt locks at once, so a concurrent one is refused; a success lifts it.
                row.locked_until = now + dt.timedelta(minutes=settings.FAZHI_LOGIN_LOCK_MINUTES)
                ticket.locks_set.append(key)
                ticket.lock_ends = row.locked_until
            row.save(update_fields=["times", "locked_until", "updated_at"])
    return ticket


def settle(ticket: Ticket, result: str) -> None:
    """A failure stays counted. A success clears the username's count and gives the address its
    reservation back; the right password of a disabled account, or of a non-staff account at the admin's
    door, is not a guess: both reservations are given back (and a lock this attempt set is lifted), but
    earlier failures stay counted — the refused login proves the password, it does not log anyone in."""
    if result in (Result.BAD_PASSWORD, Result.BAD_OTP) or ticket.locked_until is not None:
        return
    with transaction.atomic():
        rows = _lock_rows(list(ticket.limits))
        for key, row in rows.items():
            if result == Result.SUCCESS and key.startswith("user:"):
                row.times, row.locked_until = [], None
            else:
                if ticket.stamp in row.times:
                    row.times.remove(ticket.stamp)
                if key in ticket.locks_set:
                    row.locked_until = None
            row.save(update_fields=["times", "locked_until", "updated_at"])


def take(*, key: str, limit: int, window: dt.timedelta) -> dt.datetime | None:
    """Count one event for `key` unless `limit` events already happened within `window`: then return when
    the next one will be allowed (nothing is counted). Runs in the caller's transaction when there is one,
    so an event that fails later is not counted either."""
    now = timezone.now()
    with transaction.atomic():
        row = _lock_rows([key])[key]
        times = [t for t in row.times if t > (now - window).timestamp()]
        if len(times) >= limit:
            return dt.datetime.fromtimestamp(math.ceil(times[0] + window.total_seconds()), tz=dt.UTC)
        row.times = times + [now.timestamp()]
        row.save(update_fields=["times", "updated_at"])
    return None


def recheck_password(
    request: HttpRequest | None, *, user: Any, password: str, channel: str
) -> tuple[bool, str]:
    """A signed-in user's password asked again (to change the e-mail or the password, to set up 两步验证),
    counted, locked and logged like a login so that such a page cannot be used to guess it:
    (True, "") when right, (False, the lock's message) when locked, (False, "") when wrong."""
    from django.contrib.auth import authenticate

    if request is not None:
        request.fazhi_login_channel = channel  # type: ignore[attr-defined]
    if authenticate(request, username=user.get_username(), password=password) is not None:
        return True, ""
    found = outcome(request)
    return False, found.message if found is not None and found.result == Result.LOCKED else ""


def serialize(name: str) -> None:
    """Hold a lock named `name` until the current transaction ends (one registration at a time)."""
    _lock_rows([f"lock:{name}"])


def forget(keys: list[str]) -> list[str]:
    """Lift the locks on `keys` and forget their failures; returns the keys that were locked."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(LoginThrottle.objects.select_for_update().filter(key__in=keys).order_by("key"))
        locked = [row.key for row in rows if row.locked_until and row.locked_until > now]
        LoginThrottle.objects.filter(pk__in=[row.pk for row in rows]).update(
            times=[], locked_until=None, updated_at=now
        )
    return locked


def unlock(*, actor: Any, keys: list[str]) -> int:
    """Lift the locks on `keys` and forget their failures (系统管理员, from the admin); returns how many
    keys were locked."""
    from fazhi.core import roles
    from fazhi.core.permissions import require_role

    require_role(actor, roles.SYSADMIN, message="只有系统管理员可以解除登录锁定。")
    with transaction.atomic():
        locked = forget(keys)
        for key in keys:
            audit.record(
                action="unlock",
                object_type="core.LoginThrottle",
                object_id=key[:64],
                object_repr=key,
                comment="解除登录锁定" if key in locked else "清除登录失败计数（未处于锁定状态）",
                actor=actor,
            )
    return len(locked)


def housekeeping() -> None:
    """Daily: drop login-log rows past FAZHI_LOGIN_LOG_DAYS, and counters untouched for longer than any
    window or lock (a spray of invented usernames would otherwise leave one row per name)."""
    now = timezone.now()
    LoginAttempt.objects.filter(at__lt=now - dt.timedelta(days=settings.FAZHI_LOGIN_LOG_DAYS)).delete()
    quiet = max(_window(), dt.timedelta(minutes=settings.FAZHI_LOGIN_LOCK_MINUTES), dt.timedelta(hours=1))
    LoginThrottle.objects.filter(updated_at__lt=now - quiet).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    ).delete()


# --- the backend ------------------------------------------------------------------------------


def channel_of(request: HttpRequest | None) -> str:
    if request is None:
        return Channel.OTHER
    explicit = getattr(request, "fazhi_login_channel", "")
    if explicit:
        return explicit
    path = request.path or ""
    if path.startswith("/admin/"):
        return Channel.ADMIN
    if path.startswith("/api/"):
        return Channel.API
    return Channel.PAGE


def record(*, request: HttpRequest | None, username: str, user: Any, result: str) -> LoginAttempt:
    meta = request.META if request is not None else {}
    return LoginAttempt.objects.create(
        at=timezone.now(),
        username=str(username)[:150],
        user=user if getattr(user, "pk", None) else None,
        ip=client_ip(request) if request is not None else "",
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:300],
        channel=channel_of(request),
        result=result,
    )


class LoginGuardBackend(ModelBackend):
    """ModelBackend with the lockout and the login log in front of the password check."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        ticket = reserve(username=username, ip=client_ip(request) if request is not None else "")
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if ticket.locked_until is not None:
            result = Result.LOCKED
        elif user is None:
            user_model().set_password(password)  # as long as a real check: do not reveal unknown names
            result = Result.BAD_PASSWORD
        elif not user.check_password(password):
            result = Result.BAD_PASSWORD
        elif not self.user_can_authenticate(user):
            result = Result.INACTIVE
        elif channel_of(request) == Channel.ADMIN and not user.is_staff:
            # The admin would refuse the session anyway (AdminAuthenticationForm): log it as refused.
            result = Result.NO_ADMIN
        else:
            result = Result.SUCCESS
        settle(ticket, result)
        record(request=request, username=username, user=user, result=result)
        if request is not None:
            found = Outcome(result, ticket.locked_until, ticket.locked_key.split(":", 1)[0])
            if result == Result.BAD_PASSWORD and ticket.locks_set:
                # This failure was the last one allowed: say so now, not on the next try.
                scope = "user" if any(k.startswith("user:") for k in ticket.locks_set) else "ip"
                found = Outcome(Result.LOCKED, ticket.lock_ends, scope)
            request.fazhi_login_outcome = found  # type: ignore[attr-defined]
        return user if result == Result.SUCCESS else None
