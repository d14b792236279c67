"""Precheck settings the administrator can change (rule switches and severities).

The rules themselves are data in rules/*.yaml; a RuleSetting row overrides one rule. Every write is
recorded by the audit log automatically (fazhi app model).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Severity(models.TextChoices):
    HIGH = "高", "高"
    MEDIUM = "中", "中"
    LOW = "低", "低"


class RuleSetting(models.Model):
    """预审规则设置: switch a rule off or change its severity."""

    rule_id = models.CharField("规则编号", max_length=40, unique=True)
    enabled = models.BooleanField("启用", default=True)
    severity = models.CharField(
        "严重程度（覆盖）",
        max_length=2,
        choices=Severity.choices,
        blank=True,
        help_text="留空则使用规则文件中的默认值",
    )
    note = models.CharField("调整理由", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "预审规则设置"
        verbose_name_plural = "预审规则设置"
        ordering = ["rule_id"]

    def __str__(self) -> str:
        return self.rule_id
