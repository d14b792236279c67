"""企业划型: 大型/中型/小型/微型 by the 工信部联企业〔2011〕300号 table.

The table ships in data/sme_sizes.yaml: `industries()` and `source()` give its 16 industries (names, GB/T
4754 sections) with the shipped thresholds. The thresholds in force are the rows of the admin-editable
SizeThreshold table (`in_force()`); a band without a row keeps its shipped value, so an empty table reads
as the YAML.

Contract: `classify(industry=key, employees=…, revenue=…, assets=…)` returns a SizeResult (the size,
or "" when an indicator the industry needs is missing, and the steps in plain Chinese), by the
thresholds in force.

The thresholds in force are read once and kept per process (core.table_cache, as the working-day
calendar: emptied when a row is saved or deleted, read afresh inside a transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from fazhi.core.table_cache import TableCache

_DATA = Path(__file__).parent / "data"

LARGE, MEDIUM, SMALL, MICRO = "大型", "中型", "小型", "微型"
SIZES = [LARGE, MEDIUM, SMALL, MICRO]
INDICATORS = ("employees", "revenue", "assets")
INDICATOR_NAMES = {"employees": "从业人员", "revenue": "营业收入", "assets": "资产总额"}
INDICATOR_UNITS = {"employees": "人", "revenue": "万元", "assets": "万元"}
# SizeThreshold.band → the Industry attribute (and YAML key) holding that band's floor.
BAND_FIELDS = {"large": "sme_below", "medium": "medium", "small": "small"}

Bounds = dict[str, Any]  # indicator → floor (int, or Decimal when not a whole number)


@dataclass(frozen=True)
class Industry:
    key: str
    name: str
    section: str
    sections: list[str]
    sme_below: Bounds
    medium: Bounds
    small: Bounds
    source: str = ""


@dataclass
class SizeResult:
    size: str
    industry: Industry | None
    steps: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The table as shipped in data/sme_sizes.yaml (no database)."""
    raw = yaml.safe_load((_DATA / "sme_sizes.yaml").read_text(encoding="utf-8"))
    industries = {
        row["key"]: Industry(
            key=row["key"],
            name=row["name"],
            section=row["section"],
            sections=list(row.get("sections") or [row["section"]]),
            sme_below=dict(row["sme_below"]),
            medium=dict(row["medium"]),
            small=dict(row["small"]),
            source=raw["source"],
        )
        for row in raw["industries"]
    }
    return {"source": raw["source"], "industries": industries}


def industries() -> dict[str, Industry]:
    """The 16 industries as shipped: names and sections, and the default thresholds."""
    return table()["industries"]


def source() -> str:
    """The source of the shipped table (300号)."""
    return str(table()["source"])


def default_rows() -> list[dict[str, Any]]:
    """The shipped thresholds as SizeThreshold field values, one per industry and band."""
    rows = []
    for key, ind in industries().items():
        for band, attr in BAND_FIELDS.items():
            bounds = getattr(ind, attr)
            rows.append(
                {"industry": key, "band": band, "source": ind.source}
                | {name: bounds.get(name) for name in INDICATORS}
            )
    return rows


def in_force() -> dict[str, Industry]:
    """The industries with the thresholds in force, cached per process (see the module docstring)."""
    return _cache.get()


def _number(value: Decimal | int) -> int | Decimal:
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else d.normalize()


def _from_database() -> dict[str, Industry]:
    """The shipped industries, each band's floor and source replaced by its SizeThreshold row if any."""
    from fazhi.policies.models import SizeThreshold

    shipped = industries()
    changes: dict[str, dict[str, Any]] = {key: {} for key in shipped}
    sources: dict[str, dict[str, str]] = {
        key: dict.fromkeys(BAND_FIELDS, ind.source) for key, ind in shipped.items()
    }
    for row in SizeThreshold.objects.filter(industry__in=list(shipped)):
        bounds = {k: _number(getattr(row, k)) for k in INDICATORS if getattr(row, k) is not None}
        # A row without any indicator cannot be a floor (the admin refuses one): the default stands.
        if not bounds:
            continue
        changes[row.industry][BAND_FIELDS[row.band]] = bounds
        sources[row.industry][row.band] = row.source
    return {
        key: replace(ind, **changes[key], source="；".join(dict.fromkeys(sources[key].values())))
        for key, ind in shipped.items()
    }


