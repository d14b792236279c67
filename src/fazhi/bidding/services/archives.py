"""音视频存档: where each site's two-way audio/video recording of the evaluation is kept, recorded once per site."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.bidding.models import AvArchive, Project, Site, Status
from fazhi.bidding.services.common import check_length, lock_project, require_manager
from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed

# The recording is archived once the evaluation has begun (the first score saved), and stays recordable after.
ARCHIVE_STATES = (Status.EVALUATING, Status.EVALUATED, Status.REPORTED, Status.CONFIRMED)


def project_sites(project: Project) -> list[Site]:
    """The host site first, then the assisting sites."""
    return [project.host_site, *project.assist_sites.order_by("pk")]


def site_role(project: Project, site: Site) -> str:
    return "主场" if site.pk == project.host_site_id else "副场"


def archive_rows(project: Project) -> list[tuple[Site, AvArchive | None]]:
    """Every site of the project with its archive record (None: not recorded yet)."""
    archives = {a.site_id: a for a in project.av_archives.select_related("recorded_by")}
    return [(site, archives.get(site.pk)) for site in project_sites(project)]


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def record_av_archive(
    *,
    project: Project,
    actor: Any,
    site_id: int,
    reference: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
) -> AvArchive:
    """Record where one site's audio/video recording is archived, and when it ran (once per site)."""
    require_manager(actor)
    project = lock_project(project.pk)
    if project.status not in ARCHIVE_STATES:
        raise Conflict(
            f"项目当前状态为“{project.get_status_display()}”，评标开始（专家开始评分）后才能登记音视频存档。"
        )
    site = next((s for s in project_sites(project) if s.pk == site_id), None)
    if site is None:
        raise ValidationFailed("存档场地须为本项目的主场或副场。")
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed("请填写音视频存档编号或存储位置。")
    check_length(reference, AvArchive, "reference", "存档编号或存储位置")
    if ended_at <= started_at:
        raise ValidationFailed(f"录制结束时间（{_when(ended_at)}）须晚于开始时间（{_when(started_at)}）。")
    if ended_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(f"录制结束时间（{_when(ended_at)}）不能晚于当前时间，录制结束后再登记存档。")
    first = project.committees.order_by("number").first()
    if first is not None and started_at < first.formed_at - dt.timedelta(days=1):
        # The recording covers the evaluation; a start long before the committee existed is a typo.
        raise ValidationFailed(
            f"录制开始时间（{_when(started_at)}）不能早于评标委员会组建时间（{_when(first.formed_at)}）前一天，请核对。"
        )
    existing = AvArchive.objects.filter(project=project, site=site).first()
    if existing is not None:
        raise Conflict(f"{site.name}的音视频存档已登记（{existing.reference}），不能重复登记。")
    archive = AvArchive.objects.create(
        project=project,
        site=site,
        reference=reference,
        started_at=started_at,
        ended_at=ended_at,
        recorded_by=actor,
    )
    audit.record(
        action="record",
        obj=project,
        after={
            "av_archive": archive.pk,
            "site": site.name,
            "reference": reference,
            "started_at": started_at,
            "ended_at": ended_at,
        },
        comment=f"音视频存档已登记：{site.name}（{site_role(project, site)}），{reference}",
        actor=actor,
    )
    return archive
