"""数据看板与年度报告 read queries: who may read, parameter parsing, unit choices, masking of lists."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fazhi.core import roles
from fazhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.permissions import has_role
from fazhi.reports import figures as figs
from fazhi.reports import units

READ_ROLES = (roles.LEADER, roles.SYSADMIN, roles.SUPERVISOR)
# Roles that see staff names and numbers in the lists behind figures; 监督方 sees them masked or omitted.
PERSONAL_ROLES = (roles.LEADER, roles.SYSADMIN)


def require_reader(user: Any) -> None:
    if not has_role(user, *READ_ROLES):
        raise PermissionDenied("只有分管领导、系统管理员和监督方可以查看数据看板与年度报告。")


def sees_personal_data(user: Any) -> bool:
    return has_role(user, *PERSONAL_ROLES)


def parse_context(*, year: Any = None, unit: Any = "") -> figs.Context:
    """The year (default: this year) and unit from query parameters; bad values → ValidationFailed."""
    today = timezone.localdate()
    if year in (None, ""):
        value = today.year
    else:
        try:
            value = int(str(year).strip())
        except ValueError:
            raise ValidationFailed(f"年度“{year}”无效，应为四位数字，如 2025。") from None
        if not 2000 <= value <= today.year + 1:
            raise ValidationFailed(f"年度“{year}”超出范围（2000–{today.year}）。")
        if value > today.year:
            # A year still to come has no records: its report would be all zeros under a title claiming it.
            raise ValidationFailed(
                f"{value}年尚未开始，没有可统计的记录，不能生成看板或年度报告；请选择{today.year}年或以前的年度。"
            )
    unit = str(unit or "").strip()
    check_length(unit, "单位名称", 200)
    unit = units.canonical(unit, units.aliases())
    if unit == units.normalise(figs.org_name()):
        unit = ""
    if unit and unit not in unit_choices():
        # A name no record carries would give a report titled for it with every figure 0 (or, where units
        # are matched inside department names, figures of other units).
        shown = unit if len(unit) <= 30 else unit[:30] + "…"
        raise ValidationFailed(f"单位“{shown}”不在本平台记录的单位中，请从单位列表中选择。")
    return figs.Context(year=value, unit=unit or figs.org_name(), today=today)


FORMER = (
    "（原科室）"  # a department named only in the staff registry's history: nobody is registered in it now
)


def _unit_names() -> tuple[set[str], set[str]]:
    """The units and departments the figures' records name now, and those named only in the staff
    registry's dated history (a department everyone has been transferred out of: past months count people in
    it), both as the unit filter compares them, without the bureau."""
    sources = [
        ("fazhi.review.models", "Draft", "unit"),
        ("fazhi.exams.models", "StaffProfile", "department"),
        ("fazhi.publicity.models", "ResponsibilityList", "department"),
        ("fazhi.publicity.models", "Activity", "department"),
        ("fazhi.bidding.models", "Project", "purchaser"),
        ("fazhi.performance.models", "BudgetUnit", "name"),
    ]
    history = [("fazhi.exams.models", "StaffPostChange", "department")]
    table = units.aliases()
    org = units.normalise(figs.org_name())
    found: list[set[str]] = []
    for group in (sources, history):
        names: set[str] = set()
        for module, model, field in group:
            try:
                cls = getattr(__import__(module, fromlist=[model]), model)
                names.update(v for v in cls.objects.order_by().values_list(field, flat=True).distinct() if v)
            except figs.MISSING:
                continue
        found.append({units.canonical(name, table) for name in names} - {"", org})
    current, past = found
    return current, past - current


def unit_choices() -> list[str]:
    """The bureau, then every unit or department named in the records the figures read (the staff
    registry's history included), as the unit filter compares them (fazhi.reports.units: normalised, a
    recorded name an alias maps to a unit shown as that unit)."""
    current, past = _unit_names()
    return [figs.org_name(), *sorted(current | past)]


def unit_options() -> list[tuple[str, str]]:
    """unit_choices as (value, label) for the unit filter: a department named only in the staff registry's
    history (nobody registered in it now) is marked （原科室）."""
    current, past = _unit_names()
    org = figs.org_name()
    return [(org, org), *((n, n if n in current else f"{n}{FORMER}") for n in sorted(current | past))]


def year_choices(shown: int | None = None) -> list[int]:
    """This year and the five before it, plus the year `shown` (one typed into the address) when older:
    the year select must show the year whose figures are on the page."""
    this = timezone.localdate().year
    years = list(range(this, this - 6, -1))
    if shown is not None and shown not in years:
        years = sorted([*years, shown], reverse=True)
    return years


def mask_name(value: str) -> str:
    value = str(value or "")
    if len(value) <= 1:
        return "*" if value else ""
    return value[0] + "*" * (len(value) - 1)


def visible_columns(figure: figs.Figure, user: Any) -> list[figs.Column]:
    """Columns the user may see: 监督方 loses identifying numbers (personal="id") entirely."""
    if sees_personal_data(user):
        return list(figure.columns)
    return [c for c in figure.columns if c.personal != "id"]


def visible_rows(figure: figs.Figure, user: Any) -> list[dict[str, Any]]:
    """The records behind a figure as the user may see them (names masked for 监督方)."""
    columns = visible_columns(figure, user)
    full = sees_personal_data(user)
    out = []
    for row in figure.rows():
        shown: dict[str, Any] = {}
        for c in columns:
            value = row.get(c.key, "")
            shown[c.key] = mask_name(value) if (c.personal == "name" and not full) else value
        shown["_url"] = row.get("_url", "")
        out.append(shown)
    return out


def figure_for(user: Any, ctx: figs.Context, key: str) -> figs.Figure:
    require_reader(user)
    found = figs.find(ctx, key)
    if found is None:
        raise NotFound(f"指标“{key}”不存在或该部分数据暂不可用。")
    return found


def collect_for(user: Any, ctx: figs.Context, *, compare: bool = False) -> figs.Collected:
    require_reader(user)
    return figs.collect(ctx, compare=compare)
