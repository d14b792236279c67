"""Back-office pages: dashboard, unit and project pages, workflow buttons, import/export, remarks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import paging
from fazhi.core.dates import cn_date
from fazhi.core.downloads import download
from fazhi.core.errors import DomainError, PermissionDenied, ValidationFailed
from fazhi.performance import access, excel, selectors, services
from fazhi.performance.models import EDITABLE, BudgetUnit, Project, Status
from fazhi.performance.views.common import (
    MAX_UPLOAD,
    XLSX,
    int_or_none,
    internal,
    parse_date,
    run_service,
    visible_project,
    visible_unit,
)

PAGE_SIZE = 50  # projects per page on the dashboard and a unit's page; the grade counts cover them all


def _page(
    request: HttpRequest, projects: QuerySet[Project]
) -> tuple[Page, str, list[selectors.DashboardRow]]:
    """The requested page of `projects` (a page past the last one shows the last), the pager's query
    string and the page's rows."""
    page, querystring = paging.page_of(request, projects, PAGE_SIZE)
    return page, querystring, selectors.dashboard_rows(list(page.object_list))


@internal
def dashboard(request: HttpRequest) -> HttpResponse:
    year, unit_id = int_or_none(request.GET.get("year")), int_or_none(request.GET.get("unit"))
    projects = selectors.dashboard_projects(request.user, year=year, unit_id=unit_id)
    page, querystring, rows = _page(request, projects)
    grades = selectors.grade_counts(projects)
    return render(
        request,
        "performance/dashboard.html",
        {
            "rows": rows,
            "page": page,
            "querystring": querystring,
            "years": selectors.years(),
            "units": selectors.units_for(request.user),
            "year": year,
            "unit_id": unit_id,
            "grades": [(g, grades.get(g, 0)) for g in ("优", "良", "中", "差")],
            "is_bureau": access.is_bureau(request.user),
            "config": selectors.current_config_row(),
        },
    )


@internal
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_page(request, visible_unit(request, pk))


def _unit_page(request: HttpRequest, unit: BudgetUnit, form: dict[str, str] | None = None) -> HttpResponse:
    """The unit page; `form` holds what the bureau typed into a form that failed (shown again)."""
    config = selectors.get_config()  # read once for every publication's deadline
    page, querystring, rows = _page(request, selectors.dashboard_projects(request.user, unit_id=unit.pk))
    return render(
        request,
        "performance/unit.html",
        {
            "unit": unit,
            "projects": rows,
            "page": page,
            "querystring": querystring,
            "disclosures": selectors.disclosure_rows(unit, config),
            "disclosure_days": config.disclosure_days,
            "disclosure_rolls_forward": config.disclosure_rolls_forward,
            "congress_submissions": list(selectors.congress_submissions_for(request.user, unit_id=unit.pk)),
            "remarks": selectors.remarks_for(unit=unit)[:100],
            "members": unit.members.filter(is_active=True),
            "history": selectors.unit_history(unit),
            "is_bureau": access.is_bureau(request.user),
            "can_remark": access.is_bureau(request.user) or access.is_supervisor(request.user),
            "forms": _unit_forms(unit, form),
            "today_input": timezone.localdate().isoformat(),
        },
    )


def _unit_forms(unit: BudgetUnit, typed: dict[str, str] | None) -> dict[str, dict[str, str]]:
    """Initial values of the bureau forms; the one that failed shows what was typed."""
    today = timezone.localdate()
    year, last_year = str(today.year), str(today.year - 1)  # this year's final accounts are last year's
    forms = {
        "approval": {"year": year},
        # The publication date defaults to today; one entered late is changed to the day it went public.
        "publish": {"year": year, "published_on": today.isoformat()},
        "final_approval": {"year": last_year},
        "final_publish": {"year": last_year, "final_published_on": today.isoformat()},
        "congress": {"year": year},
        "project": {"year": year, "department": unit.name},
    }
    if typed and typed.get("action") in forms:
        forms[typed["action"]] = typed
    return forms


