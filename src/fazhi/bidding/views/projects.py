"""Pages for 采购办 staff, 监督方 and purchasers: project list, creation, detail and its actions
(views.actions)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.bidding import rules, selectors, services
from fazhi.bidding.models import (
    Bidder,
    Category,
    EvaluationMethod,
    Method,
    Participation,
    Project,
    Site,
    SmePolicy,
    SmeSize,
)
from fazhi.bidding.report import report_response
from fazhi.bidding.rules_display import value_lines
from fazhi.bidding.services.common import can_view_project, is_manager, is_reader, member_of
from fazhi.bidding.services.conflicts import member_conflicts
from fazhi.bidding.services.contracts import contract_deadline
from fazhi.bidding.services.draw import verify_draw
from fazhi.bidding.services.handovers import handover_due
from fazhi.bidding.services.incidents import duration, exceeds_limit, needs_new_committee, outage_limit
from fazhi.bidding.services.results import deadlines
from fazhi.bidding.services.sizing_check import industry_choices, industry_name, size_check, size_table
from fazhi.bidding.services.time_checks import time_notes
from fazhi.bidding.views.actions import ACTIONS
from fazhi.bidding.views.common import (
    INT_LIMIT,
    local_input,
    parse_lines,
    post_choice,
    post_datetime,
    post_int,
    post_text,
    truthy,
)
from fazhi.bidding.views.corrections import corrections_context
from fazhi.bidding.views.remote import remote_context
from fazhi.core.downloads import stored_file
from fazhi.core.errors import DomainError, ValidationFailed
from fazhi.core.permissions import role_required


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "bidding/forbidden.html", {"message": message}, status=403)


@role_required()
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    projects = list(selectors.projects_for(user))
    seats = list(selectors.my_seats(user))
    if not (is_reader(user) or projects or seats):
        return _forbidden(request, "远程异地评标仅向采购办、监督方、采购人和受邀评标专家开放。")
    rows = selectors.list_rows(projects)
    only_overdue = request.GET.get("overdue") == "1"  # 只看逾期
    if only_overdue:
        rows = [r for r in rows if r.overdue]
    return render(
        request,
        "bidding/index.html",
        {
            "rows": rows,
            "only_overdue": only_overdue,
            "seats": seats,
            "manager": is_manager(user),
            "reader": is_reader(user),
        },
    )


def _project_form_context(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "values": values,
        "sites": selectors.sites(),
        "categories": Category.choices,
        "methods": Method.choices,
        "evaluation_methods": EvaluationMethod.choices,
        "sme_policies": SmePolicy.choices,
        "industries": industry_choices(),
    }


@role_required()
def project_new(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        return _forbidden(request, "只有采购办经办人员可以新建采购项目。")
    values: dict[str, Any] = {"price_weight": "30", "committee_size": "5", "candidate_count": "3"}
    if request.method == "POST":
        values = dict(request.POST.dict())
        values["assist_site_ids"] = request.POST.getlist("assist_site_ids")
        try:
            project = _create_from_post(request)
        except DomainError as exc:
            return render(
                request,
                "bidding/project_form.html",
                {**_project_form_context(values), "error": exc.message},
                status=400,
            )
        messages.success(request, f"已新建采购项目“{project.name}”。")
        return redirect("bidding:project", pk=project.pk)
    return render(request, "bidding/project_form.html", _project_form_context(values))


def _create_from_post(request: HttpRequest) -> Project:
    sites_by_name = {s.name: s.pk for s in Site.objects.all()}
    quotas = []
    for site_name, specialty, count in parse_lines(post_text(request, "quotas"), 3, "抽取配额"):
        if site_name not in sites_by_name:
            raise ValidationFailed(f"抽取配额中的交易中心“{site_name}”不存在。")
        try:
            number = int(count)  # not str.isdigit(): that is true for “²”, which int() refuses
        except ValueError:
            number = None
        if number is None or abs(number) > INT_LIMIT:
            raise ValidationFailed(f"抽取配额“{site_name}·{specialty}”的人数“{count}”须为整数。")
        quotas.append({"site_id": sites_by_name[site_name], "specialty": specialty, "count": number})
    assist_ids = []
    for raw in request.POST.getlist("assist_site_ids"):
        try:
            site_id = int(raw)
        except ValueError:
            site_id = 0
        if not 0 < site_id <= INT_LIMIT:
            raise ValidationFailed("所选副场交易中心不存在。")
        assist_ids.append(site_id)
    criteria = [
        {"name": name, "max_points": points, "objective": truthy(kind)}
        for name, points, kind in parse_lines(post_text(request, "criteria"), 3, "评分因素")
    ]
    return services.create_project(
        actor=request.user,
        code=post_text(request, "code"),
        name=post_text(request, "name"),
        purchaser=post_text(request, "purchaser"),
        agency=post_text(request, "agency"),
        budget=post_text(request, "budget"),
        category=post_text(request, "category"),
        method=post_text(request, "method"),
        evaluation_method=post_text(request, "evaluation_method"),
        price_weight=post_text(request, "price_weight") or "0",
        sme_policy=post_text(request, "sme_policy") or SmePolicy.NONE,
        sme_deduction_pct=post_text(request, "sme_deduction_pct") or "0",
        consortium_deduction_pct=post_text(request, "consortium_deduction_pct") or "0",
        bid_bond=post_text(request, "bid_bond"),
        sme_industry=post_text(request, "sme_industry"),
        committee_size=post_int(request, "committee_size", "评标委员会人数"),
        purchaser_rep_count=post_int(request, "purchaser_rep_count", "采购人代表人数", 0),
        candidate_count=post_int(request, "candidate_count", "推荐中标候选人数", 3),
        host_site_id=post_choice(request, "host_site_id", "请选择主场交易中心。"),
        assist_site_ids=assist_ids,
        quotas=quotas,
        criteria=criteria,
        evaluation_start=post_datetime(request, "evaluation_start", "评标开始时间"),  # type: ignore[arg-type]
        names_reveal_at=post_datetime(request, "names_reveal_at", "专家名单公开时间"),  # type: ignore[arg-type]
        purchaser_username=post_text(request, "purchaser_username"),
    )


def _load_project(request: HttpRequest, pk: int) -> Project | None:
    return Project.objects.select_related("host_site", "winner", "purchaser_user").filter(pk=pk).first()


@role_required()
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _load_project(request, pk)
    if project is None:
        return render(request, "core/404.html", status=404)
    if not can_view_project(project, request.user):
        return _forbidden(request, "您无权查看该采购项目。")
    return render(request, "bidding/project_detail.html", _detail_context(request, project))


def _detail_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    user = request.user
    reader = is_reader(user)
    manager = is_manager(user)
    committees = []
    for c in project.committees.order_by("-number"):
        draws = [(d, verify_draw(d)) for d in c.draws.all()]
        committees.append((c, selectors.committee_rows(c, user), draws))
    result = services.compute_result(project) if reader else None
    now = timezone.now()
    limit = outage_limit()
    handovers = handover_due(project)
    bidders = list(project.bidders.all())
    table = size_table([project])
    incidents = [
        (i, duration(i, now).total_seconds() / 3600, exceeds_limit(i, now, limit))
        for i in project.incidents.select_related("site")
    ]
    return {
        "project": project,
        "manager": manager,
        "reader": reader,
        "seat": member_of(project, user),
        "criteria": list(project.criteria.all()),
        "bidders": bidders,
        "size_checks": [(b, size_check(project, b, table=table)) for b in bidders],
        "industry_name": industry_name(project.sme_industry),
        "quotas": list(project.quotas.select_related("site")),
        "assist_sites": list(project.assist_sites.all()),
        "all_sites": [project.host_site, *project.assist_sites.all()],
        "committees": committees,
        "result": result,
        "deadlines": deadlines(project),
        "contract": contract_deadline(project),
        "today_input": timezone.localdate().isoformat(),
        "incidents": incidents,
        "outage_hours": limit.total_seconds() / 3600,
        "reform_needed": needs_new_committee(project, now),
        "conflicts": member_conflicts(project) if reader else [],
        "time_notes": time_notes(project, result.members) if result is not None else [],
        "sizes": SmeSize.choices,
        "bid_bond_rule": rules.rule("bid_bond_max"),
        "participations": Participation.choices,
        "now_input": local_input(now),
        "verification": services.verify_sheets(project) if reader else [],
        "handovers": handovers,
        "handover_pending": [h for h in handovers if h.handover is None],
        **(remote_context(project, user) if reader else {}),
        **corrections_context(project, user),
        "can_confirm": manager or project.purchaser_user_id == user.pk,
        "can_download": reader or (project.purchaser_user_id == user.pk and project.report_submitted_at),
        "failed": "",
        "posted": {},
    }


@require_POST
@role_required()
def project_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    project = _load_project(request, pk)
    handler = ACTIONS.get(action)
    if project is None or handler is None:
        return render(request, "core/404.html", status=404)
    if not can_view_project(project, request.user):
        return _forbidden(request, "您无权操作该采购项目。")
    try:
        messages.success(request, handler(request, project))
    except DomainError as exc:
        if exc.status == 403:
            return _forbidden(request, exc.message)
        # Show the page again with the message and what was typed, so the form need not be refilled.
        messages.error(request, exc.message)
        project = _load_project(request, pk) or project
        context = {**_detail_context(request, project), "failed": action, "posted": request.POST}
        return render(request, "bidding/project_detail.html", context, status=exc.status)
    return redirect("bidding:project", pk=project.pk)


@role_required()
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    project = _load_project(request, pk)
    if project is None:
        return render(request, "core/404.html", status=404)
    user = request.user
    if not (is_reader(user) or (project.purchaser_user_id == user.pk and project.report_submitted_at)):
        return _forbidden(request, "评标报告送交后，采购人方可下载。")
    return report_response(project)


@role_required()
def bid_document(request: HttpRequest, pk: int, bidder_id: int) -> HttpResponse:
    """A bidder's 投标文件, to those who may see the project (采购办, 监督方, the purchaser, the committee)."""
    project = _load_project(request, pk)
    if project is None:
        return render(request, "core/404.html", status=404)
    if not can_view_project(project, request.user):
        return _forbidden(request, "您无权查看该采购项目。")
    bidder = Bidder.objects.filter(pk=bidder_id, project=project).first()
    if bidder is None or not bidder.document:
        return render(request, "core/404.html", {"message": "未找到该投标文件。"}, status=404)
    try:
        return stored_file(bidder.document, f"投标文件-{bidder.name}")
    except Http404:
        return render(request, "core/404.html", {"message": "投标文件已不存在，请联系采购办。"}, status=404)


@role_required()
def rules_page(request: HttpRequest) -> HttpResponse:
    if not is_reader(request.user):
        return _forbidden(request, "评标规则参数仅向采购办和监督方开放。")
    rows = [(rule, value_lines(rule.key, rule.value)) for rule in rules.all_rules()]
    return render(request, "bidding/rules.html", {"rows": rows})
