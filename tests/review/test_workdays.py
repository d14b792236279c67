"""Working-day arithmetic across weekends, holidays and weekend days worked (调休)."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.review.models import CalendarDay
from fazhi.review.workdays import Calendar

D = dt.date


def test_five_working_days_from_a_friday_end_the_next_friday():
    assert Calendar().add(D(2026, 11, 20), 5) == D(2026, 11, 27)


def test_the_starting_day_is_not_counted_even_when_it_is_a_working_day():
    assert Calendar().add(D(2026, 11, 23), 1) == D(2026, 11, 24)


def test_a_deadline_starting_on_a_saturday_counts_from_monday():
    assert Calendar().add(D(2026, 11, 21), 1) == D(2026, 11, 23)


def test_holidays_on_weekdays_are_skipped():
    # National Day week: 1–7 October 2026 off (Thu–Wed).
    holidays = [D(2026, 10, d) for d in range(1, 8)]
    cal = Calendar(holidays=holidays)
    assert cal.add(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cal.add(D(2026, 9, 29), 5) == D(2026, 10, 13)  # Wed 30, Thu 8, Fri 9, Mon 12, Tue 13


def test_a_weekend_day_worked_counts_as_a_working_day():
    cal = Calendar(holidays=[D(2026, 10, 1), D(2026, 10, 2)], workdays=[D(2026, 10, 10)])
    # Fri 9 Oct → Sat 10 Oct (调休上班) is the next working day.
    assert cal.add(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert cal.is_working_day(D(2026, 10, 10))
    assert not cal.is_working_day(D(2026, 10, 11))


def test_between_counts_working_days_after_the_start_up_to_the_end():
    cal = Calendar(holidays=[D(2026, 11, 25)])
    assert cal.between(D(2026, 11, 20), D(2026, 11, 27)) == 4  # Mon, Tue, Thu, Fri
    assert cal.between(D(2026, 11, 27), D(2026, 11, 20)) == 0
    assert cal.between(D(2026, 11, 21), D(2026, 11, 22)) == 0  # Sat → Sun


def test_add_and_between_agree():
    cal = Calendar(holidays=[D(2027, 1, 1)], workdays=[D(2027, 1, 2)])
    start = D(2026, 12, 28)
    for n in range(0, 15):
        assert cal.between(start, cal.add(start, n)) == n


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        Calendar().add(D(2026, 1, 1), -1)


@pytest.mark.django_db
def test_the_calendar_is_loaded_from_the_holiday_list_in_the_admin():
    CalendarDay.objects.create(date=D(2026, 11, 23), kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
    CalendarDay.objects.create(date=D(2026, 11, 28), kind=CalendarDay.Kind.WORKDAY, name="调休")
    cal = Calendar.load()
    assert cal.add(D(2026, 11, 20), 1) == D(2026, 11, 24)
    assert cal.add(D(2026, 11, 27), 1) == D(2026, 11, 28)
