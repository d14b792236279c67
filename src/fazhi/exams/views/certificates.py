"""执法证 pages: the certified-share dashboard with the lists behind each number, and my certificates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.errors import DomainError
from fazhi.core.permissions import role_required
from fazhi.exams.models import Attempt, EnforcementCertificate, TrainingRecord
from fazhi.exams.services import certificates as service

DASHBOARD = (roles.EXAM_ADMIN, roles.LEADER, roles.SUPERVISOR, roles.SYSADMIN)


# The dashboard looks back 12 months and ahead 60 days from the date; these bounds keep that arithmetic
# inside the calendar and cover every date the bureau's records can hold.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: str | None) -> tuple[dt.date, str]:
    """The statistics date from the query string (full-width digits allowed), or today and a message."""
    if not value:
        return timezone.localdate(), ""
    text = unicodedata.normalize("NFKC", value).strip()
    shown = text if len(text) <= 20 else text[:20] + "…"
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        on = dt.date.fromisoformat(text)
    except ValueError:
        return timezone.localdate(), f"“{shown}”不是有效的日期，请按 年-月-日 填写，例如 2026-06-30"
    if not EARLIEST <= on <= LATEST:
        return timezone.localdate(), f"统计日期应在 {EARLIEST:%Y-%m-%d} 至 {LATEST:%Y-%m-%d} 之间"
    return on, ""


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
    department = request.GET.get("department", "")
    try:
        staff = service.people_behind(kind=kind, department=department, on=on)
    except DomainError as exc:
        return render(
            request,
            "exams/error.html",
            {"message": exc.message, "back": "certificates", "title": "无法显示名单"},
            status=exc.status,
        )
    certs = {}
    for c in EnforcementCertificate.objects.filter(holder__in=[s.user_id for s in staff]).order_by(
        "issued_on"
    ):
        certs[c.holder_id] = c
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
            "department": department,
            "on": on,
        },
    )


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
            "profile": getattr(user, "staff_profile", None),
        },
    )
