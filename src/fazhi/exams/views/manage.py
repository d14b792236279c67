"""考试管理 pages (考试管理员): results, item analysis, Excel export, question import."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from fazhi.core import paging
from fazhi.core.errors import DomainError
from fazhi.core.permissions import role_required
from fazhi.exams import selectors
from fazhi.exams.downloads import xlsx_response
from fazhi.exams.models import Attempt, Exam, Question
from fazhi.exams.services import bank, exam_setup, question_job, stats

ADMIN = selectors.ADMIN_ROLES
PAGE_SIZE = 50  # candidates (and analysed questions) per page; the Excel export has every row


@role_required(*ADMIN)
def manage_index(request: HttpRequest) -> HttpResponse:
    exams = Exam.objects.annotate(named=Count("eligible_users")).order_by("-opens_at", "-pk")
    page, querystring = paging.page_of(request, exams, PAGE_SIZE)
    found = stats.summaries(list(page.object_list))
    # An exam closed early (提前截止) still has the papers already started running to their own deadlines.
    answering = dict(
        Attempt.objects.filter(
            exam__in=list(page.object_list), submitted_at__isnull=True, deadline__gt=timezone.now()
        )
        .values_list("exam")
        .annotate(n=Count("pk"))
    )
    rows = []
    for e in page.object_list:
        status = exam_setup.status(e)
        label = (
            f"{status}（{answering[e.pk]} 人仍在作答）"
            if status == "已截止" and answering.get(e.pk)
            else status
        )
        rows.append((e, found[e.pk], status, label))
    return render(
        request,
        "exams/manage.html",
        {
            "exams": rows,
            "page": page,
            "querystring": querystring,
            "bank_size": Question.objects.filter(parent__isnull=True, is_active=True).count(),
        },
    )


@role_required(*ADMIN)
def manage_exam(request: HttpRequest, exam_id: int) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=exam_id)
    # The two lists page independently (?page= for the candidates, ?qpage= for the questions); a page
    # number past the end shows the last page.
    # Each candidate's department on the day of the sitting (today's added when moved since), in one query.
    results = stats.with_departments(exam.attempts.select_related("user", "user__staff_profile")).order_by(
        "-score", "user__username", "pk"
    )
    attempts = Paginator(results, PAGE_SIZE).get_page(paging.page_number(request.GET.get("page")))
    questions = Paginator(stats.question_stats(exam), PAGE_SIZE).get_page(
        paging.page_number(request.GET.get("qpage"))
    )
    return render(
        request,
        "exams/manage_exam.html",
        {
            "exam": exam,
            "summary": stats.summary(exam),
            "attempts": attempts,
            "departments": [(a, stats.department_of_attempt(a)) for a in attempts.object_list],
            "department_header": stats.DEPARTMENT_HEADER,
            "department_note": stats.DEPARTMENT_NOTE,
            "questions": questions,
            "discrimination_method": stats.discrimination_method(),
        },
    )


@role_required(*ADMIN)
def manage_export(request: HttpRequest, exam_id: int) -> HttpResponse:
    exam = get_object_or_404(Exam, pk=exam_id)
    return xlsx_response(stats.export_xlsx(exam), f"exam-{exam.pk}-results.xlsx")


@role_required(*ADMIN)
def manage_import(request: HttpRequest) -> HttpResponse:
    """Save the file and start the import (or the check) as a 后台任务; its page shows the progress."""
    ctx: dict = {"max_rows": bank.MAX_ROWS, "max_mb": question_job.MAX_BYTES // (1024 * 1024)}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            ctx["error"], status = "请选择要导入的 JSON 或 Excel 文件。", 400
        elif (upload.size or 0) > question_job.MAX_BYTES:
            ctx["error"], status = (
                f"文件超过 {question_job.MAX_BYTES // (1024 * 1024)} MB，请拆分后上传。",
                400,
            )
        else:
            try:
                job = question_job.start(
                    actor=request.user, upload=upload, dry_run=request.POST.get("dry_run") == "1"
                )
            except DomainError as exc:
                ctx["error"], status = exc.message, exc.status
            else:
                return redirect("core:job", job.pk)
    return render(request, "exams/manage_import.html", ctx, status=status)
