"""Trading centres (交易中心) and their expert pools: experts and the relations they declared."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def mask_id_number(value: str) -> str:
    """Show an ID number as 4201**********1234: first four and last four characters only."""
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


class Site(models.Model):
    """交易中心: a public resource trading centre that hosts (主场) or assists (副场) an evaluation."""

    name = models.CharField("交易中心名称", max_length=200, unique=True)
    region = models.CharField("所在地区", max_length=100)

    class Meta:
        verbose_name = "交易中心"
        verbose_name_plural = "交易中心"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ExpertPool(models.Model):
    """专家库: one region's pool of evaluation experts, used by its trading centre."""

    name = models.CharField("专家库名称", max_length=200, unique=True)
    region = models.CharField("地区", max_length=100)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="pools", verbose_name="所属交易中心"
    )

    class Meta:
        verbose_name = "专家库"
        verbose_name_plural = "专家库"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """评标专家. The ID number is stored in full and shown masked in pages."""

    pool = models.ForeignKey(
        ExpertPool, on_delete=models.PROTECT, related_name="experts", verbose_name="专家库"
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    specialties = models.JSONField("评审专业", default=list, blank=True)
    employer = models.CharField("工作单位", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
        verbose_name="评标专家账号",
    )
    active = models.BooleanField("在库可抽取", default=True)

    class Meta:
        verbose_name = "评标专家"
        verbose_name_plural = "评标专家"
        ordering = ["pool_id", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.pool.region}）"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)


# Short names of the 回避 grounds (full wording and source: rules.yaml → conflict_grounds).
GROUND_SHORT = {
    "employment": "劳动关系",
    "director": "董事监事",
    "controller": "控股股东/实际控制人",
    "family": "近亲属",
    "other": "其他关系",
}


# 实施条例第九条 limits these grounds to the years before the procurement; kin and others have no limit.
WINDOW_GROUNDS = ("employment", "director", "controller")


class ExpertRelation(models.Model):
    """专家申报的关系: a declared relation to an organisation (实施条例第九条回避情形)."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="relations", verbose_name="专家"
    )
    organisation = models.CharField("关联单位", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    ground = models.CharField("回避情形", max_length=40)
    # 实施条例第九条: a job, a board seat or control that ended more than three years before the
    # procurement (rule `conflict_window`) no longer requires 回避. Empty: the relation still stands.
    ended_on = models.DateField("关系终止日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "专家申报关系"
        verbose_name_plural = "专家申报关系"

    def __str__(self) -> str:
        return f"{self.expert.name} — {self.organisation}"

    @property
    def ground_label(self) -> str:
        return GROUND_SHORT.get(self.ground, self.ground)
