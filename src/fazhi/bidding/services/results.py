"""评标结果: averages, totals and ranking over the price scores (services.pricing); the end of the evaluation,
the report and the winner, with their deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import (
    Bidder,
    Committee,
    CommitteeMember,
    Criterion,
    EvaluationMethod,
    Project,
    Score,
    ScoreSheet,
    Status,
)
from fazhi.bidding.services.archives import require_archives
from fazhi.bidding.services.common import is_manager, local_date, not_begun, require_manager
from fazhi.bidding.services.pricing import Bid, PriceLine, deductions, price_scores, round_half_up
from fazhi.core import audit
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.services import notify, users_with_role
from fazhi.core.workdays import Calendar, add_working_days

MAX_WINNER_REASON = 500  # why a lower-ranked candidate was chosen, as other reasons of the project


def too_few_bidders(project: Project, valid_count: int) -> str:
    """Why a tender with fewer qualified bidders than the rule needs must be abandoned (empty: enough)."""
    rule = rules.rule("min_bidders")
    minimum = (rule.value or {}).get(project.method)
    if minimum is None or valid_count >= int(minimum):
        return ""
    return (
        f"{project.get_method_display()}项目通过资格/符合性审查的投标人只有 {valid_count} 家，"
        f"不足 {minimum} 家，应予废标（依据：{rule.source}）"
    )


@dataclass
class BidderResult:
    bidder: Bidder
    price: PriceLine
    averages: dict[int, Decimal] = field(default_factory=dict)
    criteria_total: Decimal = Decimal("0")
    total: Decimal = Decimal("0")
    rank: int = 0
    recommended: bool = False


@dataclass
class ProjectResult:
    project: Project
    committee: Committee | None
    criteria: list[Criterion]
    members: list[CommitteeMember]
    sheets: dict[int, dict[tuple[int, int], Decimal]]
    lines: list[BidderResult]
    invalid: list[Bidder]
    base_price: Decimal
    unsigned_seats: list[int]
    places: int
    tie_rule_source: str
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return (
            self.committee is not None and not self.unsigned_seats and bool(self.lines) and not self.problems
        )

    @property
    def recommended(self) -> list[BidderResult]:
        return [line for line in self.lines if line.recommended]


def rank_lines(lines: list[BidderResult], method: str) -> None:
    """Order and rank in place; equal sort keys share a rank (并列), as the tie rule says."""
    if method == EvaluationMethod.LOWEST_PRICE:

        def key(r: BidderResult) -> tuple:
            return (r.price.evaluated_price,)
    else:

        def key(r: BidderResult) -> tuple:
            return (-r.total, r.bidder.bid_price)

    lines.sort(key=lambda r: (*key(r), r.bidder.pk))
    previous = None
    for position, line in enumerate(lines, start=1):
        k = key(line)
        line.rank = lines[position - 2].rank if k == previous else position
        previous = k


def compute_result(project: Project) -> ProjectResult:
    """The result from the current committee's scores (complete only when every member has signed)."""
    places = int(rules.value("rounding")["places"])
    committee = project.committees.filter(active=True).first()
    criteria = list(Criterion.objects.filter(project=project).order_by("order", "pk"))
    valid = list(Bidder.objects.filter(project=project, valid=True).order_by("pk"))
    invalid = list(Bidder.objects.filter(project=project, valid=False).order_by("pk"))
    members: list[CommitteeMember] = []
    sheets: dict[int, dict[tuple[int, int], Decimal]] = {}
    unsigned: list[int] = []
    if committee is not None:
        members = list(
            committee.members.filter(active=True).select_related("expert", "site").order_by("seat")
        )
        signed = set(
            ScoreSheet.objects.filter(member__in=members, signed_at__isnull=False).values_list(
                "member_id", flat=True
            )
        )
        unsigned = [m.seat for m in members if m.pk not in signed]
        for s in Score.objects.filter(sheet__member__in=members, bidder__valid=True).select_related("sheet"):
            sheets.setdefault(s.sheet.member_id, {})[(s.bidder_id, s.criterion_id)] = s.points
    problems = []
    deduction = deductions(project, valid)
    bids = [Bid(b.pk, b.name, b.bid_price, deduction[b.pk]) for b in valid]
    try:
        base, price_lines = price_scores(bids=bids, weight_pct=project.price_weight, places=places)
    except ValidationFailed as exc:
        problems.append(exc.message)
        base = Decimal("0")
        price_lines = [PriceLine(b.key, b.name, b.price, Decimal("0"), b.price) for b in bids]
    shortage = too_few_bidders(project, len(valid))
    if shortage:
        problems.append(f"{shortage}，不推荐中标候选人。")
    by_key = {p.key: p for p in price_lines}
    lines = []
    for b in valid:
        line = BidderResult(bidder=b, price=by_key[b.pk])
        for c in criteria:
            points = [sheet[(b.pk, c.pk)] for sheet in sheets.values() if (b.pk, c.pk) in sheet]
            line.averages[c.pk] = (
                round_half_up(sum(points, Decimal("0")) / len(points), places) if points else Decimal("0")
            )
        line.criteria_total = sum(line.averages.values(), Decimal("0"))
        if project.evaluation_method == EvaluationMethod.COMPREHENSIVE:
            line.total = line.criteria_total + line.price.price_score
        else:
            line.total = line.price.price_score
        lines.append(line)
    rank_lines(lines, project.evaluation_method)
    for line in lines:
        line.recommended = not problems and line.rank <= project.candidate_count
    return ProjectResult(
        project=project,
        committee=committee,
        criteria=criteria,
        members=members,
        sheets=sheets,
        lines=lines,
        invalid=invalid,
        base_price=base,
        unsigned_seats=unsigned,
        places=places,
        tie_rule_source=rules.rule("tie_rule").source,
        problems=problems,
    )


