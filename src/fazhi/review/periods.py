"""A normative document's validity period: the type's default years, or the shorter period its text states.

DOMAIN.md: validity is commonly ≤ 5 years (`DocTypeRule.validity_years`). Documents usually say their own
term in the last article (“本办法自印发之日起施行，有效期3年。”, “有效期至2027年12月31日”); a shorter term
stated there is the document's own and is the one that ends it. A longer one does not extend the type's
maximum (the pre-check flags it as FORM-VALIDITY).
"""

from __future__ import annotations

import datetime as dt
import re

from fazhi.core.dates import add_years
from fazhi.core.numerals import cn_to_int

_YEARS = re.compile(r"有效期(?:限)?(?:为|是)?\s*(\d+|[一二三四五六七八九十]+)\s*年")
_UNTIL = re.compile(
    r"有效期(?:限)?(?:为|是)?[^。；\d]{0,12}?至\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)


def stated_end(text: str, published_on: dt.date) -> dt.date | None:
    """The end of the validity period the text states (the earliest, if it states several), or None."""
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
            ends.append(add_years(published_on, years))
    ends = [end for end in ends if end > published_on]
    return min(ends) if ends else None


def valid_until(text: str, published_on: dt.date, default_years: int) -> dt.date:
    """The type's default end, or the earlier one the text states."""
    default = add_years(published_on, default_years)
    stated = stated_end(text, published_on)
    return stated if stated is not None and stated < default else default
