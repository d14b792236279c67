"""What a text states of itself: 有效期, 申报期 and 咨询电话, and the periods of its single measures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fazhi.core import numerals

# --- 有效期、申报期、咨询电话 -----------------------------------------------------------------------
_SELF = (
    r"(?:本|以上|上述|此)(?:通知|公告|通告|意见|办法|措施|政策|细则|规定|方案|文件|若干措施|政策措施|实施细则|实施办法"
    r"|实施意见|指导意见|若干意见|实施方案|工作方案)"
)
_D = r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_DM = r"(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_ISSUE_DAY = r"(?:发布|印发|公布|颁布|签发)之日"
_EFFECTIVE_FROM = re.compile(
    rf"{_SELF}[^。；]{{0,100}}?自\s*(?:政策|本政策)?(?:{_D}|(?P<issue>{_ISSUE_DAY}|即日))(?:零时)?起?\s*(?:暂)?(?:施行|实施|执行|生效)"
)
_EFFECTIVE_FROM_TO = re.compile(
    rf"{_SELF}[^。；]{{0,30}}?(?:执行期限|执行期|施行期|有效期|实施期限)(?:暂定)?为?\s*自\s*(?:政策|本政策)?"
    rf"(?:{_D}|(?P<issue>{_ISSUE_DAY}))起?\s*(?:至|到)"
)
_EFFECTIVE_TO = re.compile(
    rf"{_SELF}[^。；]{{0,100}}?(?:有效期|执行期限|执行期|施行期|实施期限|适用截止时间|截止时间|执行)[^。；\d]{{0,20}}?"
    rf"(?:至|为|到)\s*{_D}\s*(?:止|为止|截止)?"
)
_EFFECTIVE_TO_YEAR_END = re.compile(rf"{_SELF}[^。；]{{0,120}}?有效期至\s*((?:19|20)\d\d)\s*年底")
_EFFECTIVE_SPAN = re.compile(
    rf"{_SELF}[^。；]{{0,30}}?(?:执行期限|执行期|施行期|有效期|实施期限)(?:暂定)?(?:为)?[^。；\d]{{0,6}}"
    rf"(?:自\s*(?:政策|本政策)?(?:{_D}|(?P<issue>{_ISSUE_DAY}))起?(?:的)?)\s*"
    r"(?P<n>\d{1,2}|[一二两三四五六七八九十]|十二)\s*(?:个)?(?P<unit>月|年)"
)
_EFFECTIVE_SPAN2 = re.compile(
    rf"{_SELF}[^。；]{{0,30}}?(?:施行|实施|执行)，?(?:施行期|执行期|有效期)(?:暂定)?为?\s*"
    r"(?P<n>\d{1,2}|[一二两三四五六七八九十]|十二)\s*(?:个)?(?P<unit>月|年)"
)
_EFFECTIVE_RANGE = re.compile(
    rf"(?:执行期限|有效期|执行期|实施期限)(?:暂定)?为\s*{_D}\s*(?:至|到|—|-)\s*{_DM}"
)
_APPLY_RANGE = re.compile(
    rf"(?:申报时间|申请时间|申报期限|申请期限|受理时间|申报期|申请期)(?:为|是)?[：:]?\s*(?:自\s*)?{_D}(?:起)?\s*(?:至|到|—|-|～|~)\s*{_DM}"
)
_APPLY_END = re.compile(
    rf"(?:(?:申报|申请|受理)(?:的)?截止(?:时间|日期)(?:为|是)?[：:]?\s*{_D})"
    rf"|(?:(?:申报|申请)期限至\s*{_D})"
    rf"|(?:(?:请|须|应|可|需|必须)?(?:于|在)\s*{_D}(?:\d{{1,2}}(?:时|点))?(?:前|之前|以前)\s*"
    r"(?:[^。；，]{0,20}?)(?:提交|提出|报送|递交)?(?:[^。；，]{0,6}?)(?:申请|申报材料|申报)(?!人))"
)
_APPLY_START = re.compile(rf"(?:于|自|从)\s*{_D}起[^。；]{{0,25}}?(?:申请|申报)(?!期)")
_TAX_FILING = re.compile(r"纳税申报|申报纳税|缴纳|退税|纳税")
_PHONE_CUE = re.compile(
    r"(?:联系电话|咨询电话|联系人及电话|联系人及联系电话|咨询热线(?:电话)?|服务热线|政策咨询热线)"
)
_PHONE = re.compile(
    r"(?<![\d\-])(?:"
    r"(?:[（(]0\d{2,3}[）)]\s*\d{3,4}[-—－]?\d{4})"
    r"|(?:0\d{2,3}\s*[-—－]\s*\d{7,8})"
    r"|(?:0\d{9,11})"
    r"|(?:1[3-9]\d{9})"
    r"|(?:\d{7,8})"
    r"|(?:1\d{4})"
    r")(?![\d\-]|年|月|日|元|万|个|人|号)"
)


def _date(y: str | None, mo: str, d: str, year_from: dt.date | None = None) -> dt.date | None:
    year = int(y) if y else (year_from.year if year_from else None)
    if year is None:
        return None
    try:
        return dt.date(year, int(mo), int(d))
    except ValueError:
        return None


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return d  # pragma: no cover


def _number(n: str) -> int:
    try:
        return numerals.cn_to_int(n)
    except ValueError:
        return 0


def _one(values: list[dt.date]) -> dt.date | None:
    """The value if every explicit statement agrees; two different dates are ambiguous, so none."""
    distinct = set(values)
    return values[0] if len(distinct) == 1 else None


def effective_period(body: str, issued: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """(有效期起, 有效期止) where the document states its own period ('本通知自…起施行，有效期至…')."""
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for m in [*_EFFECTIVE_FROM.finditer(body), *_EFFECTIVE_FROM_TO.finditer(body)]:
        d = _date(m.group(1), m.group(2), m.group(3)) if m.group(1) else issued
        if d:
            starts.append(d)
    for m in _EFFECTIVE_TO.finditer(body):
        d = _date(m.group(1), m.group(2), m.group(3))
        if d:
            ends.append(d)
    for m in _EFFECTIVE_TO_YEAR_END.finditer(body):
        ends.append(dt.date(int(m.group(1)), 12, 31))
    for rx in (_EFFECTIVE_SPAN, _EFFECTIVE_SPAN2):
        for m in rx.finditer(body):
            gd = m.groupdict()
            if rx is _EFFECTIVE_SPAN and m.group(1):
                start = _date(m.group(1), m.group(2), m.group(3))
            elif rx is _EFFECTIVE_SPAN and gd.get("issue"):
                start = issued
            else:
                start = _one(starts)
            n = _number(m.group("n"))
            if start and n:
                starts.append(start)
                ends.append(_add_months(start, n * (12 if m.group("unit") == "年" else 1)))
    for m in _EFFECTIVE_RANGE.finditer(body):
        a = _date(m.group(1), m.group(2), m.group(3))
        b = _date(m.group(4), m.group(5), m.group(6), year_from=a)
        if a and b and a <= b:
            before = body[max(0, m.start() - 30) : m.start()]
            if re.search(_SELF + r"[^。；，]*$", before) or re.search(r"(^|[。；\s])$", before):
                starts.append(a)
                ends.append(b)
    start, end = _one(starts), _one(ends)
    if start and end and end < start:
        return None, None
    return start, end


def apply_window(body: str) -> tuple[dt.date | None, dt.date | None]:
    """(申报开始, 申报截止) from explicit statements ('申报时间：…至…', '请于…前提交申请'); tax filing deadlines are not it."""
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for m in _APPLY_RANGE.finditer(body):
        if _TAX_FILING.search(body[max(0, m.start() - 6) : m.end() + 4]):
            continue
        a = _date(m.group(1), m.group(2), m.group(3))
        b = _date(m.group(4), m.group(5), m.group(6), year_from=a)
        if a and b and a <= b:
            starts.append(a)
            ends.append(b)
    for m in _APPLY_END.finditer(body):
        if _TAX_FILING.search(body[max(0, m.start() - 10) : m.end() + 4]):
            continue
        groups = [g for g in m.groups()]
        for i in range(0, len(groups), 3):
            if groups[i]:
                d = _date(groups[i], groups[i + 1], groups[i + 2])
                if d:
                    ends.append(d)
                break
    for m in _APPLY_START.finditer(body):
        if _TAX_FILING.search(m.group(0)):
            continue
        d = _date(m.group(1), m.group(2), m.group(3))
        if d:
            starts.append(d)
    start, end = _one(starts), _one(ends)
    if start and end and end < start:
        return None, None
    return start, end


def contact_phone(body: str, max_length: int = 100) -> str:
    """Phone numbers after '联系电话/咨询电话/联系人及电话：'; a list of many contacts (one per measure) is left alone."""
    groups: list[list[str]] = []
    for m in _PHONE_CUE.finditer(body):
        rest = body[m.end() : m.end() + 60]
        lead = re.match(r"^[：:\s]*(?:[^\d。；（(]{0,12}?[：:，,\s]\s*)?", rest)
        pos = lead.end() if lead else 0
        numbers: list[str] = []
        while True:
            p = _PHONE.match(rest, pos)
            if not p:
                break
            numbers.append(
                re.sub(r"\s*[—－]\s*|\s*-\s*", "-", p.group(0)).replace("（", "(").replace("）", ")")
            )
            sep = re.match(r"[、，,；;/\s]+(?:\s*[（(][^）)]{0,6}[）)])?[、，,\s]*", rest[p.end() :])
            if not sep:
                break
            pos = p.end() + sep.end()
        if numbers:
            groups.append(numbers)
    distinct = {tuple(g) for g in groups}
    if not groups or len(distinct) > 2:
        return ""
    phone = "、".join(dict.fromkeys(n for g in groups for n in g))
    while len(phone) > max_length and "、" in phone:
        phone = phone.rsplit("、", 1)[0]
    return phone if len(phone) <= max_length else ""


# --- periods stated for measures in the text ----------------------------------------------------
_STATED_PERIOD = re.compile(
    r"自\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:零时|0时)?\s*起?\s*至\s*"
    r"(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_N = r"(\d{1,2}|[一二两三四五六七八九十]|十[一二])"
# "自2020年2月起，……免征期限不超过5个月": a start month and a longest duration in one sentence.
_STARTED_SPAN = re.compile(
    r"自\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?\s*(?:零时|0时)?\s*起"
    rf"[^。；]{{0,80}}?期(?:限)?(?:原则上|一般)?(?:最长)?(?:不超过|为)\s*{_N}\s*个月"
)
# An end: "至2020年6月30日" or "至2020年12月底/末".
_END = r"(?:至|到|截至|截止到|截止至)\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(底|末))"
# "实施期限延长至2021年4月30日", "执行期限由原“疫情防控期间”延长至2020年6月30日", "自即日起至2020年12月底":
# a measure's end, said of its execution period (or running from today), without a dated start.
_PERIOD_END = re.compile(
    r"(?:(?:执行|实施|施行|政策|优惠|减免|减征|免征|缓缴)(?:期限|期|时间)[^。；，,\d]{0,16}?|自即日起|自(?:发布|印发)之日起)"
    rf"(?:延长|顺延|延期)?{_END}"
)
# A relief extended or granted "until" a month's end or a day: "阶段性降低……费率的政策，实施期限延长至…",
# "报销时限可延长至2020年12月底", "减免……至2020年6月底". The clause must not be about applying or filing.
_RELIEF_UNTIL = re.compile(
    rf"(?:阶段性|减免|减征|免征|免收|减半|缓缴|暂停|延长|顺延)[^。；，,\d]{{0,20}}?{_END}"
)
# "注册费零收费执行期限为2020年1月1日至2020年6月30日", "。2020年1月1日至2020年12月31日，对……返还……": a dated
# range without 自, taken when it is an execution period or opens a sentence that grants a relief.
_RANGE = re.compile(
    r"(?:(?:执行期限|实施期限|执行期|实施期|期限)为|(?<=[。；：，\s]))\s*"
    r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:至|到)\s*"
    r"(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:止)?(?P<rest>[^。；]{0,60})"
)
_RELIEF = re.compile(r"免征|免收|免予|减免|减征|减半|返还|补贴|贴息|缓缴|降低|零收费|保价收储")
_NOT_A_MEASURE = re.compile(r"申报|申请|受理|报送|提交|报名|办理|登记|截止日期|纳税|缴纳税款|有效期内|问卷")


@dataclass(frozen=True)
class StatedPeriod:
    """A measure's execution period written in the text; `start` is None when only its end is stated."""

    start: dt.date | None
    end: dt.date


