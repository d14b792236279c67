"""人员登记 by date, finished: the department filters of 应考尽考, the 执法人员占比 people list and 法律专业人员 offer
the departments of the statistics date (by the registry's dated history) with today's — a department nobody
is in any more is offered marked （原科室）, and choosing it for today gives an empty list, not an error; the
history is read once per change, and 法律专业人员 reads the registry once per call."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.exams import selectors
from fazhi.exams.models import StaffProfile
from fazhi.exams.services import qualifications, specialists, staff

from .test_staff_history import register, user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=400)
MOVED_ON = TODAY - dt.timedelta(days=30)
BEFORE = TODAY - dt.timedelta(days=60)  # still in 审计科
OLD = "审计科"


@pytest.fixture
def emptied(examadmin) -> StaffProfile:
    """x_moved, in an enforcement post in 审计科 without a certificate, is transferred to 法规科 a month ago:
    nobody is left in 审计科. x_stay has been in 法规科 all along."""
    register("x_stay", START, today=TODAY)
    person = register("x_moved", START, dept=OLD, cert=False, today=TODAY)
    qualifications.record_qualification(
        profile=person, kind="legal_a", number="A20200101009", obtained_on=dt.date(2020, 1, 1), today=TODAY
    )
    staff.change_post_status(
        profile=person, is_active=True, enforcement_post=True, department="法规科", on=MOVED_ON,
        reason="调往法规科", by=examadmin, today=TODAY,
    )  # fmt: skip
    return person


def options(html: str) -> dict[str, str]:
    """The department filter's options: value → text (the 全局 option left out)."""
    select = re.search(r'<select id="department" name="department">(.*?)</select>', html, re.S)
    assert select, "no department filter on the page"
    return {
        v: t for v, t in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)) if v
    }


def names(html: str) -> set[str]:
    """The people listed in the page's table rows (row headers)."""
    return set(re.findall(r'<th scope="row">(x_\w+)</th>', html))


PAGES = [
    ("/exams/certificates/gaps/", {}),
    ("/exams/certificates/people/", {"kind": "enforcement"}),
    ("/exams/qualifications/", {}),
]


@pytest.mark.parametrize(("url", "extra"), PAGES)
def test_a_past_date_offers_the_department_of_then_and_lists_its_people(emptied, director, login, url, extra):
    c = login(director)
    page = c.get(url, {**extra, "on": BEFORE.isoformat()}).content.decode()
    assert options(page) == {OLD: f"{OLD}（原科室）", "法规科": "法规科"}
    chosen = c.get(url, {**extra, "on": BEFORE.isoformat(), "department": OLD})
    assert chosen.status_code == 200
    html = chosen.content.decode()
    assert names(html) == {"x_moved"}
    assert re.search(rf'<option value="{OLD}" selected>{OLD}（原科室）</option>', html)


@pytest.mark.parametrize(("url", "extra"), PAGES)
def test_today_does_not_offer_it_and_choosing_it_gives_an_empty_list(emptied, director, login, url, extra):
    c = login(director)
    page = c.get(url, extra).content.decode()
    assert options(page) == {"法规科": "法规科"}
    chosen = c.get(url, {**extra, "department": OLD})
    assert chosen.status_code == 200
    html = chosen.content.decode()
    assert names(html) == set()
    # What was chosen stays shown in the filter, marked.
    assert re.search(rf'<option value="{OLD}" selected>{OLD}（原科室）</option>', html)


def test_the_exports_of_a_past_date_list_the_people_of_the_old_department(emptied, director, login):
    c = login(director)
    query = {"on": BEFORE.isoformat(), "department": OLD}
    gaps = load_workbook(io.BytesIO(c.get("/exams/certificates/gaps.xlsx", query).content)).active
    cells = [str(v) for row in gaps.iter_rows(values_only=True) for v in row if v]
    assert "x_moved" in cells and "x_stay" not in cells and OLD in cells
    book = load_workbook(io.BytesIO(c.get("/exams/qualifications.xlsx", query).content))
    cells = [str(v) for row in book["法律专业人员"].iter_rows(values_only=True) for v in row if v]
    assert "x_moved" in cells and OLD in cells
    today = load_workbook(io.BytesIO(c.get("/exams/certificates/gaps.xlsx", {"department": OLD}).content))
    cells = [str(v) for row in today.active.iter_rows(values_only=True) for v in row if v]
    assert "x_moved" not in cells


def test_the_choices_are_those_of_the_date_and_of_today(emptied, examadmin):
    """A department of today that nobody was in on the date is offered too (today's registry), unmarked."""
    register("x_new", TODAY, dept="预算科", today=TODAY)
    assert selectors.department_choices(BEFORE, enforcement_post=True) == [
        (OLD, f"{OLD}（原科室）"),
        ("法规科", "法规科"),
        ("预算科", "预算科"),
    ]
    assert selectors.department_choices(TODAY, enforcement_post=True) == [
        ("法规科", "法规科"),
        ("预算科", "预算科"),
    ]
    # Someone still in post in 审计科 (not in an enforcement post): the department exists, not marked.
    register("x_clerk", START, dept=OLD, enforcement=False, today=TODAY)
    assert (OLD, OLD) in selectors.department_choices(BEFORE, enforcement_post=True)


# --- the history read once ------------------------------------------------------------------------------


def history_reads(queries: CaptureQueriesContext) -> int:
    return sum(
        q["sql"].lstrip().upper().startswith("SELECT") and "exams_staffpostchange" in q["sql"]
        for q in queries.captured_queries
    )


def test_a_change_reads_the_persons_history_once(emptied, examadmin):
    """Before: check_change read it twice (the start and the state of the date), change_post_status a third
    time for the department of the date and once more to know whether there was one (5 reads of the table
    with the registry's latest entry); now one read, and the latest entry."""
    with CaptureQueriesContext(connection) as queries:
        staff.change_post_status(
            profile=emptied, is_active=False, enforcement_post=True, on=TODAY, reason="退休", by=examadmin,
            today=TODAY,
        )  # fmt: skip
    assert history_reads(queries) == 2
    emptied.refresh_from_db()
    assert (emptied.is_active, emptied.department) == (False, "法规科")


def test_a_person_without_a_history_gets_the_baseline_from_the_same_reading(examadmin):
    person = StaffProfile.objects.create(user=user("x_bare"), department="预算科", enforcement_post=True)
    with CaptureQueriesContext(connection) as queries:
        staff.change_post_status(
            profile=person, is_active=True, enforcement_post=False, on=TODAY, by=examadmin, today=TODAY
        )
    assert history_reads(queries) == 2
    assert list(person.post_changes.values_list("enforcement_post", "department")) == [
        (True, "预算科"),
        (False, "预算科"),
    ]


def test_specialists_read_the_registry_once_per_call(emptied):
    """Before: the people in post were read for the counts, then again inside the qualifications' query."""
    for department in ("", OLD, "法规科"):
        with CaptureQueriesContext(connection) as queries:
            found = specialists.specialists(on=BEFORE, department=department)
        assert history_reads(queries) == 1 and len(queries) == 2, department
    assert [(r.department, r.staff, r.specialists) for r in found.rows] == [("法规科", 1, 0)]
    assert specialists.specialists(on=BEFORE, department=OLD).people[0].department == OLD
    assert specialists.specialists(on=TODAY).total.specialists == 1
    assert specialists.specialists(on=BEFORE).departments_then == [OLD, "法规科"]
