"""预算绩效 tables: 绩效目标表 with its indicators, 绩效自评表 with its results, 重点绩效评价."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.performance import rules
from fazhi.performance.models.projects import ZERO, Project


class Status(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已审核"
    PUBLISHED = "published", "已公开"


EDITABLE = (Status.DRAFT, Status.RETURNED)


class Reviewed(models.Model):
    """The submit → review → publish fields the 绩效目标表 and the 自评表 share."""

    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField("审核意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核人",
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        abstract = True


class PerformanceTarget(Reviewed):
    """绩效目标表 of a project: annual goals and the indicator tree."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="target", verbose_name="项目"
    )
    annual_goal = models.TextField("年度总体目标", blank=True)

    class Meta:
        verbose_name = "绩效目标表"
        verbose_name_plural = "绩效目标表"

    def __str__(self) -> str:
        return f"{self.project} 绩效目标表"


class Indicator(models.Model):
    """指标: a level-3 indicator under its level-1 and level-2 categories."""

    target = models.ForeignKey(
        PerformanceTarget, on_delete=models.CASCADE, related_name="indicators", verbose_name="绩效目标表"
    )
    position = models.PositiveIntegerField("序号", default=0)
    level1 = models.CharField("一级指标", max_length=20, choices=[(c, c) for c in rules.LEVEL1])
    level2 = models.CharField("二级指标", max_length=40)
    name = models.CharField("三级指标", max_length=200)
    direction = models.CharField("指标方向", max_length=4, choices=rules.DIRECTION_CHOICES)
    target_value = models.CharField("目标值", max_length=200)
    unit = models.CharField("计量单位", max_length=40, blank=True)
    weight = models.DecimalField("分值", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["target", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.level1}/{self.level2}/{self.name}"


class SelfEvaluation(Reviewed):
    """绩效自评表: what the unit achieved, scored by the rules in force."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="self_evaluation", verbose_name="项目"
    )
    achievement = models.TextField("年度总体目标实际完成情况", blank=True)
    execution_rate = models.DecimalField("预算执行率（%）", max_digits=7, decimal_places=2, default=ZERO)
    execution_score = models.DecimalField("预算执行得分", max_digits=6, decimal_places=2, default=ZERO)
    execution_rule = models.TextField("预算执行计分说明", blank=True)
    total_score = models.DecimalField("总分", max_digits=6, decimal_places=2, default=ZERO)
    grade = models.CharField("等级", max_length=4, blank=True)
    grade_rule = models.CharField("等级依据", max_length=200, blank=True)
    # The rules change; a table keeps the 分值 its execution score was computed with (set by each scoring).
    weight_execution = models.DecimalField(
        "预算执行率分值",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="计分时适用的分值；评分规则修改后，只有重新计分的填报中（含退回修改）的表随之改变。",
    )
    scored_at = models.DateTimeField("计分时间", null=True, blank=True)

    class Meta:
        verbose_name = "绩效自评表"
        verbose_name_plural = "绩效自评表"

    def __str__(self) -> str:
        return f"{self.project} 绩效自评表"


class IndicatorResult(models.Model):
    """One indicator's actual value and score in a self-evaluation."""

    evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="results", verbose_name="绩效自评表"
    )
    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="result", verbose_name="指标"
    )
    actual_value = models.CharField("实际完成值", max_length=200, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, default=ZERO)
    met = models.BooleanField("已达成", default=False)
    rule = models.CharField("计分规则", max_length=40, blank=True)
    explanation = models.TextField("计分说明", blank=True)
    deviation_reason = models.TextField("偏差原因分析", blank=True)
    improvement = models.TextField("改进措施", blank=True)

    class Meta:
        verbose_name = "指标自评结果"
        verbose_name_plural = "指标自评结果"
        ordering = ["indicator__position", "indicator__pk"]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.actual_value}"


class KeyEvaluation(models.Model):
    """重点绩效评价: the bureau's own evaluation of a project, with findings."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="key_evaluations", verbose_name="项目"
    )
    evaluator = models.CharField("评价机构", max_length=200, default="区财政局")
    score = models.DecimalField("评价得分", max_digits=6, decimal_places=2)
    grade = models.CharField("等级", max_length=4, blank=True)
    grade_rule = models.CharField("等级依据", max_length=200, blank=True)
    findings = models.TextField("主要发现的问题")
    recommendations = models.TextField("整改建议", blank=True)
    is_final = models.BooleanField("已定稿", default=False)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "重点绩效评价"
        verbose_name_plural = "重点绩效评价"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project} 重点绩效评价"