@internal
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_page(request, visible_project(request, pk))


def _project_page(
    request: HttpRequest, project: Project, key_form: dict[str, Any] | None = None
) -> HttpResponse:
    """The project page; `key_form` holds a refused 重点绩效评价 as typed (shown again in its form)."""
    target = selectors.target_of(project)
    evaluation = selectors.evaluation_of(project)
    user = request.user
    is_member = project.unit_id in access.member_unit_ids(user)
    return render(
        request,
        "performance/project.html",
        {
            "project": project,
            "target": target,
            "indicators": list(target.indicators.all()) if target else [],
            "evaluation": evaluation,
            "results": list(evaluation.results.select_related("indicator")) if evaluation else [],
            "key_evaluations": project.key_evaluations.all(),
            "remarks": selectors.remarks_for(unit=project.unit, project=project),
            "history": selectors.history(project),
            "is_member": is_member,
            "is_bureau": access.is_bureau(user),
            "can_remark": access.is_bureau(user) or access.is_supervisor(user),
            "target_editable": is_member and target is not None and target.status in EDITABLE,
            "evaluation_editable": is_member
            and target is not None
            and target.status in (Status.APPROVED, Status.PUBLISHED)
            and (evaluation is None or evaluation.status in EDITABLE),
            "SUBMITTED": Status.SUBMITTED,
            # Only for a table never scored: a scored one shows the 分值 stored with its scores.
            "weight_execution": selectors.get_config().weight_execution,
            "EDITABLE": EDITABLE,
            "key_form": key_form or {"evaluator": "区财政局"},
        },
    )


