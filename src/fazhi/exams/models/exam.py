"""考试 / 作答: exams with a blueprint, one attempt (with its seeded paper) per candidate, saved answers."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models

from fazhi.exams.models.bank import QuestionType


class PartialCredit(models.TextChoices):
    NONE = "none", "全部选对才得分"
    HALF = "half", "少选得一半分，错选不得分"
    PROPORTIONAL = "proportional", "按选对个数比例得分，错选不得分"


def _salt() -> str:
    return secrets.token_hex(8)


class CertificationStage(models.TextChoices):
    """Where an exam stands on the way to an enforcement certificate: the specialised-law exam comes first."""

    NONE = "", "非执法资格考试"
    SPECIALISED = "specialised", "专业法律知识考试"
    GENERAL = "general", "公共法律知识考试"


class Exam(models.Model):
    """考试. `blueprint` is a list of rows {"type", "knowledge_point", "count", "points"}."""

    title = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    blueprint = models.JSONField(
        "组卷规则",
        default=list,
        help_text='每行：{"type": "single", "knowledge_point": "", "count": 25, "points": 2}；'
        "knowledge_point 为空表示不限知识点；案例题的分值平均分给各小题。",
    )
    partial_credit = models.CharField(
        "多选题计分", max_length=20, choices=PartialCredit.choices, default=PartialCredit.NONE
    )
    time_limit_minutes = models.PositiveIntegerField("考试时长（分钟）", default=120)
    pass_mark = models.DecimalField("及格分", max_digits=6, decimal_places=2, default=Decimal("60"))
    opens_at = models.DateTimeField("开放时间")
    closes_at = models.DateTimeField("截止时间")
    open_to_staff = models.BooleanField("全体工作人员可参加", default=True)
    eligible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="eligible_exams", verbose_name="指定考生"
    )
    is_published = models.BooleanField("已发布", default=True)
    certification_stage = models.CharField(
        "执法资格考试类别",
        max_length=12,
        choices=CertificationStage.choices,
        default=CertificationStage.NONE,
        blank=True,
        help_text="公共法律知识考试须先通过专业法律知识考试；两类考试的参考情况列入应考尽考名单。",
    )
    prerequisite = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="required_by",
        verbose_name="须先通过的考试",
        help_text="考生通过该考试后才能开始本场考试；留空时，公共法律知识考试须先通过任一专业法律知识考试。",
    )
    # Mixed into every candidate's paper seed so that two exams with the same blueprint differ.
    salt = models.CharField("组卷盐值", max_length=32, default=_salt, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "考试"
        verbose_name_plural = "考试"
        ordering = ["-opens_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def total_points(self) -> Decimal:
        return sum((Decimal(str(r["points"])) * int(r["count"]) for r in self.blueprint), Decimal("0"))

    @property
    def question_count(self) -> int:
        return sum(int(r["count"]) for r in self.blueprint)


class Attempt(models.Model):
    """作答: one candidate's attempt, holding the seed and the paper (试卷) drawn from it."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts", verbose_name="考试")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts", verbose_name="考生"
    )
    seed = models.BigIntegerField("组卷种子")
    # [{"question_id": 12, "points": "2", "case_id": null}, …] in paper order.
    paper = models.JSONField("试卷", default=list)
    total_points = models.DecimalField("总分", max_digits=7, decimal_places=2, default=Decimal("0"))
    started_at = models.DateTimeField("开始时间")
    deadline = models.DateTimeField("截止时间")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    auto_submitted = models.BooleanField("超时自动交卷", default=False)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField("是否及格", null=True, blank=True)

    class Meta:
        verbose_name = "作答"
        verbose_name_plural = "作答记录"
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="exams_attempt_one_per_exam")]

    def __str__(self) -> str:
        return f"{self.exam} · {self.user}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def question_ids(self) -> list[int]:
        return [int(item["question_id"]) for item in self.paper]


