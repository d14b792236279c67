"""回避 (政府采购法实施条例第九条): the grounds linking an expert to a bidder, through the employer or a declared
relation still within the window (rule `conflict_window`); the draw excludes them, and a sitting member with one
must be replaced."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import WINDOW_GROUNDS, Bidder, CommitteeMember, Expert, MemberKind, Project
from fazhi.bidding.services.common import norm_org
from fazhi.core.dates import add_years

# A declared relation: (organisation, credit code, ground, ended on).
Relation = tuple[str, str, str, dt.date | None]


@dataclass(frozen=True)
class Party:
    """A bidder as far as 回避 is concerned."""

    name: str
    credit_code: str = ""


def conflict_cutoff(today: dt.date) -> dt.date:
    """Relations of the WINDOW_GROUNDS that ended before this day no longer require 回避 (rule
    `conflict_window`, 实施条例第九条: 参加采购活动前三年内)."""
    return add_years(today, -int(rules.value("conflict_window")["years"]))


def _in_force(ground: str, ended_on: dt.date | None, cutoff: dt.date | None) -> bool:
    return not (
        ground in WINDOW_GROUNDS and ended_on is not None and cutoff is not None and ended_on < cutoff
    )


def reasons_for(
    employer: str,
    relations: list[Relation],
    parties: list[Party],
    grounds: dict[str, str],
    cutoff: dt.date | None = None,
) -> list[str]:
    """The 回避 grounds linking one expert (employer, declared relations) to any of the bidders."""
    reasons = []
    employer = norm_org(employer)
    normalised = [
        (norm_org(org), code, ground)
        for org, code, ground, ended_on in relations
        if _in_force(ground, ended_on, cutoff)
    ]
    for party in parties:
        pname = norm_org(party.name)
        if employer and employer == pname:
            reasons.append(f"工作单位即投标人“{party.name}”（{grounds.get('employment', '劳动关系')}）")
        for org, code, ground in normalised:
            same_code = bool(code and party.credit_code and code == party.credit_code)
            if same_code or (pname and org == pname):
                reasons.append(f"申报与投标人“{party.name}”存在关系：{grounds.get(ground, ground)}")
    return reasons


def conflict_reasons(
    expert: Expert,
    parties: list[Party],
    grounds: dict[str, str] | None = None,
    cutoff: dt.date | None = None,
) -> list[str]:
    """Every 回避 ground (实施条例第九条) linking the expert to a bidder: employer or a declared relation
    still within the window (`cutoff`: conflict_cutoff of today when not given)."""
    relations = [(r.organisation, r.credit_code, r.ground, r.ended_on) for r in expert.relations.all()]
    return reasons_for(
        expert.employer,
        relations,
        parties,
        grounds or rules.value("conflict_grounds"),
        cutoff or conflict_cutoff(timezone.localdate()),
    )


def parties_of(project: Project) -> list[Party]:
    """The project's bidders, as 回避 compares them."""
    return [Party(b.name, b.credit_code) for b in Bidder.objects.filter(project=project)]


def member_conflicts(project: Project) -> list[tuple[CommitteeMember, list[str]]]:
    """Active members who conflict with a bidder registered after the draw (they must be replaced)."""
    parties = parties_of(project)
    grounds = rules.value("conflict_grounds")
    cutoff = conflict_cutoff(timezone.localdate())
    out = []
    members = (
        CommitteeMember.objects.filter(
            committee__project=project, committee__active=True, active=True, kind=MemberKind.EXPERT
        )
        .select_related("expert")
        .prefetch_related("expert__relations")
    )
    for m in members:
        if m.expert is None:
            continue
        reasons = conflict_reasons(m.expert, parties, grounds, cutoff)
        if reasons:
            out.append((m, reasons))
    return out
