"""PROC-NOTICE-PERIOD counts working days by the platform's 节假日安排, not by weekdays alone."""

from __future__ import annotations

import datetime as dt

from fazhi.core import workdays
from fazhi.core.models import CalendarDay
from fazhi.review.precheck import engine

# 3 working days are the minimum for 询价 (财政部令第74号第十条). Mon–Fri from 30 September to 9 October
# 2026 are 7 weekdays, but 1–7 October are the National Day holidays: 2 working days remain (8 and 9 October).
TEXT = "询价通知书于2026年9月30日发出，提交响应文件截止时间为2026年10月9日9时。"


def _notice_findings():
    return [f for f in engine.check(TEXT, "政府采购文件") if f.rule_id == "PROC-NOTICE-PERIOD"]


def test_weekdays_alone_would_pass_the_period(db):
    assert _notice_findings() == []


def test_the_holidays_in_the_calendar_are_counted_out(db):
    for n in range(1, 8):
        CalendarDay.objects.create(date=dt.date(2026, 10, n), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    workdays.invalidate()
    found = _notice_findings()
    assert len(found) == 1
    assert "为2个工作日" in found[0].message and "3个工作日" in found[0].message
