"""Working days, the one calendar behind every time limit counted in working days (工作日).

Monday to Friday are working days, except the dates listed as 节假日 in the admin (core.CalendarDay);
a Saturday or Sunday listed as 调休上班 is a working day. As with statutory time limits, the starting
day is not counted: 5 working days from a Friday end on the next Friday.

The list is read once and kept per process (core.table_cache: emptied when a CalendarDay is saved or
deleted, read afresh inside a transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fazhi.core.models import CalendarDay
from fazhi.core.table_cache import TableCache


class Calendar:
    """A working-day calendar: extra days off (holidays) and weekend days worked (workdays)."""

    def __init__(self, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)

    @classmethod
    def from_database(cls) -> Calendar:
        """The 节假日安排 as it is in the database now (no cache)."""
        holidays: list[dt.date] = []
        workdays: list[dt.date] = []
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).append(day)
        return cls(holidays, workdays)

    @classmethod
    def load(cls) -> Calendar:
        """The configured calendar, cached per process (see the module docstring)."""
        return _cache.get()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (start itself not counted; 0 gives `start`)."""
        if days < 0:
            raise ValueError("工作日天数不能为负数。")
        day = start
        left = days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def roll_forward(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the next working day: a period counted in calendar days whose
        last day is a 法定休假日 ends on the following working day (民法典第二百零三条 states this for civil
        periods; whether an administrative period follows it is the bureau's choice, so callers ask a switch)."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
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


def is_working_day(day: dt.date) -> bool:
    return Calendar.load().is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date n working days after `start` by the configured calendar (start not counted)."""
    return Calendar.load().add(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end] by the configured calendar."""
    return Calendar.load().between(start, end)


_cache: TableCache[Calendar] = TableCache(Calendar.from_database)


def invalidate() -> None:
    """Forget the cached calendar in this process."""
    _cache.invalidate()


def connect_signals() -> None:
    _cache.watch(CalendarDay, "fazhi_workdays")
