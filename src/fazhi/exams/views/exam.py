"""Candidate pages: exam detail, the answer sheet (htmx save on change, plain form fallback), result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html

from fazhi.core.errors import DomainError
from fazhi.exams import selectors
from fazhi.exams.models import Attempt, Exam
from fazhi.exams.services import attempts as service
from fazhi.exams.services import prerequisites


@login_required
def exam_detail(request: HttpRequest, exam_id: int) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=exam_id, is_published=True)
    attempt = Attempt.objects.filter(exam=exam, user_id=request.user.pk or 0).first()
    now = timezone.now()
    eligible = service.is_eligible(request.user, exam)
    return render(
        request,
        "exams/exam_detail.html",
        {
            "exam": exam,
            "attempt": attempt,
            "eligible": eligible,
            "not_yet_open": now < exam.opens_at,
            "closed": now >= exam.closes_at,
            # The exam to pass first, named instead of the start button.
            "blocked": prerequisites.unmet_prerequisite(user=request.user, exam=exam)
            if eligible and attempt is None
            else "",
        },
    )


@login_required
def exam_start(request: HttpRequest, exam_id: int) -> HttpResponse:
    if request.method != "POST":  # e.g. the address reopened from the history: back to the exam page
        return redirect("exams:exam", exam_id=exam_id)
    try:
        attempt, _ = service.start_attempt(user=request.user, exam_id=exam_id)
    except DomainError as exc:
        # A draft stays unseen: its title and description are not shown to would-be candidates.
        exam = get_object_or_404(Exam, pk=exam_id, is_published=True)
        return render(request, "exams/exam_detail.html", {"exam": exam, "error": exc.message, "eligible": False},
                      status=exc.status)  # fmt: skip
    return redirect("exams:attempt", attempt_id=attempt.pk)


def _letters(request: HttpRequest, qid: int) -> list[str]:
    return request.POST.getlist(f"q{qid}")


def _sheet(
    request: HttpRequest,
    attempt: Attempt,
    error: str = "",
    notice: str = "",
    status: int = 200,
    blank: list[int] | None = None,
) -> HttpResponse:
    """The answer sheet (or the result); `blank` lists the questions a 交卷 without JavaScript left blank,
    to be confirmed with 仍要交卷."""
    saved = service.saved_answers(attempt)
    items = []
    for item, q, case in selectors.paper_questions(attempt):
        answer = saved.get(q.pk, [])
        items.append({"item": item, "q": q, "case": case, "answer": answer, "points": item["points"],
                      "blank": q.pk in (blank or ())})  # fmt: skip
    # While the exam is open, a handed-in paper shows only the total and the result: right/wrong and the
    # points per question would give away the key (for a single-choice question "A, right" is the key),
    # and papers overlap between candidates, who could pass them on. All of it shows once the exam closes.
    # After 提前截止 the papers already started keep their deadlines: the key waits for the last of them.
    keys_from = service.keys_shown_from(attempt.exam) if attempt.is_submitted else attempt.exam.closes_at
    reveal = attempt.is_submitted and keys_from <= timezone.now()
    rows = []
    if reveal:
        graded = {a.question_id: a for a in attempt.answers.all()}
        for it in items:
            row = graded.get(it["q"].pk)
            rows.append(
                {**it, "is_correct": row.is_correct if row else False, "score": row.score if row else 0}
            )
    return render(
        request,
        "exams/attempt.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "items": rows or items,
            "remaining": service.remaining_seconds(attempt),
            "reveal": reveal,
            "keys_from": keys_from,
            "error": error,
            "notice": notice,
            # (number on the paper, question id) of each blank question
            "blank": [(n, it["q"].pk) for n, it in enumerate(items, 1) if it["blank"]],
        },
        status=status,
    )


def _own(request: HttpRequest, attempt_id: int) -> Attempt | HttpResponse:
    try:
        return service.read_attempt(user=request.user, attempt_id=attempt_id)
    except DomainError as exc:
        return render(request, "exams/error.html", {"message": exc.message}, status=exc.status)


@login_required
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own(request, attempt_id)
    if isinstance(attempt, HttpResponse):
        return attempt
    return _sheet(request, attempt)


@login_required
def attempt_save(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """No-JS fallback: save every changed answer from the whole form, then optionally submit.

    交卷 with questions left blank and without confirm_blank=1 (the page's script adds it once the candidate
    has agreed) hands nothing in: the sheet comes back, answers saved, naming the blank questions and
    offering 仍要交卷. The API submits directly; this question is the answer sheet's only."""
    if request.method != "POST":
        return redirect("exams:attempt", attempt_id=attempt_id)
    attempt = _own(request, attempt_id)
    if isinstance(attempt, HttpResponse):
        return attempt
    saved = service.saved_answers(attempt)
    if attempt.is_submitted:
        # 交卷 sent again (a double click, a resent request) with the answers handed in: just the result.
        # A paper handed in at its deadline keeps the refusal, which tells why nothing more was saved.
        same = all(
            sorted(_letters(request, qid)) == sorted(saved.get(qid, [])) for qid in attempt.question_ids()
        )
        if same and request.POST.get("action") == "submit" and not attempt.auto_submitted:
            return redirect("exams:attempt", attempt_id=attempt.pk)
        return _sheet(request, attempt, error="试卷已交，不能再修改答案。", status=409)
    try:
        for qid in attempt.question_ids():
            letters = sorted(_letters(request, qid))
            if letters != sorted(saved.get(qid, [])) and (letters or qid in saved):
                service.save_answer(user=request.user, attempt_id=attempt.pk, question_id=qid, answer=letters)
        if request.POST.get("action") == "submit":
            blank = [qid for qid in attempt.question_ids() if not _letters(request, qid)]
            if blank and request.POST.get("confirm_blank") != "1":
                return _sheet(request, attempt, blank=blank)
            service.submit_attempt(user=request.user, attempt_id=attempt.pk)
            return redirect("exams:attempt", attempt_id=attempt.pk)
    except DomainError as exc:
        attempt.refresh_from_db()
        return _sheet(request, attempt, error=exc.message, status=exc.status)
    # Back to the sheet's own address, so that reloading it does not send the form again.
    messages.success(request, f"答案已保存（{timezone.localtime():%H:%M:%S}）。")
    return redirect("exams:attempt", attempt_id=attempt.pk)


@login_required
def attempt_answer(request: HttpRequest, attempt_id: int, question_id: int) -> HttpResponse:
    """htmx: save one question's answer on change; returns a short status fragment."""
    if request.method != "POST":
        return redirect("exams:attempt", attempt_id=attempt_id)
    try:
        saved = service.save_answer(
            user=request.user,
            attempt_id=attempt_id,
            question_id=question_id,
            answer=_letters(request, question_id),
        )
    except DomainError as exc:
        # htmx swaps only 2xx responses, so the refusal comes back as a visible 200 fragment.
        return HttpResponse(format_html('<span class="error" role="alert">{}</span>', exc.message))
    return HttpResponse(
        format_html('<span class="muted">已保存 {}</span>', f"{timezone.localtime(saved.saved_at):%H:%M:%S}")
    )
