"""练习 page: one question at a time with instant feedback; the 错题本 as a mode."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.errors import Conflict, DomainError
from fazhi.exams.models import KnowledgePoint, MistakeBook, Question
from fazhi.exams.services import practice


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def practice_page(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    mode = params.get("mode") or "random"
    law_id, point_id = _int(params.get("law")), _int(params.get("point"))
    ctx: dict = {
        "modes": practice.MODES,
        "mode": mode if mode in practice.MODES else "random",
        "law_id": law_id,
        "point_id": point_id,
        "points": KnowledgePoint.objects.all(),
        "laws": _laws_with_questions(),
        "mistakes": MistakeBook.objects.filter(
            user_id=request.user.pk or 0, resolved_at__isnull=True
        ).count(),
    }
    status = 200
    try:
        if request.method == "POST":
            qid = _int(request.POST.get("question_id")) or 0
            ctx["feedback"] = practice.answer_question(
                user=request.user,
                question_id=qid,
                answer=request.POST.getlist("answer"),
                token=request.POST.get("token", ""),
            )
            ctx["question"] = ctx["feedback"].question
        else:
            ctx["question"] = practice.next_question(
                user=request.user,
                mode=ctx["mode"],
                law_id=law_id,
                point_id=point_id,
                exclude=_int(request.GET.get("after")),
            )
    except DomainError as exc:
        ctx["error"] = exc.message
        status = exc.status
        # Show the question again to be answered, unless it is reserved by a running exam or round.
        if request.method == "POST" and not isinstance(exc, Conflict):
            ctx["question"] = Question.objects.filter(pk=_int(request.POST.get("question_id")) or 0).first()
    # Each showing of a question gets its own token: sending that form twice counts the answer once.
    ctx["token"] = uuid.uuid4().hex
    return render(request, "exams/practice.html", ctx, status=status)


def _laws_with_questions() -> list:
    from fazhi.laws.models import Law

    # Every law some question belongs to (the list used to stop at an arbitrary 200), by title.
    return list(Law.objects.filter(questions__isnull=False).distinct().only("id", "title").order_by("title"))
