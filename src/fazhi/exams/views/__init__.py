"""学法考试 pages: exams (candidates), practice, competitions, administration, certificates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.permissions import has_role
from fazhi.exams import selectors
from fazhi.exams.models import Attempt


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    exams = list(selectors.open_exams_for(user)) if user.is_authenticated else []
    mine = {a.exam_id: a for a in Attempt.objects.filter(user=user)} if user.is_authenticated else {}
    rounds = selectors.open_rounds()
    return render(
        request,
        "exams/index.html",
        {
            "exams": [(e, mine.get(e.pk)) for e in exams],
            "rounds": rounds,
            "is_admin": has_role(user, *selectors.ADMIN_ROLES),
            "can_dashboard": has_role(user, *selectors.DASHBOARD_ROLES),
            "history": Attempt.objects.filter(user=user).select_related("exam")[:20]
            if user.is_authenticated
            else [],
        },
    )
