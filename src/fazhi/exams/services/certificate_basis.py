"""发证依据: what a 执法证 is issued on.

A certificate follows the two certification exams (docs/DOMAIN.md "Enforcement exams and certificates": the
specialised-law exam, then the general-law exam; the 应考尽考 list's last step, "两门考试均已通过，办理发证或
换证", services.gaps). Issuing therefore needs a passed 专业法律知识考试 and a passed 公共法律知识考试 (exams
marked with that certification stage), handed in on or before the date of issue.

DOMAIN.md does not say the exams must have been taken on this platform, and the certificate records its
own 发证机关: staff transferred in with a certificate, certificates from before the platform, or exams run
by the 司法行政部门 elsewhere are real. Those are issued only with a stated reason (考试机关、时间、成绩或原证号),
which is kept on the certificate as its basis and written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import check_length
from fazhi.exams.models import Attempt, CertificationStage

MAX_REASON = 500


def _describe(attempt: Attempt) -> str:
    handed_in = timezone.localtime(attempt.submitted_at) if attempt.submitted_at else None
    score = f"{attempt.score.normalize():f} 分" if attempt.score is not None else ""
    return (
        f"“{attempt.exam.title}”{score}（{handed_in:%Y-%m-%d} 交卷）"
        if handed_in
        else f"“{attempt.exam.title}”"
    )


def qualifying_passes(*, holder: Any, on: dt.date) -> dict[str, Attempt | None]:
    """The latest passed attempt of each certification stage handed in on or before the date."""
    passed = (
        Attempt.objects.filter(
            user_id=holder.pk,
            passed=True,
            submitted_at__isnull=False,
            exam__certification_stage__in=[CertificationStage.SPECIALISED, CertificationStage.GENERAL],
        )
        .select_related("exam")
        .order_by("-submitted_at", "-pk")
    )
    found: dict[str, Attempt | None] = {
        CertificationStage.SPECIALISED: None,
        CertificationStage.GENERAL: None,
    }
    for attempt in passed:
        assert attempt.submitted_at is not None
        stage = attempt.exam.certification_stage
        if found[stage] is None and timezone.localdate(attempt.submitted_at) <= on:
            found[stage] = attempt
    return found


def certificate_basis(*, holder: Any, issued_on: dt.date, waiver_reason: str = "") -> tuple[str, bool]:
    """(the basis recorded on the certificate, whether it rests on a stated reason instead of exams).

    ValidationFailed, in words naming what is missing, when the holder has not passed both exams by the
    date of issue and no reason is given."""
    passes = qualifying_passes(holder=holder, on=issued_on)
    missing = [CertificationStage(stage).label for stage, attempt in passes.items() if attempt is None]
    reason = (waiver_reason or "").strip()
    check_length(reason, "发证依据说明", MAX_REASON)
    if not missing:
        done = "；".join(f"{CertificationStage(s).label}{_describe(a)}" for s, a in passes.items() if a)
        return f"本平台考试合格：{done}" + (f"。另注：{reason}" if reason else ""), False
    if reason:
        return f"未在本平台通过{'、'.join(missing)}，依据：{reason}", True
    name = getattr(holder, "display_name", "") or getattr(holder, "username", "")
    raise ValidationFailed(
        f"不能发放执法证：{name}（{holder.username}）截至发证日期 {issued_on:%Y-%m-%d} 尚未通过"
        f"{'、'.join(missing)}。执法证须在专业法律知识考试和公共法律知识考试均合格后发放；"
        "如该人员已在其他机关组织的执法资格考试中合格（或调入时已持证），请填写发证依据"
        "（考试机关、时间、成绩或原证号）后再发放，该依据记入证件和审计日志。"
    )
