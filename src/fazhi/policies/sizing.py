"""企业划型: 大型/中型/小型/微型 from the 工信部联企业〔2011〕300号 table kept in data/sme_sizes.yaml.

Contract: `classify(industry=key, employees=…, revenue=…, assets=…)` returns a SizeResult (the size,
or "" when an indicator the industry needs is missing, and the steps in plain Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_DATA = Path(__file__).parent / "data"

LARGE, MEDIUM, SMALL, MICRO = "大型", "中型", "小型", "微型"
SIZES = [LARGE, MEDIUM, SMALL, MICRO]
INDICATOR_NAMES = {"employees": "从业人员", "revenue": "营业收入", "assets": "资产总额"}
INDICATOR_UNITS = {"employees": "人", "revenue": "万元", "assets": "万元"}


@dataclass
class Industry:
    key: str
    name: str
    section: str
    sections: list[str]
    sme_below: dict[str, int]
    medium: dict[str, int]
    small: dict[str, int]


@dataclass
class SizeResult:
    size: str
    industry: Industry | None
    steps: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
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
        )
        for row in raw["industries"]
    }
    return {"source": raw["source"], "industries": industries}


def industries() -> dict[str, Industry]:
    return table()["industries"]


def source() -> str:
    return str(table()["source"])


@lru_cache(maxsize=1)
def sections() -> dict[str, str]:
    """GB/T 4754 门类 letter → name."""
    return {str(k): str(v) for k, v in yaml.safe_load((_DATA / "sections.yaml").read_text("utf-8")).items()}


def _fmt(value: Decimal | int) -> str:
    d = Decimal(value)
    return f"{d.normalize():f}" if d != d.to_integral() else str(int(d))


def _bounds(bounds: dict[str, int]) -> str:
    return "、".join(f"{INDICATOR_NAMES[k]} {v}{INDICATOR_UNITS[k]}" for k, v in bounds.items())


def classify(
    *,
    industry: str,
    employees: int | None = None,
    revenue: Decimal | float | int | None = None,
    assets: Decimal | float | int | None = None,
) -> SizeResult:
    """Size of an enterprise by the 300号 table; steps explain each comparison."""
    ind = industries().get(industry)
    if ind is None:
        return SizeResult(size="", industry=None, steps=[f"未知的划型行业“{industry}”。"])
    values: dict[str, Decimal | None] = {
        "employees": Decimal(employees) if employees is not None else None,
        "revenue": Decimal(str(revenue)) if revenue is not None else None,
        "assets": Decimal(str(assets)) if assets is not None else None,
    }
    needed = set(ind.sme_below) | set(ind.medium) | set(ind.small)
    missing = [
        INDICATOR_NAMES[k] for k in ("employees", "revenue", "assets") if k in needed and values[k] is None
    ]
    steps = [
        f"行业：{ind.name}（依据{source()}），使用指标：{'、'.join(INDICATOR_NAMES[k] for k in sorted(needed))}。"
    ]
    if missing:
        steps.append(f"缺少{'、'.join(missing)}，无法划型。")
        return SizeResult(size="", industry=ind, steps=steps, missing=missing)
    shown = "，".join(
        f"{INDICATOR_NAMES[k]} {_fmt(v)}{INDICATOR_UNITS[k]}"
        for k, v in values.items()
        if k in needed and v is not None
    )
    steps.append(f"企业数据：{shown}。")

    def at_least(bounds: dict[str, int]) -> bool:
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
