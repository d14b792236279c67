"""以案释法 case library: a Case and the law articles it applied."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models

from fazhi.core.numerals import article_label
from fazhi.laws.models import Article, Law


class Category(models.TextChoices):
    PROCUREMENT = "procurement", "政府采购"
    INFO_DISCLOSURE = "info_disclosure", "政府信息公开"
    FUNDS = "funds", "财政资金分配与使用"
    BUDGET = "budget", "预算管理"
    PENALTY = "penalty", "行政处罚"
    OTHER = "other", "其他"


CATEGORY_BY_CHINESE = {label: value for value, label in Category.choices}


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


_TAG_SPLIT = re.compile(r"[,，、;；\s]+")
# The year a document number states: 〔2024〕, [2024], (2023) or （2023） followed by the rest of the number.
_NUMBER_YEAR = re.compile(r"[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]")


def split_tags(text: str) -> list[str]:
    return list(dict.fromkeys(t for t in _TAG_SPLIT.split(text or "") if t))


class Case(models.Model):
    """以案释法 案例. Narrative fields are Markdown, rendered through fazhi.cases.text."""

    title = models.CharField("标题", max_length=300)
    category = models.CharField("类别", max_length=30, choices=Category.choices, db_index=True)
    source_issuer = models.CharField("来源机关", max_length=200, blank=True)
    source_doc_number = models.CharField("文书编号", max_length=100, blank=True)
    source_date = models.DateField("文书日期", null=True, blank=True)
    source_url = models.URLField("来源网址", max_length=500, blank=True)
    source_note = models.CharField("来源说明", max_length=500, blank=True)
    summary = models.CharField("摘要", max_length=500, blank=True)
    facts = models.TextField("基本案情", blank=True, help_text="支持 Markdown")
    dispute = models.TextField("争议焦点", blank=True, help_text="支持 Markdown")
    decision = models.TextField("处理结果", blank=True, help_text="支持 Markdown")
    analysis = models.TextField("法理分析", blank=True, help_text="支持 Markdown")
    lessons = models.TextField("启示", blank=True, help_text="对本局工作的启示，支持 Markdown")
    tags = models.CharField("标签", max_length=300, blank=True, help_text="用逗号或顿号分隔")
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    external_key = models.CharField("导入来源键", max_length=500, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "案例"
        verbose_name_plural = "以案释法案例"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/cases/{self.pk}/"

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def year(self) -> int | None:
        """The case's own year: its document's date, else the year in its document number (〔2024〕9号,
        (2023)京行终9714号); None when neither says (the date it was put on the site is not the case's year)."""
        if self.source_date:
            return self.source_date.year
        m = _NUMBER_YEAR.search(self.source_doc_number or "")
        return int(m.group(1)) if m else None


class AppliedArticle(models.Model):
    """A law article a case applied (适用条文), shown inline on the case page.

    The law, number and suffix are kept besides the article row: articles are rebuilt when a law's
    text is re-imported, and the citation must survive that (it then resolves to the current text).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="applied", verbose_name="案例")
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applied_in_cases",
        verbose_name="条文",
    )
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="+", verbose_name="法规")
    number = models.PositiveIntegerField("条号")
    suffix = models.PositiveIntegerField("之N", default=0)
    note = models.CharField("适用说明", max_length=300, blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "适用条文"
        verbose_name_plural = "适用条文"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "law", "number", "suffix"], name="case_article_once")
        ]
        indexes = [models.Index(fields=["law", "number", "suffix"])]

    def __str__(self) -> str:
        return f"{self.law.title}{article_label(self.number, self.suffix)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The admin inline picks an article; law/number/suffix always follow it.
        if self.article_id and self.article is not None:
            self.law_id = self.article.law_id
            self.number = self.article.number
            self.suffix = self.article.suffix
        super().save(*args, **kwargs)
