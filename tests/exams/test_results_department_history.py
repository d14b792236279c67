"""An exam's results (the 考试管理 page, its Excel export and the results API) name each candidate's department
on the day of the sitting, by the staff registry's dated history: someone transferred since shows the old
department with today's after it, "综合科（现：法规科）"; the history is read in the same query as the rows."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.exams import selectors
from fazhi.exams.models import Attempt
from fazhi.exams.services import staff, stats

from .test_staff_history import END, register, user

pytestmark = pytest.mark.django_db
D = dt.date
MOVED_ON = D(2026, 6, 15)  # r_moved goes from 综合科 to 法规科


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def sat(exam, person, day: dt.date, *, handed_in: bool = True, hour: int = 9) -> Attempt:
    start = at(day, hour)
    return Attempt.objects.create(
        exam=exam,
        user=person,
        seed=person.pk,
        total_points=Decimal("38"),
        started_at=start,
        deadline=start + dt.timedelta(hours=1),
        submitted_at=start + dt.timedelta(minutes=30) if handed_in else None,
        score=Decimal("30") if handed_in else None,
        passed=True if handed_in else None,
    )


@pytest.fixture
def moved(examadmin):
    """r_moved and r_stay in 综合科 since 2025; r_moved transferred to 法规科 from 15 June 2026."""
    register("r_stay", D(2025, 1, 1), dept="综合科")
    person = register("r_moved", D(2025, 1, 1), dept="综合科")
    staff.change_post_status(
        profile=person, is_active=True, enforcement_post=True, department="法规科", on=MOVED_ON,
        reason="调往法规科", by=examadmin, today=END,
    )  # fmt: skip
    return person


def _page_departments(client, exam) -> dict[str, str]:
    import re

    page = client.get(f"/exams/manage/{exam.pk}/").content.decode()
    rows = re.findall(r'<th scope="row">(r_\w+)</th><td>[^<]*</td><td>([^<]*)</td>', page)
    return dict(rows)


def _export_departments(client, exam) -> dict[str, str]:
    r = client.get(f"/exams/manage/{exam.pk}/results.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content))["成绩"]
    header = [c.value for c in sheet[1]]
    assert header[2] == stats.DEPARTMENT_HEADER == "部门（考试当日）"
    return {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_someone_moved_after_the_exam_shows_the_department_of_that_day_on_the_page_and_export(
    moved, exam, examadmin, login
):
    sat(exam, moved.user, D(2026, 3, 10))
    sat(exam, user("r_stay"), D(2026, 3, 10))
    client = login(examadmin)
    expected = {"r_moved": "综合科（现：法规科）", "r_stay": "综合科"}
    assert _page_departments(client, exam) == expected
    assert _export_departments(client, exam) == expected
    page = client.get(f"/exams/manage/{exam.pk}/").content.decode()
    assert "部门（考试当日）" in page and "括号内注明现科室" in page


def test_an_exam_after_the_transfer_shows_the_new_department_alone(moved, exam, examadmin, login):
    sat(exam, moved.user, D(2026, 7, 1))
    client = login(examadmin)
    assert _page_departments(client, exam) == {"r_moved": "法规科"}
    assert _export_departments(client, exam) == {"r_moved": "法规科"}


def test_the_day_is_the_local_day_the_paper_was_handed_in_or_started(moved, exam, examadmin, login):
    """Handed in at 00:30 Beijing time on the day of the transfer (16:30 UTC the day before): the new
    department. A paper not handed in counts on the day it was started."""
    other = register("r_open", D(2025, 1, 1), dept="综合科")
    staff.change_post_status(
        profile=other, is_active=True, enforcement_post=True, department="法规科", on=MOVED_ON,
        reason="调往法规科", by=None, today=END,
    )  # fmt: skip
    a = sat(exam, moved.user, MOVED_ON - dt.timedelta(days=1), hour=23)
    a.submitted_at = at(MOVED_ON, 0, 30)
    a.save(update_fields=["submitted_at"])
    sat(exam, other.user, MOVED_ON - dt.timedelta(days=1), handed_in=False, hour=23)
    client = login(examadmin)
    expected = {"r_moved": "法规科", "r_open": "综合科（现：法规科）"}
    assert _page_departments(client, exam) == expected
    assert _export_departments(client, exam) == expected


def test_the_results_api_gives_the_department_of_the_day_and_today(moved, exam, examadmin, client, token_for):
    sat(exam, moved.user, D(2026, 3, 10))
    data = client.get(f"/api/v1/exams/{exam.pk}/results", headers=token_for(examadmin)).json()
    (row,) = data["results"]
    assert (row["username"], row["department"], row["department_now"]) == ("r_moved", "综合科", "法规科")


def test_the_department_shown_falls_back_to_today_and_to_the_account(candidate):
    assert selectors.department_shown("", candidate) == "区财政局"  # outside the registry: the account's
    assert selectors.department_shown("综合科", candidate) == "综合科（现：区财政局）"
    assert selectors.department_shown("区财政局", candidate) == "区财政局"


def test_the_page_and_the_export_read_the_history_in_the_same_query(moved, exam, examadmin, login):
    client = login(examadmin)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as found:
            assert client.get(url).status_code == 200
        return len(found)

    page, export = f"/exams/manage/{exam.pk}/", f"/exams/manage/{exam.pk}/results.xlsx"
    sat(exam, moved.user, D(2026, 3, 10))
    few = queries(page), queries(export)
    for i in range(8):
        person = register(f"r_more{i}", D(2025, 1, 1), dept="综合科")
        staff.change_post_status(
            profile=person, is_active=True, enforcement_post=True, department="法规科", on=MOVED_ON,
            reason="调往法规科", by=None, today=END,
        )  # fmt: skip
        sat(exam, person.user, D(2026, 3, 10))
    assert (queries(page), queries(export)) == few
    assert set(_export_departments(client, exam).values()) == {"综合科（现：法规科）"}


def test_someone_out_of_post_today_shows_the_department_of_that_day_and_not_a_current_one(
    exam, examadmin, login
):
    person = register("r_gone", D(2025, 1, 1), dept="综合科")
    staff.change_post_status(
        profile=person, is_active=False, enforcement_post=True, on=D(2026, 5, 1), reason="调离", by=examadmin,
        today=END,
    )  # fmt: skip
    sat(exam, person.user, D(2026, 3, 10))
    client = login(examadmin)
    # The registry keeps 综合科 as the last department held: "（现：综合科）" would say the person is there now.
    assert _page_departments(client, exam) == {"r_gone": "综合科（现已不在岗）"}
    assert _export_departments(client, exam) == {"r_gone": "综合科（现已不在岗）"}
