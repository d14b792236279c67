"""音视频存档: where each site's two-way audio/video recording of the evaluation is kept, recorded once per site
and corrected (更正) only with a reason, under the same checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import AvArchive, Correction, CorrectionSubject, Project, Site, Status
from fazhi.bidding.services.common import aware, lock_project, require_manager
from fazhi.bidding.services.corrections import Change, changes_of, clean_reason, save_correction
from fazhi.core import audit
from fazhi.core.errors import Conflict, NotFound, ValidationFailed
from fazhi.core.limits import check_field

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


def archive_required() -> bool:
    """Rule av_archive_required (on by default): every site's archive before the report is submitted."""
    return bool((rules.value("av_archive_required") or {}).get("required"))


def require_archives(project: Project) -> None:
    """Conflict naming each site without an audio/video archive, when the rule requires them (发改办法规〔2025〕
    807号: the two-way recording of every site is archived)."""
    rule = rules.rule("av_archive_required")
    if not (rule.value or {}).get("required"):
        return
    missing = [site for site, archive in archive_rows(project) if archive is None]
    if missing:
        names = "、".join(f"{site.name}（{site_role(project, site)}）" for site in missing)
        raise Conflict(
            f"不能送交评标报告：{names}尚未登记音视频存档。请先在“远程异地评标记录”中登记各场地的存档"
            f"（依据：{rule.source}）。"
        )


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _check_archive(project: Project, reference: str, started_at: dt.datetime, ended_at: dt.datetime) -> str:
    """The checks of an archive's values (first entry and correction); returns the reference, stripped."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed("请填写音视频存档编号或存储位置。")
    check_field(reference, AvArchive, "reference", "存档编号或存储位置")
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
    return reference


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
    started_at, ended_at = aware(started_at, "录制开始时间"), aware(ended_at, "录制结束时间")
    project = lock_project(project.pk)
    if project.status not in ARCHIVE_STATES:
        raise Conflict(
            f"项目当前状态为“{project.get_status_display()}”，评标开始（专家开始评分）后才能登记音视频存档。"
        )
    site = next((s for s in project_sites(project) if s.pk == site_id), None)
    if site is None:
        raise ValidationFailed("存档场地须为本项目的主场或副场。")
    reference = _check_archive(project, reference, started_at, ended_at)
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


@transaction.atomic
def correct_av_archive(
    *,
    project: Project,
    actor: Any,
    archive_id: int,
    reason: str,
    reference: str | None = None,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
) -> Correction:
    """更正 a recorded archive's reference or recording times (None: keep it), with the checks of the first entry."""
    require_manager(actor)
    started_at, ended_at = aware(started_at, "录制开始时间"), aware(ended_at, "录制结束时间")
    project = lock_project(project.pk)
    archive = AvArchive.objects.filter(project=project, pk=archive_id).select_related("site").first()
    if archive is None:
        raise NotFound(f"本项目没有该音视频存档记录（编号 {archive_id}）。")
    new_reference = archive.reference if reference is None else reference.strip()
    new_started = started_at or archive.started_at
    new_ended = ended_at or archive.ended_at
    changes = changes_of(
        Change("reference", "存档编号或存储位置", archive.reference, new_reference),
        Change("started_at", "录制开始时间", archive.started_at, new_started),
        Change("ended_at", "录制结束时间", archive.ended_at, new_ended),
    )
    reason = clean_reason(reason)
    archive.reference = _check_archive(project, new_reference, new_started, new_ended)
    archive.started_at, archive.ended_at = new_started, new_ended
    archive.save(update_fields=["reference", "started_at", "ended_at"])
    return save_correction(
        project=project,
        actor=actor,
        subject=CorrectionSubject.AV_ARCHIVE,
        changes=changes,
        reason=reason,
        site=archive.site,
        av_archive=archive.pk,
    )
