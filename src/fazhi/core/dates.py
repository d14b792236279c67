"""Dates as Chinese documents write them: 2026年3月5日 (no leading zeros)."""

from __future__ import annotations

import datetime as dt


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier when negative); 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cn_date(d: dt.date | None) -> str:
    """2026年3月5日; a missing date reads 未填写 (it used to fail the whole message)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else "未填写"
