"""评分与签名: per-criterion scores, objective-item consistency, outlier reasons, signed sheet hashes.

Scores are saved and signed only while the evaluation is under way: from 评标开始时间 until it is recorded as
finished (scoring_closed); before or after, the request is refused and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import (
    Bidder,
    CommitteeMember,
    Criterion,
    Project,
    Score,
    ScoreSheet,
    Status,
)
from fazhi.bidding.services.common import lock_project, not_begun, to_decimal
from fazhi.bidding.services.conflicts import member_conflicts
from fazhi.bidding.services.identity import require_identity_checked
from fazhi.bidding.services.incidents import require_no_outage_past_limit
from fazhi.core import audit
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_field

TWO = Decimal("0.01")


def sheet_for(member: CommitteeMember) -> ScoreSheet:
    """The member's sheet, created on first use (get_or_create: two first requests at once get one sheet)."""
    return ScoreSheet.objects.get_or_create(member=member, defaults={"site_id": member.site_id})[0]


def saved_sheet(member: CommitteeMember) -> ScoreSheet | None:
    """The member's sheet if one was saved; reading (the page, the API) creates none."""
    return ScoreSheet.objects.filter(member=member).select_related("site").first()


def scoring_closed(project: Project, now: dt.datetime | None = None) -> str:
    """Why no score may be saved or signed now, in Chinese; empty while the evaluation is under way
    (from 评标开始时间 until it is recorded as finished)."""
    before = not_begun(project, now)
    if before:
        return f"{before}，暂不能评分或签名。"
    if project.evaluation_finished_at is not None:
        return (
            f"评标已于 {timezone.localtime(project.evaluation_finished_at):%Y-%m-%d %H:%M} 结束，"
            "不能再评分或签名。"
        )
    return ""


def _locked_seat(member: CommitteeMember) -> CommitteeMember:
    """The member read again under the project lock (see lock_project).

    Saving and signing a sheet wait for each other this way: a save that began before the signature
    either lands before it (and is signed) or is refused after it, never changing a signed sheet.
    """
    project_id = CommitteeMember.objects.filter(pk=member.pk).values_list("committee__project_id", flat=True)
    lock_project(project_id.get())
    return CommitteeMember.objects.select_related("committee__project", "site").get(pk=member.pk)


def _require_own_open_seat(member: CommitteeMember, actor: Any) -> None:
    if member.user_id is None or actor is None or member.user_id != actor.pk:
        raise PermissionDenied("只能填写本人的评分表。")
    if not member.active or not member.committee.active:
        raise Conflict("您已不是本项目当前评标委员会的成员。")
    closed = scoring_closed(member.committee.project)
    if closed:
        raise Conflict(closed)
    if member.committee.project.status not in (Status.DRAWN, Status.EVALUATING):
        raise Conflict(f"项目当前状态为“{member.committee.project.get_status_display()}”，不能评分。")
    require_no_outage_past_limit(
        member.committee.project,
        "评分或签名",
        "本届评标委员会须重新组建，其评分和签名已停止，请等待采购办通知。",
    )
    require_identity_checked(member)  # only when the rule `identity_check_required` is on


@transaction.atomic
def save_scores(*, member: CommitteeMember, actor: Any, entries: list[dict[str, Any]]) -> ScoreSheet:
    """Save (or change) this member's points; each entry: bidder_id, criterion_id, points, reason."""
    member = _locked_seat(member)
    _require_own_open_seat(member, actor)
    project = member.committee.project
    sheet = sheet_for(member)
    if sheet.signed:
        raise Conflict("评分表已签名确认，不能再修改。")
    bidders = {b.pk: b for b in Bidder.objects.filter(project=project, valid=True)}
    criteria = {c.pk: c for c in Criterion.objects.filter(project=project)}
    parsed = []
    for item in entries:
        bidder = bidders.get(int(item.get("bidder_id", 0)))
        criterion = criteria.get(int(item.get("criterion_id", 0)))
        if bidder is None or criterion is None:
            raise ValidationFailed("评分对应的投标人或评分因素不存在（或该投标已被认定无效）。")
        raw = item.get("points")
        if raw is None or str(raw).strip() == "":
            continue
        points = to_decimal(raw, f"“{bidder.name}·{criterion.name}”的得分")
        if points < 0 or points > criterion.max_points:
            raise ValidationFailed(
                f"“{bidder.name}·{criterion.name}”的得分 {points} 超出范围（0—{criterion.max_points} 分）。"
            )
        if points.quantize(TWO) != points:
            raise ValidationFailed(f"“{bidder.name}·{criterion.name}”的得分最多保留两位小数。")
        reason = str(item.get("reason", "") or "").strip()
        check_field(reason, Score, "reason", f"“{bidder.name}·{criterion.name}”的评分理由")
        parsed.append((bidder, criterion, points, reason))
    existing = {(s.bidder_id, s.criterion_id): s for s in Score.objects.filter(sheet=sheet)}
    for bidder, criterion, points, reason in parsed:
        score = existing.get((bidder.pk, criterion.pk))
        if score is None:
            Score.objects.create(
                sheet=sheet, bidder=bidder, criterion=criterion, points=points, reason=reason
            )
        elif score.points != points or score.reason != reason:
            score.points, score.reason = points, reason
            score.save()
    if project.status == Status.DRAWN:
        project.status = Status.EVALUATING
        project.save()
        audit.record(
            action="transition",
            obj=project,
            before={"status": Status.DRAWN},
            after={"status": project.status},
            comment="专家开始评分",
        )
    return sheet


