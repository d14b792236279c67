"""后台任务 pages: the list of the user's own jobs and one job's progress (polled by htmx until it ends)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import jobs, paging

JOBS_PAGE_SIZE = 30


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page, querystring = paging.page_of(request, jobs.visible_to(request.user), JOBS_PAGE_SIZE)
    return render(
        request,
        "core/jobs.html",
        {"items": [jobs.describe(j) for j in page.object_list], "page": page, "querystring": querystring},
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One job; another user's job is answered as missing (its existence is not disclosed)."""
    job = jobs.find(request.user, pk)
    if job is None:
        raise Http404("任务不存在。")
    view = jobs.describe(job)
    if request.headers.get("HX-Request"):
        # `polled`: the update carries the live regions' new words for job-status.js to copy if they changed.
        return render(request, "core/_job_status.html", {"v": view, "polled": True})
    return render(request, "core/job.html", {"v": view})
