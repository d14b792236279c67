"""Figure providers: one module per app, each turning that app's records into dashboard figures.

Contract: a provider is `figures(ctx: Context) -> list[Figure]`. It reads the other app's models and
selectors (never writes), and each Figure names where its number came from and can list the records
behind it. `collect(ctx)` runs every provider; a provider whose app lacks a model or field it needs is
skipped with a log line (its section then says the data is unavailable) instead of breaking the page.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import FieldError
from django.utils import timezone

log = logging.getLogger(__name__)

# Errors that mean "the other app does not (yet) have what this provider reads".
MISSING = (ImportError, LookupError, AttributeError, FieldError)


def org_name() -> str:
    """The bureau as a whole: choosing it (or no unit) means no unit filter."""
    return str(settings.FAZHI_ORG_NAME)


@dataclass(frozen=True)
class Context:
    year: int
    unit: str = ""
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def unit_filter(self) -> str:
        """The unit to filter by, or "" for the whole bureau."""
        unit = self.unit.strip()
        return "" if unit in ("", org_name()) else unit

    @property
    def year_end(self) -> dt.date:
        """The last day of the year, or today while the year is still running."""
        return min(dt.date(self.year, 12, 31), self.today)

    def query(self) -> str:
        return urlencode({"year": self.year, "unit": self.unit})


@dataclass(frozen=True)
class Column:
    """A column of a drill-down list. `personal`: "name" is masked and "id" omitted for 监督方."""

    key: str
    label: str
    personal: str = ""  # "" | "name" | "id"


Rows = list[dict[str, Any]]


@dataclass
class Figure:
    key: str  # "review.coverage_rate"
    label: str  # "应审尽审率"
    value: int | float | None  # None: no basis (e.g. a rate over nothing)
    unit: str  # "件", "%", "人", "人次"
    source_description: str  # "合法性审查台账（送审文稿），按公布日期"
    section: str  # the app's section title, e.g. "合法性审查"
    basis_count: int = 0  # how many records the figure rests on (the 〔共N件〕 of its reference)
    columns: list[Column] = field(default_factory=list)
    records: Callable[[], Rows] | None = None  # lazy: only drill-down pages and tests call it
    chart: str = ""  # figures sharing a chart title are drawn together
    chart_kind: str = "bar"  # bar | line | pie
    note: str = ""  # e.g. "不分单位"
    drilldown_url: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return "无数据"
        if isinstance(self.value, float):
            return f"{self.value:g}{self.unit}"
        return f"{self.value}{self.unit}"

    def rows(self) -> Rows:
        return list(self.records()) if self.records else []


@dataclass(frozen=True)
class Provider:
    name: str  # module name under fazhi.reports.figures
    title: str  # section title


# In the order of the issue (and of the annual report's 二、主要工作与成效).
PROVIDERS = [
    Provider("policies", "惠企政策"),
    Provider("laws", "法规库"),
    Provider("publicity", "以案释法与普法"),
    Provider("exams", "学法考试与执法资格"),
    Provider("review", "合法性审查"),
    Provider("bidding", "远程异地评标"),
    Provider("performance", "预算绩效"),
]


@dataclass
class Collected:
    ctx: Context
    figures: list[Figure]
    unavailable: list[str]  # section titles whose provider could not run

    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}

    def sections(self) -> list[tuple[str, list[Figure]]]:
        out = []
        for p in PROVIDERS:
            members = [f for f in self.figures if f.section == p.title]
            if members:
                out.append((p.title, members))
        return out


def run_provider(provider: Provider, ctx: Context) -> list[Figure] | None:
    """The provider's figures with drill-down links, or None when its app lacks what it reads."""
    try:
        module = importlib.import_module(f"fazhi.reports.figures.{provider.name}")
        found: list[Figure] = module.figures(ctx)
    except MISSING as exc:
        log.warning("reports: provider %s unavailable: %s", provider.name, exc)
        return None
    for fig in found:
        fig.section = fig.section or provider.title
        fig.drilldown_url = f"/reports/records/{fig.key}/?{ctx.query()}"
    return found


def collect(ctx: Context, *, only: Iterable[str] | None = None) -> Collected:
    wanted = set(only) if only is not None else None
    figures: list[Figure] = []
    unavailable: list[str] = []
    for provider in PROVIDERS:
        if wanted is not None and provider.name not in wanted:
            continue
        found = run_provider(provider, ctx)
        if found is None:
            unavailable.append(provider.title)
        else:
            figures.extend(found)
    return Collected(ctx, figures, unavailable)


def find(ctx: Context, key: str) -> Figure | None:
    """One figure by key (runs only the provider it belongs to)."""
    provider = key.split(".", 1)[0]
    if provider not in {p.name for p in PROVIDERS}:
        return None
    return collect(ctx, only=[provider]).by_key().get(key)


# --- helpers for providers ------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole in percent with one decimal; None when there is nothing to divide by."""
    return round(part * 100 / whole, 1) if whole else None


def figure(
    key: str,
    label: str,
    value: int | float | None,
    unit: str,
    basis: int,
    how: str,
    *,
    section: str,
    columns: list[Column],
    records: Callable[[], Rows],
    **kw: Any,
) -> Figure:
    """A Figure by position: `basis` is how many records it rests on, `how` where its number comes from."""
    return Figure(
        key=key,
        label=label,
        value=value,
        unit=unit,
        source_description=how,
        section=section,
        basis_count=basis,
        columns=columns,
        records=records,
        **kw,
    )


def listing(
    key: str,
    label: str,
    value: int | float | None,
    unit: str,
    items: list[Any],
    how: str,
    *,
    rows: Callable[[list[Any]], Rows],
    **kw: Any,
) -> Figure:
    """A figure resting on `items` (its basis); its drill-down lists them through `rows(items)`."""
    return figure(key, label, value, unit, len(items), how, records=partial(rows, items), **kw)


def counted(key: str, label: str, items: list[Any], unit: str, how: str, **kw: Any) -> Figure:
    """A listing whose value is how many items there are."""
    return listing(key, label, len(items), unit, items, how, **kw)


def iso(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def person(user: Any) -> str:
    if user is None:
        return ""
    return str(getattr(user, "display_name", "") or getattr(user, "username", ""))
