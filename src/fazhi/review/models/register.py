"""发文登记簿: the register of every outgoing document, compared with the review ledger to prove 应审尽审."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.review.models.drafts import DocType, Draft


class RegisterSource(models.TextChoices):
    MANUAL = "manual", "手工登记"
    IMPORT = "import", "Excel 导入"
    PUBLISH = "publish", "发布时自动登记"


class IssuedDocument(models.Model):
    """发文登记: one outgoing document as the bureau's 发文登记簿 (usually exported from the OA system) records it.

    A document of a type that must be reviewed (`DocTypeRule.review_required`) is covered when it is linked to a
    draft approved on or before its issue day (已审查), excused by a stated `exempt_reason` (免审), and 漏审
    otherwise."""

    doc_number = models.CharField("发文字号", max_length=60, blank=True, help_text="如：阳财规〔2026〕1号")
    title = models.CharField("文件标题", max_length=300)
    unit = models.CharField("发文单位", max_length=200, db_index=True)
    issued_on = models.DateField("印发日期", db_index=True)
    doc_type = models.CharField("文书类型", max_length=30, choices=DocType.choices, db_index=True)
    draft = models.ForeignKey(
        Draft,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name="合法性审查记录（送审文稿）",
    )
    exempt_reason = models.CharField(
        "免审理由",
        max_length=300,
        blank=True,
        help_text="须审查类型的文件经认定无须审查的，写明理由（如：内部事务性文件）",
    )
    source = models.CharField(
        "登记方式", max_length=20, choices=RegisterSource.choices, default=RegisterSource.MANUAL
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发文登记"
        verbose_name_plural = "发文登记簿"
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~models.Q(doc_number=""),
                name="review_issued_unique_doc_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return f"/review/register/{self.pk}/"
