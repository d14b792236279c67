from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils import timezone

from fazhi.core import credit_code, login_guard, roles, two_factor
from fazhi.core.errors import DomainError
from fazhi.core.forms import AdminLoginForm
from fazhi.core.limits import TextLimitsAdmin
from fazhi.core.models import (
    ApiToken,
    CalendarDay,
    EnterpriseAccount,
    Job,
    LoginAttempt,
    LoginThrottle,
    Message,
    User,
)
from fazhi.core.permissions import has_role

# The admin's own login form goes through the same lockout and says why a login was refused.
admin.site.login_form = AdminLoginForm


def _sysadmin(request: HttpRequest) -> bool:
    return has_role(request.user, roles.SYSADMIN)


class SysadminOnly:
    """系统管理员 only (a superuser holds every role): the login log and the locks are not for other staff."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _sysadmin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _sysadmin(request)


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _unlock(request: HttpRequest, keys: list[str], shown: str) -> None:
    try:
        count = login_guard.unlock(actor=request.user, keys=keys)
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    if count:
        messages.success(request, f"已解除 {count} 项登录锁定（{shown}），可立即重新登录。")
    else:
        messages.info(request, f"所选{shown}未处于锁定状态，已清除其登录失败计数。")


class EnterpriseAccountForm(django_forms.ModelForm):
    class Meta:
        model = EnterpriseAccount
        fields = ("name", "credit_code", "contact", "mobile")

    def clean_credit_code(self) -> str:
        code = credit_code.normalize(self.cleaned_data["credit_code"])
        problem = credit_code.problem(code)
        if problem:
            raise django_forms.ValidationError(problem)
        return code


class EnterpriseAccountInline(admin.StackedInline):
    model = EnterpriseAccount
    form = EnterpriseAccountForm
    can_delete = False
    extra = 0
    max_num = 1
    fields = ("name", "credit_code", "contact", "mobile", "registered_at", "registered_ip")
    readonly_fields = ("registered_at", "registered_ip")
    verbose_name_plural = "企业注册信息"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("单位信息", {"fields": ("display_name", "department", "phone")}),
    )
    list_display = ("username", "display_name", "department", "is_active", "is_staff")
    search_fields = ("username", "display_name", "department", "enterprise_account__credit_code")
    inlines = [EnterpriseAccountInline]
    actions = ["unlock_login", "reset_two_factor"]

    def get_actions(self, request: HttpRequest) -> dict:
        found = super().get_actions(request)
        if not _sysadmin(request):
            found.pop("unlock_login", None)
            found.pop("reset_two_factor", None)
        return found

    @admin.action(description="重置所选用户的两步验证（手机丢失时）")
    def reset_two_factor(self, request: HttpRequest, queryset: Any) -> None:
        if not _sysadmin(request):
            messages.error(request, "只有系统管理员可以重置两步验证。")
            return
        reset = [u.get_username() for u in queryset if two_factor.reset_by_admin(actor=request.user, user=u)]
        if reset:
            messages.success(
                request,
                f"已重置 {len(reset)} 个用户的两步验证：{'、'.join(reset[:10])}。他们下次登录只需密码，可重新设置。",
            )
        else:
            messages.info(request, "所选用户都没有启用两步验证。")

    @admin.action(description="解除所选用户的登录锁定")
    def unlock_login(self, request: HttpRequest, queryset: Any) -> None:
        names = [user.get_username() for user in queryset]
        _unlock(request, [login_guard.user_key(name) for name in names], "、".join(names[:10]))


@admin.register(LoginAttempt)
class LoginAttemptAdmin(SysadminOnly, ReadOnly, admin.ModelAdmin):
    """登录日志: read-only; every password check on the login page, the admin login, the API and the
    password-change page."""

    list_display = ("at", "username", "user", "result", "channel", "ip", "user_agent")
    # "at" as a list filter (今天/过去7天/本月/今年) rather than date_hierarchy: the hierarchy's year/month
    # links run a DISTINCT over every row of a year of logins on each page view.
    list_filter = ("result", "channel", "at")
    search_fields = ("username", "ip", "user_agent")
    list_select_related = ("user",)


class LockState(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("locked", "锁定中")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "locked":
            return queryset.filter(locked_until__gt=timezone.now())
        return queryset


@admin.register(LoginThrottle)
class LoginThrottleAdmin(SysadminOnly, ReadOnly, admin.ModelAdmin):
    """登录锁定: usernames and addresses with recent failures; 系统管理员 lifts a lock with the action."""

    list_display = ("key", "kind", "recent", "locked_until", "state", "updated_at")
    list_filter = (LockState,)
    search_fields = ("key",)
    actions = ["unlock"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).exclude(key__startswith="lock:")

    @admin.display(description="类型")
    def kind(self, obj: LoginThrottle) -> str:
        prefix = obj.key.split(":", 1)[0]
        return {
            "user": "用户名",
            "ip": "登录地址",
            "register": "注册（地址）",
            "reset": "找回密码（地址）",
        }.get(prefix, prefix)

    @admin.display(description="记录的失败/请求次数")
    def recent(self, obj: LoginThrottle) -> int:
        return len(obj.times or [])

    @admin.display(description="是否锁定")
    def state(self, obj: LoginThrottle) -> str:
        if obj.locked_until and obj.locked_until > timezone.now():
            return f"锁定中（至 {login_guard.until_text(obj.locked_until)}）"
        return "未锁定"

    @admin.action(description="解除所选对象的登录锁定")
    def unlock(self, request: HttpRequest, queryset: Any) -> None:
        keys = [row.key for row in queryset]
        _unlock(request, keys, "、".join(keys[:10]))


@admin.register(EnterpriseAccount)
class EnterpriseAccountAdmin(SysadminOnly, admin.ModelAdmin):
    """企业注册信息: 系统管理员 may correct a name or code; accounts are created by 企业注册."""

    form = EnterpriseAccountForm
    list_display = ("name", "credit_code", "user", "contact", "mobile", "registered_at")
    search_fields = ("name", "credit_code", "user__username", "contact", "mobile")
    readonly_fields = ("user", "registered_at", "registered_ip")
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _sysadmin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# 内容 of a 站内消息 (Message.body, a TextField) an administrator writes by hand in the admin: a notice of a
# few paragraphs. The system's own messages are built by the code from texts limited where they are written.
MESSAGE_BODY_LIMIT = 2000


@admin.register(Message)
class MessageAdmin(TextLimitsAdmin, admin.ModelAdmin):
    text_limits = {"body": ("内容", MESSAGE_BODY_LIMIT)}
    list_display = ("title", "recipient", "category", "created_at", "read_at")
    list_filter = ("category",)
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)  # a <select> of every user (thousands of enterprise accounts) otherwise


@admin.register(Job)
class JobAdmin(SysadminOnly, ReadOnly, admin.ModelAdmin):
    """Every user's 后台任务, for the system administrator looking into a failed or stuck import."""

    list_display = ("title", "created_by", "status", "stage", "done", "total", "created_at", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("title", "file_name", "created_by__username")
    list_select_related = ("created_by",)
    # The stored upload is not offered as a link: MEDIA_ROOT is never served directly.
    exclude = ("file",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "prefix", "created_at", "expires", "last_used_at", "revoked", "state")
    readonly_fields = ("key_hash", "prefix", "created_at", "last_used_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)

    @admin.display(description="到期时间")
    def expires(self, obj: ApiToken) -> Any:
        return obj.expires_at

    @admin.display(description="状态")
    def state(self, obj: ApiToken) -> str:
        if obj.revoked:
            return "已吊销"
        return "已过期" if obj.expires_at <= timezone.now() else "有效"


# 备注 of a 节假日安排 (CalendarDay.note, a TextField): the 放假通知's 文号 and a few words
HOLIDAY_NOTE_LIMIT = 500


@admin.register(CalendarDay)
class CalendarDayAdmin(TextLimitsAdmin, admin.ModelAdmin):
    """节假日安排: every working-day time limit (legality review, bid evaluation) reads this one list."""

    text_limits = {"note": ("备注", HOLIDAY_NOTE_LIMIT)}
    list_display = ("date", "weekday", "kind", "name", "note")
    list_filter = ("kind",)
    search_fields = ("name", "note")
    date_hierarchy = "date"

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return "一二三四五六日"[obj.date.weekday()]


# The audit log has its own module (Chinese labels and filters without a query); registered on import.
from fazhi.core import admin_audit  # noqa: E402, F401
