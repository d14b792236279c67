"""执法证 pages: the certified-share dashboard with the lists behind each number, the 应考尽考 list, and
my certificates."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import paging
from fazhi.core.errors import DomainError
from fazhi.core.permissions import role_required
from fazhi.exams import selectors
from fazhi.exams.downloads import xlsx_response
from fazhi.exams.models import Attempt, EnforcementCertificate, Qualification, TrainingRecord
from fazhi.exams.services import certificates as service
from fazhi.exams.services import gaps

DASHBOARD = selectors.DASHBOARD_ROLES


def _date(value: str | None) -> tuple[dt.date, str]:
    """The statistics date from the query string, or today and a message (services.certificates)."""
    return service.statistics_date(value)


@role_required(*DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    on, error = _date(request.GET.get("on"))
    if error:
        error += "；下面显示的是今天的数据。"
    rows, total = service.certified_share(on)
    series = service.certified_share_series(12, today=on)
    chart = {
        "departments": [r.department for r in rows],
        "shares": [round((r.share or 0) * 100, 1) for r in rows],
        "months": [p["label"] for p in series],
        "series": [round(p["share"] * 100, 1) if p["share"] is not None else None for p in series],
    }
    expiring = EnforcementCertificate.objects.filter(
        status="valid", expires_on__lte=on + dt.timedelta(days=service.REMIND_DAYS), expires_on__gte=on
    ).select_related("holder")
    return render(
        request,
        "exams/certificates.html",
        {
            "rows": rows,
            "total": total,
            "series": series,
            "chart": chart,
            "on": on,
            "expiring": expiring,
            "error": error,
        },
        status=400 if error else 200,
    )


@role_required(*DASHBOARD)
def people(request: HttpRequest) -> HttpResponse:
    on, error = _date(request.GET.get("on"))
    if error:
        return render(
            request,
            "exams/error.html",
            {"message": error, "back": "certificates", "title": "无法显示名单"},
            status=400,
        )
    kind = request.GET.get("kind", "enforcement")
    department = request.GET.get("department", "").strip()
    try:
        staff = service.people_behind(kind=kind, department=department, on=on)
    except DomainError as exc:
        return render(
            request,
            "exams/error.html",
            {"message": exc.message, "back": "certificates", "title": "无法显示名单"},
            status=exc.status,
        )
    # The certificate each person held on the date, with its status then (not a later one, not today's).
    certs = service.certificates_on([s.user_id for s in staff], on)
    labels = {
        "enforcement": "执法岗位人员",
        "certified": "持有效执法证人员",
        "uncertified": "未持有效执法证人员",
    }
    return render(
        request,
        "exams/people.html",
        {
            "staff": [(s, certs.get(s.user_id)) for s in staff],
            "label": labels[kind],
            "kind": kind,
            "department": department,
            # Those of the date (by the registry's history) and today's; one no longer staffed marked.
            "departments": selectors.department_choices(on, enforcement_post=True, selected=department),
            "on": on,
        },
    )


PAGE_SIZE = 100  # people per page of the 应考尽考 list; the Excel export has every row


@role_required(*DASHBOARD)
def gaps_page(request: HttpRequest) -> HttpResponse:
    """应考尽考: the staff in enforcement posts without a valid certificate and their exam records."""
    on, error = _date(request.GET.get("on"))
    if error:
        error += "；下面显示的是今天的名单。"
    department = request.GET.get("department", "").strip()
    found = gaps.certification_gaps(on=on, department=department)
    page, querystring = paging.page_of(request, found.people, PAGE_SIZE)
    return render(
        request,
        "exams/gaps.html",
        {
            "gaps": found,
            "page": page,
            "querystring": querystring,
            "rows": [(g, gaps.attempt_summary(g.last_attempt, on)) for g in page.object_list],
            # Those of the date (by the registry's history) and today's; one no longer staffed marked.
            "departments": selectors.department_choices(on, enforcement_post=True, selected=department),
            "steps": gaps.NEXT_STEPS,
            "error": error,
            "export_query": urlencode({"department": department, "on": on.isoformat()}),
        },
        status=400 if error else 200,
    )


@role_required(*DASHBOARD)
def gaps_export(request: HttpRequest) -> HttpResponse:
    on, error = _date(request.GET.get("on"))
    if error:
        return render(
            request,
            "exams/error.html",
            {"message": error, "back": "certificates", "title": "无法导出应考尽考名单"},
            status=400,
        )
    found = gaps.certification_gaps(on=on, department=request.GET.get("department", ""))
    return xlsx_response(gaps.export_xlsx(found), gaps.export_filename(found))


@login_required
def my_records(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "exams/me.html",
        {
            "certificates": EnforcementCertificate.objects.filter(holder_id=user.pk or 0).prefetch_related(
                "status_changes"
            ),
            "attempts": Attempt.objects.filter(user_id=user.pk or 0).select_related("exam"),
            "trainings": TrainingRecord.objects.filter(user_id=user.pk or 0),
            "qualifications": Qualification.objects.filter(profile__user_id=user.pk or 0).order_by(
                "obtained_on", "pk"
            ),
            "profile": getattr(user, "staff_profile", None),
        },
    )
