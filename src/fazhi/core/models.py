"""Users, API tokens, in-site messages and the hash-chained audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class User(AbstractUser):
    """平台用户. Roles are groups (see fazhi.core.roles)."""

    display_name = models.CharField("姓名", max_length=100, blank=True)
    department = models.CharField("部门/单位", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    password_changed_at = models.DateTimeField("密码设置时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def has_role(self, *roles: str) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        names = getattr(self, "_role_cache", None)
        if names is None:
            names = set(self.groups.values_list("name", flat=True))
            self._role_cache = names
        return bool(names.intersection(roles))


class ApiToken(models.Model):
    """Bearer token for /api/v1/. Only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.BooleanField("已吊销", default=False)

    audit_exempt = True

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, key_hash=cls.hash_key(key), prefix=key[:8])
        return token, key

    @staticmethod
    def lifetime() -> dt.timedelta:
        return dt.timedelta(days=settings.FAZHI_TOKEN_DAYS)

    @property
    def expires_at(self) -> dt.datetime:
        """Tokens expire FAZHI_TOKEN_DAYS after they were issued (the setting applies to existing ones too)."""
        return self.created_at + self.lifetime()


class Message(models.Model):
    """站内消息: a notice to one user (deadline reminders, review results, new matching policies)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="inbox", verbose_name="收件人")
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    category = models.CharField("类别", max_length=50, blank=True)
    # Idempotency key: the same event never produces two messages for one user.
    dedupe_key = models.CharField("去重键", max_length=200, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    audit_exempt = True

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="message_unique_dedupe",
            )
        ]
        indexes = [
            # The inbox (a user's messages, newest first) and the unread count every page header shows.
            models.Index(fields=["recipient", "-created_at"], name="message_inbox_idx"),
            models.Index(fields=["recipient", "read_at"], name="message_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class AuditEvent(models.Model):
    """审计日志: append-only; each row carries the hash of the previous one."""

    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="操作人")
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, db_index=True)
    object_id = models.CharField("对象ID", max_length=64, db_index=True, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    comment = models.TextField("说明", blank=True)
    request_id = models.CharField("请求ID", max_length=64, blank=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)

    audit_exempt = True

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-seq"]
        indexes = [
            # The history of one object (type and id together), e.g. every event of one draft.
            models.Index(fields=["object_type", "object_id"], name="auditevent_object_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class PeriodicRun(models.Model):
    """When each periodic job last ran."""

    name = models.CharField("任务", max_length=100, unique=True)
    last_run_at = models.DateTimeField("上次运行", null=True, blank=True)

    audit_exempt = True

    class Meta:
        verbose_name = "定时任务记录"
        verbose_name_plural = "定时任务记录"


class CalendarDay(models.Model):
    """节假日安排: one date that departs from the Monday–Friday week — a holiday on a weekday, or a
    weekend day that is worked (调休上班). The single calendar used by every working-day time limit."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "节假日"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节、国庆调休")
    note = models.TextField("备注", blank=True, help_text="如：国务院办公厅放假通知的文号")

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        # Monday–Friday are working days anyway; only a Saturday or Sunday can be a 调休 working day.
        if self.kind == self.Kind.WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"kind": "调休上班日应为周六或周日；周一至周五本来就是工作日。"})


class LoginAttempt(models.Model):
    """登录日志: one row per password check (login page, admin login, API token, password change).

    Kept FAZHI_LOGIN_LOG_DAYS (default 365, never under 184: 《网络安全法》第二十一条（三）requires network
    logs to be kept for at least six months); the daily job `core.login_housekeeping` deletes older rows.
    """

    class Channel(models.TextChoices):
        PAGE = "page", "登录页"
        ADMIN = "admin", "管理后台"
        API = "api", "接口令牌"
        PASSWORD_CHANGE = "password_change", "修改密码"
        PROFILE = "profile", "修改账号信息"
        OTHER = "other", "其他"

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        BAD_PASSWORD = "bad_password", "密码错误"
        LOCKED = "locked", "已锁定"
        INACTIVE = "inactive", "已停用"
        # The right password at the admin's door for an account that is not staff: refused, not a guess.
        NO_ADMIN = "no_admin", "无管理后台权限"
        BAD_OTP = "bad_otp", "动态验证码错误"

    at = models.DateTimeField("时间", db_index=True)
    username = models.CharField("输入的用户名", max_length=150, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="账号")
    ip = models.CharField("IP", max_length=64, blank=True, db_index=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    result = models.CharField("结果", max_length=20, choices=Result.choices, db_index=True)

    audit_exempt = True  # high volume; itself a log

    class Meta:
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_result_display()}"


class LoginThrottle(models.Model):
    """登录锁定 and self-service limits: recent failure (or event) times for one key and its lock.

    Keys: "user:<username in lower case>", "ip:<address>" (login failures), "register:<address>",
    "reset:<address>" (registrations, password-reset mails). Rows are changed only under a row lock
    (fazhi.core.login_guard), so every process counts the same attempts.
    """

    key = models.CharField("对象", max_length=200, unique=True)
    # Unix times of the failures (or events) still inside the window, oldest first.
    times = models.JSONField("最近失败时间", default=list, blank=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    audit_exempt = True  # unlocking is recorded explicitly (login_guard.unlock)

    class Meta:
        verbose_name = "登录锁定"
        verbose_name_plural = "登录锁定"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.key


class EnterpriseAccount(models.Model):
    """企业注册信息: who registered an enterprise account. One account per 统一社会信用代码."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="enterprise_account", verbose_name="账号"
    )
    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    contact = models.CharField("联系人", max_length=50)
    mobile = models.CharField("手机号", max_length=11)
    registered_at = models.DateTimeField("注册时间", auto_now_add=True)
    registered_ip = models.CharField("注册IP", max_length=64, blank=True)

    class Meta:
        verbose_name = "企业注册信息"
        verbose_name_plural = "企业注册信息"
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"


class Job(models.Model):
    """后台任务: long work (a large import) run by the task process, with progress a page can show.

    The kinds of work are registered by the apps (fazhi.core.jobs.register); this row says what was asked,
    how far it has got and how it ended, for the person who started it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "未完成"

    kind = models.CharField("任务类型", max_length=50)
    title = models.CharField("任务", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField("当前步骤", max_length=50, blank=True)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    file = models.FileField("上传文件", upload_to="jobs/%Y/%m/", max_length=300, blank=True)
    file_name = models.CharField("原文件名", max_length=255, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    # {"summary": str, "notes": [str], "errors": [str], "next_url": str, "next_label": str}
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("失败原因", blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="jobs", verbose_name="发起人")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    updated_at = models.DateTimeField("进度更新时间", auto_now=True)

    audit_exempt = True  # the work itself writes the audit events (e.g. one per import)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_owner_idx")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class TwoFactor(models.Model):
    """两步验证 of one user: a time-based one-time password (TOTP, RFC 6238, 6 digits every 30 s) from an
    authenticator app, set up by scanning a QR code. A code is accepted once (last_step); the recovery
    codes are kept only as hashes and each works once."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="two_factor", verbose_name="用户"
    )
    secret = models.CharField("密钥", max_length=64)
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_step = models.BigIntegerField("最近使用的时间步", default=0)
    recovery_hashes = models.JSONField("备用验证码（哈希）", default=list, blank=True)

    audit_exempt = (
        True  # the secret must never reach the audit log; enabling and disabling are recorded apart
    )

    class Meta:
        verbose_name = "两步验证"
        verbose_name_plural = "两步验证"

    def __str__(self) -> str:
        return f"{self.user}（{'已启用' if self.confirmed_at else '未完成设置'}）"