@internal
@require_POST
def transition(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    project = visible_project(request, pk)
    action = request.POST.get("action", "")
    labels = {"submit": "已提交审核。", "approve": "已审核通过。", "return": "已退回修改。"}
    return run_service(
        request,
        project,
        lambda: services.transition(
            actor=request.user,
            project=project,
            kind=kind,
            action=action,
            comment=request.POST.get("comment", ""),
        ),
        labels.get(action, "完成。"),
    )


@internal
def project_export(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    return download(excel.export_project(project), f"{project.code}-{project.name}-绩效表.xlsx", XLSX)


@internal
@require_POST
def project_import(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    access.require_unit_editor(request.user, project.unit_id)
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", "target")

    def run() -> None:
        if upload is None:
            raise ValidationFailed("请选择要导入的 Excel 文件。")
        if upload.size and upload.size > MAX_UPLOAD:
            raise ValidationFailed("文件超过 5 MB，请检查是否上传了正确的模板。")
        data = upload.read()
        if kind == "evaluation":
            excel.import_evaluation(actor=request.user, project=project, data=data)
        else:
            excel.import_target(actor=request.user, project=project, data=data)

    return run_service(request, project, run, "已从 Excel 导入。")


@internal
@require_POST
def key_evaluation_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    p = request.POST
    typed: dict[str, Any] = {k: p.get(k, "") for k in ("evaluator", "score", "findings", "recommendations")}
    typed["is_final"] = p.get("is_final") == "on"
    try:
        services.save_key_evaluation(
            actor=request.user,
            project=project,
            score=typed["score"],
            findings=typed["findings"],
            recommendations=typed["recommendations"],
            evaluator=typed["evaluator"] or "区财政局",
            is_final=typed["is_final"],
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        # Shown again with what was typed: the findings are often a long text the evaluator would lose.
        messages.error(request, exc.message)
        return _project_page(request, project, key_form=typed)
    messages.success(request, "重点绩效评价已保存。")
    return redirect("performance:project", pk=project.pk)


@internal
@require_POST
def remark_new(request: HttpRequest, pk: int) -> HttpResponse:
    unit = visible_unit(request, pk)
    raw_project = (request.POST.get("project") or "").strip()
    project_id = int_or_none(raw_project)
    if raw_project and project_id is None:
        messages.error(request, "所选项目无效，请从项目页面留言。")
        return redirect("performance:unit", pk=unit.pk)
    project = get_object_or_404(Project, pk=project_id, unit=unit) if project_id else None
    try:
        services.add_remark(actor=request.user, unit=unit, project=project, body=request.POST.get("body", ""))
        messages.success(request, "留言已记录。")
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    if project is not None:
        return redirect("performance:project", pk=project.pk)
    return redirect("performance:unit", pk=unit.pk)


@internal
@require_POST
def unit_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Bureau actions on a unit: new project; budget and final-accounts approval dates and publication; 报送人大."""
    unit = visible_unit(request, pk)
    access.require_bureau(request.user, "管理预算单位")
    p, action = request.POST, request.POST.get("action", "")
    year = int_or_none(p.get("year"))
    try:
        if year is None:
            raise ValidationFailed("请填写四位数的预算年度。")
        if action == "project":
            services.create_project(
                actor=request.user, unit=unit, year=year, code=p.get("code", ""), name=p.get("name", ""),
                department=p.get("department", ""), budget_initial=p.get("budget_initial", "0") or "0",
                budget_full_year=p.get("budget_full_year", "0") or "0", executed=p.get("executed", "0") or "0",
            )  # fmt: skip
            messages.success(request, "项目已创建。")
        elif action == "approval":
            approved = parse_date(p.get("approved_on", ""))
            if approved is None:
                raise ValidationFailed("预算批复日期格式不正确，应为 YYYY-MM-DD。")
            services.set_budget_approval(actor=request.user, unit=unit, year=year, approved_on=approved)
            messages.success(request, "预算批复日期已登记。")
        elif action == "publish":
            typed = p.get("published_on", "").strip()
            published_on = parse_date(typed)
            if typed and published_on is None:
                raise ValidationFailed("公开日期格式不正确，应为 YYYY-MM-DD（留空为今天）。")
            pub = services.publish(actor=request.user, unit=unit, year=year, published_on=published_on)
            batch = cn_date(published_on or timezone.localdate())
            messages.success(
                request, f"已公开（本批公开日期 {batch}）。{selectors.deadline_status(pub).message}"
            )
        elif action == "final_approval":
            approved = parse_date(p.get("final_approved_on", ""))
            if approved is None:
                raise ValidationFailed("决算批复日期格式不正确，应为 YYYY-MM-DD。")
            services.set_final_accounts_approval(
                actor=request.user, unit=unit, year=year, approved_on=approved
            )
            messages.success(request, "决算批复日期已登记。")
        elif action == "final_publish":
            typed = p.get("final_published_on", "").strip()
            published_on = parse_date(typed)
            if typed and published_on is None:
                raise ValidationFailed("决算公开日期格式不正确，应为 YYYY-MM-DD（留空为今天）。")
            pub = services.publish_final_accounts(
                actor=request.user, unit=unit, year=year, published_on=published_on
            )
            status = selectors.final_accounts_status(pub)
            batch = cn_date(published_on or timezone.localdate())
            messages.success(
                request, f"决算已公开（本批公开日期 {batch}）。{status.message if status else ''}"
            )
        elif action == "congress":
            submitted = parse_date(p.get("submitted_on", ""))
            if submitted is None:
                raise ValidationFailed("报送人大日期格式不正确，应为 YYYY-MM-DD。")
            services.record_congress_submission(
                actor=request.user,
                unit=unit,
                year=year,
                submitted_on=submitted,
                note=p.get("congress_note", ""),
            )
            messages.success(request, "报送人大日期已登记。")
        else:
            raise ValidationFailed("未知的操作。")
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        # Show the page again with what was typed, so a refused amount or name can be corrected.
        return _unit_page(
            request, unit, form={"action": action, **{k: p.get(k, "") for k in _UNIT_FORM_FIELDS}}
        )
    return redirect("performance:unit", pk=unit.pk)


_UNIT_FORM_FIELDS = (
    "year", "code", "name", "department", "budget_initial", "budget_full_year", "executed", "approved_on",
    "published_on", "final_approved_on", "final_published_on", "submitted_on", "congress_note",
)  # fmt: skip
