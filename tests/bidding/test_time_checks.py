"""核查提示: score sheets signed outside the evaluation period and recordings of no length or not covering it are
printed in the evaluation report and on the project page — as notes, never changing the records or blocking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import AvArchive, Project, ScoreSheet, Site, Status
from fazhi.bidding.report import SEE_NOTES, build_report
from fazhi.bidding.services.time_checks import archive_notes, time_notes
from fazhi.core.docx_text import lines
from tests.bidding.helpers import archive_all, score_all, sign_all

BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 5, 12, hour, minute, second, tzinfo=BEIJING)


@pytest.fixture
def finished(drawn, buyer):
    """Scored, signed and finished now; the evaluation began an hour ago (as the fixture has it)."""
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    services.finish_evaluation(project=project, actor=buyer)
    archive_all(project, buyer)
    project.refresh_from_db()
    return project


def _consistent(project: Project) -> Project:
    """Move the recorded times into order: start, recordings from before it, signatures, end, recordings' end."""
    now = timezone.now()
    Project.objects.filter(pk=project.pk).update(
        evaluation_start=now - dt.timedelta(hours=3), evaluation_finished_at=now - dt.timedelta(minutes=30)
    )
    ScoreSheet.objects.filter(member__committee__project=project).update(
        signed_at=now - dt.timedelta(hours=1)
    )
    project.av_archives.update(started_at=now - dt.timedelta(hours=3, minutes=5), ended_at=now)
    return Project.objects.get(pk=project.pk)


def _as_in_the_demo(project: Project) -> Project:
    """HYCG-2026-003 as the audit found it: start 13:10, every sheet signed and the evaluation ended at 13:09:54,
    every site recorded 13:09:50 to 13:09:55."""
    Project.objects.filter(pk=project.pk).update(
        evaluation_start=at(13, 10), evaluation_finished_at=at(13, 9, 54)
    )
    ScoreSheet.objects.filter(member__committee__project=project).update(signed_at=at(13, 9, 54))
    project.av_archives.update(started_at=at(13, 9, 50), ended_at=at(13, 9, 55))
    return Project.objects.get(pk=project.pk)


# --- the checks ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_times_in_order_give_no_notes(finished):
    assert time_notes(_consistent(finished)) == []


@pytest.mark.django_db
def test_the_demo_times_are_each_named(finished, sites):
    project = _as_in_the_demo(finished)
    notes = [str(n) for n in time_notes(project)]
    host, jiujiang = sites
    assert (
        notes[0]
        == "评标时间：评标结束时间（2026-05-12 13:09:54）早于评标开始时间（2026-05-12 13:10:00），请核对。"
    )
    signed = [
        n
        for n in notes
        if "的评分表：签名时间（2026-05-12 13:09:54）早于评标开始时间（2026-05-12 13:10:00）" in n
    ]
    assert len(signed) == 5  # every seat
    assert (
        notes.count(
            f"{host.name}（主场）的音视频录制：录制时长不足 1 分钟（2026-05-12 13:09:50 至 2026-05-12 13:09:55），请核对。"
        )
        == 1
    )
    assert (
        f"{jiujiang.name}（副场）的音视频录制：结束时间（2026-05-12 13:09:55）早于评标开始时间"
        "（2026-05-12 13:10:00），录制未覆盖评标过程，请核对。"
    ) in notes


def _archive_notes(started_at, ended_at, *, start=at(9, 0), end=at(11, 0)) -> list[str]:
    site = Site(pk=1, name="汉阳中心")
    project = Project(evaluation_start=start, evaluation_finished_at=end, host_site_id=1)
    archive = AvArchive(site=site, started_at=started_at, ended_at=ended_at)
    return [n.text for n in archive_notes(project, site, archive)]


@pytest.mark.parametrize(
    ("started_at", "ended_at", "start", "end", "expected"),
    [
        (at(8, 55), at(11, 5), at(9, 0), at(11, 0), []),
        (
            at(9, 0),
            at(9, 0),
            at(9, 0),
            None,
            ["录制时长为零（2026-05-12 09:00:00 至 2026-05-12 09:00:00），请核对。"],
        ),
        (
            at(9, 1),
            at(9, 0),
            at(9, 0),
            None,
            [
                "结束时间早于开始时间（2026-05-12 09:01:00 至 2026-05-12 09:00:00），请核对。",
                "开始时间（2026-05-12 09:01:00）晚于评标开始时间（2026-05-12 09:00:00），评标开始阶段未在录制范围内，请核对。",
            ],
        ),
        (
            at(9, 30),
            at(11, 5),
            at(9, 0),
            at(11, 0),
            [
                "开始时间（2026-05-12 09:30:00）晚于评标开始时间（2026-05-12 09:00:00），评标开始阶段未在录制范围内，请核对。"
            ],
        ),
        (
            at(8, 55),
            at(10, 30),
            at(9, 0),
            at(11, 0),
            [
                "结束时间（2026-05-12 10:30:00）早于评标结束时间（2026-05-12 11:00:00），评标结束阶段未在录制范围内，请核对。"
            ],
        ),
        (at(8, 55), at(10, 30), at(9, 0), None, []),  # still evaluating: the end is not known yet
    ],
)
def test_a_recording_must_have_length_and_cover_the_evaluation(started_at, ended_at, start, end, expected):
    assert _archive_notes(started_at, ended_at, start=start, end=end) == expected


