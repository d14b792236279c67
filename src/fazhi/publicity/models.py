"""普法 models: posts (articles, Q&A, micro-videos), campaigns, responsibility lists, activities."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from fazhi.cases.text import sanitize_html
from fazhi.core.uploads import ContentNamedUpload
from fazhi.publicity.captions import CaptionsUpload


def _longest_month(month: int) -> int:
    """Days the month has in a leap year (2月 → 29): the largest day a yearly date can name."""
    return calendar.monthrange(2000, month)[1]


def is_safe_link(value: str) -> bool:
    """A site path (/exams/…, not //host) or an http(s) address."""
    value = (value or "").strip()
    if value.startswith("/"):
        return not value.startswith(("//", "/\\"))
    parts = urlsplit(value)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def validate_link(value: str) -> None:
    if value and not is_safe_link(value):
        raise ValidationError(
            "链接须为本站页面路径（以 / 开头，如 /exams/1/）或以 http:// 、https:// 开头的网址。"
        )


class Campaign(models.Model):
    """宣传节点 / 普法主题活动: a recurring date (12月4日) or month (5月) with a theme."""

    name = models.CharField("名称", max_length=100, unique=True)
    slug = models.SlugField("网址标识", max_length=60, unique=True, help_text="如 constitution-day")
    theme = models.CharField("本年度主题", max_length=300, blank=True)
    description = models.TextField("简介", blank=True)
    month = models.PositiveSmallIntegerField(
        "月份",
        help_text="1–12",
        validators=[
            MinValueValidator(1, message="月份须为 1–12。"),
            MaxValueValidator(12, message="月份须为 1–12。"),
        ],
    )
    day = models.PositiveSmallIntegerField(
        "日",
        null=True,
        blank=True,
        help_text="留空表示整月（如宣传月）；2月29日在平年按2月28日计",
        validators=[
            MinValueValidator(1, message="日须为 1–31，或留空表示整月。"),
            MaxValueValidator(31, message="日须为 1–31，或留空表示整月。"),
        ],
    )
    responsible_department = models.CharField("责任部门", max_length=200, blank=True)
    quiz_title = models.CharField("配套竞赛名称", max_length=200, blank=True)
    quiz_url = models.CharField(
        "配套竞赛链接",
        max_length=300,
        blank=True,
        help_text="本站页面路径（以 / 开头，如 /exams/…）或以 http:// 、https:// 开头的网址",
        validators=[validate_link],
    )
    cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="campaigns", verbose_name="关联案例"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "宣传节点"
        verbose_name_plural = "普法宣传日历"
        ordering = ["month", "day"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/publicity/topics/{self.slug}/"

    def clean(self) -> None:
        super().clean()
        if self.month and 1 <= self.month <= 12 and self.day and self.day > _longest_month(self.month):
            raise ValidationError(
                {"day": f"{self.month}月没有{self.day}日，请填写 1–{_longest_month(self.month)}。"}
            )

    @property
    def when_label(self) -> str:
        return f"{self.month}月{self.day}日" if self.day else f"{self.month}月（整月）"

    @property
    def safe_quiz_url(self) -> str:
        """The quiz link if it is a site path or an http(s) address; "" for anything else (javascript:…),
        so a value stored before validation existed is never put into a link."""
        return self.quiz_url if is_safe_link(self.quiz_url) else ""

    def occurrence(self, year: int) -> tuple[dt.date, dt.date]:
        """The dates this campaign covers in a year (a day, or the whole month).

        Raises ValueError for a month outside 1–12 or a day the month never has (a row saved before these
        were validated); callers skip such a campaign instead of failing the whole page."""
        if not 1 <= (self.month or 0) <= 12:
            raise ValueError(f"宣传节点“{self.name}”的月份 {self.month} 无效")
        if self.day is not None and not 1 <= self.day <= _longest_month(self.month):
            raise ValueError(f"宣传节点“{self.name}”的日期 {self.month}月{self.day}日 无效")
        last = calendar.monthrange(year, self.month)[1]
        if self.day:
            day = min(self.day, last)  # 2月29日 falls on 2月28日 in common years
            start = dt.date(year, self.month, day)
            return start, start
        return dt.date(year, self.month, 1), dt.date(year, self.month, last)

    def next_occurrence(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The current or next occurrence on or after today."""
        start, end = self.occurrence(today.year)
        if end < today:
            start, end = self.occurrence(today.year + 1)
        return start, end


class PostKind(models.TextChoices):
    NEWS = "news", "普法动态"
    INTERPRETATION = "interpretation", "法规解读"
    QA = "qa", "以问答法"
    VIDEO = "video", "普法微视频"


class PostStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class Post(models.Model):
    """普法专栏文章 (news, interpretation, Q&A) or micro-video. `body` is stored sanitised."""

    title = models.CharField("标题", max_length=200)
    kind = models.CharField(
        "栏目", max_length=20, choices=PostKind.choices, default=PostKind.NEWS, db_index=True
    )
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField(
        "正文", blank=True, help_text="富文本；保存时自动清除脚本、事件属性和 javascript: 链接"
    )
    cover = models.FileField(
        "封面图片", upload_to=ContentNamedUpload("publicity/covers", "cover"), blank=True
    )
    video = models.FileField(
        "视频文件",
        upload_to=ContentNamedUpload("publicity/videos", "video"),
        blank=True,
        help_text="MP4 或 WebM",
    )
    video_type = models.CharField("视频类型", max_length=20, blank=True, editable=False)
    poster = models.FileField(
        "视频封面", upload_to=ContentNamedUpload("publicity/posters", "poster"), blank=True
    )
    captions = models.FileField(
        "字幕文件",
        upload_to=CaptionsUpload("publicity/captions", "captions"),
        blank=True,
        help_text="WebVTT（.vtt）格式、UTF-8 编码、1 MB 以内：第一行为 WEBVTT，每条字幕有时间行"
        "（如 00:00:01.000 --> 00:00:04.000）。微视频须有字幕文件或文字稿才能发布（GB/T 37668-2019）",
    )
    transcript = models.TextField(
        "文字稿",
        blank=True,
        help_text="视频中讲述的全部内容（包括画面上的重要文字），供听不到或看不到视频的读者阅读；"
        "显示在视频下方。微视频须有字幕文件或文字稿才能发布",
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name="所属专题",
    )
    status = models.CharField(
        "状态", max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="作者",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "普法文章"
        verbose_name_plural = "普法专栏"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/publicity/posts/{self.pk}/"

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Sanitising here (not only in services) guarantees no path — admin, API, shell — stores unsafe HTML.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images", verbose_name="文章")
    file = models.FileField("图片", upload_to=ContentNamedUpload("publicity/images", "file"))
    alt = models.CharField("替代文字", max_length=200, help_text="供读屏软件朗读的图片说明")
    caption = models.CharField("图注", max_length=200, blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "配图"
        verbose_name_plural = "配图"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.alt


class ResponsibilityList(models.Model):
    """普法责任清单 (谁执法谁普法): one department's list for one year."""

    year = models.PositiveIntegerField(
        "年度",
        db_index=True,
        validators=[
            MinValueValidator(2000, message="年度须在 2000–2100 之间。"),
            MaxValueValidator(2100, message="年度须在 2000–2100 之间。"),
        ],
    )
    department = models.CharField("责任部门", max_length=200)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "普法责任清单"
        verbose_name_plural = "普法责任清单"
        ordering = ["-year", "department"]
        constraints = [
            models.UniqueConstraint(fields=["year", "department"], name="resp_list_year_department")
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.department}"

    def get_absolute_url(self) -> str:
        return f"/publicity/responsibility/{self.pk}/"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    DONE = "done", "已完成"


class ResponsibilityItem(models.Model):
    """One duty on a list: a law to popularise, to whom, by which activity, by when."""

    responsibility_list = models.ForeignKey(
        ResponsibilityList, on_delete=models.CASCADE, related_name="items", verbose_name="清单"
    )
    law = models.ForeignKey(
        "laws.Law",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="法规（法规库）",
    )
    law_title = models.CharField("宣传的法律法规", max_length=300)
    audiences = models.CharField("宣传对象", max_length=300)
    planned_activity = models.CharField("计划活动", max_length=300)
    planned_date = models.DateField("计划完成日期", null=True, blank=True)
    status = models.CharField(
        "完成情况", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    completed_at = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"
        ordering = ["planned_date", "id"]

    def __str__(self) -> str:
        return f"{self.law_title}：{self.planned_activity}"

    def clean(self) -> None:
        """The rules the services apply: a planned date inside the list's year; a completion date exactly
        when the item is 已完成 (and not in the future)."""
        super().clean()
        errors: dict[str, str] = {}
        lst = getattr(self, "responsibility_list", None)
        year = getattr(lst, "year", None)
        if self.planned_date is not None and isinstance(year, int) and self.planned_date.year != year:
            errors["planned_date"] = f"计划完成日期 {self.planned_date} 不在清单年度 {year} 年内。"
        if self.status == ItemStatus.DONE and self.completed_at is None:
            errors["completed_at"] = "完成情况为“已完成”时，请填写完成日期。"
        elif self.status != ItemStatus.DONE and self.completed_at is not None:
            errors["completed_at"] = "只有完成情况为“已完成”的事项才能填写完成日期。"
        elif self.completed_at is not None and self.completed_at > timezone.localdate():
            errors["completed_at"] = f"完成日期 {self.completed_at} 晚于今天。"
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != ItemStatus.DONE and self.planned_date is not None and self.planned_date < today


class ActivityForm(models.TextChoices):
    LECTURE = "lecture", "专题讲座"
    TRAINING = "training", "培训"
    CONSULTATION = "consultation", "现场咨询"
    EXHIBITION = "exhibition", "展板/宣传资料"
    COMPETITION = "competition", "知识竞赛"
    ONLINE = "online", "线上宣传"
    OTHER = "other", "其他"


class Activity(models.Model):
    """普法活动 record: what was done, where, for how many people."""

    title = models.CharField("活动名称", max_length=200)
    department = models.CharField("组织部门", max_length=200)
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=200)
    form = models.CharField("形式", max_length=20, choices=ActivityForm.choices)
    audience_count = models.PositiveIntegerField("受众人数", default=0)
    description = models.TextField("活动情况", blank=True)
    item = models.ForeignKey(
        ResponsibilityItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="对应清单事项",
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="所属专题",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="填报人",
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    class Meta:
        verbose_name = "普法活动"
        verbose_name_plural = "普法活动记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name="活动"
    )
    file = models.FileField("照片", upload_to=ContentNamedUpload("publicity/activity-photos", "file"))
    alt = models.CharField("照片说明", max_length=200)

    class Meta:
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"

    def __str__(self) -> str:
        return self.alt


class ActivityMaterial(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="materials", verbose_name="活动"
    )
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to=ContentNamedUpload("publicity/materials", "file"), blank=True)
    url = models.URLField("链接", max_length=500, blank=True)

    class Meta:
        verbose_name = "活动材料"
        verbose_name_plural = "活动材料"

    def __str__(self) -> str:
        return self.title
