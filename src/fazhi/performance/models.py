"""预算绩效 models: budget units, projects, target tables, self-evaluations, key evaluations, disclosure.

Who may do what (decided here, enforced in `access.py`):
- a 预算单位 fills in its own tables: the accounts listed in `BudgetUnit.members` (unit users);
- the bureau (财政局: 分管领导 and 系统管理员) creates units and projects, reviews, publishes and
  writes key evaluations;
- 监督方 (纪检监察, 人大, 政协 accounts) read everything and may leave remarks, nothing else.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from fazhi.performance import rules

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
