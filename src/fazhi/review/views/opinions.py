"""合法性审查 pages of the reviewer's opinion: findings, the conclusion and the pre-check decisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fazhi.core.errors import DomainError
from fazhi.core.permissions import has_role
from fazhi.review import opinions, services
from fazhi.review.models import Draft, PrecheckFinding, State
from fazhi.review.views.common import _back, _keep, _run, draft_page


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_POST
@draft_page
def finding_add(request: HttpRequest, draft: Draft) -> HttpResponse:
    paragraph = _int(request.POST.get("paragraph"))
    if paragraph is None:
        messages.error(request, "请填写段落号（数字）。")
        _keep(request, draft, "finding", "请填写段落号（数字）。")
        return _back(draft, "opinion")
    text, article_ref = request.POST.get("text", ""), request.POST.get("article_ref", "")
    return _run(
        request,
        draft,
        opinions.add_finding,
        "审查意见已添加。",
        "opinion",
        paragraph=paragraph,
        text=text,
        article_ref=article_ref,
    )


@require_POST
@draft_page
def finding_remove(request: HttpRequest, draft: Draft, finding_id: int) -> HttpResponse:
    return _run(request, draft, opinions.remove_finding, "审查意见已删除。", "opinion", finding_id=finding_id)


@require_POST
@draft_page
def conclusion(request: HttpRequest, draft: Draft) -> HttpResponse:
    text = request.POST.get("text", "")
    return _run(request, draft, opinions.set_conclusion_text, "结论意见已保存。", "opinion", text=text)


@require_POST
@draft_page
def precheck_decide(request: HttpRequest, draft: Draft, finding_id: int) -> HttpResponse:
    """Accept or dismiss a pre-check finding; with htmx only the finding's row is replaced."""
    decision = request.POST.get("decision")
    error = ""
    try:
        if decision == "accept":
            opinions.accept_precheck(user=request.user, draft_id=draft.pk, finding_id=finding_id)
        elif decision != "dismiss":
            error = "请选择“采纳为审查意见”或“排除”。"  # a tampered form never dismisses by default
        else:
            opinions.dismiss_precheck(
                user=request.user,
                draft_id=draft.pk,
                finding_id=finding_id,
                reason=request.POST.get("reason", ""),
            )
    except DomainError as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        finding = PrecheckFinding.objects.filter(pk=finding_id, version__draft=draft).first()
        if finding is None:
            raise Http404("预审发现不存在。")
        # The buttons come back only for someone who may still decide (as on the draft page).
        can_decide = draft.state == State.IN_REVIEW and has_role(request.user, *opinions.OPINION_ROLES)
        return render(
            request,
            "review/_precheck_row.html",
            {
                "f": finding,
                "draft": draft,
                "can_write_opinion": can_decide,
                "row_error": error,
                "swapped": True,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "已采纳为审查意见。" if decision == "accept" else "已排除该预审发现。")
    return _back(draft, "precheck")


@require_POST
@draft_page
def finding_resolve(request: HttpRequest, draft: Draft, finding_id: int) -> HttpResponse:
    resolution, note = request.POST.get("resolution", ""), request.POST.get("note", "")
    return _run(
        request,
        draft,
        opinions.resolve_finding,
        "采纳情况已记录。",
        "earlier",
        finding_id=finding_id,
        resolution=resolution,
        note=note,
    )


@require_POST
@draft_page
def precheck_rerun(request: HttpRequest, draft: Draft) -> HttpResponse:
    return _run(request, draft, services.rerun_precheck, "已重新预审。", "precheck")
