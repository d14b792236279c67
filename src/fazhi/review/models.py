"""合法性审查 models: drafts, their versions, pre-check findings, opinions and the working calendar."""

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


class ProcedureStep(models.TextChoices):
    """Procedure of a normative document before publication (国办发〔2018〕37号, see DOMAIN.md)."""

    CONSULTATION = "consultation", "征求意见"
    ASSESSMENT = "assessment", "评估论证"
    DELIBERATION = "deliberation", "集体审议"


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
    filing_deadline = models.DateField("备案期限", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    expired_on = models.DateField("失效日期", null=True, blank=True)

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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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
    necessity = models.TextField("对实现政策目的不可或缺的说明", blank=True)
    alternatives = models.TextField("无对竞争损害更小的替代方案的说明", blank=True)
    ends_on = models.DateField("例外实施期限至", null=True, blank=True)
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
    """流转记录: one state change with who, when and the comment (the audit chain holds the same event)."""

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
