"""专家抽取: a seeded, reproducible, logged random draw that never picks a conflicted expert.

Each quota (site × specialty) draws from the pools of its own site. Its candidate list (sorted expert
ids, after every exclusion) is stored with the seed, so the draw can be replayed and checked later."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import (
    Committee,
    CommitteeMember,
    Draw,
    Expert,
    ExpertRelation,
    MemberKind,
    Project,
    Status,
)
from fazhi.bidding.services.common import lock_project, require_manager
from fazhi.bidding.services.conflicts import Party, Relation, conflict_cutoff, parties_of, reasons_for
from fazhi.bidding.services.results import too_few_bidders
from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_field
from fazhi.core.services import notify

# Pages and the API never take a seed: one chosen in advance could be tried out to seat wanted experts.
SEED_REFUSED = "随机种子由系统在抽取时生成，不能指定；抽取后种子会显示并记入日志，可据此复核。"


@dataclass
class Candidate:
    """An expert as the draw sees it (plain data: thousands are loaded per draw)."""

    pk: int
    site_id: int
    specialties: list[str]
    employer: str
    # (organisation, credit code, ground, ended on)
    relations: list[Relation] = field(default_factory=list)


@dataclass
class Slot:
    key: str
    site_id: int
    specialty: str
    count: int


@dataclass
class DrawOutcome:
    seed: str
    picked: list[tuple[Slot, int]] = field(default_factory=list)
    candidates: dict[str, list[int]] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)


def candidates_for(site_ids: set[int]) -> list[Candidate]:
    """Every active expert in the pools of these sites, with declared relations, as plain data."""
    relations: dict[int, list[Relation]] = {}
    rows = ExpertRelation.objects.filter(expert__pool__site_id__in=site_ids, expert__active=True).values_list(
        "expert_id", "organisation", "credit_code", "ground", "ended_on"
    )
    for expert_id, org, code, ground, ended_on in rows:
        relations.setdefault(expert_id, []).append((org, code, ground, ended_on))
    experts = (
        Expert.objects.filter(pool__site_id__in=site_ids, active=True)
        .order_by("pk")
        .values_list("pk", "pool__site_id", "specialties", "employer")
    )
    return [Candidate(pk, site, spec or [], emp, relations.get(pk, [])) for pk, site, spec, emp in experts]


def recent_draw_counts(now: dt.datetime) -> dict[int, int]:
    """How often each expert was drawn within the configured recent period."""
    conf = rules.value("recent_draws")
    since = now - dt.timedelta(days=int(conf["days"]))
    rows = (
        CommitteeMember.objects.filter(
            expert__isnull=False, kind=MemberKind.EXPERT, committee__formed_at__gte=since
        )
        .values("expert_id")
        .annotate(n=Count("id"))
    )
    return {r["expert_id"]: r["n"] for r in rows}


def pick(
    *,
    seed: str,
    slots: list[Slot],
    experts: list[Candidate],
    parties: list[Party],
    now: dt.datetime,
    already: set[int] | None = None,
) -> DrawOutcome:
    """Run the draw over the given experts; raises ValidationFailed if a slot has too few candidates."""
    conf = rules.value("recent_draws")
    limit = int(conf["max_draws"])
    counts = recent_draw_counts(now)
    grounds = rules.value("conflict_grounds")
    cutoff = conflict_cutoff(timezone.localdate(now))
    outcome = DrawOutcome(seed=seed)
    blocked: dict[int, str] = {}
    for e in experts:
        reasons = reasons_for(e.employer, e.relations, parties, grounds, cutoff)
        if reasons:
            blocked[e.pk] = "回避：" + "；".join(reasons)
        elif counts.get(e.pk, 0) >= limit:
            blocked[e.pk] = f"近 {conf['days']} 天已被抽中 {counts[e.pk]} 次（上限 {limit} 次）"
        elif already and e.pk in already:
            blocked[e.pk] = "已在本项目评标委员会中或已被替换"
    outcome.excluded = {str(k): v for k, v in sorted(blocked.items())}
    chosen: set[int] = set()
    for slot in slots:
        in_slot = [e for e in experts if e.site_id == slot.site_id and slot.specialty in e.specialties]
        candidates = sorted(e.pk for e in in_slot if e.pk not in blocked and e.pk not in chosen)
        outcome.candidates[slot.key] = candidates
        if len(candidates) < slot.count:
            why = Counter(
                "回避" if blocked.get(e.pk, "").startswith("回避") else "近期抽取过多"
                for e in in_slot
                if e.pk in blocked
            )
            detail = "，".join(f"{k}排除 {v} 人" for k, v in why.items()) or "无排除"
            raise ValidationFailed(
                f"{slot.key}：需要抽取 {slot.count} 人，符合条件的专家只有 {len(candidates)} 人（{detail}）。"
                "请扩充专家库或调整配额。"
            )
        rng = random.Random(f"{seed}|{slot.key}")
        for pk in rng.sample(candidates, slot.count):
            chosen.add(pk)
            outcome.picked.append((slot, pk))
    return outcome


def replay(draw: Draw) -> dict[str, list[int]]:
    """Recompute a stored draw's picks per slot from its seed and stored candidate lists."""
    counts = Counter(p["slot"] for p in draw.picked)
    return {
        key: random.Random(f"{draw.seed}|{key}").sample(draw.candidates[key], n) for key, n in counts.items()
    }


