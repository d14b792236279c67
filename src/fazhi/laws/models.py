"""法规库: Law (one title across versions) → LawVersion (a dated text) → Article (条)."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    CONSTITUTION = "constitution", "宪法"
    LAW = "law", "法律"
    ADMIN_REGULATION = "administrative_regulation", "行政法规"
    DEPARTMENT_RULE = "department_rule", "部门规章"
    JUDICIAL_INTERPRETATION = "judicial_interpretation", "司法解释"
    LOCAL_REGULATION = "local_regulation", "地方性法规"
    NORMATIVE_DOCUMENT = "normative_document", "规范性文件"


LEVEL_BY_CHINESE = {label: value for value, label in Level.choices}


class Status(models.TextChoices):
    IN_FORCE = "in_force", "有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"
    NOT_YET_IN_FORCE = "not_yet_in_force", "尚未生效"
    # A 规范性文件 whose validity period ended or which was declared void (宣布失效); not in force.
    EXPIRED = "expired", "已失效"


STATUS_BY_CHINESE = {label: value for value, label in Status.choices}


class Source(models.TextChoices):
    IMPORT = "import", "批量导入"
    MANUAL = "manual", "手工录入"
    # Published by the bureau after 合法性审查: registered by the review workflow, not typed in.
    REVIEW = "review", "合法性审查后公布"


class Law(models.Model):
    """法规: one title across its versions."""

    title = models.CharField("标题", max_length=300)
    short_name = models.CharField("简称", max_length=200, blank=True)
    # Normalised title used to resolve citations: no 中华人民共和国, no brackets, no spaces.
    norm_title = models.CharField("规范化标题", max_length=300, db_index=True)
    level = models.CharField("效力级别", max_length=40, choices=Level.choices, db_index=True)
    issuer = models.CharField("制定机关", max_length=200, blank=True)
    category = models.CharField("分类", max_length=100, blank=True)
    region = models.CharField("地区", max_length=50, blank=True, help_text="地方性法规的省市")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "法规"
        verbose_name_plural = "法规"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "level", "region"], name="law_unique_title_level_region")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/laws/{self.pk}/"


class LawVersion(models.Model):
    """版本: a dated text of a law."""

    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="versions", verbose_name="法规")
    external_id = models.CharField("来源ID", max_length=64, unique=True, null=True, blank=True)
    publish_date = models.DateField("公布日期", null=True, blank=True)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    status = models.CharField(
        "效力状态", max_length=20, choices=Status.choices, default=Status.IN_FORCE, db_index=True
    )
    status_basis = models.TextField("状态依据", blank=True)
    is_latest = models.BooleanField("最新版本", default=True, db_index=True)
    version_index = models.PositiveIntegerField("版本序号", default=1)
    history = models.JSONField("沿革", default=list, blank=True)
    text = models.TextField("全文")
    text_hash = models.CharField("全文哈希", max_length=64, db_index=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.IMPORT)
    source_path = models.CharField(
        "来源路径", max_length=300, blank=True, help_text="导入的来源文件；合法性审查后公布的为送审文稿页面"
    )
    provenance = models.CharField(
        "来源说明", max_length=300, blank=True, help_text="如：本文件经合法性审查（审查意见书…）后公布"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "法规版本"
        verbose_name_plural = "法规版本"
        ordering = ["law", "-publish_date", "-version_index"]

    def __str__(self) -> str:
        return f"{self.law.title}（{self.publish_date or '日期不详'}）"

    def get_absolute_url(self) -> str:
        return f"/laws/{self.law_id}/?version={self.pk}"


class Article(models.Model):
    """条: number as an integer plus the 之N suffix; 款/项 kept in `paragraphs`."""

    version = models.ForeignKey(
        LawVersion, on_delete=models.CASCADE, related_name="articles", verbose_name="版本"
    )
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles", verbose_name="法规")
    number = models.PositiveIntegerField("条号", db_index=True)
    suffix = models.PositiveIntegerField("之N", default=0)
    label = models.CharField("条文编号", max_length=40)
    part = models.CharField("编", max_length=200, blank=True)
    chapter = models.CharField("章", max_length=200, blank=True)
    section = models.CharField("节", max_length=200, blank=True)
    ordinal = models.PositiveIntegerField("顺序")
    text = models.TextField("条文")
    # [{"text": "款的文字", "items": ["（一）…", "（二）…"]}, …]
    paragraphs = models.JSONField("款项结构", default=list, blank=True)

    audit_exempt = True  # articles are derived from their version's text

    class Meta:
        verbose_name = "条文"
        verbose_name_plural = "条文"
        ordering = ["version", "ordinal"]
        indexes = [models.Index(fields=["law", "number", "suffix"])]

    def __str__(self) -> str:
        return f"{self.law.title}{self.label}"

    @property
    def anchor(self) -> str:
        return f"art-{self.number}" + (f"-{self.suffix}" if self.suffix else "")

    def get_absolute_url(self) -> str:
        return (
            f"/laws/{self.law_id}/articles/{self.number}" + (f"-{self.suffix}" if self.suffix else "") + "/"
        )

    @property
    def heading_path(self) -> str:
        return " / ".join(p for p in (self.part, self.chapter, self.section) if p)


class ArticleCitation(models.Model):
    """条文引用: one article's text cites an article (by law and number) — the index behind 「被引用」.

    Derived from the texts by `laws.citation_index` (never edited). The cited article is kept as law +
    number, the way texts cite: it is whatever that number holds in the law's current version. A title
    that named no law in the library when the text was scanned is kept with `cited_law` empty and
    resolved when a law of that name arrives."""

    # No index of their own: `laws_citation_once` starts with `citing`, `laws_cited_article` with `cited_law`.
    citing = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="citations_made",
        verbose_name="引用条文",
        db_index=False,
    )
    citing_version = models.ForeignKey(
        LawVersion, on_delete=models.CASCADE, related_name="+", verbose_name="引用条文所在版本"
    )
    cited_law = models.ForeignKey(
        Law,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="被引用法规",
        db_index=False,
    )
    # The title as written (《》 and spaces removed) and normalised (citations.normalize_title).
    cited_title = models.CharField("引用时的标题", max_length=300, blank=True)
    cited_norm = models.CharField("规范化标题", max_length=300, blank=True, db_index=True)
    cited_number = models.PositiveIntegerField("被引用条号")
    cited_suffix = models.PositiveIntegerField("之N", default=0)

    audit_exempt = True  # derived from the article texts

    class Meta:
        verbose_name = "条文引用"
        verbose_name_plural = "条文引用"
        indexes = [
            models.Index(fields=["cited_law", "cited_number", "cited_suffix"], name="laws_cited_article")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["citing", "cited_norm", "cited_number", "cited_suffix"],
                name="laws_citation_once",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.citing} → {self.cited_title or self.cited_norm} {self.cited_number}-{self.cited_suffix}"
        )


class CitationScan(models.Model):
    """A version whose articles' citations are in the `ArticleCitation` index (the index is incremental:
    versions without a scan row are scanned next, rows of versions no longer latest are dropped)."""

    version = models.OneToOneField(
        LawVersion, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name="版本"
    )
    scanned_at = models.DateTimeField("建立时间", auto_now=True)

    audit_exempt = True

    class Meta:
        verbose_name = "条文引用索引记录"
        verbose_name_plural = "条文引用索引记录"
