"""法律专业资格登记: the legal qualifications of registered staff (法律职业资格, 公职律师, 法律顾问 …), behind the
count of legal specialists per department (the bureau's report names too few of them as a problem)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q


class QualificationKind(models.TextChoices):
    LEGAL_A = "legal_a", "法律职业资格（A证）"
    LEGAL_B = "legal_b", "法律职业资格（B证）"
    LEGAL_C = "legal_c", "法律职业资格（C证）"
    PUBLIC_LAWYER = "public_lawyer", "公职律师证"
    LEGAL_ADVISER = "legal_adviser", "法律顾问聘任"
    OTHER = "other", "其他"


# Kinds that are certificates: each carries a certificate number (an appointment or "other" may not).
CERTIFICATE_KINDS = (
    QualificationKind.LEGAL_A,
    QualificationKind.LEGAL_B,
    QualificationKind.LEGAL_C,
    QualificationKind.PUBLIC_LAWYER,
)


class Qualification(models.Model):
    """法律专业资格: one qualification of a person in the staff registry (人员登记), valid from the date it was
    obtained until its expiry (none: no expiry)."""

    profile = models.ForeignKey(
        "exams.StaffProfile", on_delete=models.CASCADE, related_name="qualifications", verbose_name="人员"
    )
    kind = models.CharField("资格类型", max_length=20, choices=QualificationKind.choices)
    number = models.CharField(
        "证书编号/聘任文号", max_length=60, blank=True, help_text="法律职业资格证书和公职律师证必填。"
    )
    obtained_on = models.DateField("取得日期")
    expires_on = models.DateField("有效期至", null=True, blank=True, help_text="无有效期的留空。")
    issuer = models.CharField("发证/聘任机关", max_length=200, blank=True)
    note = models.TextField("备注", blank=True, help_text="资格类型为“其他”的，请在此写明资格名称。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "法律专业资格"
        verbose_name_plural = "法律专业资格"
        ordering = ["profile__department", "profile__user__username", "kind", "obtained_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=~Q(number=""),
                name="exams_qualification_unique_number",
                violation_error_message="同一类型的证书编号/聘任文号已登记，请核对。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    def is_valid_on(self, on: dt.date) -> bool:
        return self.obtained_on <= on and (self.expires_on is None or self.expires_on >= on)
