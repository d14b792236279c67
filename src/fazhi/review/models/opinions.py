"""合法性审查 opinion models: pre-check findings, review opinions and their numbered findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.review.models.drafts import Draft, DraftVersion


class PrecheckFinding(models.Model):
    """预审发现: a finding of the automated pre-check on one version; the reviewer accepts or dismisses it."""

    class Decision(models.TextChoices):
        OPEN = "open", "待处理"
        ACCEPTED = "accepted", "已采纳"
        DISMISSED = "dismissed", "已排除"

    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="precheck_findings", verbose_name="版本"
    )
    rule_id = models.CharField("规则", max_length=60)
    family = models.CharField("规则类别", max_length=20)
    severity = models.CharField("严重程度", max_length=10)
    paragraph = models.PositiveIntegerField("段落")
    start = models.PositiveIntegerField("起始位置", default=0)
    end = models.PositiveIntegerField("结束位置", default=0)
    quote = models.TextField("原文", blank=True)
    message = models.TextField("问题")
    basis = models.TextField("依据", blank=True)
    suggestion = models.TextField("建议", blank=True)
    basis_url = models.CharField("依据链接", max_length=500, blank=True)
    decision = models.CharField("处理", max_length=10, choices=Decision.choices, default=Decision.OPEN)
    dismiss_reason = models.CharField("排除理由", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    # Derived rows written in bulk by the pre-check; decisions on them are recorded explicitly.
    audit_exempt = True

    class Meta:
        verbose_name = "预审发现"
        verbose_name_plural = "预审发现"
        ordering = ["version", "paragraph", "start", "pk"]

    def __str__(self) -> str:
        return f"第{self.paragraph}段 {self.rule_id}：{self.message[:40]}"


class Conclusion(models.TextChoices):
    PASS = "pass", "审查通过"
    PASS_WITH_OPINIONS = "pass_with_opinions", "原则同意，请按审查意见修改"
    REVISE = "revise", "退回修改，修改后重新报送"
    REJECT = "reject", "不予通过"


class ReviewOpinion(models.Model):
    """审查意见书: the reviewer's findings and conclusion on one version; issued at each decision."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="opinions", verbose_name="文稿")
    version = models.ForeignKey(
        DraftVersion, on_delete=models.PROTECT, related_name="opinions", verbose_name="审查版本"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="审查人"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签批领导",
    )
    doc_number = models.CharField("文号", max_length=60, blank=True)
    conclusion = models.CharField("结论", max_length=30, choices=Conclusion.choices, blank=True)
    conclusion_text = models.TextField("结论意见", blank=True)
    issued_at = models.DateTimeField("出具时间", null=True, blank=True)
    document = models.FileField("意见书文件", upload_to="review/opinions/%Y/", blank=True, max_length=300)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "审查意见书"
        verbose_name_plural = "审查意见书"
        ordering = ["draft", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"], condition=~models.Q(doc_number=""), name="review_opinion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return self.doc_number or f"{self.draft.title} 审查意见（未出具）"


class OpinionFinding(models.Model):
    """审查意见: one numbered finding, tied to a paragraph, optionally to a law article and a pre-check finding."""

    class Resolution(models.TextChoices):
        PENDING = "pending", "待核对"
        ADDRESSED = "addressed", "已采纳修改"
        NOT_ADDRESSED = "not_addressed", "未采纳"

    opinion = models.ForeignKey(
        ReviewOpinion, on_delete=models.CASCADE, related_name="findings", verbose_name="意见书"
    )
    seq = models.PositiveIntegerField("序号")
    paragraph = models.PositiveIntegerField("段落")
    text = models.TextField("意见")
    article = models.ForeignKey(
        "laws.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="法条",
    )
    precheck_finding = models.ForeignKey(
        PrecheckFinding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinion_findings",
        verbose_name="预审发现",
    )
    resolution = models.CharField(
        "采纳情况", max_length=20, choices=Resolution.choices, default=Resolution.PENDING
    )
    resolution_note = models.CharField("核对说明", max_length=500, blank=True)
    resolved_in = models.ForeignKey(
        DraftVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核对版本",
    )

    class Meta:
        verbose_name = "审查意见条目"
        verbose_name_plural = "审查意见条目"
        ordering = ["opinion", "seq"]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text[:40]}"
