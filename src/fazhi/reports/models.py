"""数据看板与年度报告 models: the explicit rules that make two recorded unit names one unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class UnitAlias(models.Model):
    """单位名称对照: a unit recorded under another name (e.g. its full official name in procurement records)
    that the dashboard's unit filter treats as the same unit. Names are compared after removing whitespace
    and full-width forms; without a row here, two different names are two units (never a substring match)."""

    name = models.CharField(
        "记录中的名称", max_length=200, unique=True, help_text="如：武汉市汉阳区教育局（采购人名称）"
    )
    same_as = models.CharField("看板中的单位", max_length=200, help_text="如：区教育局（预算单位名称）")
    reason = models.CharField(
        "依据", max_length=300, blank=True, help_text="为什么是同一单位，如：同一统一社会信用代码"
    )

    class Meta:
        verbose_name = "单位名称对照"
        verbose_name_plural = "单位名称对照"
        ordering = ["same_as", "name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.same_as}"

    def clean(self) -> None:
        from fazhi.reports.units import normalise

        if normalise(self.name) == normalise(self.same_as):
            raise ValidationError("两个名称去掉空格和全角字符后相同，已按同一单位处理，无需对照。")
        if UnitAlias.objects.filter(name=self.same_as).exclude(pk=self.pk).exists():
            raise ValidationError(f"“{self.same_as}”本身已对照到其他单位，请直接对照到最终的单位名称。")
