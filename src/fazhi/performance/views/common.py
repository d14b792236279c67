"""Helpers shared by the performance pages: the access decorator, downloads and error handling."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from fazhi.core.errors import DomainError, PermissionDenied
from fazhi.performance import access, services
from fazhi.performance.models import BudgetUnit, Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_UPLOAD = 5 * 1024 * 1024


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "performance/forbidden.html", {"message": message}, status=403)


def internal(view: Callable) -> Callable:
    """Bureau, supervisors and unit members only; anonymous users go to the login page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.can_view_internal(request.user):
            return forbidden(request, "预算绩效管理仅对财政局、预算单位填报人员和监督方开放。")
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, exc.message)

    return wrapped


def int_or_none(value: str | None) -> int | None:
    """A whole number typed or sent as text ('12', full-width '２０２６'), else None.

    `str.isdigit()` is also true for '²' and other digit-like signs that int() refuses, so only decimal
    digits are accepted; more than 18 digits is no id or year (and would overflow the database integer).
    """
    text = (value or "").strip()
    if not text.isdecimal() or len(text) > 18:
        return None
    return int(text)


def visible_unit(request: HttpRequest, pk: int) -> BudgetUnit:
    unit = get_object_or_404(BudgetUnit, pk=pk)
    access.require_view_unit(request.user, unit.pk)
    return unit


def visible_project(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("unit"), pk=pk)
    access.require_view_unit(request.user, project.unit_id)
    return project


def back_to_project(request: HttpRequest, project: Project) -> HttpResponse:
    return redirect("performance:project", pk=project.pk)


def run_service(request: HttpRequest, project: Project, action: Callable[[], Any], done: str) -> HttpResponse:
    """Call a service; PermissionDenied becomes a 403 page, other domain errors a message."""
    try:
        action()
    except PermissionDenied:
        raise
    except services.TableInvalid as exc:
        for e in exc.errors:
            messages.error(request, e)
        return back_to_project(request, project)
    except DomainError as exc:
        messages.error(request, exc.message)
        return back_to_project(request, project)
    messages.success(request, done)
    return back_to_project(request, project)


_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_date(value: str) -> dt.date | None:
    """'2027-01-01', full-width '２０２７－０１－０１', '2027/1/1' → a date; anything else (or an impossible
    date such as 2026-02-30) → None."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    match = _DATE.match(text) if text.isascii() else None
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
