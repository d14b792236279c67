"""Working-day arithmetic: weekends and the holiday list (CalendarDay, editable in admin) are not working days.

As in statutory time limits, the starting day is not counted: 5 working days from a Friday end the next Friday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fazhi.review.models import CalendarDay


class Calendar:
    """A working-day calendar from a set of extra holidays and of weekend days worked (调休)."""

    def __init__(self, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()) -> None:
        self.holidays = set(holidays)
        self.workdays = set(workdays)

    @classmethod
    def load(cls) -> Calendar:
        """The calendar configured in the admin (节假日安排)."""
        holidays: list[dt.date] = []
        workdays: list[dt.date] = []
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).append(day)
        return cls(holidays, workdays)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (start itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        left = days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; 0 when end is not after start. Constant time in the span's length."""
        if end <= start:
            return 0
        weeks, rest = divmod((end - start).days, 7)
        count = weeks * 5 + sum(1 for i in range(1, rest + 1) if (start + dt.timedelta(days=i)).weekday() < 5)
        count -= sum(1 for day in self.holidays if start < day <= end and day.weekday() < 5)
        count += sum(1 for day in self.workdays if start < day <= end and day.weekday() >= 5)
        return count
