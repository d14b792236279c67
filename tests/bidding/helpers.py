"""Helpers for bidding tests: valid ID numbers, experts, scoring a whole committee."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from fazhi.bidding.models import Expert, ExpertPool, Project
from fazhi.bidding.services.pools import with_check_digit
from fazhi.core import audit
from fazhi.core.services import ensure_user

serial = itertools.count(1)


def make_id(prefix: str = "420105") -> str:
    """A valid 18-character citizen ID number (check digit computed)."""
    n = next(serial)
    return with_check_digit(f"{prefix}1980{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}")


def add_experts(
    pool: ExpertPool, count: int, specialty: str = "信息技术", employer: str = ""
) -> list[Expert]:
    return [
        Expert.objects.create(
            pool=pool,
            name=f"{pool.region[:2]}专家{i}",
            id_number=make_id(),
            specialties=[specialty],
            employer=employer or f"{pool.region}某大学{i}",
        )
        for i in range(count)
    ]


def begin_evaluation(project, ago=dt.timedelta(hours=1)):
    """Move 评标开始时间 to `ago` before now, as if the day had come: a new project cannot start in the past
    (create_project), and no score is saved or signed before the start. The names' release time is kept."""
    Project.objects.filter(pk=project.pk).update(evaluation_start=timezone.now() - ago)
    project.refresh_from_db()
    return project


def score_all(project, committee, subjective=None, objective=Decimal("8")):
    """Every active member scores every bidder: subjective(member_seat, bidder, criterion) → points."""
    from fazhi.bidding.services.scoring import save_scores

    for m in committee.members.filter(active=True):
        entries = []
        for b in project.bidders.filter(valid=True):
            for c in project.criteria.all():
                if c.objective:
                    pts = objective
                else:
                    pts = subjective(m.seat, b, c) if subjective else c.max_points * Decimal("0.8")
                entries.append({"bidder_id": b.pk, "criterion_id": c.pk, "points": str(pts)})
        with audit.suspended():  # the scores' own audit events are not under test here
            save_scores(member=m, actor=m.user, entries=entries)


def sign_all(committee):
    from fazhi.bidding.services.scoring import sign_sheet

    for m in committee.members.filter(active=True).order_by("seat"):
        sign_sheet(member=m, actor=m.user)


def give_accounts(committee):
    """A login for every expert member of the committee (drawn experts have none in these tests)."""
    for m in committee.members.filter(expert__isnull=False).select_related("expert"):
        if m.expert.user is None:
            m.expert.user = ensure_user(
                username=f"expert{m.expert_id}", display_name=m.expert.name, role_names=[]
            )
            m.expert.save()
        m.user = m.expert.user
        m.save()


def archive_all(project, actor):
    """An audio/video archive for every site of the project: the report needs them (rule av_archive_required).
    Each recording runs from the evaluation's start (or the draw, if earlier) until now: it covers the evaluation."""
    from django.utils import timezone

    from fazhi.bidding.services.archives import project_sites, record_av_archive

    committee = project.committees.order_by("number").first()
    for n, site in enumerate(project_sites(project), start=1):
        record_av_archive(
            project=project,
            actor=actor,
            site_id=site.pk,
            reference=f"AV-TEST-{project.pk}-{n}",
            started_at=min(committee.formed_at, project.evaluation_start),
            ended_at=timezone.now(),
        )


def set_rule(key, value):
    """Correct one rule as an administrator would (the row, copied from rules.yaml first)."""
    from fazhi.bidding.models import Rule
    from fazhi.bidding.rules import ensure_rules

    ensure_rules()
    row = Rule.objects.get(key=key)
    row.value = value
    row.full_clean()
    row.save()
