"""数据看板与年度报告 API (/api/v1/reports/): the figures for a year and unit, and the records behind one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from fazhi.core.permissions import api_auth_checked, api_user
from fazhi.reports import figures as figs
from fazhi.reports import selectors

router = Router(tags=["数据看板与年度报告"])
# Readers only, refused before the query is read.
reader_auth = api_auth_checked(selectors.require_reader)


class FigureOut(Schema):
    key: str
    section: str
    label: str
    value: float | int | None
    unit: str
    display: str
    source_description: str
    basis_count: int
    note: str
    chart: str
    drilldown_url: str
    is_work: bool  # False: context only (e.g. the bulk import of laws), not the year's own work
    # With ?compare=1: the same figure a year earlier and the change ("上年 3件，增加 2件"); else null / "".
    previous_value: float | int | None
    previous_display: str
    comparison: str


class FiguresOut(Schema):
    year: int
    unit: str
    figures: list[FigureOut]
    unavailable: list[str]


class ColumnOut(Schema):
    key: str
    label: str


class RecordsOut(Schema):
    figure: FigureOut
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]


def _figure(fig: figs.Figure) -> dict[str, Any]:
    return {
        "key": fig.key,
        "section": fig.section,
        "label": fig.label,
        "value": fig.value,
        "unit": fig.unit,
        "display": fig.display,
        "source_description": fig.source_description,
        "basis_count": fig.basis_count,
        "note": fig.note,
        "chart": fig.chart,
        "drilldown_url": fig.drilldown_url,
        "is_work": fig.is_work,
        "previous_value": fig.previous.value if fig.previous else None,
        "previous_display": fig.previous.display if fig.previous else "",
        "comparison": fig.comparison,
    }


@router.get("/figures", auth=reader_auth, response=FiguresOut, summary="某年度、某单位的全部指标")
def figures(request: HttpRequest, year: str = "", unit: str = "", compare: bool = False) -> dict[str, Any]:
    """`compare=1` also computes the previous year (the dashboard's 与上年比较), at about twice the cost."""
    user = api_user(request)
    ctx = selectors.parse_context(year=year, unit=unit)
    collected = selectors.collect_for(user, ctx, compare=compare)
    return {
        "year": ctx.year,
        "unit": ctx.unit,
        "figures": [_figure(f) for f in collected.figures],
        "unavailable": collected.unavailable,
    }


@router.get("/figures/{key}/records", auth=reader_auth, response=RecordsOut, summary="某项指标依据的记录")
def records(request: HttpRequest, key: str, year: str = "", unit: str = "") -> dict[str, Any]:
    user = api_user(request)
    ctx = selectors.parse_context(year=year, unit=unit)
    fig = selectors.figure_for(user, ctx, key)
    columns = selectors.visible_columns(fig, user)
    return {
        "figure": _figure(fig),
        "columns": [{"key": c.key, "label": c.label} for c in columns],
        "rows": selectors.visible_rows(fig, user),
    }
