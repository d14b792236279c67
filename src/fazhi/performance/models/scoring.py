"""预算绩效 评分规则: the scoring rules in force, edited by an administrator."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from fazhi.performance import rules
from fazhi.performance.models.projects import ZERO


class ScoringConfig(models.Model):
    """评分规则 in force: weights, grade thresholds, shortfall rules and the disclosure window.

    One row is the current set (`is_current`); an administrator edits it in the admin. Every
    self-evaluation stores the explanation of the rule that produced each score.
    """

    name = models.CharField("名称", max_length=100, default="现行评分规则")
    is_current = models.BooleanField("现行", default=True)
    weight_output = models.DecimalField("产出指标权重", max_digits=6, decimal_places=2, default=Decimal("50"))
    weight_benefit = models.DecimalField(
        "效益指标权重", max_digits=6, decimal_places=2, default=Decimal("30")
    )
    weight_satisfaction = models.DecimalField(
        "满意度指标权重", max_digits=6, decimal_places=2, default=Decimal("10")
    )
    weight_execution = models.DecimalField(
        "预算执行率分值", max_digits=6, decimal_places=2, default=Decimal("10")
    )
    grade_excellent_min = models.DecimalField(
        "“优”最低分", max_digits=6, decimal_places=2, default=Decimal("90")
    )
    grade_good_min = models.DecimalField("“良”最低分", max_digits=6, decimal_places=2, default=Decimal("80"))
    grade_fair_min = models.DecimalField("“中”最低分", max_digits=6, decimal_places=2, default=Decimal("60"))
    shortfall_mode = models.CharField(
        "定量指标未达成时",
        max_length=20,
        choices=rules.SHORTFALL_CHOICES,
        default=rules.PROPORTIONAL,
    )
    zero_below_ratio = models.DecimalField(
        "完成比例低于此值不得分",
        max_digits=5,
        decimal_places=4,
        default=ZERO,
        help_text="按比例计分时，完成比例（0–1）低于此值得 0 分；0 表示不设下限。",
    )
    equal_tolerance = models.DecimalField(
        "“=”指标允许偏差（%）", max_digits=6, decimal_places=2, default=ZERO
    )
    qualitative_levels = models.JSONField(
        "定性指标评级及得分比例",
        default=rules.default_qualitative_levels,
        help_text='如 {"达成": 1, "基本达成": 0.8, "部分达成": 0.5, "未达成": 0}',
    )
    disclosure_days = models.PositiveIntegerField("批复后公开期限（日）", default=20)
    disclosure_rolls_forward = models.BooleanField(
        "期限末日为休假日的顺延",
        default=False,
        help_text="勾选后，公开期限的最后一日为法定节假日或周末（按节假日安排）的，顺延至其后第一个工作日"
        "（参照《民法典》第二百零三条；是否适用于预决算公开期限，请法制机构确认）。",
    )
    basis = models.TextField("依据", default=rules.DEFAULT_BASIS)

    class Meta:
        verbose_name = "评分规则"
        verbose_name_plural = "评分规则"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Admin edits must leave a usable rule set: 100 points, descending grade thresholds, ratios 0–1."""
        from django.core.exceptions import ValidationError

        total = self.weight_output + self.weight_benefit + self.weight_satisfaction + self.weight_execution
        problems = []
        if total != 100:
            problems.append(f"四项分值合计为 {rules.fmt(total)}，应为 100。")
        if not (100 >= self.grade_excellent_min > self.grade_good_min > self.grade_fair_min > 0):
            problems.append("等级分数线须满足 100 ≥ 优 > 良 > 中 > 0。")
        if not 0 <= self.zero_below_ratio <= 1:
            problems.append("“完成比例低于此值不得分”须在 0 到 1 之间。")
        levels = self.qualitative_levels
        if not isinstance(levels, dict) or not levels:
            problems.append("定性指标评级须为“评级: 得分比例”的对应表。")
        else:
            for name, ratio in levels.items():
                number = rules.parse_number(ratio)
                if number is None or not 0 <= number <= 1:
                    problems.append(f"定性评级“{name}”的得分比例“{ratio}”须为 0 到 1 之间的数字。")
        if problems:
            raise ValidationError(problems)
