"""Notice periods (等标期) in procurement documents: from the documents' issue to the deadline for bids,
against the minimum of the procurement method (rule PROC-NOTICE-PERIOD; a sentence logic of logic.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError

from fazhi.core.numerals import cn_to_int
from fazhi.core.workdays import Calendar

if TYPE_CHECKING:  # pragma: no cover
    from fazhi.review.precheck.engine import Context
    from fazhi.review.precheck.ruleset import Rule

Span = tuple[int, int, dict]


_NOTICE = re.compile(
    r"(招标文件|磋商文件|谈判文件|询价通知书)[^。；]{0,8}?(?:开始)?(?:发出|发售|发布|发放|提供|公告)[^。；，]{0,4}?"
    r"(?:之日|后)?(?:起|后)?[^。；\d一二三四五六七八九十两]{0,30}?"
    r"(\d+|[一二三四五六七八九十两]+)\s*(个工作日|日|天)"
)
_NOTICE_END = re.compile(r"截止|提交|递交|送达|报送|开标")
# Which minimum applies, by the document the period starts from (rule params: calendar days or working days).
_NOTICE_KINDS = {
    "招标文件": ("tender_days", "招标"),
    "磋商文件": ("consultation_days", "竞争性磋商"),
    "谈判文件": ("negotiation_working_days", "竞争性谈判"),
    "询价通知书": ("inquiry_working_days", "询价"),
}


_YMD = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
# "招标文件自2026年3月1日起发售，……投标截止时间为2026年3月10日": the period between the two dates.
_NOTICE_DATES = re.compile(
    rf"(招标文件|磋商文件|谈判文件|询价通知书)[^。；]{{0,20}}?{_YMD}[^。；]{{0,40}}?"
    rf"(?:截止|提交|递交|开标)[^。；\d]{{0,20}}?{_YMD}"
)


def _ymd(groups: tuple[str | Any, ...]) -> dt.date | None:
    try:
        return dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
    except (TypeError, ValueError):
        return None


def _working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to `end` by the platform's 节假日安排 (core.workdays), so a period
    across National Day counts its holidays out; weekends only when there is no database (the rule's
    examples are checked without one)."""
    try:
        calendar = Calendar.load()
    except (RuntimeError, DatabaseError):
        calendar = Calendar()
    return calendar.between(start, end)


def _notice_dates(rule: Rule, text: str) -> list[Span]:
    out: list[Span] = []
    for m in _NOTICE_DATES.finditer(text):
        start, end = _ymd(m.groups()[1:4]), _ymd(m.groups()[4:7])
        if start is None or end is None or end <= start:
            continue
        key, kind = _NOTICE_KINDS[m.group(1)]
        minimum = int(rule.params[key])
        working = key.endswith("working_days")
        value = _working_days_between(start, end) if working else (end - start).days
        if value < minimum:
            unit = "个工作日" if working else "日"
            out.append(
                (m.start(), m.end(), {"kind": kind, "value": f"{value}{unit}", "minimum": f"{minimum}{unit}"})
            )
    return out


def notice_period(rule: Rule, text: str, ctx: Context) -> list[Span]:
    """A period shorter than the legal minimum; one stated in the other unit is converted only where the
    answer is certain (n working days span at least n × 7 ÷ 5 days; n days hold at most n working days)."""
    out: list[Span] = _notice_dates(rule, text)
    if out or not _NOTICE_END.search(text):
        return out
    for m in _NOTICE.finditer(text):
        try:
            value = int(m.group(2)) if m.group(2).isdigit() else cn_to_int(m.group(2))
        except ValueError:
            continue
        key, kind = _NOTICE_KINDS[m.group(1)]
        minimum = int(rule.params[key])
        working_rule = key.endswith("working_days")
        working_text = m.group(3) == "个工作日"
        if working_text and not working_rule:  # the rule counts calendar days, the text working days
            short = value * 7 / 5 < minimum
        else:  # the same unit, or calendar days in the text against a working-day rule
            short = value < minimum
        if short:
            unit = "个工作日" if working_rule else "日"
            out.append(
                (
                    m.start(),
                    m.end(),
                    {"kind": kind, "value": f"{value}{m.group(3)}", "minimum": f"{minimum}{unit}"},
                )
            )
    return out
