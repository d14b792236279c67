"""合法性审查 pages about drafts: the lists, registering and uploading, the draft page, its actions and versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fazhi.core import paging, roles
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.permissions import has_role, role_required
from fazhi.review import diff, fair_competition, files, opinions, selectors, services, validity, workflow
from fazhi.review.models import (
    DocType,
    Draft,
    ExceptionGround,
    FairConclusion,
    ProcedureStep,
    State,
    ValidityOutcome,
)
from fazhi.review.serialize import opinion_response
from fazhi.review.views.common import WORKFLOW, _back, _keep, _kept, _run, draft_page

MINE_PAGE_SIZE = 50  # the drafter's own drafts listed per page on the review home page


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
    error = error_field = ""
    if request.method == "POST":
        due: dt.date | None = None
        try:
            due = dt.date.fromisoformat(data["due_date"]) if data.get("due_date") else None
        except ValueError:
            error, error_field = "要求完成日期格式不正确，应为 年-月-日。", "due_date"
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
                error, error_field = exc.message, getattr(exc, "field", "")
            else:
                messages.success(request, "文稿已登记，请上传文稿文件。")
                return _back(draft)
    return render(
        request,
        "review/draft_form.html",
        {
            "data": data,
            "error": error,
            "error_field": error_field,
            "doc_types": DocType.choices,
            "default_unit": getattr(request.user, "department", ""),
        },
        status=400 if error else 200,
    )


# What the browser asks before an action that cannot be undone (static/js/confirm.js).
CONFIRM = {
    "approve": "确定作出“审查通过”结论？结论作出后不能撤回。",
    "reject": "确定作出“不予通过”结论？结论作出后不能撤回。",
    "publish": "确定发布？将登记公布日期并计算备案期限，规范性文件同时载入法规库。发布后不能撤回。",
    "file": "确定登记已报送备案？登记后不能撤回。",
    "expire": "确定宣布该文件失效？失效后不能恢复，法规库中的文本同时标为“已失效”。",
}


@draft_page
def draft_detail(request: HttpRequest, draft: Draft) -> HttpResponse:
    user = request.user
    latest = selectors.latest_version(draft)
    actions = []
    for action in workflow.ACTIONS:
        if action == "file" and not draft.needs_procedure:
            continue  # 备案 is for normative documents only (the service refuses it for the rest)
        rule = workflow.find(action, draft.state, is_major=draft.is_major)
        if (
            rule
            and services._acts_as(user, draft, set(rule.roles))
            and not services.reviews_own(user, draft, action)
        ):
            actions.append((action, workflow.ACTION_LABELS[action], CONFIRM.get(action, "")))
    can_write_opinion = draft.state == State.IN_REVIEW and has_role(user, *opinions.OPINION_ROLES)
    is_owner_drafter = has_role(user, roles.DRAFTER) and selectors.is_owner(user, draft)
    can_correct_number = services.can_correct(user, draft)
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
        "library_version": draft.law_version if draft.law_version_id else None,
        "numbering_required": any(action[0] == "publish" for action in actions)
        and draft.needs_procedure
        and selectors.doc_type_rule(draft.doc_type).numbering_required,
        "show_library_error": bool(draft.library_error) and has_role(user, *opinions.OPINION_ROLES),
        "can_correct_number": can_correct_number,
        "number_required": can_correct_number
        and draft.needs_procedure
        and selectors.doc_type_rule(draft.doc_type).numbering_required,
    }
    return render(request, "review/draft_detail.html", context)


@require_POST
@draft_page
def draft_transition(request: HttpRequest, draft: Draft) -> HttpResponse:
    action = request.POST.get("action", "")
    label = workflow.ACTION_LABELS.get(action, action)
    comment = request.POST.get("comment", "")
    # 发文字号 and 签发人: fields of the publish form only (the service refuses them with any other action).
    numbers: dict[str, Any] = {key: request.POST.get(key, "") for key in ("doc_number", "signed_by")}
    # 备案日期: a field of the 备案 form only (default today; the service refuses it with any other action).
    filed_on = request.POST.get("filed_on", "").strip()
    if filed_on:
        try:
            numbers["filed_on"] = dt.date.fromisoformat(filed_on)
        except ValueError:
            messages.error(request, "请按 年-月-日 填写备案日期。")
            _keep(request, draft, "transition")
            return _back(draft, "")
    if action == "expire" and not comment.strip():
        # On the page a 失效 states its ground (the API keeps the comment optional, its documented contract).
        messages.error(
            request, "宣布失效须写明理由（如上位政策调整、有效期评估结论），该理由记入法规库的效力依据。"
        )
        _keep(request, draft, "transition")
        return _back(draft, "")
    return _run(
        request, draft, services.transition, f"已{label}。", action=action, comment=comment, **numbers
    )


@require_POST
@draft_page
def draft_correct_number(request: HttpRequest, draft: Draft) -> HttpResponse:
    """更正发文字号/签发人: a refusal shows why and fills in what was typed again."""
    fields = {key: request.POST.get(key, "") for key in ("doc_number", "signed_by", "reason")}
    return _run(
        request, draft, services.correct_publication, "发文字号/签发人已更正。", "correct-number", **fields
    )


@require_POST
@draft_page
def draft_upload(request: HttpRequest, draft: Draft) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文稿文件。")
        return _back(draft, "upload")
    data = upload.read(files.MAX_BYTES + 1)
    note = request.POST.get("note", "")
    ok = "新版本已上传，自动预审已完成。"
    return _run(
        request,
        draft,
        services.upload_version,
        ok,
        "versions",
        name=upload.name or "",
        data=data,
        note=note,
        size=upload.size,
    )


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
