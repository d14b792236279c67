"""合法性审查 pages about drafts: drafters register and upload, reviewers write opinions, leaders sign off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core import paging, roles
from fazhi.core.errors import DomainError, NotFound, PermissionDenied
from fazhi.core.permissions import has_role, role_required
from fazhi.review import diff, fair_competition, opinions, selectors, services, validity, workflow
from fazhi.review.models import (
    DocType,
    Draft,
    ExceptionGround,
    FairConclusion,
    PrecheckFinding,
    ProcedureStep,
    State,
    ValidityOutcome,
)
from fazhi.review.serialize import opinion_response

WORKFLOW = selectors.WORKFLOW_ROLES
MINE_PAGE_SIZE = 50  # the drafter's own drafts listed per page on the review home page


def _draft_or_error(request: HttpRequest, draft_id: int) -> Draft:
    try:
        return selectors.get_draft_for(request.user, draft_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return render(request, "core/forbidden.html", {"roles": WORKFLOW, "message": exc.message}, status=403)


def draft_page(view: Callable) -> Callable:
    """Pages about one draft: the draft must be visible to the user (403 page otherwise)."""

    @wraps(view)
    def wrapped(request: HttpRequest, draft_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            draft = _draft_or_error(request, draft_id)
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        return view(request, draft, *args, **kwargs)

    return role_required(*WORKFLOW)(wrapped)


def _back(draft: Draft, anchor: str = "") -> HttpResponse:
    return redirect(draft.get_absolute_url() + (f"#{anchor}" if anchor else ""))


KEPT = "review-kept-form"  # session key: what a refused form on the draft page held, shown again once


def _keep(request: HttpRequest, draft: Draft, form: str) -> None:
    """Remember the refused form's text fields so that the draft page fills them in again (the page is
    reached by a redirect, so the typed finding, conclusion or comment would otherwise be lost)."""
    fields = {
        k: v[:20000] for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and isinstance(v, str)
    }
    request.session[KEPT] = {"draft": draft.pk, "form": form, "fields": fields}


def _kept(request: HttpRequest, draft: Draft) -> dict[str, Any]:
    kept = request.session.pop(KEPT, None)
    if not kept or kept.get("draft") != draft.pk:
        return {}
    return {"form": kept.get("form", ""), **kept.get("fields", {})}


def _run(
    request: HttpRequest, draft: Draft, service: Callable[..., Any], ok: str, anchor: str = "", **kwargs: Any
) -> HttpResponse:
    """Call one service as the user on the draft; show its Chinese error (never a 500) and go back to it,
    with what was typed filled in again when it was refused."""
    try:
        service(user=request.user, draft_id=draft.pk, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        _keep(request, draft, request.POST.get("form") or anchor)
    else:
        messages.success(request, ok)
    return _back(draft, anchor)


@role_required(*WORKFLOW)
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    visible = selectors.visible_drafts(user)
    context: dict[str, Any] = {
        "is_drafter": has_role(user, roles.DRAFTER),
        "is_reviewer": has_role(user, roles.REVIEWER),
        "is_leader": has_role(user, roles.LEADER),
        "can_ledger": has_role(user, *selectors.LEDGER_ROLES),
    }
    if context["is_drafter"]:
        # Every draft the user wrote, 50 a page (the other lists are pending work and stay short).
        context["mine_page"], context["querystring"] = paging.page_of(
            request, visible.filter(drafter=user), MINE_PAGE_SIZE
        )
        context["mine"] = context["mine_page"].object_list
    if context["is_reviewer"]:
        context["queue"] = visible.filter(state__in=selectors.PENDING_STATES).order_by("review_deadline")[
            :100
        ]
    if context["is_leader"]:
        context["sign_off"] = visible.filter(state=State.IN_REVIEW).order_by("review_deadline")[:100]
    context["recent"] = visible[:50]
    for key in ("mine", "queue", "sign_off", "recent"):
        if key in context:
            context[key] = [(d, selectors.is_overdue(d)) for d in context[key]]
    applies = {"all": "全部", "major": "标记为重大的", "ordinary": "未标记重大的"}
    context["rules"] = [
        (
            State(r.source).label,
            workflow.ACTION_LABELS[r.action],
            State(r.target).label,
            "、".join(r.roles),
            applies[r.applies],
        )
        for r in workflow.TABLE
    ]
    return render(request, "review/index.html", context)


@role_required(roles.DRAFTER)
def draft_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else {}
    error = ""
    if request.method == "POST":
        due: dt.date | None = None
        try:
            due = dt.date.fromisoformat(data["due_date"]) if data.get("due_date") else None
        except ValueError:
            error = "要求完成日期格式不正确，应为 年-月-日。"
        if not error:
            try:
                draft = services.create_draft(
                    user=request.user,
                    title=data.get("title", ""),
                    doc_type=data.get("doc_type", ""),
                    unit=data.get("unit", ""),
                    is_normative=bool(data.get("is_normative")),
                    is_major=bool(data.get("is_major")),
                    due_date=due,
                    affects_market=bool(data.get("affects_market")),
                )
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, "文稿已登记，请上传文稿文件。")
                return _back(draft)
    return render(
        request,
        "review/draft_form.html",
        {
            "data": data,
            "error": error,
            "doc_types": DocType.choices,
            "default_unit": getattr(request.user, "department", ""),
        },
        status=400 if error else 200,
    )


@draft_page
def draft_detail(request: HttpRequest, draft: Draft) -> HttpResponse:
    user = request.user
    latest = selectors.latest_version(draft)
    actions = []
    for action in workflow.ACTIONS:
        rule = workflow.find(action, draft.state, is_major=draft.is_major)
        if rule and services._acts_as(user, draft, set(rule.roles)):
            actions.append((action, workflow.ACTION_LABELS[action]))
    can_write_opinion = draft.state == State.IN_REVIEW and has_role(user, *opinions.OPINION_ROLES)
    is_owner_drafter = has_role(user, roles.DRAFTER) and selectors.is_owner(user, draft)
    context = {
        "draft": draft,
        "latest": latest,
        "versions": draft.versions.order_by("-number"),
        "findings": latest.precheck_findings.all() if latest else [],
        "open_opinion": selectors.open_opinion(draft),
        "issued": draft.opinions.filter(issued_at__isnull=False)
        .select_related("version")
        .order_by("-issued_at"),
        "earlier": selectors.earlier_findings(draft, latest) if latest else [],
        "history": draft.transitions.select_related("actor").order_by("at", "pk"),
        "procedures": draft.procedures.order_by("date"),
        "missing": services.missing_procedures(draft),
        "order_problems": services.procedure_order_problems(draft),
        "evaluations": draft.evaluations.select_related("recorded_by").order_by("evaluated_on", "pk"),
        "outcomes": ValidityOutcome.choices,
        "can_evaluate": validity.can_evaluate(user, draft),
        "fair_reviews": list(draft.fair_reviews.select_related("recorded_by").order_by("reviewed_on", "pk")),
        "fair_problem": selectors.fair_competition_problem(draft),
        "fair_conclusions": FairConclusion.choices,
        "exception_grounds": ExceptionGround.choices,
        "can_record_fair": fair_competition.can_record(user, draft),
        "today": selectors.today(),  # the default date of the evaluation and review forms
        "steps": ProcedureStep.choices,
        "actions": actions,
        "can_upload": is_owner_drafter and draft.state in services.EDITABLE_STATES,
        "can_record": is_owner_drafter and draft.needs_procedure,
        "can_write_opinion": can_write_opinion,
        "overdue": selectors.is_overdue(draft),
        "days_in_review": selectors.days_in_review(draft),
        "paragraphs": list(enumerate(latest.paragraphs(), start=1)) if latest else [],
        "kept": _kept(request, draft),
    }
    return render(request, "review/draft_detail.html", context)


@require_POST
@draft_page
def draft_transition(request: HttpRequest, draft: Draft) -> HttpResponse:
    action = request.POST.get("action", "")
    label = workflow.ACTION_LABELS.get(action, action)
    comment = request.POST.get("comment", "")
    return _run(request, draft, services.transition, f"已{label}。", action=action, comment=comment)


@require_POST
@draft_page
def draft_upload(request: HttpRequest, draft: Draft) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文稿文件。")
        return _back(draft, "upload")
    data = upload.read(20 * 1024 * 1024 + 1)
    note = request.POST.get("note", "")
    ok = "新版本已上传，自动预审已完成。"
    return _run(
        request, draft, services.upload_version, ok, "versions", name=upload.name or "", data=data, note=note
    )


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
        for k in ("conclusion", "summary", "exception_ground", "necessity", "alternatives")
    }
    return _run(request, draft, fair_competition.record, "公平竞争审查结论已登记。", "fair", **texts, **dates)


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
        _keep(request, draft, "finding")
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
        return render(
            request,
            "review/_precheck_row.html",
            {"f": finding, "draft": draft, "can_write_opinion": True, "row_error": error},
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


@draft_page
def version_text(request: HttpRequest, draft: Draft, number: int) -> HttpResponse:
    version = draft.versions.filter(number=number).first()
    if version is None:
        raise Http404("该版本不存在。")
    paragraphs = list(enumerate(version.paragraphs(), start=1))
    return render(
        request, "review/version.html", {"draft": draft, "version": version, "paragraphs": paragraphs}
    )


@draft_page
def version_diff(request: HttpRequest, draft: Draft, number: int) -> HttpResponse:
    new = draft.versions.filter(number=number).first()
    old = draft.versions.filter(number=number - 1).first()
    if new is None or old is None:
        raise Http404("没有可对比的前一版本。")
    rows = diff.side_by_side(old.paragraphs(), new.paragraphs())
    context = {
        "draft": draft,
        "old": old,
        "new": new,
        "rows": rows,
        "summary": diff.summary(rows),
        "earlier": selectors.earlier_findings(draft, new),
    }
    return render(request, "review/diff.html", context)


@draft_page
def opinion_docx(request: HttpRequest, draft: Draft) -> HttpResponse:
    try:
        return opinion_response(draft)
    except NotFound as exc:
        raise Http404(exc.message) from exc
