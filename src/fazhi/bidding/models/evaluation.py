"""The evaluation itself: committees, draws, members, score sheets and scores, outages."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.bidding.models.experts import Expert, Site
from fazhi.bidding.models.projects import Bidder, Criterion, Project


class Committee(models.Model):
    """评标委员会. A project keeps every committee it had; an outage past the limit supersedes one."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="committees", verbose_name="项目"
    )
    number = models.PositiveSmallIntegerField("组建次序", default=1)
    active = models.BooleanField("当前有效", default=True)
    formed_at = models.DateTimeField("组建时间")
    superseded_reason = models.CharField("重新组建原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "评标委员会"
        verbose_name_plural = "评标委员会"
        ordering = ["project_id", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="bidding_committee_unique")]

    def __str__(self) -> str:
        return f"{self.project.code} 第{self.number}届评标委员会"


class Draw(models.Model):
    """抽取记录: seed, the candidate lists each quota drew from, exclusions and the result (reproducible)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="draws", verbose_name="委员会"
    )
    kind = models.CharField("类型", max_length=20, choices=[("initial", "组建抽取"), ("replacement", "补抽")])
    seed = models.CharField("随机种子", max_length=40)
    candidates = models.JSONField("候选名单（按配额）", default=dict)
    excluded = models.JSONField("排除名单及原因", default=dict)
    picked = models.JSONField("抽取结果（专家ID）", default=list)
    created_at = models.DateTimeField("抽取时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )

    class Meta:
        verbose_name = "抽取记录"
        verbose_name_plural = "抽取记录"
        ordering = ["committee_id", "id"]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_kind_display()} 种子 {self.seed}"


class MemberKind(models.TextChoices):
    EXPERT = "expert", "评审专家"
    PURCHASER_REP = "purchaser_rep", "采购人代表"


class CommitteeMember(models.Model):
    """评标委员会成员: a drawn expert (or a purchaser representative), the site they sit at."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name="委员会"
    )
    kind = models.CharField("身份", max_length=20, choices=MemberKind.choices, default=MemberKind.EXPERT)
    expert = models.ForeignKey(
        Expert,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name="专家",
    )
    rep_name = models.CharField("采购人代表姓名", max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bidding_memberships",
        verbose_name="评分账号",
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="所在场地")
    specialty = models.CharField("抽取专业", max_length=100, blank=True)
    draw = models.ForeignKey(
        Draw,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name="抽取记录",
    )
    active = models.BooleanField("在任", default=True)
    replaced_reason = models.CharField("被替换原因", max_length=300, blank=True)
    seat = models.PositiveSmallIntegerField("席位号", default=0)

    class Meta:
        verbose_name = "评标委员会成员"
        verbose_name_plural = "评标委员会成员"
        ordering = ["committee_id", "seat", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == MemberKind.PURCHASER_REP:
            return self.rep_name or "采购人代表"
        return self.expert.name if self.expert else ""


class ScoreSheet(models.Model):
    """评分表: one member's scores for every bidder; signing fixes its SHA-256 hash."""

    member = models.OneToOneField(
        CommitteeMember, on_delete=models.CASCADE, related_name="sheet", verbose_name="委员会成员"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="评分场地")
    signed_at = models.DateTimeField("签名时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="签名人",
    )
    signed_username = models.CharField("签名账号", max_length=150, blank=True)
    sign_hash = models.CharField("签名哈希（SHA-256）", max_length=64, blank=True)
    audit_seq = models.BigIntegerField("审计日志序号", null=True, blank=True)

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"

    def __str__(self) -> str:
        return f"{self.member} 的评分表"

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


class Score(models.Model):
    """One expert's points for one bidder on one criterion, with the reason if it is an outlier."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name="评分表"
    )
    bidder = models.ForeignKey(Bidder, on_delete=models.CASCADE, related_name="scores", verbose_name="投标人")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name="评分因素"
    )
    points = models.DecimalField("得分", max_digits=6, decimal_places=2)
    reason = models.CharField("评分理由（偏离时必填）", max_length=500, blank=True)
    updated_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "bidder", "criterion"], name="bidding_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bidder} {self.criterion.name} {self.points}"


class Incident(models.Model):
    """评标异常: an outage at a site during evaluation (start, end)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="incidents", verbose_name="项目"
    )
    committee = models.ForeignKey(
        Committee, null=True, on_delete=models.SET_NULL, related_name="incidents", verbose_name="当时的委员会"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="场地")
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("恢复时间", null=True, blank=True)
    description = models.CharField("情况说明", max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="记录人",
    )

    class Meta:
        verbose_name = "评标异常（故障）"
        verbose_name_plural = "评标异常（故障）"
        ordering = ["project_id", "started_at"]

    def __str__(self) -> str:
        return f"{self.site} {self.started_at:%Y-%m-%d %H:%M} {self.description[:30]}"
