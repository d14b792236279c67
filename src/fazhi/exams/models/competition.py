"""法律竞赛: competitions in rounds of N random questions, ranked by correctness then time."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Audience(models.TextChoices):
    PUBLIC = "public", "面向社会公众"
    STAFF = "staff", "面向本局工作人员"


class Competition(models.Model):
    """法律竞赛."""

    title = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    audience = models.CharField("参赛范围", max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    question_count = models.PositiveSmallIntegerField("每轮题数", default=10)
    time_limit_seconds = models.PositiveIntegerField("每轮限时（秒）", default=600)
    knowledge_point = models.ForeignKey(
        "exams.KnowledgePoint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="限定知识点",
    )
    is_published = models.BooleanField("已发布", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "法律竞赛"
        verbose_name_plural = "法律竞赛"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CompetitionRound(models.Model):
    """竞赛轮次."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="rounds", verbose_name="竞赛"
    )
    number = models.PositiveSmallIntegerField("轮次")
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("结束时间")

    class Meta:
        verbose_name = "竞赛轮次"
        verbose_name_plural = "竞赛轮次"
        ordering = ["competition", "number"]
        constraints = [models.UniqueConstraint(fields=["competition", "number"], name="exams_round_unique")]

    def __str__(self) -> str:
        return f"{self.competition} 第{self.number}轮"


class CompetitionEntry(models.Model):
    """参赛记录: the first finished entry of an account in a round is scored; later ones are practice."""

    round = models.ForeignKey(
        CompetitionRound, on_delete=models.CASCADE, related_name="entries", verbose_name="轮次"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="competition_entries",
        verbose_name="参赛人",
    )
    question_ids = models.JSONField("题目（已打乱）", default=list)
    answers = models.JSONField("答案", default=dict, blank=True)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("交卷时间", null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField("答对题数", default=0)
    duration_seconds = models.FloatField("用时（秒）", null=True, blank=True)
    scored = models.BooleanField("计入排名", default=False)

    audit_exempt = True  # public competition traffic

    class Meta:
        verbose_name = "参赛记录"
        verbose_name_plural = "参赛记录"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user"], condition=models.Q(scored=True), name="exams_entry_one_scored"
            ),
            # One paper at a time: starting a round while an entry is open returns that entry.
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=models.Q(finished_at__isnull=True),
                name="exams_entry_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.user}"
