"""The one working-day calendar: weekends, holidays, weekend days worked (调休), the admin list, the cache,
and the migrations that merged review.CalendarDay and bidding.Holiday into core.CalendarDay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from fazhi.core import workdays
from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.core.workdays import Calendar, add_working_days, is_working_day, working_days_between

D = dt.date
HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY


# --- pure arithmetic -----------------------------------------------------------------------------


def test_five_working_days_from_a_friday_end_the_next_friday():
    assert Calendar().add(D(2026, 11, 20), 5) == D(2026, 11, 27)


def test_the_starting_day_is_not_counted_even_when_it_is_a_working_day():
    assert Calendar().add(D(2026, 11, 23), 1) == D(2026, 11, 24)


def test_a_deadline_starting_on_a_saturday_counts_from_monday():
    assert Calendar().add(D(2026, 11, 21), 1) == D(2026, 11, 23)


def test_roll_forward_keeps_a_working_day_and_moves_a_day_off_to_the_next_working_day():
    cal = Calendar(holidays=[D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5)], workdays=[D(2026, 10, 10)])
    assert cal.roll_forward(D(2026, 11, 24)) == D(2026, 11, 24)  # a Tuesday
    assert cal.roll_forward(D(2026, 11, 21)) == D(2026, 11, 23)  # Saturday → Monday
    assert cal.roll_forward(D(2026, 10, 1)) == D(2026, 10, 6)  # holiday, holiday, weekend, holiday → Tuesday
    assert cal.roll_forward(D(2026, 10, 10)) == D(2026, 10, 10)  # a Saturday worked (调休) is a working day


def test_zero_working_days_is_the_starting_day_itself_even_on_a_holiday():
    cal = Calendar(holidays=[D(2026, 10, 1)])
    assert cal.add(D(2026, 10, 1), 0) == D(2026, 10, 1)
    assert cal.add(D(2026, 11, 22), 0) == D(2026, 11, 22)  # a Sunday


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="不能为负数"):
        Calendar().add(D(2026, 1, 1), -1)


def test_holidays_on_weekdays_are_skipped():
    # National Day week: 1–7 October 2026 off (Thu–Wed).
    cal = Calendar(holidays=[D(2026, 10, d) for d in range(1, 8)])
    assert cal.add(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cal.add(D(2026, 9, 29), 5) == D(2026, 10, 13)  # Wed 30, Thu 8, Fri 9, Mon 12, Tue 13


def test_a_weekend_day_worked_counts_as_a_working_day():
    cal = Calendar(holidays=[D(2026, 10, 1), D(2026, 10, 2)], workdays=[D(2026, 10, 10)])
    assert cal.add(D(2026, 10, 9), 1) == D(2026, 10, 10)  # Fri 9 → Sat 10 (调休上班)
    assert cal.is_working_day(D(2026, 10, 10))
    assert not cal.is_working_day(D(2026, 10, 11))
    assert not cal.is_working_day(D(2026, 10, 1))


def test_counting_across_the_year_end():
    # Thu 31 Dec 2026 → Fri 1 Jan 2027 is New Year's Day, Sat 2 Jan is worked in exchange.
    cal = Calendar(holidays=[D(2027, 1, 1)], workdays=[D(2027, 1, 2)])
    assert cal.add(D(2026, 12, 31), 1) == D(2027, 1, 2)
    assert cal.add(D(2026, 12, 31), 2) == D(2027, 1, 4)
    assert Calendar().add(D(2026, 12, 30), 3) == D(2027, 1, 4)  # Thu, Fri, Mon without the holiday list
    assert cal.between(D(2026, 12, 28), D(2027, 1, 8)) == 9  # Tue–Thu, Sat 2, Mon–Fri; not Fri 1


def test_between_counts_working_days_after_the_start_up_to_the_end():
    cal = Calendar(holidays=[D(2026, 11, 25)])
    assert cal.between(D(2026, 11, 20), D(2026, 11, 27)) == 4  # Mon, Tue, Thu, Fri
    assert cal.between(D(2026, 11, 27), D(2026, 11, 20)) == 0
    assert cal.between(D(2026, 11, 21), D(2026, 11, 22)) == 0  # Sat → Sun


def test_add_and_between_agree_over_weeks_with_holidays_and_workdays():
    cal = Calendar(
        holidays=[D(2026, 10, d) for d in range(1, 8)] + [D(2027, 1, 1)],
        workdays=[D(2026, 9, 27), D(2026, 10, 10), D(2027, 1, 2)],
    )
    for start in (D(2026, 9, 24), D(2026, 12, 28)):
        for n in range(0, 30):
            assert cal.between(start, cal.add(start, n)) == n


# --- the calendar configured in the admin ----------------------------------------------------------


@pytest.mark.django_db
def test_the_module_functions_read_the_holiday_list():
    friday = D(2026, 9, 25)
    assert add_working_days(friday, 2) == D(2026, 9, 29)  # Mon 28, Tue 29
    CalendarDay.objects.create(date=D(2026, 10, 1), kind=HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=D(2026, 10, 2), kind=HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=D(2026, 10, 10), kind=WORKDAY, name="国庆调休")  # a Saturday
    assert add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 6)  # Thu/Fri off, Mon 5, Tue 6
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert is_working_day(D(2026, 10, 10)) and not is_working_day(D(2026, 10, 1))
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 6  # Mon 5 – Fri 9 and Sat 10


@pytest.mark.django_db
def test_a_weekday_cannot_be_listed_as_a_weekend_day_worked():
    day = CalendarDay(date=D(2026, 10, 9), kind=WORKDAY, name="调休")  # a Friday
    with pytest.raises(ValidationError) as err:
        day.full_clean()
    assert "周六或周日" in str(err.value)
    CalendarDay(date=D(2026, 10, 10), kind=WORKDAY, name="国庆调休").full_clean()  # a Saturday is fine
    CalendarDay.objects.create(date=D(2026, 10, 1), kind=HOLIDAY, name="国庆节")
    with pytest.raises(ValidationError):
        CalendarDay(date=D(2026, 10, 1), kind=HOLIDAY, name="重复").full_clean()


@pytest.mark.django_db
def test_changes_to_the_holiday_list_are_audited():
    day = CalendarDay.objects.create(date=D(2026, 10, 1), kind=HOLIDAY, name="国庆节")
    day.name = "国庆节假期"
    day.save()
    events = AuditEvent.objects.filter(object_type="core.CalendarDay", object_id=str(day.pk)).order_by("seq")
    assert [e.action for e in events] == ["create", "update"]


@pytest.mark.django_db
def test_the_admin_lists_and_adds_holidays(admin_client):
    CalendarDay.objects.create(date=D(2026, 10, 1), kind=HOLIDAY, name="国庆节")
    page = admin_client.get("/admin/core/calendarday/")
    assert page.status_code == 200 and "国庆节" in page.content.decode()
    refused = admin_client.post(
        "/admin/core/calendarday/add/", {"date": "2026-10-09", "kind": "workday", "name": "调休", "note": ""}
    )
    assert refused.status_code == 200 and "周六或周日" in refused.content.decode()
    added = admin_client.post(
        "/admin/core/calendarday/add/",
        {"date": "2026-10-10", "kind": "workday", "name": "国庆调休", "note": ""},
    )
    assert added.status_code == 302
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).kind == WORKDAY


# --- the per-process cache -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_calendar_is_cached_outside_transactions_and_refreshed_on_save_and_delete(
    django_assert_num_queries,
):
    workdays.invalidate()
    first = Calendar.load()
    with django_assert_num_queries(0):
        assert Calendar.load() is first
    day = CalendarDay.objects.create(date=D(2026, 11, 23), kind=HOLIDAY, name="测试假日")
    assert not Calendar.load().is_working_day(D(2026, 11, 23))
    day.kind = WORKDAY
    day.date = D(2026, 11, 28)
    day.save()
    assert Calendar.load().is_working_day(D(2026, 11, 28))
    day.delete()
    assert not Calendar.load().is_working_day(D(2026, 11, 28))


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_does_not_stay_in_the_cache():
    workdays.invalidate()
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date=D(2026, 11, 23), kind=HOLIDAY)
        assert not Calendar.load().is_working_day(D(2026, 11, 23))  # read afresh inside the transaction
        raise RuntimeError
    assert Calendar.load().is_working_day(D(2026, 11, 23))


@pytest.mark.django_db(transaction=True)
def test_a_stale_cache_expires(monkeypatch):
    workdays.invalidate()
    assert Calendar.load().is_working_day(D(2026, 11, 23))
    # Another process edited the list: no signal here, so only the expiry brings the change in.
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2026, 11, 23), kind=HOLIDAY)])
    assert Calendar.load().is_working_day(D(2026, 11, 23))
    monkeypatch.setattr(workdays._cache, "seconds", 0.0)
    assert not Calendar.load().is_working_day(D(2026, 11, 23))


# --- the migrations that merged the two old holiday lists ---------------------------------------------

BEFORE = [("review", "0002_seed_doc_type_rules"), ("bidding", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["review", "bidding"])
def test_the_migrations_copy_both_old_lists_into_core_and_the_review_row_wins(first):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    copy_first = {
        "review": ("review", "0003_copy_calendar_to_core"),
        "bidding": ("bidding", "0002_copy_holidays_to_core"),
    }
    try:
        old = _migrate(BEFORE)
        Review = old.get_model("review", "CalendarDay")
        Holiday = old.get_model("bidding", "Holiday")
        Review.objects.create(date=D(2026, 10, 1), kind="holiday", name="国庆节")
        Review.objects.create(date=D(2026, 10, 2), kind="holiday", name="")
        Review.objects.create(date=D(2026, 10, 10), kind="workday", name="国庆调休")
        # Same kind as the unnamed review row: its name is kept. A different kind: the review row wins.
        Holiday.objects.create(date=D(2026, 10, 2), name="国庆节假期", is_workday=False)
        Holiday.objects.create(date=D(2026, 10, 10), name="另一说法", is_workday=False)
        Holiday.objects.create(date=D(2027, 1, 1), name="元旦", is_workday=False)
        Holiday.objects.create(date=D(2027, 1, 2), name="元旦调休", is_workday=True)
        _migrate([copy_first[first]])  # either copy may run first; the result is the same
    finally:
        _migrate(leaves)
    rows = {(r.date, r.kind, r.name) for r in CalendarDay.objects.all()}
    assert rows == {
        (D(2026, 10, 1), HOLIDAY, "国庆节"),
        (D(2026, 10, 2), HOLIDAY, "国庆节假期"),
        (D(2026, 10, 10), WORKDAY, "国庆调休"),
        (D(2027, 1, 1), HOLIDAY, "元旦"),
        (D(2027, 1, 2), WORKDAY, "元旦调休"),
    }
    tables = connection.introspection.table_names()
    assert "core_calendarday" in tables
    assert "review_calendarday" not in tables and "bidding_holiday" not in tables
