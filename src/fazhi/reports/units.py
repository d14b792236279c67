"""Unit names as the dashboard's unit filter compares them.

Contract: a recorded name is the chosen unit when both are equal after `normalise` (whitespace removed,
full-width forms folded by NFKC), or when a 单位名称对照 row (`UnitAlias`) names one as the other. Never by
substring: "区教育局" is not "武汉市汉阳区教育局" unless an administrator says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

Aliases = dict[str, str]  # normalised recorded name → normalised unit


def normalise(name: str | None) -> str:
    """ "区 教育局", "区教育局" and "区教育局　" are one name."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name or "")))


def aliases() -> Aliases:
    from fazhi.reports.models import UnitAlias

    return {normalise(a): normalise(b) for a, b in UnitAlias.objects.values_list("name", "same_as")}


def canonical(name: str | None, table: Aliases) -> str:
    """The unit a recorded name stands for: its normalised form, or the unit an alias maps it to."""
    n = normalise(name)
    return table.get(n, n)


def matching(unit: str, recorded: Iterable[str], table: Aliases) -> list[str]:
    """The recorded names (as stored, to filter by `field__in`) that are `unit`."""
    target = canonical(unit, table)
    return sorted({r for r in recorded if r and canonical(r, table) == target})
