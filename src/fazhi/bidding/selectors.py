"""远程异地评标 read queries (what a page or the API shows, with names hidden until the reveal time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from fazhi.bidding import rules
from fazhi.bidding.models import (
    CommitteeMember,
    Correction,
    CorrectionSubject,
    Expert,
    ExpertPool,
    IdentityCheck,
    MemberKind,
    Project,
    Site,
)
from fazhi.bidding.services.common import is_reader, names_revealed
from fazhi.bidding.services.contracts import ContractDeadline, contract_deadline
from fazhi.bidding.services.handovers import HandoverDue, late_handovers
from fazhi.bidding.services.results import Deadlines, deadlines
from fazhi.core.workdays import Calendar


def projects_for(user: Any) -> QuerySet[Project]:
    """Projects the user may see: all for staff and supervisors; their own for purchasers and experts."""
    qs = Project.objects.select_related("host_site").order_by("-evaluation_start")
    if is_reader(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(
        Q(purchaser_user=user)
        | Q(committees__members__user=user, committees__members__active=True, committees__active=True)
    ).distinct()


def with_list_details(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Projects with what a list row shows (副场, 评分因素, 投标人) loaded in one query each."""
    return qs.prefetch_related("assist_sites", "criteria", "bidders")


@dataclass
class ListRow:
    """A project in a list with its time limits; `overdue` means something is still pending past its due day."""

    project: Project
    deadlines: Deadlines  # 评标报告, 确定中标人
    contract: ContractDeadline  # 合同公告
    late_handovers: list[HandoverDue]  # 副场 not handed over past their due day

    @property
    def contract_overdue(self) -> bool:
        """Signed, not published, and the publication is past due (a late publication made is history)."""
        return self.contract.overdue and self.project.contract_published_on is None

    @property
    def overdue(self) -> bool:
        p, d = self.project, self.deadlines
        return bool(
            (d.report_overdue and not p.report_submitted_at)
            or (d.confirm_overdue and not p.winner_confirmed_at)
            or self.contract_overdue
            or self.late_handovers
        )


def list_rows(projects: list[Project], today: dt.date | None = None) -> list[ListRow]:
    """The rows of a project list with every time limit, in a fixed number of queries however many projects:
    the rules and the working-day calendar are read once, the handovers of all the projects together."""
    in_force = rules.rules_in_force("deadlines", "contract_deadline", "handover_deadline")
    calendar = Calendar.load()
    late = late_handovers(projects, today, rule=in_force["handover_deadline"], calendar=calendar)
    return [
        ListRow(
            project=p,
            deadlines=deadlines(p, today, rule=in_force["deadlines"], calendar=calendar),
            contract=contract_deadline(p, today, rule=in_force["contract_deadline"], calendar=calendar),
            late_handovers=late.get(p.pk, []),
        )
        for p in projects
    ]


def with_open_deadlines(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Projects that may have something overdue: a report, a 定标, a contract publication or a 副场移交 still
    pending after its period began. Whether it is late needs the working-day calendar (`ListRow.overdue`)."""
    return qs.annotate(
        n_assist=Count("assist_sites", distinct=True), n_handed=Count("handovers", distinct=True)
    ).filter(
        Q(evaluation_finished_at__isnull=False, report_submitted_at__isnull=True)
        | Q(report_submitted_at__isnull=False, winner_confirmed_at__isnull=True)
        | Q(contract_signed_on__isnull=False, contract_published_on__isnull=True)
        | Q(evaluation_finished_at__isnull=False, n_assist__gt=F("n_handed"))
    )


def corrections(project: Project, user: Any) -> list[Correction]:
    """The project's correction history (更正记录), oldest first, in one query: all of it for 采购办 and 监督方;
    the contract's for the others who see the project (the purchaser, the committee), as they see the contract."""
    qs = project.corrections.select_related("site", "corrected_by").order_by("corrected_at", "pk")
    if not is_reader(user):
        qs = qs.filter(subject=CorrectionSubject.CONTRACT)
    return list(qs)


def my_seats(user: Any) -> QuerySet[CommitteeMember]:
    """The user's open seats (expert scoring tasks)."""
    if not getattr(user, "is_authenticated", False):
        return CommitteeMember.objects.none()
    return CommitteeMember.objects.filter(
        user=user, active=True, committee__active=True, committee__project__status__in=["drawn", "evaluating"]
    ).select_related("committee__project", "site")


@dataclass
class MemberRow:
    id: int
    seat: int
    name: str
    kind: str
    role: str
    site: str
    specialty: str
    active: bool
    replaced_reason: str
    signed: bool

    @property
    def pk(self) -> int:
        return self.id


HIDDEN_NAME = "（名单未到公开时间）"


def committee_rows(committee: Any, user: Any, now: dt.datetime | None = None) -> list[MemberRow]:
    """Members of one committee; a name is shown only after the reveal time (or to the member themself)."""
    project = committee.project
    revealed = names_revealed(project, now) and (
        is_reader(user) or (getattr(user, "pk", None) is not None and project.purchaser_user_id == user.pk)
    )
    rows = []
    members = committee.members.select_related("expert", "site", "sheet").order_by("seat", "id")
    for m in members:
        own = getattr(user, "pk", None) is not None and m.user_id == user.pk
        if m.kind == MemberKind.PURCHASER_REP:
            role = "采购人代表"
        else:
            role = "主场" if m.site_id == project.host_site_id else "副场"
        sheet = getattr(m, "sheet", None)
        rows.append(
            MemberRow(
                id=m.pk,
                seat=m.seat,
                name=m.display_name
                if (revealed or own or m.kind == MemberKind.PURCHASER_REP)
                else HIDDEN_NAME,
                kind=m.get_kind_display(),
                role=role,
                site=m.site.name,
                specialty=m.specialty,
                active=m.active,
                replaced_reason=m.replaced_reason,
                signed=bool(sheet and sheet.signed),
            )
        )
    return rows


@dataclass
class IdentityRow:
    id: int
    committee: int
    member_id: int
    seat: int
    name: str
    site: str
    method: str
    method_label: str
    result: str
    result_label: str
    note: str
    checked_at: dt.datetime
    checked_by: str


def identity_checks(project: Project, user: Any) -> list[IdentityRow]:
    """Every identity check of the project's committees, oldest first; names as in `committee_rows`."""
    checks = list(
        IdentityCheck.objects.filter(member__committee__project=project)
        .select_related("member__committee", "site", "checked_by")
        .order_by("checked_at", "pk")
    )
    names: dict[int, str] = {}
    for committee in {c.member.committee_id: c.member.committee for c in checks}.values():
        names.update((r.id, r.name) for r in committee_rows(committee, user))
    return [
        IdentityRow(
            id=c.pk,
            committee=c.member.committee.number,
            member_id=c.member_id,
            seat=c.member.seat,
            name=names.get(c.member_id, ""),
            site=c.site.name,
            method=c.method,
            method_label=c.get_method_display(),
            result=c.result,
            result_label=c.get_result_display(),
            note=c.note,
            checked_at=c.checked_at,
            checked_by=str(c.checked_by) if c.checked_by else "",
        )
        for c in checks
    ]


def pools() -> QuerySet[ExpertPool]:
    return ExpertPool.objects.select_related("site").annotate(n=Count("experts")).order_by("id")


def experts_in(pool: ExpertPool) -> QuerySet[Expert]:
    return pool.experts.prefetch_related("relations").select_related("user").order_by("id")


def sites() -> QuerySet[Site]:
    return Site.objects.order_by("id")
