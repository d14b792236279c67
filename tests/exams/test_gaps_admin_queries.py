"""学法考试 admin lists cost the same few queries for 2 rows or 12; the exam's author is picked by id."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.exams.models import (
    Attempt,
    Competition,
    CompetitionEntry,
    CompetitionRound,
    EnforcementCertificate,
    StaffProfile,
    TrainingRecord,
)

LISTS = [
    "/admin/exams/attempt/",
    "/admin/exams/competitionentry/",
    "/admin/exams/staffprofile/",
    "/admin/exams/enforcementcertificate/",
    "/admin/exams/trainingrecord/",
]


def _rows(start: int, n: int, exam) -> None:
    now = timezone.now()
    competition = Competition.objects.create(title=f"竞赛{start}")
    rnd = CompetitionRound.objects.create(
        competition=competition, number=1, opens_at=now, closes_at=now + dt.timedelta(days=1)
    )
    for i in range(start, start + n):
        user = ensure_user(
            username=f"adm{i:03d}",
            display_name=f"人员{i}",
            role_names=[roles.STAFF_MEMBER],
            password="x-pass-2026",
        )
        Attempt.objects.create(exam=exam, user=user, seed=i, started_at=now, deadline=now, score=Decimal(1))
        CompetitionEntry.objects.create(round=rnd, user=user, started_at=now, finished_at=now, scored=True)
        StaffProfile.objects.create(user=user, department="法规科")
        EnforcementCertificate.objects.create(
            holder=user, number=f"ZF{i:05d}", issued_on=dt.date(2025, 1, 1), expires_on=dt.date(2030, 1, 1)
        )
        TrainingRecord.objects.create(
            user=user, date=dt.date(2026, 3, 1), hours=Decimal("2"), topic="行政处罚法"
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return len(ctx)


def test_the_exam_admin_lists_do_not_query_per_row(exam, examadmin, login):
    client = login(examadmin)
    _rows(0, 2, exam)
    for url in LISTS:
        _queries(client, url)  # warm Django's content-type cache
    few = {url: _queries(client, url) for url in LISTS}
    _rows(2, 10, exam)
    assert {url: _queries(client, url) for url in LISTS} == few


def test_the_exams_author_is_not_a_drop_down_of_every_account(exam, examadmin, login):
    page = login(examadmin).get(f"/admin/exams/exam/{exam.pk}/change/").content.decode()
    assert 'name="created_by"' in page and '<select name="created_by"' not in page


def test_the_round_filter_lists_rounds_by_competition_and_filters(exam, examadmin, login):
    _rows(0, 2, exam)
    _rows(2, 3, exam)
    client = login(examadmin)
    page = client.get("/admin/exams/competitionentry/").content.decode()
    assert "竞赛0 第1轮" in page and "竞赛2 第1轮" in page
    second = CompetitionRound.objects.get(competition__title="竞赛2")
    filtered = client.get("/admin/exams/competitionentry/", {"round": second.pk}).content.decode()
    filtered = filtered[filtered.find("<tbody>") :]
    shown = {f"人员{i}" for i in range(5) if f">人员{i}<" in filtered}
    assert shown == {"人员2", "人员3", "人员4"}