def _end_date(y: str, mo: str, d: str | None) -> dt.date | None:
    """The day, or the month's last day for "X月底/末"."""
    try:
        if d:
            return dt.date(int(y), int(mo), int(d))
        first_next = _add_months(dt.date(int(y), int(mo), 1), 1)
        return first_next - dt.timedelta(days=1)
    except ValueError:
        return None


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a match (from the previous ，/。/； to the end of the match)."""
    left = max(text.rfind(c, 0, start) for c in "。；;，,")
    return text[left + 1 : end]


def stated_periods(text: str, *, limit: int = 20) -> list[StatedPeriod]:
    """The execution periods written in a text, in order of their position, without repeats:
    "自2020年2月1日起至6月30日止", "自2020年2月起……期限不超过5个月" (to the last day of the fifth month),
    "实施期限延长至2021年4月30日", "自即日起至2020年12月底" and "减免……至2020年6月底" (an end only).

    They are often the periods of single measures of a package, not of the whole policy, so they are
    shown to the reader rather than turned into the policy's 有效期 (which decides its status)."""
    text = text or ""
    found: list[tuple[int, StatedPeriod]] = []
    for m in _STATED_PERIOD.finditer(text):
        try:
            start = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            end = dt.date(int(m.group(4) or m.group(1)), int(m.group(5)), int(m.group(6)))
        except ValueError:
            continue
        if end >= start:
            found.append((m.start(), StatedPeriod(start, end)))
    for m in _RANGE.finditer(text):
        execution = not m.group(0)[:1].isdigit() and "为" in m.group(0)[:6]
        if not execution and not _RELIEF.search(m.group("rest")):
            continue
        try:
            start = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            end = dt.date(int(m.group(4) or m.group(1)), int(m.group(5)), int(m.group(6)))
        except ValueError:
            continue
        if end >= start:
            found.append((m.start(), StatedPeriod(start, end)))
    for m in _STARTED_SPAN.finditer(text):
        n = _number(m.group(4))
        try:
            start = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
        except ValueError:
            continue
        if n:
            found.append((m.start(), StatedPeriod(start, _add_months(start, n) - dt.timedelta(days=1))))
    for rx in (_PERIOD_END, _RELIEF_UNTIL):
        for m in rx.finditer(text):
            if _NOT_A_MEASURE.search(_clause(text, m.start(), m.end())):
                continue
            end_date = _end_date(m.group(1), m.group(2), m.group(3))
            if end_date:
                found.append((m.start(), StatedPeriod(None, end_date)))
    out: list[StatedPeriod] = []
    for _, period in sorted(found, key=lambda x: x[0]):
        if period in out or any(p.end == period.end and p.start for p in out if period.start is None):
            continue  # an end already stated with its start
        out.append(period)
        if len(out) >= limit:
            break
    return out


