"""Figure providers: one module per app, each turning that app's records into dashboard figures.

Contract: a provider is `figures(ctx: Context) -> list[Figure]`. It reads the other app's models and
selectors (never writes), and each Figure names where its number came from and can list the records
behind it. `collect(ctx)` runs every provider; a provider whose app lacks a model or field it needs is
skipped with a log line (its section then says the data is unavailable) instead of breaking the page.
`collect(ctx, compare=True)` also runs them for the previous year and attaches each comparable figure's
previous value (`Figure.previous`, `Figure.comparison`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import FieldError
from django.utils import timezone

from fazhi.core.dates import cn_date
from fazhi.reports import units

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
    # Run only for the previous-year values of a comparison: providers may skip work behind figures that
    # are not comparable (today's policy matches, the monthly series), which nobody reads from this run.
    comparing: bool = False

    @property
    def unit_filter(self) -> str:
        """The unit to filter by, or "" for the whole bureau."""
        unit = units.normalise(self.unit)
        return "" if unit in ("", units.normalise(org_name())) else unit

    @property
    def year_end(self) -> dt.date:
        """The report's cut-off: the last day of the year, or today while the year is still running."""
        return min(dt.date(self.year, 12, 31), self.today)

    @cached_property
    def unit_aliases(self) -> units.Aliases:
        """The 单位名称对照 table, read once per report."""
        return units.aliases()

    def previous(self) -> Context:
        """The same unit a year earlier (its cut-off is that year's last day)."""
        return Context(year=self.year - 1, unit=self.unit, today=self.today, comparing=True)

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
    empty: str = ""  # shown instead of "无数据" when value is None, e.g. "—（不适用，没有已到期限的）"
    # False: a current state or a ranking rather than the year's own work (no previous-year value).
    comparable: bool = True
    is_work: bool = True  # False: context only (a bulk import), printed apart from the year's work
    previous: Figure | None = None  # the same figure a year earlier (collect(..., compare=True))

    @property
    def display(self) -> str:
        if self.value is None:
            return self.empty or "无数据"
        return self.amount(self.value)

    def amount(self, value: int | float) -> str:
        if isinstance(value, float):
            return f"{value:g}{self.unit}"
        return f"{value}{self.unit}"

    @property
    def comparison(self) -> str:
        """The change since the previous year, "上年 3件，增加 2件" (percentage points for rates); "" when
        not compared, or zero (or without a value) in both years."""
        prev = self.previous
        if prev is None or (prev.value is None and self.value is None):
            return ""
        if prev.value is None:
            return "上年不适用" if prev.empty else "上年无数据"
        if self.value is None:
            return f"上年 {prev.display}"
        if prev.value == self.value == 0:
            return ""
        diff = round(self.value - prev.value, 1)
        if not diff:
            return f"上年 {prev.display}，持平"
        if self.unit == "%":
            change = f"{'上升' if diff > 0 else '下降'} {abs(diff):g} 个百分点"
        else:
            change = f"{'增加' if diff > 0 else '减少'} {self.amount(abs(diff))}"
        return f"上年 {prev.display}，{change}"

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


def collect(ctx: Context, *, only: Iterable[str] | None = None, compare: bool = False) -> Collected:
    """Every provider's figures; with `compare`, each comparable one carries its previous-year figure."""
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
    if compare:
        earlier = collect(ctx.previous(), only=only).by_key()
        for fig in figures:
            if fig.comparable:
                fig.previous = earlier.get(fig.key)
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


def unit_names(ctx: Context, model: Any, field_name: str) -> list[str]:
    """The values of `model.field_name` that name the chosen unit (see fazhi.reports.units), to filter
    by `…__in`; [] when the unit has no record there. Only call it when `ctx.unit_filter` is set."""
    recorded = model.objects.order_by().values_list(field_name, flat=True).distinct()
    return units.matching(ctx.unit_filter, recorded, ctx.unit_aliases)


@dataclass(frozen=True)
class Timeliness:
    """Items with a deadline, as of a cut-off: `due` (the rate's basis), of them `on_time`, and `pending`."""

    due: list[Any]
    on_time: list[Any]
    pending: list[Any]
    cutoff: dt.date

    @property
    def rate(self) -> float | None:
        return rate(len(self.on_time), len(self.due))


def timeliness(
    items: Iterable[Any],
    *,
    deadline: Callable[[Any], dt.date | None],
    done: Callable[[Any], dt.date | None],
    cutoff: dt.date,
) -> Timeliness:
    """Split items by their deadline as things stood on the cut-off (the report's `Context.year_end`).

    An item is due once its deadline has passed by the cut-off, or once it was done by then; it is on time
    when done no later than its deadline. One neither due nor done is pending: not late, not in the rate.
    An item without a recorded deadline is due and cannot be shown to be on time."""
    due, on_time, pending = [], [], []
    for item in items:
        until, when = deadline(item), done(item)
        done_by_cutoff = when is not None and when <= cutoff
        if until is not None and until >= cutoff and not done_by_cutoff:
            pending.append(item)
            continue
        due.append(item)
        if done_by_cutoff and until is not None and when is not None and when <= until:
            on_time.append(item)
    return Timeliness(due, on_time, pending, cutoff)


NOT_APPLICABLE = "—（不适用，没有已到期限的）"


def on_time_rate(
    key: str,
    label: str,
    split: Timeliness,
    how: str,
    *,
    pending: str,
    rows: Callable[[list[Any]], Rows],
    **kw: Any,
) -> Figure:
    """A 按期率 resting on the items due by the cut-off; those not yet due are named in the note
    (`pending` is the phrase after the count, e.g. "件未到备案期限"). Nothing due: no rate (不适用)."""
    note = (
        f"另有 {len(split.pending)} {pending}（截至{cn_date(split.cutoff)}），不计入" if split.pending else ""
    )
    return listing(
        key, label, split.rate, "%", split.due, how, rows=rows, note=note, empty=NOT_APPLICABLE, **kw
    )


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
