"""远程异地评标记录: identity checks, audio/video archives and 副场移交."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.bidding.models.evaluation import CommitteeMember
from fazhi.bidding.models.experts import Site
from fazhi.bidding.models.projects import Project


class IdentityMethod(models.TextChoices):
    FACE = "face", "人脸识别"
    ID_CARD = "id_card", "证件核验"
    FACE_AND_ID_CARD = "face_and_id_card", "人脸识别+证件核验"


class IdentityResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"


class IdentityCheck(models.Model):
    """身份核验: a committee member's identity checked at their site; the latest check of a member counts."""

    member = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="identity_checks", verbose_name="委员会成员"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="核验场地")
    method = models.CharField("核验方式", max_length=20, choices=IdentityMethod.choices)
    result = models.CharField("核验结果", max_length=10, choices=IdentityResult.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    checked_at = models.DateTimeField("核验时间")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="核验人",
    )

    class Meta:
        verbose_name = "身份核验"
        verbose_name_plural = "身份核验"
        ordering = ["member_id", "checked_at", "id"]

    def __str__(self) -> str:
        return f"{self.member} {self.get_method_display()} {self.get_result_display()}"

    @property
    def passed(self) -> bool:
        return self.result == IdentityResult.PASSED


class AvArchive(models.Model):
    """音视频存档: where one site's two-way audio/video recording of the evaluation is archived."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="av_archives", verbose_name="项目"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="场地")
    reference = models.CharField("存档编号或存储位置", max_length=300)
    started_at = models.DateTimeField("录制开始时间")
    ended_at = models.DateTimeField("录制结束时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "音视频存档"
        verbose_name_plural = "音视频存档"
        ordering = ["project_id", "site_id"]
        constraints = [models.UniqueConstraint(fields=["project", "site"], name="bidding_av_archive_unique")]

    def __str__(self) -> str:
        return f"{self.site} {self.reference}"


class Handover(models.Model):
    """副场移交: an assisting site hands its evaluation records over to the host site."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="handovers", verbose_name="项目"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="副场")
    handed_over_on = models.DateField("移交日期")
    contents = models.CharField("移交内容", max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "副场移交"
        verbose_name_plural = "副场移交"
        ordering = ["project_id", "site_id"]
        constraints = [models.UniqueConstraint(fields=["project", "site"], name="bidding_handover_unique")]

    def __str__(self) -> str:
        return f"{self.site} {self.handed_over_on:%Y-%m-%d} 移交"


class CorrectionSubject(models.TextChoices):
    CONTRACT = "contract", "政府采购合同"
    AV_ARCHIVE = "av_archive", "音视频存档"
    HANDOVER = "handover", "副场移交"


class Correction(models.Model):
    """更正记录: 采购办 corrected a recorded contract date, audio/video archive or 副场移交, with a reason.

    `changes` lists each corrected field as shown on the page ({"field", "label", "before", "after"}, values as
    text); the same correction, with the exact values, is the audit event `audit_seq`."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="corrections", verbose_name="项目"
    )
    subject = models.CharField("更正事项", max_length=20, choices=CorrectionSubject.choices)
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="场地"
    )
    changes = models.JSONField("更正内容", default=list)
    reason = models.CharField("更正原因", max_length=500)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="更正人",
    )
    corrected_at = models.DateTimeField("更正时间")
    audit_seq = models.BigIntegerField("审计日志序号", null=True, blank=True)

    class Meta:
        verbose_name = "更正记录"
        verbose_name_plural = "更正记录"
        ordering = ["project_id", "corrected_at", "id"]

    def __str__(self) -> str:
        where = f"（{self.site}）" if self.site_id else ""
        return f"{self.get_subject_display()}{where}更正：{self.reason[:30]}"
