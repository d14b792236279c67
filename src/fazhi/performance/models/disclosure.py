"""预算绩效 disclosure and oversight: 公开记录, 报送人大 records and supervisors' remarks."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.performance.models.projects import BudgetUnit, Project


class Publication(models.Model):
    """公开记录 of a unit's budget year: budget approval date, publication date, the 20-day check.

    The year's final accounts (决算) have their own approval and publication dates on the same row, with
    the same 20-day check (预算法第十四条). They are fields rather than a second row of another kind: the
    final accounts of a year always follow its budget, and the public page, the API and the reminders
    treat a unit-year as one record whose `budget_approved_on` is always the budget's.
    """

    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.PROTECT, related_name="publications", verbose_name="预算单位"
    )
    year = models.PositiveIntegerField("预算年度")
    budget_approved_on = models.DateField("预算批复日期")
    published_on = models.DateField("公开日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="公开人",
    )
    note = models.TextField("公开说明", blank=True)
    final_accounts_approved_on = models.DateField("决算批复日期", null=True, blank=True)
    final_accounts_published_on = models.DateField("决算公开日期", null=True, blank=True)
    final_accounts_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="决算公开人",
    )

    class Meta:
        verbose_name = "绩效信息公开"
        verbose_name_plural = "绩效信息公开"
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="perf_publication_unique_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年绩效信息公开"


class CongressSubmission(models.Model):
    """报送人大: the date a unit-year's self-evaluation and key-evaluation results went with the budget to
    the People's Congress.

    Its own record rather than a `Publication` field: the budget goes to the 人大 before it is approved
    (批复), so the submission is often known before the year has a budget approval date, which every
    `Publication` row needs.
    """

    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.PROTECT, related_name="congress_submissions", verbose_name="预算单位"
    )
    year = models.PositiveIntegerField("预算年度")
    submitted_on = models.DateField("报送人大日期")
    note = models.TextField("报送说明", blank=True, help_text="如报送的材料、份数和接收机构。")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now=True)

    class Meta:
        verbose_name = "报送人大记录"
        verbose_name_plural = "报送人大记录"
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="perf_congress_unique_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度绩效结果报送人大"


class Remark(models.Model):
    """A supervisor's (or the bureau's) remark on a unit's performance information; never edited."""

    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.CASCADE, related_name="remarks", verbose_name="预算单位"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="remarks", verbose_name="项目"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="留言人",
    )
    body = models.TextField("意见")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "监督意见"
        verbose_name_plural = "监督意见"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:30]}"
