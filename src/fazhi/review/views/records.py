"""合法性审查 pages recording what happened around a draft: procedure steps, 有效期评估, 公平竞争审查, and
loading a published document into the 法规库 again."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from fazhi.review import fair_competition, library, services, validity
from fazhi.review.models import Draft
from fazhi.review.views.common import _back, _keep, _run, draft_page


@require_POST
@draft_page
def draft_procedure(request: HttpRequest, draft: Draft) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, "请按 年-月-日 填写日期。")
        _keep(request, draft, "procedures")
        return _back(draft, "procedures")
    step, summary = request.POST.get("step", ""), request.POST.get("summary", "")
    return _run(
        request,
        draft,
        services.add_procedure,
        "程序记录已登记。",
        "procedures",
        step=step,
        date=day,
        summary=summary,
    )


def _posted_dates(
    request: HttpRequest, draft: Draft, form: str, fields: tuple[tuple[str, str, bool], ...]
) -> dict[str, dt.date | None] | HttpResponse:
    """The form's dates (name, label, required; an empty optional one is None), or the way back to the
    draft page with the first unreadable one named and what was typed kept."""
    dates: dict[str, dt.date | None] = {}
    for name, label, required in fields:
        raw = request.POST.get(name, "").strip()
        try:
            dates[name] = dt.date.fromisoformat(raw) if raw or required else None
        except ValueError:
            messages.error(request, f"请按 年-月-日 填写{label}。")
            _keep(request, draft, form)
            return _back(draft, form)
    return dates


@require_POST
@draft_page
def draft_validity(request: HttpRequest, draft: Draft) -> HttpResponse:
    dates = _posted_dates(
        request,
        draft,
        "validity",
        (("evaluated_on", "评估日期", True), ("valid_until", "新的有效期至", False)),
    )
    if isinstance(dates, HttpResponse):
        return dates
    return _run(
        request,
        draft,
        validity.evaluate,
        "有效期评估已登记。",
        "validity",
        outcome=request.POST.get("outcome", ""),
        summary=request.POST.get("summary", ""),
        **dates,
    )


@require_POST
@draft_page
def draft_fair_competition(request: HttpRequest, draft: Draft) -> HttpResponse:
    dates = _posted_dates(
        request, draft, "fair", (("reviewed_on", "审查日期", True), ("ends_on", "实施期限", False))
    )
    if isinstance(dates, HttpResponse):
        return dates
    texts = {
        k: request.POST.get(k, "")
        for k in ("conclusion", "summary", "exception_ground", "necessity", "alternatives", "end_condition")
    }
    return _run(request, draft, fair_competition.record, "公平竞争审查结论已登记。", "fair", **texts, **dates)


@require_POST
@draft_page
def draft_library(request: HttpRequest, draft: Draft) -> HttpResponse:
    return _run(request, draft, library.retry, "已重新载入法规库。")
