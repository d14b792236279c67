"""评标异常: outages per site; past the limit during evaluation a new committee is formed, both kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import Committee, Incident, Project, Site, Status
from fazhi.bidding.services.common import aware, lock_project, require_manager
from fazhi.bidding.services.draw import form_committee
from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_field

EVALUATION_STATES = (Status.DRAWN, Status.EVALUATING)


def outage_limit(rule: rules.RuleValue | None = None) -> dt.timedelta:
    """How long an outage may last before a new committee is formed (`rule`: the rule already read)."""
    rule = rule or rules.rule("outage_limit")
    return dt.timedelta(hours=float(rule.value["hours"]))


def duration(incident: Incident, now: dt.datetime | None = None) -> dt.timedelta:
    return (incident.ended_at or now or timezone.now()) - incident.started_at


def exceeds_limit(
    incident: Incident, now: dt.datetime | None = None, limit: dt.timedelta | None = None
) -> bool:
    """Whether the outage lasted longer than `limit` (the rule in force when none is given)."""
    return duration(incident, now) > (limit if limit is not None else outage_limit())


def needs_new_committee(
    project: Project, now: dt.datetime | None = None, limit: dt.timedelta | None = None
) -> list[Incident]:
    """Outages of the current committee past the limit while the evaluation is under way."""
    if project.status not in EVALUATION_STATES:
        return []
    committee = project.committees.filter(active=True).first()
    if committee is None:
        return []
    limit = limit if limit is not None else outage_limit()
    return [
        i
        for i in project.incidents.filter(committee=committee).select_related("site")
        if exceeds_limit(i, now, limit)
    ]


def _outage_text(incident: Incident, now: dt.datetime) -> str:
    """One outage as users read it: site, start, what happened, how long, whether it has ended."""
    start = timezone.localtime(incident.started_at).strftime("%Y-%m-%d %H:%M")
    hours = duration(incident, now).total_seconds() / 3600
    if incident.ended_at is None:
        lasted = f"至今未恢复，已持续 {hours:.1f} 小时"
    else:
        lasted = f"{timezone.localtime(incident.ended_at):%Y-%m-%d %H:%M} 恢复，持续 {hours:.1f} 小时"
    return f"{incident.site.name} {start} 起的故障（{incident.description}）{lasted}"


def outage_past_limit(project: Project, now: dt.datetime | None = None) -> str:
    """Why the current committee may not go on: each outage past the limit and the rule (empty: none)."""
    now = now or timezone.now()
    rule = rules.rule("outage_limit")
    limit = outage_limit(rule)
    incidents = needs_new_committee(project, now, limit)
    if not incidents:
        return ""
    hours = f"{limit.total_seconds() / 3600:g}"
    return (
        "；".join(_outage_text(i, now) for i in incidents)
        + f"。依据“{rule.title}”（{rule.source}），评标过程中故障超过 {hours} 小时未能恢复的，"
        "应重新组建评标委员会"
    )


def require_no_outage_past_limit(project: Project, action: str, then: str) -> None:
    """Refuse `action` (“结束评标”, “评分或签名”) while an outage past the limit stands; `then`: what to do."""
    reason = outage_past_limit(project)
    if reason:
        raise Conflict(f"不能{action}：{reason}。{then}")


def unresolved_outages(project: Project) -> str:
    """Outages of the current committee with no end recorded yet, as text (empty: none)."""
    now = timezone.now()
    still_down = project.incidents.filter(committee__active=True, ended_at__isnull=True).select_related(
        "site"
    )
    return "；".join(_outage_text(i, now) for i in still_down)


def projects_needing_new_committee(
    projects: Iterable[Project], now: dt.datetime | None = None, limit: dt.timedelta | None = None
) -> set[int]:
    """Ids of the projects for which `needs_new_committee` finds outages, in two queries for any number
    (three when `limit` is not given)."""
    evaluating = [p.pk for p in projects if p.status in EVALUATION_STATES]
    if not evaluating:
        return set()
    current: dict[int, int] = {}  # project id → its current committee (the first active one, as above)
    for committee_id, project_id in (
        Committee.objects.filter(project_id__in=evaluating, active=True)
        .order_by("project_id", "number")
        .values_list("pk", "project_id")
    ):
        current.setdefault(project_id, committee_id)
    if not current:
        return set()
    limit = limit if limit is not None else outage_limit()
    return {
        i.project_id
        for i in Incident.objects.filter(project_id__in=list(current), committee_id__in=current.values())
        if current[i.project_id] == i.committee_id and exceeds_limit(i, now, limit)
    }


@transaction.atomic
def record_incident(
    *,
    project: Project,
    actor: Any,
    site_id: int,
    started_at: dt.datetime,
    description: str,
    ended_at: dt.datetime | None = None,
) -> Incident:
    """Record an outage (start, optional end, site); the same outage recorded twice is refused."""
    require_manager(actor)
    started_at, ended_at = aware(started_at, "故障开始时间"), aware(ended_at, "恢复时间")
    project = lock_project(project.pk)  # the status checked below cannot change before the insert
    if project.status not in EVALUATION_STATES:
        # Outages matter while the committee sits; once the evaluation ended the result is fixed.
        when = "尚未组建评标委员会" if project.status == Status.DRAFT else "评标已结束"
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，{when}，不能记录评标故障。")
    description = description.strip()
    if not description:
        raise ValidationFailed("请填写故障情况说明。")
    check_field(description, Incident, "description", "故障情况说明")
    site = Site.objects.filter(pk=site_id).first()
    if site is None or not (
        site.pk == project.host_site_id or project.assist_sites.filter(pk=site.pk).exists()
    ):
        raise ValidationFailed("故障场地须为本项目的主场或副场。")
    if ended_at is not None and ended_at < started_at:
        raise ValidationFailed("恢复时间不能早于开始时间。")
    if started_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed("故障开始时间不能晚于当前时间。")
    _not_ahead(ended_at)
    committee = project.committees.filter(active=True).first()
    if committee is not None and started_at < committee.formed_at - dt.timedelta(days=1):
        # An outage concerns the sitting committee; a start long before it was formed (1969, a wrong year)
        # is a typo. A day's margin leaves room for a site that failed on the eve of the draw.
        formed = timezone.localtime(committee.formed_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationFailed(f"故障开始时间不能早于评标委员会组建时间（{formed}）前一天，请核对。")
    if Incident.objects.filter(
        project=project, committee=committee, site=site, started_at=started_at
    ).exists():
        shown = timezone.localtime(started_at).strftime("%Y-%m-%d %H:%M")
        raise Conflict(
            f"已记录{site.name} {shown} 开始的故障，请勿重复提交；故障恢复后请在该记录上填写恢复时间。"
        )
    return Incident.objects.create(
        project=project,
        committee=committee,
        site=site,
        started_at=started_at,
        ended_at=ended_at,
        description=description,
        recorded_by=actor,
    )


def _not_ahead(ended_at: dt.datetime | None) -> None:
    """A recovery is recorded once it happened (a few minutes' leeway for the clocks, as for the start)."""
    if ended_at is not None and ended_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed("恢复时间不能晚于当前时间。")


@transaction.atomic
def end_incident(*, incident: Incident, actor: Any, ended_at: dt.datetime) -> Incident:
    require_manager(actor)
    ended_at = aware(ended_at, "恢复时间")
    lock_project(incident.project_id)
    incident = Incident.objects.get(pk=incident.pk)  # read again: a second request waits for the first
    if incident.ended_at is not None:
        raise Conflict("该故障已记录恢复时间。")
    if ended_at < incident.started_at:
        raise ValidationFailed("恢复时间不能早于开始时间。")
    _not_ahead(ended_at)
    incident.ended_at = ended_at
    incident.save()
    return incident


@transaction.atomic
def reform_committee(*, project: Project, actor: Any, reason: str, seed: str | None = None) -> Any:
    """重新组建评标委员会: the old committee and its scores stay on record, marked superseded."""
    require_manager(actor)
    project = lock_project(project.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("重新组建评标委员会须写明原因。")
    check_field(reason, Committee, "superseded_reason", "重新组建原因")
    if project.status not in EVALUATION_STATES:
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，不能重新组建评标委员会。")
    old = project.committees.filter(active=True).first()
    if old is None:
        raise Conflict("本项目还没有评标委员会。")
    old.active = False
    old.superseded_reason = reason
    old.save()
    audit.record(
        action="transition",
        obj=old,
        before={"active": True},
        after={"active": False},
        comment=f"评标委员会作废并重新组建：{reason}",
    )
    return form_committee(project=project, actor=actor, seed=seed, reason=f"重新组建评标委员会：{reason}")
