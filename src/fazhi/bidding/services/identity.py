"""身份核验: each member of the sitting committee is checked at their own site; the latest check counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import (
    CommitteeMember,
    IdentityCheck,
    IdentityMethod,
    IdentityResult,
    Project,
    Status,
)
from fazhi.bidding.services.common import aware, lock_project, require_manager
from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_field

CHECK_STATES = (Status.DRAWN, Status.EVALUATING)


def identity_required(rule: rules.RuleValue | None = None) -> bool:
    """Whether a member must have passed an identity check before scoring or signing (rule, default off)."""
    rule = rule or rules.rule("identity_check_required")
    return (rule.value or {}).get("required") is True


def latest_check(member: CommitteeMember) -> IdentityCheck | None:
    return member.identity_checks.order_by("-checked_at", "-pk").first()


def latest_checks(project: Project) -> dict[int, IdentityCheck]:
    """member id → that member's latest identity check, for the members of the project's committees."""
    out: dict[int, IdentityCheck] = {}
    checks = IdentityCheck.objects.filter(member__committee__project=project).select_related(
        "site", "checked_by"
    )
    for check in checks.order_by("checked_at", "pk"):
        out[check.member_id] = check  # later checks overwrite earlier ones
    return out


def require_identity_checked(member: CommitteeMember) -> None:
    """Refuse scoring or signing by a member whose latest identity check is missing or failed (when the rule
    requires it). The member is named: the message is shown to the member themself and to 采购办."""
    rule = rules.rule("identity_check_required")
    if not identity_required(rule):
        return
    who = f"席位 {member.seat} {member.display_name}".rstrip()
    where = member.site.name
    check = latest_check(member)
    if check is None:
        raise Conflict(
            f"{who}尚未在{where}完成身份核验，不能评分或签名。"
            f"请由{where}工作人员核验身份并登记后再评分（{rule.source}）。"
        )
    if not check.passed:
        note = f"：{check.note}" if check.note else ""
        raise Conflict(
            f"{who}在{where}的身份核验未通过（{check.get_method_display()}，"
            f"{timezone.localtime(check.checked_at):%Y-%m-%d %H:%M}{note}），不能评分或签名。"
            f"请重新核验通过后再评分，或由采购办更换该委员（{rule.source}）。"
        )


@transaction.atomic
def record_identity_check(
    *,
    project: Project,
    actor: Any,
    member_id: int,
    method: str,
    result: str,
    note: str = "",
    checked_at: dt.datetime | None = None,
) -> IdentityCheck:
    """Record one identity check of a sitting member, at the member's own site (a failed one may be redone)."""
    require_manager(actor)
    checked_at = aware(checked_at, "核验时间")
    project = lock_project(project.pk)
    if project.status not in CHECK_STATES:
        raise Conflict(
            f"项目当前状态为“{project.get_status_display()}”，只有在抽取专家后、评标结束前才能登记身份核验。"
        )
    member = (
        CommitteeMember.objects.filter(committee__project=project, pk=member_id)
        .select_related("committee", "site", "sheet")
        .first()
    )
    if member is None:
        raise ValidationFailed("所选委员不是本项目评标委员会的成员。")
    seat = f"席位 {member.seat}"
    if not member.active or not member.committee.active:
        raise ValidationFailed(f"{seat}已不是本项目当前评标委员会的成员，无需核验身份。")
    sheet = getattr(member, "sheet", None)
    if sheet is not None and sheet.signed:
        raise Conflict(f"{seat}已签名确认评分表，身份核验应在评分前完成，不能再登记。")
    if method not in IdentityMethod.values:
        raise ValidationFailed(
            f"请选择核验方式（{'、'.join(str(label) for label in IdentityMethod.labels)}）。"
        )
    if result not in IdentityResult.values:
        raise ValidationFailed("请选择核验结果（通过或不通过）。")
    note = (note or "").strip()
    check_field(note, IdentityCheck, "note", "核验说明")
    if result == IdentityResult.FAILED and not note:
        raise ValidationFailed(f"{seat}核验不通过，请在说明中写明原因（如人脸比对不一致、证件与本人不符）。")
    now = timezone.now()
    checked_at = checked_at or now
    if checked_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed("核验时间不能晚于当前时间。")
    formed = member.committee.formed_at
    if checked_at < formed:
        raise ValidationFailed(
            f"核验时间不能早于评标委员会组建时间（{timezone.localtime(formed):%Y-%m-%d %H:%M}）。"
        )
    last = latest_check(member)
    if last is not None and last.passed:
        raise Conflict(
            f"{seat}已于 {timezone.localtime(last.checked_at):%Y-%m-%d %H:%M} 核验通过，无需重复登记。"
        )
    check = IdentityCheck.objects.create(
        member=member,
        site=member.site,
        method=method,
        result=result,
        note=note,
        checked_at=checked_at,
        checked_by=actor,
    )
    audit.record(
        action="record",
        obj=project,
        after={
            "identity_check": check.pk,
            "member": member.pk,
            "seat": member.seat,
            "site": member.site.name,
            "method": method,
            "result": result,
            "checked_at": checked_at,
        },
        comment=f"身份核验{check.get_result_display()}：{seat}（{member.site.name}，{check.get_method_display()}）",
        actor=actor,
    )
    return check