@dataclass
class SheetCheck:
    missing: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    outliers: list[str] = field(default_factory=list)
    outlier_keys: set[tuple[int, int]] = field(default_factory=set)
    conflicts: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        missing = self.missing
        if len(missing) > 3:
            missing = [
                f"尚有 {len(missing)} 项未评分（{'、'.join(m.split('”')[0] + '”' for m in missing[:2])}等）"
            ]
        return self.conflicts + missing + self.mismatches + self.outliers

    @property
    def ok(self) -> bool:
        return not self.problems


def _matrix(committee_id: int) -> dict[int, dict[tuple[int, int], Score]]:
    """member id → {(bidder, criterion): score} for the committee's active members."""
    out: dict[int, dict[tuple[int, int], Score]] = {}
    scores = Score.objects.filter(
        sheet__member__committee_id=committee_id, sheet__member__active=True, bidder__valid=True
    ).select_related("sheet")
    for s in scores:
        out.setdefault(s.sheet.member_id, {})[(s.bidder_id, s.criterion_id)] = s
    return out


def is_outlier(value: Decimal, others: list[Decimal], max_points: Decimal) -> bool:
    """Far from the other experts: beyond k sample standard deviations and a minimum share of the points."""
    conf = rules.value("outlier")
    if len(others) < int(conf["min_others"]):
        return False
    mean = statistics.fmean(float(x) for x in others)
    sd = statistics.stdev(float(x) for x in others)
    gap = abs(float(value) - mean)
    return gap > float(conf["k"]) * sd and gap > float(conf["min_fraction"]) * float(max_points)


def check_sheet(member: CommitteeMember) -> SheetCheck:
    """Everything that stops this member from signing, in Chinese."""
    project = member.committee.project
    check = SheetCheck()
    for m, reasons in member_conflicts(project):
        if m.pk == member.pk:
            check.conflicts.append("您与投标人存在回避情形，须申请回避：" + "；".join(reasons))
    bidders = list(Bidder.objects.filter(project=project, valid=True).order_by("pk"))
    criteria = list(Criterion.objects.filter(project=project).order_by("order", "pk"))
    matrix = _matrix(member.committee_id)
    mine = matrix.get(member.pk, {})
    seats = dict(
        CommitteeMember.objects.filter(committee_id=member.committee_id, active=True).values_list(
            "pk", "seat"
        )
    )
    for b in bidders:
        for c in criteria:
            key = (b.pk, c.pk)
            if key not in mine:
                check.missing.append(f"“{b.name}·{c.name}”尚未评分")
                continue
            if c.objective:
                values = {mid: m[key].points for mid, m in matrix.items() if key in m}
                absent = [seats[mid] for mid in seats if mid not in values]
                if absent:
                    seats_text = "、".join(f"席位{s}" for s in sorted(absent))
                    check.mismatches.append(f"客观分“{b.name}·{c.name}”：{seats_text}尚未录入，暂不能核对")
                elif len(set(values.values())) > 1:
                    shown = "、".join(
                        f"席位{seats[mid]}：{v}"
                        for mid, v in sorted(values.items(), key=lambda x: seats[x[0]])
                    )
                    check.mismatches.append(f"客观分“{b.name}·{c.name}”各专家不一致（{shown}），请核对后统一")
            else:
                others = [m[key].points for mid, m in matrix.items() if mid != member.pk and key in m]
                if is_outlier(mine[key].points, others, c.max_points):
                    check.outlier_keys.add(key)
                    if not mine[key].reason:
                        check.outliers.append(
                            f"“{b.name}·{c.name}”得分 {mine[key].points} 明显偏离其他专家（平均 "
                            f"{statistics.fmean(float(x) for x in others):.2f}），须填写评分理由"
                        )
    return check