def verify_draw(draw: Draw) -> bool:
    """True when replaying the seed over the stored candidates gives the stored result."""
    actual: dict[str, list[int]] = {}
    for p in draw.picked:
        actual.setdefault(p["slot"], []).append(p["expert_id"])
    return replay(draw) == actual


def _slot_key(site_name: str, specialty: str) -> str:
    return f"{site_name}·{specialty}"


def _store(committee: Committee, kind: str, outcome: DrawOutcome, actor: Any, now: dt.datetime) -> Draw:
    return Draw.objects.create(
        committee=committee,
        kind=kind,
        seed=outcome.seed,
        candidates=outcome.candidates,
        excluded=outcome.excluded,
        picked=[{"slot": slot.key, "expert_id": pk} for slot, pk in outcome.picked],
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _notify_expert(member: CommitteeMember, project: Project) -> None:
    if member.user is None:
        return
    role = "主场" if member.site_id == project.host_site_id else "副场"
    notify(
        recipient=member.user,
        title=f"评标通知：{project.name}",
        body=(
            f"您被随机抽取为“{project.name}”（{project.code}）评标委员会成员，"
            f"请于 {timezone.localtime(project.evaluation_start):%Y-%m-%d %H:%M} 到 {member.site.name}（{role}）参加评标。"
            "如存在回避情形，请立即告知采购办。"
        ),
        url=f"/bidding/projects/{project.pk}/score/",
        category="bidding",
        dedupe_key=f"bidding-draw-{member.pk}",
    )


def form_committee(*, project: Project, actor: Any, seed: str | None = None, reason: str = "") -> Committee:
    """Draw a new committee for the project (the first, or a replacement for a superseded one).

    `seed` is for tests and the demo data only; every draw requested by a user gets a server seed.
    """
    now = timezone.now()
    seed = seed or str(secrets.randbelow(10**16))
    quotas = list(project.quotas.select_related("site").order_by("site_id", "specialty"))
    slots = [Slot(_slot_key(q.site.name, q.specialty), q.site_id, q.specialty, q.count) for q in quotas]
    if sum(s.count for s in slots) != project.expert_count:
        raise ValidationFailed("抽取配额合计与评审专家人数不一致，请先修正项目配额。")
    experts = candidates_for({s.site_id for s in slots})
    outcome = pick(seed=seed, slots=slots, experts=experts, parties=parties_of(project), now=now)
    number = (project.committees.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    committee = Committee.objects.create(project=project, number=number, formed_at=now)
    draw = _store(committee, "initial", outcome, actor, now)
    by_pk = Expert.objects.in_bulk([pk for _, pk in outcome.picked])
    seat = 0
    for slot, pk in outcome.picked:
        seat += 1
        expert = by_pk[pk]
        member = CommitteeMember.objects.create(
            committee=committee,
            kind=MemberKind.EXPERT,
            expert=expert,
            user=expert.user,
            site_id=slot.site_id,
            specialty=slot.specialty,
            draw=draw,
            seat=seat,
        )
        _notify_expert(member, project)
    for i in range(project.purchaser_rep_count):
        seat += 1
        CommitteeMember.objects.create(
            committee=committee,
            kind=MemberKind.PURCHASER_REP,
            rep_name=f"采购人代表{i + 1}",
            site=project.host_site,
            seat=seat,
        )
    audit.record(
        action="draw",
        obj=committee,
        after={
            "seed": seed,
            "picked": [{"slot": s.key, "expert_id": pk} for s, pk in outcome.picked],
            "candidates": {k: len(v) for k, v in outcome.candidates.items()},
            "excluded": outcome.excluded,
        },
        comment=reason or "随机抽取评标专家（实施条例第三十九条）",
    )
    before_status = project.status
    project.status = Status.DRAWN
    project.save()
    audit.record(
        action="transition",
        obj=project,
        before={"status": before_status},
        after={"status": project.status},
        comment=f"组建第 {number} 届评标委员会",
    )
    return committee


@transaction.atomic
def draw_committee(*, project: Project, actor: Any, seed: str | None = None) -> Committee:
    """Form the project's first committee by random draw."""
    require_manager(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.committees.filter(active=True).exists():
        raise Conflict("本项目已组建评标委员会；如因故障需重新组建，请在“评标异常”中操作。")
    if project.status != Status.DRAFT:
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，不能抽取专家。")
    if not project.bidders.exists():
        raise ValidationFailed("请先登记投标人，抽取时需据此排除有回避情形的专家。")
    # Fewer qualified bids than a tender needs means 废标: no evaluation will take place, so drawing
    # would only disclose experts and count the draw against their recent-draw limit.
    shortage = too_few_bidders(project, project.bidders.filter(valid=True).count())
    if shortage:
        raise ValidationFailed(f"不能抽取评标专家：{shortage}。")
    return form_committee(project=project, actor=actor, seed=seed)


@transaction.atomic
def replace_member(
    *, member: CommitteeMember, actor: Any, reason: str, seed: str | None = None
) -> CommitteeMember:
    """补抽: replace one expert by drawing from the same site and specialty under the same rules."""
    require_manager(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("更换专家须写明原因（如回避、无法到场）。")
    check_field(reason, CommitteeMember, "replaced_reason", "更换原因")
    member = (
        CommitteeMember.objects.select_for_update()
        .select_related("committee__project", "site")
        .get(pk=member.pk)
    )
    committee = member.committee
    project = committee.project
    if not member.active or not committee.active:
        raise Conflict("该成员已不在任，无需更换。")
    if member.kind != MemberKind.EXPERT:
        raise ValidationFailed("采购人代表由采购人委派，不通过抽取更换。")
    if project.status not in (Status.DRAWN, Status.EVALUATING):
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，不能更换专家。")
    if hasattr(member, "sheet") and member.sheet.signed:
        raise Conflict("该专家已签名确认评分表，不能更换。")
    now = timezone.now()
    seed = seed or str(secrets.randbelow(10**16))
    slot = Slot(_slot_key(member.site.name, member.specialty), member.site_id, member.specialty, 1)
    experts = candidates_for({member.site_id})
    already = set(
        CommitteeMember.objects.filter(committee=committee, expert__isnull=False).values_list(
            "expert_id", flat=True
        )
    )
    outcome = pick(
        seed=seed, slots=[slot], experts=experts, parties=parties_of(project), now=now, already=already
    )
    draw = _store(committee, "replacement", outcome, actor, now)
    member.active = False
    member.replaced_reason = reason
    member.save()
    expert = Expert.objects.get(pk=outcome.picked[0][1])
    new = CommitteeMember.objects.create(
        committee=committee,
        kind=MemberKind.EXPERT,
        expert=expert,
        user=expert.user,
        site=member.site,
        specialty=member.specialty,
        draw=draw,
        seat=member.seat,
    )
    audit.record(
        action="draw",
        obj=committee,
        after={
            "seed": seed,
            "replaced_member": member.pk,
            "picked": outcome.picked[0][1],
            "excluded": outcome.excluded,
        },
        comment=f"补抽专家：{reason}",
    )
    _notify_expert(new, project)
    return new


def _project_id_of(member: CommitteeMember) -> int:
    return CommitteeMember.objects.filter(pk=member.pk).values_list("committee__project_id", flat=True).get()


@transaction.atomic
def assign_representative(
    *, member: CommitteeMember, actor: Any, name: str, username: str
) -> CommitteeMember:
    """采购人代表: name the purchaser's representative for a seat and the account they score with."""
    from fazhi.core.models import User

    require_manager(actor)
    # Under the project lock, so that one account cannot be given two seats by two requests at once.
    lock_project(_project_id_of(member))
    member = CommitteeMember.objects.select_related("committee").get(pk=member.pk)
    if member.kind != MemberKind.PURCHASER_REP or not member.active or not member.committee.active:
        raise ValidationFailed("只能为当前评标委员会中的采购人代表席位指定人员。")
    if hasattr(member, "sheet") and member.sheet.scores.exists():
        raise Conflict("该席位已开始评分，不能更换采购人代表。")
    name = name.strip()
    if not name:
        raise ValidationFailed("请填写采购人代表姓名。")
    check_field(name, CommitteeMember, "rep_name")
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationFailed(f"账号“{username.strip()}”不存在或已停用。")
    if (
        CommitteeMember.objects.filter(committee=member.committee, user=user, active=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationFailed("该账号已在本评标委员会中占有席位。")
    member.rep_name = name
    member.user = user
    member.save()
    return member