def _locked_in(project: Project, status: Status, otherwise: str) -> Project:
    """The project re-read under a row lock; Conflict (saying `otherwise`) unless it is in `status`."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != status:
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，{otherwise}。")
    return project


def _advance(project: Project, status: Status, stamp: str, comment: str, **after: Any) -> None:
    """Move the locked project to `status`, stamping `stamp` with now, and log the transition."""
    before = project.status
    project.status = status
    setattr(project, stamp, timezone.now())
    project.save()
    audit.record(
        action="transition",
        obj=project,
        before={"status": before},
        after={"status": status, **after},
        comment=comment,
    )


@transaction.atomic
def finish_evaluation(*, project: Project, actor: Any) -> ProjectResult:
    """评标结束: every member has signed and every signature verifies; the ranking is fixed in the log."""
    from fazhi.bidding.services.incidents import require_no_outage_past_limit, unresolved_outages
    from fazhi.bidding.services.scoring import verify_sheets

    require_manager(actor)
    project = _locked_in(project, Status.EVALUATING, "不能结束评标")
    before = not_begun(project)
    if before:
        # Sheets signed before the start (records older than that rule) do not make an evaluation.
        raise Conflict(f"{before}，不能结束评标。")
    # A committee whose evaluation was cut off past the limit may not conclude it (remote-evaluation rules).
    require_no_outage_past_limit(
        project,
        "结束评标",
        "请先在“评标异常”中重新组建评标委员会，由新的委员会评分、签名后再结束评标；原委员会及其评分记录保留。",
    )
    still_down = unresolved_outages(project)
    if still_down:
        # Whether an open outage stays within the limit is not known yet: finishing now would bypass the rule.
        raise Conflict(
            f"不能结束评标：{still_down}。请先记录故障恢复时间；超过时限未恢复的，应重新组建评标委员会。"
        )
    result = compute_result(project)
    if result.committee is None or not result.lines:
        raise Conflict("没有有效投标或评标委员会，不能结束评标。")
    if result.problems:
        raise Conflict("不能结束评标：" + "".join(result.problems))
    if result.unsigned_seats:
        seats = "、".join(f"席位{s}" for s in result.unsigned_seats)
        raise Conflict(f"尚有委员未签名确认评分表：{seats}。")
    broken = [v.reason for v in verify_sheets(project) if not v.ok]
    if broken:
        raise Conflict("评分表签名校验失败：" + "；".join(broken))
    ranking = [
        {
            "rank": r.rank,
            "bidder": r.bidder.name,
            "total": str(r.total),
            "price_score": str(r.price.price_score),
        }
        for r in result.lines
    ]
    _advance(
        project, Status.EVALUATED, "evaluation_finished_at", "评标结束，结果按评分表计算", ranking=ranking
    )
    return result


@dataclass
class Deadlines:
    report_due: dt.date | None = None
    report_overdue: bool = False
    confirm_due: dt.date | None = None
    confirm_overdue: bool = False
    source: str = ""


def deadlines(
    project: Project,
    today: dt.date | None = None,
    *,
    rule: rules.RuleValue | None = None,
    calendar: Calendar | None = None,
) -> Deadlines:
    """Report within 2 working days of the evaluation; the winner within 5 of the report (configurable).

    A list passes `rule` (`rules.rule("deadlines")`) and `calendar` (`Calendar.load()`), read once,
    instead of reading them again for every project."""
    rule = rule or rules.rule("deadlines")
    add = calendar.add if calendar is not None else add_working_days
    today = today or timezone.localdate()
    out = Deadlines(source=rule.source)
    if project.evaluation_finished_at:
        out.report_due = add(
            local_date(project.evaluation_finished_at), int(rule.value["report_working_days"])
        )
        done = project.report_submitted_at
        out.report_overdue = (local_date(done) if done else today) > out.report_due
    if project.report_submitted_at:
        out.confirm_due = add(
            local_date(project.report_submitted_at), int(rule.value["confirm_working_days"])
        )
        done = project.winner_confirmed_at
        out.confirm_overdue = (local_date(done) if done else today) > out.confirm_due
    return out


@transaction.atomic
def submit_report(*, project: Project, actor: Any) -> Project:
    """评标报告送交采购人 (starts the purchaser's confirmation period), once every site's audio/video
    recording is archived (rule av_archive_required)."""
    require_manager(actor)
    project = _locked_in(project, Status.EVALUATED, "评标结束后才能送交评标报告")
    require_archives(project)
    _advance(project, Status.REPORTED, "report_submitted_at", "评标报告已送交采购人")
    if project.purchaser_user is not None:
        due = deadlines(project).confirm_due
        notify(
            recipient=project.purchaser_user,
            title=f"请确定中标人：{project.name}",
            body=f"评标报告已送交，请于 {due} 前在推荐的中标候选人中按顺序确定中标人。",
            url=f"/bidding/projects/{project.pk}/",
            category="bidding",
            dedupe_key=f"bidding-report-{project.pk}",
        )
    return project


@transaction.atomic
def confirm_winner(*, project: Project, actor: Any, bidder_id: int, reason: str = "") -> Project:
    """采购人确定中标人: from the recommended candidates, in order (a lower one needs a reason)."""
    if not (is_manager(actor) or (actor is not None and project.purchaser_user_id == actor.pk)):
        raise PermissionDenied("只有采购人或采购办经办人员可以确定中标人。")
    reason = check_length(reason.strip(), "确定中标人的原因", MAX_WINNER_REASON)  # kept in the audit log
    project = _locked_in(project, Status.REPORTED, "送交评标报告后才能确定中标人")
    result = compute_result(project)
    if result.problems:
        raise Conflict("不能确定中标人：" + "".join(result.problems))
    line = next((r for r in result.lines if r.bidder.pk == bidder_id), None)
    if line is None or not line.recommended:
        raise ValidationFailed("中标人须为评标报告推荐的中标候选人。")
    top = min(r.rank for r in result.lines)
    if line.rank != top and not reason:
        raise ValidationFailed(
            f"“{line.bidder.name}”不是排名第一的候选人，确定其中标须写明原因（如排名在前者放弃）。"
        )
    project.winner = line.bidder
    _advance(
        project,
        Status.CONFIRMED,
        "winner_confirmed_at",
        reason or "按排名确定中标人",
        winner=line.bidder.name,
        rank=line.rank,
    )
    return project


def remind_deadlines(today: dt.date | None = None) -> int:
    """Daily job: tell 采购办 staff (and the purchaser) about reports and confirmations due or late."""
    from fazhi.core import roles

    today = today or timezone.localdate()
    sent = 0
    rule = rules.rule("deadlines")
    for project in Project.objects.filter(status__in=[Status.EVALUATED, Status.REPORTED]):
        d = deadlines(project, today, rule=rule)
        if (
            project.status == Status.EVALUATED
            and d.report_due
            and today >= d.report_due - dt.timedelta(days=1)
        ):
            title, due, who = "评标报告送交期限", d.report_due, list(users_with_role(roles.PROCUREMENT))
        elif (
            project.status == Status.REPORTED
            and d.confirm_due
            and today >= d.confirm_due - dt.timedelta(days=1)
        ):
            title, due, who = "确定中标人期限", d.confirm_due, list(users_with_role(roles.PROCUREMENT))
            if project.purchaser_user:
                who.append(project.purchaser_user)
        else:
            continue
        state = "已逾期" if today > due else "即将到期"
        for user in who:
            if notify(
                recipient=user,
                title=f"{title}{state}：{project.name}",
                body=f"期限为 {due}（{d.source}）。",
                url=f"/bidding/projects/{project.pk}/",
                category="bidding",
                dedupe_key=f"bidding-deadline-{project.pk}-{project.status}-{state}",
            ):
                sent += 1
    return sent