def sheet_content(sheet: ScoreSheet) -> dict[str, Any]:
    """The signed content of a sheet, as canonical data (what the hash covers)."""
    member = sheet.member
    rows = sorted(
        (
            s.bidder_id,
            s.bidder.name,
            s.criterion_id,
            s.criterion.name,
            str(Decimal(s.points).quantize(TWO)),
            s.reason,
        )
        for s in sheet.scores.select_related("bidder", "criterion")
    )
    return {
        "project": member.committee.project.code,
        "committee": member.committee.number,
        "seat": member.seat,
        "member": member.pk,
        "site": sheet.site.name,
        "scores": [list(r) for r in rows],
    }


def stamp(moment: dt.datetime) -> str:
    """Signing time as hashed: UTC ISO 8601, the same whatever the database returns."""
    return moment.astimezone(dt.UTC).isoformat()


def content_hash(content: dict[str, Any], signed_at: str, username: str) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{canonical}|{signed_at}|{username}".encode()).hexdigest()


@transaction.atomic
def sign_sheet(*, member: CommitteeMember, actor: Any) -> ScoreSheet:
    """签名: refuse while anything is missing, inconsistent or unexplained; then fix the hash in the chain."""
    member = _locked_seat(member)
    _require_own_open_seat(member, actor)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet_for(member).pk)
    if sheet.signed:
        raise Conflict("评分表已签名，无需重复签名。")
    check = check_sheet(member)
    if not check.ok:
        raise ValidationFailed("暂不能签名：" + "；".join(check.problems) + "。")
    signed_at = timezone.now()
    signed_stamp = stamp(signed_at)
    digest = content_hash(sheet_content(sheet), signed_stamp, actor.username)
    event = audit.record(
        action="sign",
        obj=sheet,
        after={
            "sha256": digest,
            "signed_at": signed_stamp,
            "account": actor.username,
            "site": sheet.site.name,
        },
        comment=f"评标专家签名确认评分表（席位{member.seat}）",
    )
    ScoreSheet.objects.filter(pk=sheet.pk).update(
        signed_at=signed_at,
        signed_by=actor,
        signed_username=actor.username,
        sign_hash=digest,
        audit_seq=event.seq,
    )
    sheet.refresh_from_db()
    return sheet


@dataclass
class SheetVerification:
    sheet: ScoreSheet
    ok: bool
    reason: str = ""


def verify_sheet(sheet: ScoreSheet) -> SheetVerification:
    """Recompute a signed sheet's hash from the scores now in the database and compare it with the chain."""
    from fazhi.core.models import AuditEvent

    if not sheet.signed:
        return SheetVerification(sheet, True, "未签名")
    assert sheet.signed_at is not None
    recomputed = content_hash(sheet_content(sheet), stamp(sheet.signed_at), sheet.signed_username)
    event = AuditEvent.objects.filter(seq=sheet.audit_seq or 0, action="sign").first()
    label = f"{sheet.member.committee.project.code} 席位{sheet.member.seat}"
    if event is None or not isinstance(event.after, dict):
        return SheetVerification(sheet, False, f"{label}：审计日志中找不到签名记录")
    chained = event.after.get("sha256")
    if chained != sheet.sign_hash:
        return SheetVerification(
            sheet, False, f"{label}：评分表保存的签名哈希与审计日志不一致（签名记录被改动）"
        )
    if recomputed != chained:
        return SheetVerification(sheet, False, f"{label}：签名后的评分内容已被改动（哈希不匹配）")
    return SheetVerification(sheet, True)


def verify_sheets(project: Any = None) -> list[SheetVerification]:
    qs = ScoreSheet.objects.filter(signed_at__isnull=False).select_related(
        "member__committee__project", "site"
    )
    if project is not None:
        qs = qs.filter(member__committee__project=project)
    return [verify_sheet(s) for s in qs.order_by("pk")]
