"""发文字号 (文号) as one string: 机关代字〔年份〕序号号, e.g. 阳财规〔2026〕1号 (GB/T 9704: the year in 〔〕,
the serial without leading zeros or 第).

Contract: `parse(text)` reads a whole string typed as a 文号 — [] () ［］ （） 【】 brackets, spaces, 第 and
leading zeros are tolerated — and returns its parts, or None when the string is not a 文号. It checks the
form only: whether the year or serial make sense for a given document is the caller's rule. `str()` of the
result is the normalised form. (Finding a 文号 inside a document's text is another task: policies.extract.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fff]{1,20})"
    r"[〔\[［【(（](?P<year>\d{4})[〕\]］】)）]"
    r"第?(?P<serial>\d{1,6})号"
)
_SPACES = re.compile(r"[\s\u3000]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class DocNumber:
    code: str  # 机关代字, e.g. 阳财规
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.code}〔{self.year}〕{self.serial}号"


def parse(text: str) -> DocNumber | None:
    """The parts of a 文号 string (see the module docstring), or None."""
    s = _SPACES.sub("", (text or "").translate(_FULLWIDTH_DIGITS))
    m = _NUMBER.fullmatch(s)
    if m is None:
        return None
    return DocNumber(code=m["code"], year=int(m["year"]), serial=int(m["serial"]))
