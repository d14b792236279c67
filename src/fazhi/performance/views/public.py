"""Public pages: the list of published disclosures, a unit's year, and its downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.downloads import download
from fazhi.performance import access, documents, excel, selectors
from fazhi.performance.views.common import (
    DOCX,
    XLSX,
)


def index(request: HttpRequest) -> HttpResponse:
    """预算绩效公开: the list of published unit-years."""
    pubs = list(selectors.published_disclosures())
    return render(
        request,
        "performance/index.html",
        {
            "publications": pubs,
            "can_manage": access.can_view_internal(request.user),
            "disclosure_days": selectors.get_config().disclosure_days,  # the window in force, not always 20
        },
    )


def _disclosure_or_404(unit_code: str, year: int) -> selectors.Disclosure:
    d = selectors.disclosure(unit_code=unit_code, year=year)
    if d is None:
        raise Http404("没有已公开的绩效信息")
    return d


def disclosure(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    d = _disclosure_or_404(unit_code, year)
    chart = {
        "projects": [i.project.name for i in d.projects if i.evaluation],
        "scores": [float(i.evaluation.total_score) for i in d.projects if i.evaluation],
        "execution": [float(i.evaluation.execution_rate) for i in d.projects if i.evaluation],
    }
    # Each table shows the 分值 it was scored with; the rules in force only for one never scored.
    weight = d.config.weight_execution
    return render(
        request, "performance/disclosure.html", {"d": d, "chart": chart, "weight_execution": weight}
    )


def disclosure_xlsx(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    d = _disclosure_or_404(unit_code, year)
    return download(excel.export_disclosure(d), f"{d.unit.name}{year}年度绩效目标表及自评表.xlsx", XLSX)


def disclosure_docx(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    d = _disclosure_or_404(unit_code, year)
    return download(documents.build_disclosure_docx(d), f"{d.unit.name}{year}年度预算绩效信息公开.docx", DOCX)
