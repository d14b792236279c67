"""合法性审查 draft models: document types, states, the per-type rules, drafts and their versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DocType(models.TextChoices):
    NORMATIVE = "normative", "行政规范性文件"
    MAJOR_DECISION = "major_decision", "重大行政决策"
    CONTRACT = "contract", "合同"
    PENALTY = "penalty", "行政处罚决定书"
    PROCUREMENT = "procurement", "政府采购文件"
    OTHER = "other", "其他文书"


class State(models.TextChoices):
    DRAFTING = "drafting", "起草"
    SUBMITTED = "submitted", "已提交"
    IN_REVIEW = "in_review", "审查中"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "审查通过"
    REJECTED = "rejected", "不予通过"
    PUBLISHED = "published", "已发布"
    FILED = "filed", "已备案"
    EXPIRED = "expired", "已失效"


class DocTypeRule(models.Model):
    """审查规则: per document type, the review time limit and the normative-document periods (admin-editable)."""

    doc_type = models.CharField("文书类型", max_length=30, choices=DocType.choices, unique=True)
    review_days = models.PositiveSmallIntegerField("审查时限（工作日）", default=5)
    validity_years = models.PositiveSmallIntegerField(
        "有效期（年）", default=5, help_text="仅对规范性文件适用；到期前须重新评估"
    )
    filing_days = models.PositiveSmallIntegerField(
        "备案期限（公布后日数）", default=15, help_text="仅对规范性文件适用；自公布之日起计算的自然日"
    )
    filing_rolls_forward = models.BooleanField(
        "备案期限末日为休假日的顺延",
        default=False,
        help_text="勾选后，备案期限的最后一日为法定节假日或周末（按节假日安排）的，顺延至其后第一个工作日"
        "（参照《民法典》第二百零三条；是否适用于备案期限，请法制机构确认）。",
    )
    # 国办发〔2018〕37号: 规范性文件实行统一登记、统一编号、统一印发.
    numbering_required = models.BooleanField(
        "发布须登记文号和签发人",
        default=False,
        help_text="开启后，该类型的行政规范性文件发布时须填写发文字号和签发人，否则不能发布",
    )
    # 应审尽审: whether a document of the type issued without a legality review is 漏审 in the 发文登记簿.
    # Empty means the default (every type except 其他文书), so rows seeded before the field keep working.
    review_required = models.BooleanField(
        "发文须经合法性审查",
        null=True,
        blank=True,
        help_text="发文登记簿据此判断该类型的文件是否应当审查（漏审）；留空按默认：除“其他文书”外均须审查",
    )
    note = models.CharField("依据/说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "审查时限规则"
        verbose_name_plural = "审查时限规则"
        ordering = ["doc_type"]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()}：{self.review_days} 个工作日"


class Draft(models.Model):
    """送审文稿: a fiscal document that must pass legality review (应审尽审) before publication."""

    title = models.CharField("标题", max_length=300)
    doc_type = models.CharField("文书类型", max_length=30, choices=DocType.choices, db_index=True)
    is_normative = models.BooleanField("属于行政规范性文件", default=False)
    is_major = models.BooleanField(
        "重大事项", default=False, help_text="标记为重大的文稿，审查结论须分管领导签批"
    )
    unit = models.CharField("起草单位", max_length=200, db_index=True)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_drafts",
        verbose_name="起草人",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_drafts",
        verbose_name="审查人",
    )
    due_date = models.DateField("要求完成日期", null=True, blank=True)
    # 公平竞争审查条例 第十八条 (DOMAIN.md): a policy measure on market activity is not issued unreviewed.
    affects_market = models.BooleanField(
        "涉及经营主体经济活动",
        default=False,
        help_text="是则须经公平竞争审查（结论为符合审查标准或适用例外）方可发布。",
    )
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.DRAFTING, db_index=True
    )

    # The current review round: set on each submit.
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    round_submitted_at = models.DateTimeField("本轮提交时间", null=True, blank=True)
    review_deadline = models.DateField("审查期限", null=True, blank=True)
    review_days_used = models.PositiveIntegerField("已结束轮次审查用时（工作日）", default=0)
    late_rounds = models.PositiveIntegerField("超期轮次", default=0)
    # Version number current when the draft was last returned: a resubmission needs a newer version.
    returned_version = models.PositiveIntegerField("退回时的版本号", default=0)

    decided_at = models.DateTimeField("审查结论时间", null=True, blank=True)
    outcome = models.CharField("审查结论", max_length=20, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    # Set at publication from the text (periods.effective_on): the stated commencement, else published_on.
    effective_on = models.DateField("施行日期", null=True, blank=True)
    # 统一编号: the number and the signer given at publication (unique among the numbered drafts).
    doc_number = models.CharField("发文字号", max_length=60, blank=True, help_text="如：阳财规〔2026〕1号")
    signed_by = models.CharField("签发人", max_length=50, blank=True)
    filing_deadline = models.DateField("备案期限", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    expired_on = models.DateField("失效日期", null=True, blank=True)
    # 法规库: the version a published normative document became (review depends on laws, never the reverse),
    # or why it could not be registered (publication never waits on the library).
    law_version = models.ForeignKey(
        "laws.LawVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="法规库版本",
    )
    library_error = models.CharField("法规库载入问题", max_length=500, blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "送审文稿"
        verbose_name_plural = "送审文稿"
        ordering = ["-created_at"]
        indexes = [
            # The ledger and every list show the newest drafts first; a drafter sees their own.
            models.Index(fields=["-created_at"], name="review_draft_created_idx"),
            models.Index(fields=["drafter", "-created_at"], name="review_draft_drafter_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~models.Q(doc_number=""),
                name="review_draft_unique_doc_number",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/review/drafts/{self.pk}/"

    @property
    def needs_procedure(self) -> bool:
        return self.is_normative or self.doc_type == DocType.NORMATIVE


class DraftVersion(models.Model):
    """文稿版本: each upload (first submission or revision) is a new numbered version with its text."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions", verbose_name="文稿")
    number = models.PositiveIntegerField("版本号")
    file = models.FileField("附件", upload_to="review/%Y/%m/", max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    kind = models.CharField("文件类型", max_length=10)  # docx / pdf / txt
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField("提取文本")
    note = models.CharField("修改说明", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    precheck_error = models.CharField("预审错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "文稿版本"
        verbose_name_plural = "文稿版本"
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="review_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.draft.title} 第{self.number}稿"

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.splitlines() if p.strip()]
