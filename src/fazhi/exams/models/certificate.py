"""执法证 and training: staff registry, enforcement certificates, training records."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class StaffProfile(models.Model):
    """人员登记: department and whether the post is an enforcement post (执法岗位)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name="人员"
    )
    department = models.CharField("科室/单位", max_length=200, db_index=True)
    post = models.CharField("岗位", max_length=200, blank=True)
    enforcement_post = models.BooleanField("执法岗位", default=False)
    post_since = models.DateField("任现岗位日期", null=True, blank=True)
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "人员登记"
        verbose_name_plural = "人员登记"
        ordering = ["department", "user__username"]

    def __str__(self) -> str:
        return f"{self.department} · {self.user}"


class StaffPostChange(models.Model):
    """在岗与执法岗位变更: a person's state in the staff registry from a date on (in post 在岗, in an
    enforcement post 执法岗位), until the next entry. The first entry is when the registry starts to know the
    person; nothing is known (nobody is counted) before it. 执法人员占比 and 法律专业人员 for a past date read
    the entry in force on that date, so a person who left in March still counts in January and one who joined
    in October does not. Written by services.staff only; never edited (a late entry for an earlier date is
    added, the later ones stay)."""

    profile = models.ForeignKey(
        # Kept: the monthly 执法人员占比 of past months reads it. A person with a history is not deleted (nor
        # their account): a departure is recorded as 不在岗 from a date.
        StaffProfile,
        on_delete=models.PROTECT,
        related_name="post_changes",
        verbose_name="人员",
    )
    effective_on = models.DateField("生效日期")
    is_active = models.BooleanField("在岗")
    enforcement_post = models.BooleanField("执法岗位")
    # The department from that date: a transfer is an entry, so a past month counts the person where they
    # were then. Empty only where nothing was known (counted in the registry's current department).
    department = models.CharField("科室/单位", max_length=200, blank=True)
    reason = models.TextField("原因", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "在岗与执法岗位变更"
        verbose_name_plural = "在岗与执法岗位变更"
        ordering = ["effective_on", "pk"]
        indexes = [models.Index(fields=["profile", "effective_on"], name="staff_change_effective")]

    @property
    def state_label(self) -> str:
        return state_label(is_active=self.is_active, enforcement_post=self.enforcement_post)

    def __str__(self) -> str:
        return f"{self.effective_on} {self.state_label}"


def state_label(*, is_active: bool, enforcement_post: bool) -> str:
    """The state in the words of the registry: 在岗·执法岗位 / 在岗·非执法岗位 / 不在岗."""
    if not is_active:
        return "不在岗"
    return "在岗·执法岗位" if enforcement_post else "在岗·非执法岗位"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"
    EXPIRED = "expired", "过期"


class EnforcementCertificate(models.Model):
    """执法证."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates", verbose_name="持证人"
    )
    number = models.CharField("证件编号", max_length=60, unique=True)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField(
        "状态", max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    # The date the current status took effect (for the share over time: a suspension counts from then on).
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    issuer = models.CharField("发证机关", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    # The passed certification exams it was issued on, or the stated reason it was issued without them
    # (services.certificate_basis); empty on certificates recorded before the check existed.
    basis = models.TextField("发证依据", blank=True)

    class Meta:
        verbose_name = "执法证"
        verbose_name_plural = "执法证"
        ordering = ["expires_on"]

    def __str__(self) -> str:
        return f"{self.number}（{self.holder}）"


DEFAULT_VALIDITY_YEARS = 2
DEFAULT_VALIDITY_SOURCE = "示例值（执法证有效期 2 年），请按发证机关的规定核对后修改"


class CertificateRule(models.Model):
    """执法证规则: how long a newly issued certificate is valid when no expiry date is given (one row,
    corrected by the administrator; without the row the shipped default applies)."""

    key = models.CharField("规则键", max_length=20, unique=True, default="default", editable=False)
    validity_years = models.PositiveSmallIntegerField(
        "有效期（年）",
        default=DEFAULT_VALIDITY_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="发证时未填写“有效期至”的，有效期至为发证之日起满该年数的前一日。",
    )
    source = models.CharField("依据", max_length=300, default=DEFAULT_VALIDITY_SOURCE)
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "执法证规则"
        verbose_name_plural = "执法证规则"

    def __str__(self) -> str:
        return f"执法证有效期 {self.validity_years} 年"


class CertificateStatusChange(models.Model):
    """One status change of a 执法证, effective from a date: the history that lets 执法人员占比 be computed
    for any past date (a suspension lifted later still counts in the months it lasted)."""

    certificate = models.ForeignKey(
        EnforcementCertificate, on_delete=models.CASCADE, related_name="status_changes", verbose_name="执法证"
    )
    status = models.CharField("状态", max_length=12, choices=CertificateStatus.choices)
    effective_on = models.DateField("生效日期")
    reason = models.TextField("原因", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    # The retraining result that caused the change: a suspension for a failed retraining is lifted by a
    # later passed one, a suspension for any other reason is not.
    training = models.ForeignKey(
        "exams.TrainingRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate_changes",
        verbose_name="复训记录",
    )

    class Meta:
        verbose_name = "执法证状态变更"
        verbose_name_plural = "执法证状态变更"
        ordering = ["effective_on", "pk"]
        indexes = [models.Index(fields=["certificate", "effective_on"], name="cert_change_effective")]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.get_status_display()}"


class TrainingKind(models.TextChoices):
    TRAINING = "training", "培训"
    RETRAINING = "retraining", "复训（持证人员）"


class TrainingResult(models.TextChoices):
    NONE = "", "未考核"
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class TrainingRecord(models.Model):
    """培训记录. A retraining (复训) may carry its result: a failed one suspends the person's enforcement
    certificate, a later passed one restores it (services.retraining)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainings", verbose_name="人员"
    )
    date = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    topic = models.CharField("培训主题", max_length=200)
    organizer = models.CharField("组织单位", max_length=200, blank=True)
    kind = models.CharField(
        "类型", max_length=12, choices=TrainingKind.choices, default=TrainingKind.TRAINING
    )
    result = models.CharField(
        "考核结果",
        max_length=8,
        choices=TrainingResult.choices,
        default=TrainingResult.NONE,
        blank=True,
        help_text="仅复训填写：不合格的暂扣本人执法证，之后复训合格的恢复。",
    )

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"
