"""题库: questions, knowledge points and the 错题本."""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.db import models

_NOISE = re.compile(r"[\s\u3000，。、；：？！,.;:?!()（）\"'“”‘’【】\[\]_-]+")


class QuestionType(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    JUDGE = "judge", "判断题"
    CASE = "case", "案例分析题"


def fingerprint(stem: str, options: dict[str, str] | None) -> str:
    """Duplicate key: the stem and option texts with punctuation and spaces removed."""
    parts = [_NOISE.sub("", stem)]
    for key in sorted(options or {}):
        parts.append(_NOISE.sub("", str((options or {})[key])))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


class KnowledgePoint(models.Model):
    """知识点 (also the knowledge area an exam blueprint draws from)."""

    name = models.CharField("名称", max_length=100, unique=True)
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "知识点"
        verbose_name_plural = "知识点"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """试题. A case question (案例分析题) holds the case text; its sub-questions point to it via `parent`."""

    type = models.CharField("题型", max_length=10, choices=QuestionType.choices, db_index=True)
    stem = models.TextField("题干")
    # {"A": "…", "B": "…"}; a judge question has {"A": "正确", "B": "错误"}; a case question has none.
    options = models.JSONField("选项", default=dict, blank=True)
    answer = models.JSONField("答案", default=list, blank=True, help_text='选项字母列表，如 ["A", "C"]')
    explanation = models.TextField("解析", blank=True)
    difficulty = models.PositiveSmallIntegerField("难度（1-5）", default=3)
    knowledge_points = models.ManyToManyField(
        KnowledgePoint, blank=True, related_name="questions", verbose_name="知识点"
    )
    law = models.ForeignKey(
        "laws.Law",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name="所属法规",
    )
    articles = models.ManyToManyField(
        "laws.Article", blank=True, related_name="questions", verbose_name="关联法条"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sub_questions",
        verbose_name="所属案例题",
    )
    position = models.PositiveSmallIntegerField("小题序号", default=0)
    source = models.CharField("来源", max_length=200, blank=True)
    fingerprint = models.CharField("查重指纹", max_length=64, db_index=True, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "试题"
        verbose_name_plural = "题库"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(parent__isnull=True),
                name="exams_question_unique_fingerprint",
            )
        ]

    def __str__(self) -> str:
        return f"[{self.get_type_display()}] {self.stem[:40]}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The fingerprint is derived from the text; a sub-question is scoped by its case.
        base = fingerprint(self.stem, self.options)
        self.fingerprint = base if self.parent_id is None else f"{self.parent_id}:{base}"[:64]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class MistakeBook(models.Model):
    """错题本 entry: a question the user got wrong; it keeps coming back until answered right twice in a row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mistakes", verbose_name="用户"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="mistakes", verbose_name="试题"
    )
    wrong_count = models.PositiveIntegerField("答错次数", default=0)
    streak = models.PositiveSmallIntegerField("连续答对次数", default=0)
    last_answered_at = models.DateTimeField("最近作答", null=True, blank=True)
    resolved_at = models.DateTimeField("移出错题本时间", null=True, blank=True)
    last_token = models.CharField(
        "最近作答标识", max_length=32, blank=True, default="", help_text="同一次作答重复提交只计一次"
    )

    audit_exempt = True  # practice traffic, not a decision

    class Meta:
        verbose_name = "错题本条目"
        verbose_name_plural = "错题本"
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="exams_mistake_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.question_id}"

    @property
    def active(self) -> bool:
        return self.resolved_at is None
