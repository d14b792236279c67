"""A normative document's 施行日期 and validity period, as its final text states them.

施行日期: documents state their commencement in the last article (“本办法自2027年1月1日起施行”, “自印发之日
起施行”, “自公布之日起30日后施行”); 印发/公布/发布之日 is the publication date. When the text states several,
the last one is the document's own (earlier ones are usually other documents' dates it cites); an impossible
date is ignored, and so is a date before publication — an unpublished normative document cannot be a basis
of administration (国办发〔2018〕37号), so it is not in force before it is published. Without a statement the
document takes effect on publication.

Validity: DOMAIN.md: commonly ≤ 5 years (`DocTypeRule.validity_years`). Documents usually state their term
together with the commencement (“本办法自2027年1月1日起施行，有效期3年。”, “有效期至2027年12月31日”): a
term in years and the type's default both run from the 施行日期 (the publication date when they coincide);
an end date is taken as written. A shorter term stated there is the document's own and is the one that ends
it. A longer one does not extend the type's maximum (the pre-check flags it as FORM-VALIDITY).

`valid_until` is the last day of validity (shown as “有效期至…届满”; the document expires the day after). The
施行日 is read as the first day of validity — the document is in force all that day — so a term of N years
ends the day before the N-th anniversary: 自2027年1月1日起施行、有效期5年 → 2031年12月31日; 5 years from
2026年12月7日 → 2031年12月6日 (a 29 February start ends on the last day of February). This is the prevailing
reading and the same “前一日” rule the exams app uses for certificates (exams.services.certificates); the
legal office (法制机构) should confirm it. (Counted by 《民法典》第二百零一条, which leaves out the first day,
the term would end on the anniversary itself.)
"""

from __future__ import annotations

import datetime as dt
import re

from fazhi.core.numerals import cn_to_int

_YEARS = re.compile(r"有效期(?:限)?(?:为|是)?\s*(\d+|[一二三四五六七八九十]+)\s*年")
_UNTIL = re.compile(
    r"有效期(?:限)?(?:为|是)?[^。；\d]{0,12}?至\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)

_N = r"[0-9０-９〇○零一二三四五六七八九十百]+"
_YEAR = r"[0-9０-９]{4}|[〇○零一二三四五六七八九]{4}"
_DAY = r"[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"
_IN_FORCE = r"(?:施行|实施|执行|生效)(?!的)"  # “…起施行的《办法》” cites another document
# 自2027年1月1日起施行 / 于二〇二七年一月一日起实施 / 2027年1月1日起执行 (自, 从, 于 or 起 marks a commencement).
_FROM_DATE = re.compile(
    rf"(?P<pre>[自从于])?\s*(?P<y>{_YEAR})\s*年\s*(?P<m>{_DAY})\s*月\s*(?P<d>{_DAY})\s*日\s*(?P<qi>起|开始)?\s*"
    rf"{_IN_FORCE}"
)
# 自印发之日起施行 / 自公布之日起30日后施行 / 自发布之日起满三十日施行
_FROM_PUBLICATION = re.compile(
    rf"自\s*(?:印发|公布|发布|颁布|下发|发文)\s*之日\s*起?\s*"
    rf"(?:满?\s*(?P<n>{_N})\s*(?:日|天)\s*(?:后|以后)?\s*(?:起\s*)?)?{_IN_FORCE}"
)


def _stated_dates(text: str, published_on: dt.date) -> list[tuple[int, dt.date]]:
    """(position, date) of every commencement the text states, impossible ones left out."""
    found: list[tuple[int, dt.date]] = []
    for m in _FROM_DATE.finditer(text):
        if not (m["pre"] or m["qi"]):
            continue  # “2027年1月1日施行” alone is more often a cited document's date
        try:
            found.append((m.start(), dt.date(cn_to_int(m["y"]), cn_to_int(m["m"]), cn_to_int(m["d"]))))
        except ValueError:
            continue
    for m in _FROM_PUBLICATION.finditer(text):
        try:
            days = cn_to_int(m["n"]) if m["n"] else 0
        except ValueError:
            continue
        found.append((m.start(), published_on + dt.timedelta(days=days)))
    return found


def stated_commencement(text: str, published_on: dt.date) -> dt.date | None:
    """The 施行日期 the text states (the last statement, not before publication), or None."""
    stated = [(at, day) for at, day in _stated_dates(text or "", published_on) if day >= published_on]
    return max(stated)[1] if stated else None


def effective_on(text: str, published_on: dt.date) -> dt.date:
    """The 施行日期: the one the text states, else the publication date."""
    return stated_commencement(text, published_on) or published_on


def last_day(start: dt.date, years: int) -> dt.date:
    """The last day of a term of `years` whose first day is `start`: the day before the anniversary
    (2027-01-01, 5 → 2031-12-31; 2028-02-29, 5 → 2033-02-28, the anniversary of 29 February in a common year
    being 1 March, as for certificates in the exams app)."""
    year = start.year + years
    try:
        anniversary = start.replace(year=year)
    except ValueError:  # 29 February in a common year
        anniversary = dt.date(year, 3, 1)
    return anniversary - dt.timedelta(days=1)


def stated_end(text: str, published_on: dt.date, effective: dt.date | None = None) -> dt.date | None:
    """The last day of validity the text states (the earliest, if it states several), or None: “有效期至…” as
    written, “有效期N年” counted from `effective` (the 施行日期, default the publication date) as its first day
    (`last_day`)."""
    start = effective or published_on
    ends: list[dt.date] = []
    for m in _UNTIL.finditer(text or ""):
        try:
            ends.append(dt.date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            continue
    for m in _YEARS.finditer(text or ""):
        try:
            years = cn_to_int(m[1])
        except ValueError:
            continue
        if years > 0:
            ends.append(last_day(start, years))
    ends = [end for end in ends if end > start]
    return min(ends) if ends else None


def valid_until(
    text: str, published_on: dt.date, default_years: int, *, effective: dt.date | None = None
) -> dt.date:
    """The last day of validity: the type's default term counted from the 施行日期 (`effective`, default the
    publication date) as its first day, or the earlier end the text states."""
    default = last_day(effective or published_on, default_years)
    stated = stated_end(text, published_on, effective)
    return stated if stated is not None and stated < default else default
