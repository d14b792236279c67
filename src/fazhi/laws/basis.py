"""状态依据 shown to the public: the shared data files carry English maintainer notes; they are
stored and shown in Chinese (the import translates them; migration 0002 rewrote existing rows).

Contract: `public_basis(text)` → the text with every known English note (one per "；"-separated
part) replaced by its Chinese wording; any other text (an administrator's basis) is kept as it is.
"""

from __future__ import annotations

import datetime as dt
import re

UNVERIFIED = "数据来源中收录的最新版本，尚未核实其后是否已被修改或废止，请以官方发布为准"
SUPERSEDED = "已被同名法规的较新版本取代"
EXPIRED = "数据来源标注为已失效，且没有收录更新的版本"

_FIXED = {
    "latest version in repo; repeal NOT verified": UNVERIFIED,
    "newer version of same name in repo": SUPERSEDED,
    "repo db.sqlite3 expired=1 with no newer version (maintainer-set)": EXPIRED,
}
# known repeal: 《中华人民共和国增值税法》第三十八条, effective 2026-01-01
_KNOWN_REPEAL = re.compile(
    r"^known repeal:\s*(?P<cite>.+?)\s*,\s*effective\s+(?P<date>\d{4}-\d{2}-\d{2})\s*$"
)


def _date(value: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.year}年{day.month}月{day.day}日"


def _one(part: str) -> str:
    text = part.strip()
    if text in _FIXED:
        return _FIXED[text]
    m = _KNOWN_REPEAL.match(text)
    if m:
        return f"依据{m.group('cite')}的规定，自{_date(m.group('date'))}起废止"
    return part


def public_basis(text: str | None) -> str:
    """The Chinese basis for a stored or imported one (unknown text unchanged)."""
    if not text:
        return ""
    return "；".join(_one(part) for part in text.split("；"))
