"""预算绩效 units and projects: 预算单位 and their 项目支出 by budget year."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

ZERO = Decimal("0")


class BudgetUnit(models.Model):
    """预算单位."""

    name = models.CharField("单位名称", max_length=200, unique=True)
    code = models.CharField("单位编码", max_length=40, unique=True, help_text="用于公开页面地址，如 jyj")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="budget_units",
        verbose_name="单位填报人员",
        help_text="这些账号可以填报本单位的绩效目标表和自评表。",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "预算单位"
        verbose_name_plural = "预算单位"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """项目支出: one spending project of a unit in a budget year."""

    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.PROTECT, related_name="projects", verbose_name="预算单位"
    )
    year = models.PositiveIntegerField("预算年度")
    code = models.CharField("项目编码", max_length=60)
    name = models.CharField("项目名称", max_length=200)
    department = models.CharField("主管部门", max_length=200, blank=True)
    budget_initial = models.DecimalField("年初预算数（万元）", max_digits=14, decimal_places=2, default=ZERO)
    budget_full_year = models.DecimalField(
        "全年预算数（万元）", max_digits=14, decimal_places=2, default=ZERO
    )
    executed = models.DecimalField("全年执行数（万元）", max_digits=14, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = "项目支出"
        verbose_name_plural = "项目支出"
        ordering = ["unit__code", "-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "code"], name="perf_project_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"