class Answer(models.Model):
    """One saved answer: a single row per (attempt, question), upserted on every change."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name="作答"
    )
    question = models.ForeignKey(
        "exams.Question", on_delete=models.PROTECT, related_name="+", verbose_name="试题"
    )
    answer = models.JSONField("所选答案", default=list)
    saved_at = models.DateTimeField("保存时间")
    is_correct = models.BooleanField("是否正确", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)

    # Per-answer audit rows would serialise every candidate behind the audit chain lock;
    # starts and submissions are recorded explicitly instead.
    audit_exempt = True

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="exams_answer_unique_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}: {''.join(self.answer)}"


# No national regulation fixes these numbers: they are the usual format of an online specialised exam (100
# points, pass mark 60, 25 single + 10 multiple + 15 true/false questions of 2 points each, 120 minutes),
# shipped as an example for the bureau to check against its province's rules. The text is shown to users
# (the admin, refusals of a published exam), so it names no internal file. Migration 0007 replaced the
# earlier default on rows that still held it.
FORMAT_SOURCE = (
    "示例格式（100 分、60 分及格、单选 25 题、多选 10 题、判断 15 题各 2 分、120 分钟），"
    "请按本省（市）行政执法人员资格考试的规定核对后修改"
)


class CertificationExamRule(models.Model):
    """执法资格考试规则: the format every published 专业/公共法律知识考试 must have (one row, corrected by the
    administrator; without the row the shipped defaults apply). The total is the sum of count × points."""

    key = models.CharField("规则键", max_length=20, unique=True, default="default", editable=False)
    pass_mark = models.DecimalField("及格分", max_digits=6, decimal_places=2, default=Decimal("60"))
    time_limit_minutes = models.PositiveSmallIntegerField("考试时长（分钟）", default=120)
    single_count = models.PositiveSmallIntegerField("单选题数量", default=25)
    single_points = models.DecimalField(
        "单选题每题分值", max_digits=5, decimal_places=2, default=Decimal("2")
    )
    multiple_count = models.PositiveSmallIntegerField("多选题数量", default=10)
    multiple_points = models.DecimalField(
        "多选题每题分值", max_digits=5, decimal_places=2, default=Decimal("2")
    )
    judge_count = models.PositiveSmallIntegerField("判断题数量", default=15)
    judge_points = models.DecimalField("判断题每题分值", max_digits=5, decimal_places=2, default=Decimal("2"))
    case_count = models.PositiveSmallIntegerField("案例分析题数量", default=0)
    case_points = models.DecimalField(
        "案例分析题每题分值",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text="数量为 0 时不填。",
    )
    source = models.CharField("依据", max_length=300, default=FORMAT_SOURCE)
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "执法资格考试规则"
        verbose_name_plural = "执法资格考试规则"

    def __str__(self) -> str:
        shown = "、".join(f"{label}{count}" for _type, label, count, _points in self.rows() if count)
        return (
            f"执法资格考试：满分 {self.total_points.normalize():f} 分，{self.pass_mark.normalize():f} 分及格，"
            f"{self.time_limit_minutes} 分钟，{self.question_count} 题（{shown}）"
        )

    def rows(self) -> list[tuple[str, str, int, Decimal]]:
        """(question type, its name, count, points per question) for each type, in paper order."""
        return [
            (t.value, t.label, count, Decimal(points))
            for t, count, points in [
                (QuestionType.SINGLE, self.single_count, self.single_points),
                (QuestionType.MULTIPLE, self.multiple_count, self.multiple_points),
                (QuestionType.JUDGE, self.judge_count, self.judge_points),
                (QuestionType.CASE, self.case_count, self.case_points),
            ]
        ]

    @property
    def total_points(self) -> Decimal:
        return sum((points * count for _t, _l, count, points in self.rows()), Decimal("0"))

    @property
    def question_count(self) -> int:
        return sum(count for _t, _l, count, _p in self.rows())
