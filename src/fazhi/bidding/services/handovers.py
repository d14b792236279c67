"""副场移交: each assisting site hands its records over to the host site within 5 working days of the
evaluation's end (the calendar of every other deadline); late handovers are recorded as such and reminded; a
recorded handover is corrected (更正) only with a reason, under the same checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import Correction, CorrectionSubject, Handover, Project, Site
from fazhi.bidding.services.common import (
    local_date,
    lock_project,
    not_in_future,
    require_manager,
)
from fazhi.bidding.services.corrections import Change, changes_of, clean_reason, save_correction
from fazhi.core import audit
from fazhi.core.errors import Conflict, NotFound, ValidationFailed
from fazhi.core.limits import check_field
from fazhi.core.services import notify, users_with_role
from fazhi.core.workdays import Calendar, add_working_days


@dataclass
class HandoverDue:
    """One assisting site's handover: due date (None before the evaluation ended), the record if made."""

    site: Site
    handover: Handover | None = None
    due: dt.date | None = None
    overdue: bool = False
    working_days: int = 0
    source: str = ""


def handover_due(
    project: Project,
    today: dt.date | None = None,
    *,
    rule: rules.RuleValue | None = None,
    calendar: Calendar | None = None,
) -> list[HandoverDue]:
    """Every assisting site of the project with its due date: the configured working days after the day the
    evaluation ended. A late handover stays overdue; one not made is overdue once the due date has passed."""
    rule = rule or rules.rule("handover_deadline")
    days = int(rule.value["working_days"])
    add = calendar.add if calendar is not None else add_working_days
    today = today or timezone.localdate()
    done = {h.site_id: h for h in project.handovers.select_related("recorded_by")}
    finished = local_date(project.evaluation_finished_at) if project.evaluation_finished_at else None
    out = []
    for site in project.assist_sites.order_by("pk"):
        row = HandoverDue(site=site, handover=done.get(site.pk), working_days=days, source=rule.source)
        if finished is not None:
            row.due = add(finished, days)
            row.overdue = (row.handover.handed_over_on if row.handover else today) > row.due
        out.append(row)
    return out


def late_handovers(
    projects: list[Project],
    today: dt.date | None = None,
    *,
    rule: rules.RuleValue | None = None,
    calendar: Calendar | None = None,
) -> dict[int, list[HandoverDue]]:
    """project id → its assisting sites not handed over and past their due date, for a whole list of projects in
    two queries (assisting sites, handovers made); pass `rule` and `calendar` read once, as `handover_due` allows."""
    rule = rule or rules.rule("handover_deadline")
    days = int(rule.value["working_days"])
    add = calendar.add if calendar is not None else add_working_days
    today = today or timezone.localdate()
    ids = [p.pk for p in projects]
    sites: dict[int, list[Site]] = {}
    for link in Project.assist_sites.through.objects.filter(project_id__in=ids).select_related("site"):
        sites.setdefault(link.project_id, []).append(link.site)
    done = set(Handover.objects.filter(project_id__in=ids).values_list("project_id", "site_id"))
    out: dict[int, list[HandoverDue]] = {}
    for project in projects:
        if project.evaluation_finished_at is None:
            continue
        due = add(local_date(project.evaluation_finished_at), days)
        if today <= due:
            continue
        late = [
            HandoverDue(site=site, due=due, overdue=True, working_days=days, source=rule.source)
            for site in sorted(sites.get(project.pk, []), key=lambda s: s.pk)
            if (project.pk, site.pk) not in done
        ]
        if late:
            out[project.pk] = late
    return out


def _check_handover(project: Project, handed_over_on: dt.date, contents: str) -> str:
    """The checks of a handover's values (first entry and correction); returns the contents, stripped."""
    contents = (contents or "").strip()
    if not contents:
        raise ValidationFailed("请填写移交内容（如签到表、身份核验记录、评分表原件、音视频存档）。")
    check_field(contents, Handover, "contents", "移交内容")
    assert project.evaluation_finished_at is not None  # no handover is recorded before the evaluation ended
    finished = local_date(project.evaluation_finished_at)
    if handed_over_on < finished:
        raise ValidationFailed(
            f"移交日期（{handed_over_on:%Y-%m-%d}）不能早于评标结束的日期（{finished:%Y-%m-%d}）。"
        )
    not_in_future(handed_over_on, "移交日期")
    return contents


