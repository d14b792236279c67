"""法律竞赛 pages: rounds, answering (shuffled), result and leaderboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from fazhi.core.errors import DomainError
from fazhi.exams import selectors
from fazhi.exams.models import Audience, CompetitionEntry, CompetitionRound, Question
from fazhi.exams.services import competitions as service


def competition_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exams/competitions.html", {"rounds": selectors.open_rounds()})


def round_page(request: HttpRequest, round_id: int, error: str = "", status: int = 200) -> HttpResponse:
    r = get_object_or_404(
        CompetitionRound.objects.select_related("competition"), pk=round_id, competition__is_published=True
    )
    visible = r.competition.audience == Audience.PUBLIC or service.can_enter(request.user, r)
    mine = []
    if request.user.is_authenticated:
        mine = list(CompetitionEntry.objects.filter(round=r, user=request.user, finished_at__isnull=False))
    return render(
        request,
        "exams/round.html",
        {
            "round": r,
            "board": [
                (rank, e, selectors.public_name(e.user)) for rank, e in service.ranked(service.leaderboard(r))
            ]
            if visible
            else [],
            "visible": visible,
            "mine": mine,
            "error": error,
        },
        status=status,
    )


@login_required
def round_start(request: HttpRequest, round_id: int) -> HttpResponse:
    if request.method != "POST":  # e.g. the address reopened from the history: back to the round
        return redirect("exams:round", round_id=round_id)
    try:
        entry = service.start_entry(user=request.user, round_id=round_id)
    except DomainError as exc:
        return round_page(request, round_id, error=exc.message, status=exc.status)
    return redirect("exams:entry", entry_id=entry.pk)


@login_required
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(
        CompetitionEntry.objects.select_related("round__competition"), pk=entry_id, user=request.user
    )
    error = ""
    status = 200
    answers: dict[int, list[str]] = {}
    if request.method == "POST" and entry.finished_at is None:
        answers = {q: request.POST.getlist(f"q{q}") for q in entry.question_ids}
        try:
            entry = service.finish_entry(user=request.user, entry_id=entry.pk, answers=answers)
        except DomainError as exc:
            error, status = exc.message, exc.status
    found = Question.objects.in_bulk(entry.question_ids)
    # A refused submission shows the form again with the answers the entrant had ticked.
    questions = [(found[q], answers.get(q, [])) for q in entry.question_ids if q in found]
    return render(
        request, "exams/entry.html", {"entry": entry, "questions": questions, "error": error}, status=status
    )