# --- 阶段性措施: a policy that says it is temporary ---------------------------------------------------
_TEMPORARY_TITLE = re.compile(r"阶段性|临时性|疫情防控期间|疫情期间")
# "本通告自即日起施行，有效期至新型冠状病毒感染肺炎疫情解除", "上述一些临时性调整的措施实施期限视疫情情况另行通知"
_TEMPORARY_TEXT = re.compile(
    r"(?:有效期|执行期限|实施期限|执行期|实施期)(?:为|至|到)?[^。；]{0,14}?"
    r"(疫情(?:解除|结束|防控期间|期间)|视疫情[^。；]{0,6}另行通知)"
)
_OWN = re.compile(r"本|以上|上述|其余|其馀")


def temporary_cue(title: str, text: str) -> str:
    """The words that call the policy a temporary measure (阶段性, 疫情防控期间, 有效期至疫情解除…), or "".

    From the title, or from the text speaking of its own period (本…/以上…/上述…措施); a measure inside
    the text ("预选号码有效期延长，疫情结束后…") is not the policy."""
    m = _TEMPORARY_TITLE.search(title or "")
    if m:
        return m.group(0)
    for m in _TEMPORARY_TEXT.finditer(text or ""):
        sentence = text[max(text.rfind("。", 0, m.start()), 0) : m.start()]
        if _OWN.search(sentence):
            return m.group(0)[:40]
    return ""


def temporary_title(title: str) -> bool:
    """The title itself calls the policy temporary (关于阶段性减免…的通知, 疫情防控期间…)."""
    return bool(_TEMPORARY_TITLE.search(title or ""))
