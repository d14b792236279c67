"""合法性审查 records kept on a draft: procedure steps, 公平竞争审查, 有效期评估 and the state history."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.review.models.drafts import Draft, State


class ProcedureStep(models.TextChoices):
    """Procedure of a normative document before publication (国办发〔2018〕37号, see DOMAIN.md)."""

    CONSULTATION = "consultation", "征求意见"
    ASSESSMENT = "assessment", "评估论证"
    DELIBERATION = "deliberation", "集体审议"


class ProcedureRecord(models.Model):
    """程序记录: 征求意见 / 评估论证 / 集体审议 record of a normative document."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="procedures", verbose_name="文稿")
    step = models.CharField("程序", max_length=20, choices=ProcedureStep.choices)
    date = models.DateField("日期")
    summary = models.TextField("情况说明")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "程序记录"
        verbose_name_plural = "程序记录"
        ordering = ["draft", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.date}"


class FairConclusion(models.TextChoices):
    """公平竞争审查结论 (公平竞争审查条例, 2024): a measure that fails the standards is revised, not concluded."""

    NOT_INVOLVED = "not_involved", "不涉及经营主体经济活动"
    COMPLIANT = "compliant", "符合公平竞争审查标准"
    EXCEPTION = "exception", "适用例外规定"


class ExceptionGround(models.TextChoices):
    """公平竞争审查条例 第十二条: the grounds on which a restricting measure may still be issued."""

    SECURITY = "security", "维护国家安全和发展利益"
    SCIENCE = "science", "促进科学技术进步、增强国家自主创新能力"
    PUBLIC_INTEREST = "public_interest", "实现节约能源、保护环境、救灾救助等社会公共利益"
    LAW = "law", "法律、行政法规规定的其他情形"


class FairCompetitionReview(models.Model):
    """公平竞争审查记录: the drafting unit's review of a draft against the standards (DOMAIN.md)."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="fair_reviews", verbose_name="文稿"
    )
    version_number = models.PositiveIntegerField("审查的文稿版本", null=True, blank=True)
    conclusion = models.CharField("审查结论", max_length=20, choices=FairConclusion.choices)
    reviewed_on = models.DateField("审查日期")
    summary = models.TextField("审查情况")
    exception_ground = models.CharField(
        "例外情形", max_length=20, choices=ExceptionGround.choices, blank=True
    )
    necessity = models.TextField("适用例外情形的理由", blank=True)
    alternatives = models.TextField("无对公平竞争影响更小的替代方案的说明", blank=True)
    # Art 12: a reasonable term (ends_on) or an end condition (end_condition), at least one of them.
    ends_on = models.DateField("例外实施期限至", null=True, blank=True)
    end_condition = models.TextField("例外终止条件", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公平竞争审查记录"
        verbose_name_plural = "公平竞争审查记录"
        ordering = ["draft", "reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_conclusion_display()} {self.reviewed_on}"


class ValidityOutcome(models.TextChoices):
    """What the evaluation before the end of a normative document's validity period decided."""

    CONTINUE = "continue", "继续施行"
    AMEND = "amend", "修改后重新发布"
    REPEAL = "repeal", "宣布失效"


class ValidityEvaluation(models.Model):
    """有效期评估: a normative document is evaluated before its validity period ends (DOMAIN.md)."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="evaluations", verbose_name="文稿"
    )
    outcome = models.CharField("评估结论", max_length=20, choices=ValidityOutcome.choices)
    evaluated_on = models.DateField("评估日期")
    summary = models.TextField("评估情况")
    valid_until_before = models.DateField("原有效期至", null=True, blank=True)
    valid_until_after = models.DateField("评估后有效期至", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "有效期评估"
        verbose_name_plural = "有效期评估"
        ordering = ["draft", "evaluated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.evaluated_on}"


class Transition(models.Model):
    """流转记录: one state change with who, when and the comment (the audit chain holds the same event); also
    a correction of the publication's 文号 or 签发人, which leaves the state as it was."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="transitions", verbose_name="文稿"
    )
    action = models.CharField("操作", max_length=20)
    from_state = models.CharField("原状态", max_length=20, choices=State.choices)
    to_state = models.CharField("新状态", max_length=20, choices=State.choices)
    # Empty for the system's own steps: a normative document whose validity period ended expires by itself.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    comment = models.TextField("意见/说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    # audit.record() is called explicitly for each transition.
    audit_exempt = True

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["draft", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id else "系统（自动）"

    @property
    def action_label(self) -> str:
        """发布, 备案, 更正文号 …"""
        from fazhi.review.workflow import HISTORY_LABELS  # the workflow module imports these models

        return HISTORY_LABELS.get(self.action, self.action)
