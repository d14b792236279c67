"""Rules, sites, expert pools, projects (with the 投标保证金) and bidders."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Status
from ninja.files import UploadedFile

from fazhi.bidding import rules, selectors, services
from fazhi.bidding.api.common import manager_auth, project_for, router, rules_reader_auth
from fazhi.bidding.models import Bidder, ExpertPool, Project
from fazhi.bidding.schemas import (
    BidBondIn,
    BidderIn,
    BidderOut,
    BidProjectIn,
    BidProjectOut,
    ExpertImportOut,
    ExpertOut,
    PoolOut,
    RuleOut,
    SiteOut,
    ValidityIn,
)
from fazhi.bidding.services.common import get_or_404
from fazhi.bidding.services.incidents import needs_new_committee, outage_limit, projects_needing_new_committee
from fazhi.bidding.services.sizing_check import Table, industry_name, size_check, size_table
from fazhi.core.paging import check_window
from fazhi.core.permissions import api_user

# Operation ids stay those of the one module this router was (see fazhi.api.FazhiAPI).
OPENAPI_MODULE = "fazhi.bidding.api"


# What BidderOut reads from the model as is (size_check is computed).
BIDDER_FIELDS = [name for name in BidderOut.model_fields if name != "size_check"]


def _bidder_out(bidder: Bidder, project: Project, table: Table | None = None) -> dict:
    """One bidder as JSON, with its 规模核验 (a list passes the size thresholds read once as `table`)."""
    fields = {f: getattr(bidder, f) for f in BIDDER_FIELDS}
    return {**fields, "size_check": size_check(project, bidder, table=table).as_dict()}


def _project_out(
    project: Project,
    *,
    row: selectors.ListRow | None = None,
    new_committee_needed: bool | None = None,
    table: Table | None = None,
) -> dict:
    """One project as JSON; a list passes what it computed once for all rows (the time limits of
    `selectors.list_rows`, the projects that need a new committee, the size thresholds) so that a row costs
    no query of its own."""
    row = row or selectors.list_rows([project])[0]
    if table is None:
        table = size_table([project])
    d = row.deadlines
    if new_committee_needed is None:
        new_committee_needed = bool(needs_new_committee(project))
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "purchaser": project.purchaser,
        "budget": project.budget,
        "category": project.category,
        "method": project.method,
        "evaluation_method": project.evaluation_method,
        "price_weight": project.price_weight,
        "sme_policy": project.sme_policy,
        "sme_deduction_pct": project.sme_deduction_pct,
        "consortium_deduction_pct": project.consortium_deduction_pct,
        "bid_bond": project.bid_bond,
        "sme_industry": project.sme_industry,
        "sme_industry_name": industry_name(project.sme_industry),
        "committee_size": project.committee_size,
        "status": project.status,
        "status_label": project.get_status_display(),
        "host_site": project.host_site.name,
        "assist_sites": [s.name for s in project.assist_sites.all()],
        "evaluation_start": project.evaluation_start,
        "names_reveal_at": project.names_reveal_at,
        "criteria": list(project.criteria.all()),
        "bidders": [_bidder_out(b, project, table) for b in project.bidders.all()],
        "report_due": d.report_due,
        "confirm_due": d.confirm_due,
        "new_committee_needed": new_committee_needed,
        "contract_publish_due": row.contract.publish_due,
        "contract_overdue": row.contract_overdue,
        "handovers_overdue": [h.site.name for h in row.late_handovers],
        "overdue": row.overdue,
    }


@router.get("/rules", response=list[RuleOut], auth=rules_reader_auth, summary="评标规则参数及依据")
def list_rules(request: HttpRequest) -> list:
    return [r.__dict__ for r in rules.all_rules()]


@router.get("/sites", response=list[SiteOut], auth=manager_auth, summary="交易中心")
def list_sites(request: HttpRequest) -> Any:
    return selectors.sites()


@router.get("/pools", response=list[PoolOut], auth=manager_auth, summary="专家库")
def list_pools(request: HttpRequest) -> list:
    return [
        {"id": p.pk, "name": p.name, "region": p.region, "site": p.site.name, "experts": p.n}  # type: ignore[attr-defined]
        for p in selectors.pools()
    ]


@router.get(
    "/pools/{pool_id}/experts",
    response=list[ExpertOut],
    auth=manager_auth,
    summary="专家库成员（身份证号脱敏）",
)
def list_experts(request: HttpRequest, pool_id: int) -> list:
    pool = get_or_404(ExpertPool, pool_id, "专家库")
    return [
        {
            "id": e.pk,
            "name": e.name,
            "id_number": e.masked_id,
            "specialties": e.specialties,
            "employer": e.employer,
            "has_account": e.user_id is not None,
        }
        for e in selectors.experts_in(pool)
    ]


@router.post(
    "/pools/{pool_id}/import",
    response={200: ExpertImportOut, 400: ExpertImportOut},
    auth=manager_auth,
    summary="Excel 导入专家",
)
def import_pool(request: HttpRequest, pool_id: int, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    user = api_user(request)
    pool = get_or_404(ExpertPool, pool_id, "专家库")
    result = services.import_experts(pool=pool, actor=user, upload=file)
    body = {
        "ok": result.ok,
        "created": result.created,
        "updated": result.updated,
        "errors": [{"row": row, "message": msg} for row, msg in result.errors],
    }
    return Status(200 if result.ok else 400, body)


PROJECTS_LIMIT = 100  # default page of the project list

PROJECTS_MAX_LIMIT = 500

PROJECTS_MAX_RESULTS = 1_000_000  # a database list, not a search: deep pages cost little


@router.get("/projects", response=list[BidProjectOut], summary="采购项目列表")
def list_projects(
    request: HttpRequest,
    response: HttpResponse,
    limit: int = PROJECTS_LIMIT,
    offset: int = 0,
    overdue: bool = False,
) -> list:
    """Projects the caller may see, newest evaluation first, `limit` (1–500, default 100; a larger value is
    cut to 500) from `offset`. The header `X-Total-Count` gives the number of projects in all. With
    `overdue=true` (只看逾期), only those with a report, 定标, contract publication or 副场移交 past due."""
    limit = check_window(
        offset=offset, limit=limit, max_limit=PROJECTS_MAX_LIMIT, max_results=PROJECTS_MAX_RESULTS
    )
    qs = selectors.projects_for(api_user(request))
    if overdue:
        # Lateness needs the working-day calendar: the candidates are checked in Python, then paged.
        candidates = list(selectors.with_list_details(selectors.with_open_deadlines(qs)))
        late = [r for r in selectors.list_rows(candidates) if r.overdue]
        response["X-Total-Count"] = str(len(late))
        rows = late[offset : offset + limit]
    else:
        response["X-Total-Count"] = str(qs.count())
        rows = selectors.list_rows(list(selectors.with_list_details(qs)[offset : offset + limit]))
    projects = [r.project for r in rows]
    reform = projects_needing_new_committee(projects, limit=outage_limit(rules.rule("outage_limit")))
    table = size_table(projects)
    return [
        _project_out(r.project, row=r, new_committee_needed=r.project.pk in reform, table=table) for r in rows
    ]


@router.post("/projects", response={201: BidProjectOut}, auth=manager_auth, summary="新建采购项目")
def create_project(request: HttpRequest, payload: BidProjectIn) -> Any:
    project = services.create_project(actor=api_user(request), **payload.dict())
    return Status(201, _project_out(project))


@router.get("/projects/{project_id}", response=BidProjectOut, summary="采购项目详情")
def get_project(request: HttpRequest, project_id: int) -> dict:
    return _project_out(project_for(request, project_id))


@router.put(
    "/projects/{project_id}/bid-bond", response=BidProjectOut, auth=manager_auth, summary="设置投标保证金"
)
def set_bid_bond(request: HttpRequest, project_id: int, payload: BidBondIn) -> dict:
    project = services.set_bid_bond(
        project=project_for(request, project_id), actor=api_user(request), bid_bond=payload.bid_bond
    )
    return _project_out(project)


@router.post(
    "/projects/{project_id}/bidders", response={201: BidderOut}, auth=manager_auth, summary="登记投标人"
)
def add_bidder(request: HttpRequest, project_id: int, payload: BidderIn) -> Any:
    project = project_for(request, project_id)
    bidder = services.add_bidder(project=project, actor=api_user(request), **payload.dict())
    return Status(201, _bidder_out(bidder, project))


@router.post(
    "/bidders/{bidder_id}/validity", response=BidderOut, auth=manager_auth, summary="资格/符合性审查结论"
)
def set_validity(request: HttpRequest, bidder_id: int, payload: ValidityIn) -> Any:
    bidder = get_or_404(Bidder, bidder_id, "投标人")
    bidder = services.set_bidder_validity(bidder=bidder, actor=api_user(request), **payload.dict())
    return _bidder_out(bidder, bidder.project)
