"""法律专业人员 page: legal specialists per department with counts per kind of qualification, the people
behind them, and the Excel export (those who see 执法人员占比)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import paging
from fazhi.core.permissions import has_role, role_required
from fazhi.exams import selectors
from fazhi.exams.downloads import xlsx_response
from fazhi.exams.models import QualificationKind
from fazhi.exams.services import certificates, specialists

DASHBOARD = selectors.DASHBOARD_ROLES
PAGE_SIZE = 100  # people per page; the Excel export has every row


@role_required(*DASHBOARD)
def specialists_page(request: HttpRequest) -> HttpResponse:
    on, error = certificates.statistics_date(request.GET.get("on"))
    if error:
        error += "；下面显示的是今天的名单。"
    department = request.GET.get("department", "").strip()
    found = specialists.specialists(on=on, department=department)
    page, querystring = paging.page_of(request, found.people, PAGE_SIZE)
    return render(
        request,
        "exams/specialists.html",
        {
            "found": found,
            "page": page,
            "querystring": querystring,
            "kinds": QualificationKind.labels,
            # Those of the date (by the registry's history) and today's; one no longer staffed marked.
            "departments": selectors.department_choices(on, then=found.departments_then, selected=department),
            "error": error,
            "can_edit": has_role(request.user, *selectors.ADMIN_ROLES),
            "export_query": urlencode({"department": department, "on": on.isoformat()}),
        },
        status=400 if error else 200,
    )


@role_required(*DASHBOARD)
def specialists_export(request: HttpRequest) -> HttpResponse:
    on, error = certificates.statistics_date(request.GET.get("on"))
    if error:
        return render(
            request,
            "exams/error.html",
            {"message": error, "back": "certificates", "title": "无法导出法律专业人员名单"},
            status=400,
        )
    found = specialists.specialists(on=on, department=request.GET.get("department", ""))
    return xlsx_response(specialists.export_xlsx(found), specialists.export_filename(found))