@transaction.atomic
def record_handover(
    *, project: Project, actor: Any, site_id: int, handed_over_on: dt.date, contents: str
) -> Handover:
    """The day an assisting site handed its records to the host site, and what it handed over (once per site)."""
    require_manager(actor)
    project = lock_project(project.pk)
    if project.evaluation_finished_at is None:
        raise Conflict(f"项目当前状态为“{project.get_status_display()}”，评标结束后才能登记副场移交。")
    site = project.assist_sites.filter(pk=site_id).first()
    if site is None:
        if site_id == project.host_site_id:
            raise ValidationFailed("主场是接收方，无需登记移交；请选择移交资料的副场。")
        raise ValidationFailed("移交场地须为本项目的副场。")
    contents = _check_handover(project, handed_over_on, contents)
    existing = Handover.objects.filter(project=project, site=site).first()
    if existing is not None:
        raise Conflict(f"{site.name}已登记移交（{existing.handed_over_on:%Y-%m-%d}），不能重复登记。")
    handover = Handover.objects.create(
        project=project, site=site, handed_over_on=handed_over_on, contents=contents, recorded_by=actor
    )
    row = next(r for r in handover_due(project) if r.site.pk == site.pk)
    late = f"，超过期限 {row.due:%Y-%m-%d}" if row.overdue else ""
    audit.record(
        action="record",
        obj=project,
        after={
            "handover": handover.pk,
            "site": site.name,
            "handed_over_on": handed_over_on,
            "due": row.due,
            "overdue": row.overdue,
        },
        comment=f"副场移交已登记：{site.name}于 {handed_over_on:%Y-%m-%d} 移交{late}（{row.source}）",
        actor=actor,
    )
    return handover


@transaction.atomic
def correct_handover(
    *,
    project: Project,
    actor: Any,
    handover_id: int,
    reason: str,
    handed_over_on: dt.date | None = None,
    contents: str | None = None,
) -> Correction:
    """更正 a recorded handover's day or contents (None: keep it), with the checks of the first entry."""
    require_manager(actor)
    project = lock_project(project.pk)
    handover = Handover.objects.filter(project=project, pk=handover_id).select_related("site").first()
    if handover is None:
        raise NotFound(f"本项目没有该副场移交记录（编号 {handover_id}）。")
    new_day = handed_over_on or handover.handed_over_on
    new_contents = handover.contents if contents is None else contents.strip()
    changes = changes_of(
        Change("handed_over_on", "移交日期", handover.handed_over_on, new_day),
        Change("contents", "移交内容", handover.contents, new_contents),
    )
    reason = clean_reason(reason)
    handover.contents = _check_handover(project, new_day, new_contents)
    handover.handed_over_on = new_day
    handover.save(update_fields=["handed_over_on", "contents"])
    row = next(r for r in handover_due(project) if r.site.pk == handover.site_id)
    late = f"，超过期限 {row.due:%Y-%m-%d}" if row.overdue else ""
    return save_correction(
        project=project,
        actor=actor,
        subject=CorrectionSubject.HANDOVER,
        changes=changes,
        reason=reason,
        site=handover.site,
        note=late,
        handover=handover.pk,
        due=row.due,
        overdue=row.overdue,
    )


def remind_handovers(today: dt.date | None = None) -> int:
    """Daily job: tell 采购办 staff about assisting sites whose handover is due tomorrow or late (once each)."""
    from fazhi.core import roles

    today = today or timezone.localdate()
    rule, calendar = rules.rule("handover_deadline"), Calendar.load()
    staff = list(users_with_role(roles.PROCUREMENT))
    pending = (
        Project.objects.filter(evaluation_finished_at__isnull=False)
        .annotate(sites=Count("assist_sites", distinct=True), done=Count("handovers", distinct=True))
        .filter(sites__gt=F("done"))
    )
    sent = 0
    for project in pending:
        for row in handover_due(project, today, rule=rule, calendar=calendar):
            if row.handover is not None or row.due is None or today < row.due - dt.timedelta(days=1):
                continue
            state = "已逾期" if row.overdue else "即将到期"
            for user in staff:
                if notify(
                    recipient=user,
                    title=f"副场移交期限{state}：{project.name}（{row.site.name}）",
                    body=(
                        f"评标于 {local_date(project.evaluation_finished_at):%Y-%m-%d} 结束，"  # type: ignore[arg-type]
                        f"{row.site.name}应于 {row.due:%Y-%m-%d} 前将评标资料移交主场（{row.source}）。"
                        "移交后请在项目页登记移交日期和内容。"
                    ),
                    url=f"/bidding/projects/{project.pk}/",
                    category="bidding",
                    dedupe_key=f"bidding-handover-{project.pk}-{row.site.pk}-{state}",
                ):
                    sent += 1
    return sent
