"""核查提示: recorded times that contradict the evaluation period (评标开始时间 to 评标结束时间).

A score sheet signed before the evaluation began or after it ended, a recording of (next to) no length, and a
recording that does not cover the evaluation are reported in Chinese, to be checked by the procurement office.
Nothing is changed or refused here: the times were recorded under the checks of their own time and stay as they
are; the report and the project page print these notes so that they are not passed over.

Signing outside the period is refused when it happens (services.scoring.scoring_closed, finish_evaluation), so a
sheet note comes from records made before that rule, or from times imported or corrected since: a start moved
later than the signatures, an end earlier. Recordings are entered by hand and are only noted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from fazhi.bidding.models import AvArchive, CommitteeMember, Project, ScoreSheet, Site
from fazhi.bidding.services.archives import archive_rows, site_role

# A recording shorter than this reads "13:09 至 13:09" in the report: no evaluation takes under a minute.
SHORTEST_RECORDING = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class TimeNote:
    """One 核查提示: `subject` names the score sheet or site it is about, `text` says what to check."""

    subject: str
    text: str

    def __str__(self) -> str:
        return f"{self.subject}：{self.text}"


def _when(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"


def evaluation_notes(project: Project) -> list[TimeNote]:
    """The evaluation period itself: an end before the start leaves nothing to measure against."""
    end = project.evaluation_finished_at
    if end is not None and end < project.evaluation_start:
        return [
            TimeNote(
                "评标时间",
                f"评标结束时间（{_when(end)}）早于评标开始时间（{_when(project.evaluation_start)}），请核对。",
            )
        ]
    return []


def sheet_notes(project: Project, member: CommitteeMember, sheet: ScoreSheet | None) -> list[TimeNote]:
    """A member's signed score sheet (评分表) whose signing time falls outside the evaluation period."""
    if sheet is None or sheet.signed_at is None:
        return []
    subject = f"席位 {member.seat}（{member.site.name}）的评分表"
    start, end = project.evaluation_start, project.evaluation_finished_at
    notes = []
    if sheet.signed_at < start:
        notes.append(
            TimeNote(
                subject, f"签名时间（{_when(sheet.signed_at)}）早于评标开始时间（{_when(start)}），请核对。"
            )
        )
    if end is not None and sheet.signed_at > end:
        notes.append(
            TimeNote(
                subject, f"签名时间（{_when(sheet.signed_at)}）晚于评标结束时间（{_when(end)}），请核对。"
            )
        )
    return notes


def archive_notes(project: Project, site: Site, archive: AvArchive) -> list[TimeNote]:
    """A site's recording (音视频存档) of next to no length, or not covering the evaluation period."""
    subject = f"{site.name}（{site_role(project, site)}）的音视频录制"
    began, stopped = archive.started_at, archive.ended_at
    period = f"（{_when(began)} 至 {_when(stopped)}）"
    start, end = project.evaluation_start, project.evaluation_finished_at
    notes = []
    if stopped < began:
        notes.append(TimeNote(subject, f"结束时间早于开始时间{period}，请核对。"))
    elif stopped == began:
        notes.append(TimeNote(subject, f"录制时长为零{period}，请核对。"))
    elif stopped - began < SHORTEST_RECORDING:
        notes.append(TimeNote(subject, f"录制时长不足 1 分钟{period}，请核对。"))
    if began > start:
        notes.append(
            TimeNote(
                subject,
                f"开始时间（{_when(began)}）晚于评标开始时间（{_when(start)}），评标开始阶段未在录制范围内，请核对。",
            )
        )
    if stopped < start:
        notes.append(
            TimeNote(
                subject,
                f"结束时间（{_when(stopped)}）早于评标开始时间（{_when(start)}），录制未覆盖评标过程，请核对。",
            )
        )
    elif end is not None and stopped < end:
        notes.append(
            TimeNote(
                subject,
                f"结束时间（{_when(stopped)}）早于评标结束时间（{_when(end)}），评标结束阶段未在录制范围内，请核对。",
            )
        )
    return notes


def time_notes(project: Project, members: list[CommitteeMember] | None = None) -> list[TimeNote]:
    """Every 核查提示 of the project: the period, the current committee's signed sheets, each site's recording.

    `members`: the current committee's active members when the caller has them (compute_result does).
    """
    if members is None:
        committee = project.committees.filter(active=True).first()
        members = (
            list(committee.members.filter(active=True).select_related("site").order_by("seat"))
            if committee is not None
            else []
        )
    sheets = {s.member_id: s for s in ScoreSheet.objects.filter(member__in=members, signed_at__isnull=False)}
    notes = evaluation_notes(project)
    for member in members:
        notes += sheet_notes(project, member, sheets.get(member.pk))
    for site, archive in archive_rows(project):
        if archive is not None:
            notes += archive_notes(project, site, archive)
    return notes
