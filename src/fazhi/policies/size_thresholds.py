"""划型标准 as data: the SizeThreshold table (registered through fazhi.policies.models).

The rows mirror data/sme_sizes.yaml, one per industry and band; the classifier (fazhi.policies.sizing)
reads them, and corrections go through fazhi.policies.services.thresholds.
"""

from __future__ import annotations

from django.db import models

from fazhi.policies import sizing


class SizeBand(models.TextChoices):
    """The bands that have a floor; 微型 is what lies below the 小型 floor."""

    LARGE = "large", "大型（中小微型企业上限）"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"


class SizeThreshold(models.Model):
    """划型标准: the floor of one band in one industry of the 300号 table, with its source.

    An enterprise reaches the band when it is at or above every indicator filled in (且); below any one
    of them (或) it falls to the next band. A blank indicator is one the industry is not measured by.
    """

    industry = models.CharField(
        "划型行业", max_length=40, help_text="data/sme_sizes.yaml 中的行业键，如 industry、software"
    )
    band = models.CharField("规模档次", max_length=10, choices=SizeBand.choices)
    employees = models.PositiveIntegerField("从业人员下限（人）", null=True, blank=True)
    revenue = models.DecimalField(
        "营业收入下限（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets = models.DecimalField(
        "资产总额下限（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("依据", max_length=300)
    note = models.TextField("修改说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业划型标准"
        verbose_name_plural = "企业划型标准"
        ordering = ["industry", "band"]  # large, medium, small: the bands from the top down
        constraints = [
            models.UniqueConstraint(fields=["industry", "band"], name="policies_size_threshold_unique_band")
        ]

    def __str__(self) -> str:
        shipped = sizing.industries().get(self.industry)
        return f"{shipped.name if shipped else self.industry} · {self.get_band_display()}"
