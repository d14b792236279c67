"""数据看板与年度报告 pages: the leader dashboard, its Excel export, the annual report and drill-down lists."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.downloads import download
from fazhi.core.errors import DomainError
from fazhi.core.permissions import role_required
from fazhi.reports import annual, excel, selectors
from fazhi.reports import figures as figs

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _context(request: HttpRequest) -> figs.Context:
    return selectors.parse_context(year=request.GET.get("year"), unit=request.GET.get("unit", ""))


def _error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(
        request,
        "reports/index.html",
        {"error": exc.message, "years": selectors.year_choices(), "units": selectors.unit_options()},
        status=exc.status,
    )


def chart_blocks(figures: list[figs.Figure]) -> tuple[list[dict[str, Any]], list[figs.Figure]]:
    """Charts of a section (each with the figures drawn in it) and the figures outside any chart."""
    charts: dict[str, dict[str, Any]] = {}
    loose = []
    for fig in figures:
        if not fig.chart:
            loose.append(fig)
            continue
        block = charts.setdefault(
            fig.chart, {"title": fig.chart, "kind": fig.chart_kind, "figures": [], "id": f"chart-{fig.key}"}
        )
        block["figures"].append(fig)
    return list(charts.values()), loose


@role_required(*selectors.READ_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    try:
        ctx = _context(request)
    except DomainError as exc:
        return _error(request, exc)
    collected = figs.collect(ctx, compare=True)
    sections = []
    chart_data = []
    for title, members in collected.sections():
        charts, loose = chart_blocks(members)
        sections.append({"title": title, "charts": charts, "loose": loose})
        for c in charts:
            chart_data.append(
                {
                    "id": c["id"],
                    "title": c["title"],
                    "kind": c["kind"],
                    # A pie's slices and a series' points by what tells them apart ("优", "1月末"), as in the
                    # annual report: the whole label is cut to "绩效自评…" on a phone. The table keeps it.
                    "labels": (
                        annual.short_labels([f.label for f in c["figures"]])
                        if c["kind"] in annual.GROUPED
                        else [f.label for f in c["figures"]]
                    ),
                    "values": [f.value for f in c["figures"]],
                }
            )
    context = {
        "ctx": ctx,
        "sections": sections,
        "unavailable": collected.unavailable,
        "chart_data": chart_data,
        "years": selectors.year_choices(ctx.year),
        "units": selectors.unit_options(),
        "query": ctx.query(),
        "personal": selectors.sees_personal_data(request.user),
    }
    return render(request, "reports/index.html", context)


@role_required(*selectors.READ_ROLES)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        ctx = _context(request)
    except DomainError as exc:
        return _error(request, exc)
    data = excel.figures_xlsx(figs.collect(ctx, compare=True))
    return download(data, f"{ctx.unit}{ctx.year}年法治建设数据.xlsx", excel.XLSX)


@role_required(*selectors.READ_ROLES)
def annual_docx(request: HttpRequest) -> HttpResponse:
    try:
        ctx = _context(request)
    except DomainError as exc:
        return _error(request, exc)
    data = annual.build(figs.collect(ctx, compare=True))
    return download(data, annual.filename(ctx), DOCX)


@role_required(*selectors.READ_ROLES)
def records(request: HttpRequest, key: str) -> HttpResponse:
    try:
        ctx = _context(request)
        figure = selectors.figure_for(request.user, ctx, key)
    except DomainError as exc:
        return _error(request, exc)
    if request.GET.get("format") == "xlsx":
        return download(excel.records_xlsx(figure, request.user), f"{figure.label}.xlsx", excel.XLSX)
    columns = selectors.visible_columns(figure, request.user)
    rows = selectors.visible_rows(figure, request.user)
    context = {
        "ctx": ctx,
        "figure": figure,
        "columns": columns,
        "table": [
            {"url": row.get("_url", ""), "cells": [row.get(c.key, "") for c in columns]} for row in rows
        ],
        "query": ctx.query(),
        "personal": selectors.sees_personal_data(request.user),
        "masked": any(c.personal for c in figure.columns) and not selectors.sees_personal_data(request.user),
    }
    return render(request, "reports/records.html", context)