@pytest.mark.django_db
def test_a_sheet_signed_after_the_evaluation_ended_is_named(finished):
    project = _consistent(finished)
    sheet = ScoreSheet.objects.filter(member__committee__project=project).order_by("member__seat").first()
    ScoreSheet.objects.filter(pk=sheet.pk).update(signed_at=timezone.now())
    [note] = time_notes(project)
    assert note.subject.startswith(f"席位 {sheet.member.seat}（")
    assert "晚于评标结束时间" in note.text


# --- the report, the page, and nothing changed -----------------------------------------------------------


@pytest.mark.django_db
def test_the_report_prints_the_notes_in_their_own_section(finished, sites):
    project = _as_in_the_demo(finished)
    text = lines(build_report(project))
    assert "评标开始时间 | 2026-05-12 13:10" in text and "评标结束时间 | 2026-05-12 13:09" in text
    heading = text.index("七、核查提示")  # after 六、音视频存档
    assert text.index("六、音视频存档") < heading
    assert text[heading + 1].startswith(
        "以下 10 处时间记录与评标开始、结束时间不一致，本报告照录系统登记的时间，未作改动"
    )
    assert (
        "评标时间：评标结束时间（2026-05-12 13:09:54）早于评标开始时间（2026-05-12 13:10:00），请核对。"
        in text
    )
    signatures = [line for line in text if line.startswith("已于 2026-05-12 13:09:54")]
    assert len(signatures) == 5 and all(line.endswith(SEE_NOTES) for line in signatures)
    assert (
        f"{sites[0].name}（主场） | AV-TEST-{project.pk}-1 | 2026-05-12 13:09 至 2026-05-12 13:09{SEE_NOTES}"
        in text
    )


@pytest.mark.django_db
def test_a_report_without_contradictions_says_so(finished):
    text = lines(build_report(_consistent(finished)))
    heading = text.index("七、核查提示")
    assert (
        text[heading + 1]
        == "按系统登记的时间核对，未发现评分表签名时间、音视频录制时间与评标时间不一致的情况。"
    )
    assert not any(SEE_NOTES in line for line in text)


@pytest.mark.django_db
def test_after_an_outage_section_the_notes_are_numbered_eighth(finished, sites):
    project = _consistent(finished)
    now = timezone.now()
    project.incidents.create(  # recorded during the evaluation, which has ended since
        site=sites[1],
        started_at=now - dt.timedelta(hours=2),
        ended_at=now - dt.timedelta(hours=1, minutes=50),
        description="网络中断",
    )
    text = lines(build_report(project))
    assert text.index("六、评标过程异常情况") < text.index("七、音视频存档") < text.index("八、核查提示")


@pytest.mark.django_db
def test_the_notes_change_nothing_and_block_nothing(finished, buyer):
    project = _as_in_the_demo(finished)
    build_report(project)
    assert set(ScoreSheet.objects.values_list("signed_at", flat=True)) == {at(13, 9, 54)}
    assert services.submit_report(project=project, actor=buyer).status == Status.REPORTED
    project.refresh_from_db()
    assert project.evaluation_start == at(13, 10) and project.evaluation_finished_at == at(13, 9, 54)


@pytest.mark.django_db
def test_the_project_page_shows_the_notes_to_staff(finished, login, buyer):
    project = _as_in_the_demo(finished)
    html = login(buyer).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert '<h2 id="h-time-notes">核查提示</h2>' in html
    assert "评标结束时间（2026-05-12 13:09:54）早于评标开始时间（2026-05-12 13:10:00），请核对。" in html


@pytest.mark.django_db
def test_the_project_page_has_no_notes_box_when_the_times_agree(finished, login, buyer):
    project = _consistent(finished)
    html = login(buyer).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert "h-time-notes" not in html


@pytest.mark.django_db
def test_an_outsider_still_cannot_open_the_page(finished, login, outsider):
    assert login(outsider).get(f"/bidding/projects/{finished.pk}/").status_code == 403