_cache: TableCache[dict[str, Industry]] = TableCache(_from_database)


def invalidate() -> None:
    """Forget the cached thresholds in this process."""
    _cache.invalidate()


def connect_signals() -> None:
    from fazhi.policies.models import SizeThreshold

    _cache.watch(SizeThreshold, "fazhi_size_thresholds")


@lru_cache(maxsize=1)
def sections() -> dict[str, str]:
    """GB/T 4754 门类 letter → name."""
    return {str(k): str(v) for k, v in yaml.safe_load((_DATA / "sections.yaml").read_text("utf-8")).items()}


def number_text(value: Decimal | int) -> str:
    """2000 → "2000", Decimal("0.50") → "0.5"."""
    d = Decimal(value)
    return f"{d.normalize():f}" if d != d.to_integral() else str(int(d))


def _bounds(bounds: Bounds) -> str:
    return "、".join(f"{INDICATOR_NAMES[k]} {number_text(v)}{INDICATOR_UNITS[k]}" for k, v in bounds.items())


def classify(
    *,
    industry: str,
    employees: int | None = None,
    revenue: Decimal | float | int | None = None,
    assets: Decimal | float | int | None = None,
    table: dict[str, Industry] | None = None,
) -> SizeResult:
    """Size of an enterprise by the thresholds in force (or by `table`, for many enterprises read once);
    the steps explain each comparison and name the source."""
    ind = (table if table is not None else in_force()).get(industry)
    if ind is None:
        return SizeResult(size="", industry=None, steps=[f"未知的划型行业“{industry}”。"])
    values: dict[str, Decimal | None] = {
        "employees": Decimal(employees) if employees is not None else None,
        "revenue": Decimal(str(revenue)) if revenue is not None else None,
        "assets": Decimal(str(assets)) if assets is not None else None,
    }
    needed = set(ind.sme_below) | set(ind.medium) | set(ind.small)
    missing = [INDICATOR_NAMES[k] for k in INDICATORS if k in needed and values[k] is None]
    steps = [
        f"行业：{ind.name}（依据{ind.source}），使用指标：{'、'.join(INDICATOR_NAMES[k] for k in sorted(needed))}。"
    ]
    if missing:
        steps.append(f"缺少{'、'.join(missing)}，无法划型。")
        return SizeResult(size="", industry=ind, steps=steps, missing=missing)
    shown = "，".join(
        f"{INDICATOR_NAMES[k]} {number_text(v)}{INDICATOR_UNITS[k]}"
        for k, v in values.items()
        if k in needed and v is not None
    )
    steps.append(f"企业数据：{shown}。")

    def at_least(bounds: Bounds) -> bool:
        return all(values[k] is not None and values[k] >= v for k, v in bounds.items())  # type: ignore[operator]

    if at_least(ind.sme_below):
        steps.append(f"各项指标均达到中小微型企业上限（{_bounds(ind.sme_below)}），为大型企业。")
        return SizeResult(size=LARGE, industry=ind, steps=steps)
    steps.append(f"有指标低于上限（{_bounds(ind.sme_below)}），属于中小微型企业。")
    if at_least(ind.medium):
        steps.append(f"同时达到中型企业下限（{_bounds(ind.medium)}），为中型企业。")
        return SizeResult(size=MEDIUM, industry=ind, steps=steps)
    steps.append(f"未同时达到中型企业下限（{_bounds(ind.medium)}）。")
    if at_least(ind.small):
        steps.append(f"同时达到小型企业下限（{_bounds(ind.small)}），为小型企业。")
        return SizeResult(size=SMALL, industry=ind, steps=steps)
    steps.append(f"有指标低于小型企业下限（{_bounds(ind.small)}），为微型企业。")
    return SizeResult(size=MICRO, industry=ind, steps=steps)
