"""The annual report's unit filter and the staff registry's dated history: a department everyone has been
transferred out of is still a unit of the report (offered marked （原科室）; its figures count the people who
were in it then), and the qualification rows read the registry once."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from fazhi.exams.models import StaffProfile
from fazhi.exams.services import qualifications, staff
from fazhi.reports import figures as figs
from fazhi.reports import selectors
from fazhi.reports.figures import exams as exam_figures
from tests.reports.conftest import LAST, THIS, TODAY

pytestmark = pytest.mark.django_db
OLD = "审计科"
LAST_END = dt.date(LAST, 12, 31)


@pytest.fixture
def emptied(examadmin) -> StaffProfile:
    """r_moved (审计科 since the year before last, an enforcement post, no certificate, a legal qualification)
    is transferred to 法规科 on 1 January this year: nobody is in 审计科 since."""
    from fazhi.core.services import ensure_user

    def person(name: str, dept: str) -> StaffProfile:
        user = ensure_user(username=name, display_name=name, role_names=["工作人员"], password="x-pass-2026")
        return staff.register_staff(
            user=user, department=dept, post="执法岗", enforcement_post=True, on=dt.date(LAST - 1, 1, 1)
        )

    person("r_stay", "法规科")
    moved = person("r_moved", OLD)
    qualifications.record_qualification(
        profile=moved, kind="legal_a", number="A20200101007", obtained_on=dt.date(2020, 1, 1)
    )
    staff.change_post_status(
        profile=moved, is_active=True, enforcement_post=True, department="法规科", on=dt.date(THIS, 1, 1),
        reason="调往法规科", by=examadmin,
    )  # fmt: skip
    return moved


def test_the_old_department_is_a_unit_offered_marked(emptied):
    assert OLD in selectors.unit_choices()
    assert (OLD, f"{OLD}（原科室）") in selectors.unit_options()
    assert ("法规科", "法规科") in selectors.unit_options()
    assert selectors.parse_context(year=LAST, unit=OLD).unit == OLD  # was refused: no record named it


def test_the_report_of_last_year_counts_the_old_department(emptied, director, login):
    c = login(director)
    page = c.get("/reports/", {"year": LAST, "unit": OLD})
    assert page.status_code == 200
    assert re.search(rf'<option value="{OLD}" selected>{OLD}（原科室）</option>', page.content.decode())
    found = figs.collect(figs.Context(year=LAST, unit=OLD, today=TODAY)).by_key()
    assert (found["exams.share"].value, found["exams.share"].basis_count) == (0.0, 1)
    assert found["exams.legal_specialists"].value == 1
    records = c.get("/reports/records/exams.uncertified/", {"year": LAST, "unit": OLD}).content.decode()
    assert "r_moved" in records and "r_stay" not in records
    book = c.get("/reports/records/exams.legal_specialists/", {"year": LAST, "unit": OLD, "format": "xlsx"})
    cells = [str(v) for row in load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True)
             for v in row if v]  # fmt: skip
    assert "r_moved" in cells and OLD in cells
    # This year the department has nobody: an empty report, not an error.
    now = figs.collect(figs.Context(year=THIS, unit=OLD, today=TODAY)).by_key()
    assert now["exams.share"].basis_count == 0 and now["exams.legal_specialists"].value == 0


def test_the_qualification_rows_read_the_registry_in_one_query(emptied, django_assert_num_queries):
    """Before: one query for the departments of the date, one for the qualifications (reading the registry
    again inside, twice with a unit)."""
    for unit in (None, frozenset({OLD}), frozenset({"法规科"})):
        with django_assert_num_queries(1):
            rows = exam_figures._qualification_rows(LAST_END, unit)
        assert [r["department"] for r in rows] == ([] if unit == frozenset({"法规科"}) else [OLD])
    with django_assert_num_queries(1):
        assert [r["department"] for r in exam_figures._qualification_rows(TODAY, None, "legal_a")] == [
            "法规科"
        ]


def test_exams_and_trainings_count_in_the_department_of_their_day(emptied):
    """r_moved sat an exam and attended a training last year, in 审计科: last year's report counts them for
    审计科 (they counted for 法规科, today's department, before)."""
    from decimal import Decimal

    from fazhi.exams.models import Attempt, Exam, TrainingRecord
    from tests.reports.conftest import at

    exam = Exam.objects.create(title="去年的考试", opens_at=at(LAST, 3, 1), closes_at=at(LAST, 3, 2))
    Attempt.objects.create(
        exam=exam, user=emptied.user, seed=1, started_at=exam.opens_at, deadline=at(LAST, 3, 1, 12),
        submitted_at=at(LAST, 3, 1, 11), score=Decimal("90"), passed=True,
    )  # fmt: skip
    TrainingRecord.objects.create(
        user=emptied.user, date=dt.date(LAST, 5, 1), hours=Decimal("3"), topic="预算法"
    )
    old = figs.collect(figs.Context(year=LAST, unit=OLD, today=TODAY)).by_key()
    assert (old["exams.attempts"].value, old["exams.passed"].value, old["exams.trainings"].value) == (1, 1, 1)
    assert [r["department"] for r in old["exams.attempts"].records()] == [OLD]
    assert [r["department"] for r in old["exams.trainings"].records()] == [OLD]
    now = figs.collect(figs.Context(year=LAST, unit="法规科", today=TODAY)).by_key()
    assert (now["exams.attempts"].value, now["exams.trainings"].value) == (0, 0)
    bureau = figs.collect(figs.Context(year=LAST, today=TODAY)).by_key()
    assert [r["department"] for r in bureau["exams.attempts"].records()] == [OLD]


def test_certificates_expiring_next_year_are_a_list_of_today_in_todays_department(emptied):
    """Who must renew next year is a list of what is current: the holder's department today, for the rows
    and for the unit (r_moved's certificate, issued while in 审计科, counts for 法规科 in last year's report),
    unlike an exam sat, which counts in the department of its day (above)."""
    from fazhi.exams.models import EnforcementCertificate

    EnforcementCertificate.objects.create(
        holder=emptied.user, number="N-r_moved", issued_on=dt.date(LAST - 1, 1, 1),
        expires_on=dt.date(THIS, 12, 31),
    )  # fmt: skip
    key = "exams.certificates_expiring_next"
    old = figs.collect(figs.Context(year=LAST, unit=OLD, today=TODAY)).by_key()[key]
    assert old.value == 0
    now = figs.collect(figs.Context(year=LAST, unit="法规科", today=TODAY)).by_key()[key]
    assert now.value == 1
    assert [(r["number"], r["department"]) for r in now.records()] == [("N-r_moved", "法规科")]
