"""远程异地评标 API (/api/v1/bidding/): bearer token or session; 采购办 manage, 监督方 read, experts score."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from fazhi.bidding import rules, selectors, services
from fazhi.bidding.models import Bidder, CommitteeMember, Correction, ExpertPool, Incident, Project
from fazhi.bidding.report import report_response
from fazhi.bidding.schemas import (
    AvArchiveCorrectionIn,
    AvArchiveIn,
    AvArchiveOut,
    BidCorrectionOut,
    BidderIn,
    BidderOut,
    BidProjectIn,
    BidProjectOut,
    BidResultOut,
    CommitteeOut,
    ContractCorrectionIn,
    ContractOut,
    ContractPublishedIn,
    ContractSignedIn,
    ExpertImportOut,
    ExpertOut,
    HandoverCorrectionIn,
    HandoverIn,
    HandoverOut,
    IdentityCheckIn,
    IdentityCheckOut,
    IncidentEndIn,
    IncidentIn,
    IncidentOut,
    MemberOut,
    PoolOut,
    ReasonIn,
    ReplaceIn,
    RepresentativeIn,
    RuleOut,
    SeedIn,
    SheetIn,
    SheetOut,
    SiteOut,
    StatusOut,
    ValidityIn,
    VerifyOut,
    WinnerIn,
)
from fazhi.bidding.services.archives import archive_rows, site_role
from fazhi.bidding.services.common import get_or_404, is_reader, require_manager, require_view
from fazhi.bidding.services.contracts import contract_deadline
from fazhi.bidding.services.draw import SEED_REFUSED, verify_draw
from fazhi.bidding.services.handovers import HandoverDue, handover_due
from fazhi.bidding.services.incidents import (
    needs_new_committee,
    outage_limit,
    projects_needing_new_committee,
)
from fazhi.bidding.services.results import ProjectResult
from fazhi.bidding.services.scoring import check_sheet, sheet_for
from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.core.paging import check_window
from fazhi.core.permissions import api_auth, api_user

router = Router(tags=["远程异地评标"], auth=api_auth)


# --- helpers ---------------------------------------------------------------------------------------


def _project(request: HttpRequest, pk: int) -> Project:
    project = get_or_404(Project, pk, "采购项目")
    require_view(project, api_user(request))
    return project


def _require_reader(request: HttpRequest) -> None:
    if not is_reader(api_user(request)):
        raise PermissionDenied("评标结果仅向采购办和监督方开放，评标结束后随评标报告送交采购人。")


def _project_out(
    project: Project,
    *,
    row: selectors.ListRow | None = None,
    new_committee_needed: bool | None = None,
) -> dict:
    """One project as JSON; a list passes what it computed once for all rows (the time limits of
    `selectors.list_rows`, the projects that need a new committee) so that a row costs no query of its own."""
    row = row or selectors.list_rows([project])[0]
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
        "committee_size": project.committee_size,
        "status": project.status,
        "status_label": project.get_status_display(),
        "host_site": project.host_site.name,
        "assist_sites": [s.name for s in project.assist_sites.all()],
        "evaluation_start": project.evaluation_start,
        "names_reveal_at": project.names_reveal_at,
        "criteria": list(project.criteria.all()),
        "bidders": list(project.bidders.all()),
        "report_due": d.report_due,
        "confirm_due": d.confirm_due,
        "new_committee_needed": new_committee_needed,
        "contract_publish_due": row.contract.publish_due,
        "contract_overdue": row.contract_overdue,
        "handovers_overdue": [h.site.name for h in row.late_handovers],
        "overdue": row.overdue,
    }


def _result_out(result: ProjectResult) -> dict:
    names = {c.pk: c.name for c in result.criteria}
    return {
        "complete": result.complete,
        "base_price": result.base_price,
        "unsigned_seats": result.unsigned_seats,
        "tie_rule": result.tie_rule_source,
        "problems": result.problems,
        "lines": [
            {
                "rank": r.rank,
                "bidder_id": r.bidder.pk,
                "bidder": r.bidder.name,
                "bid_price": r.bidder.bid_price,
                "deduction_pct": r.price.deduction_pct,
                "evaluated_price": r.price.evaluated_price,
                "price_score": r.price.price_score,
                "criteria": {names[k]: v for k, v in r.averages.items()},
                "total": r.total,
                "recommended": r.recommended,
            }
            for r in result.lines
        ],
    }


def _refuse_seed(seed: str | None) -> None:
    if seed is not None and str(seed).strip():
        raise ValidationFailed(SEED_REFUSED)


def _own_member(request: HttpRequest, pk: int) -> CommitteeMember:
    member = get_or_404(CommitteeMember, pk, "评标委员会成员")
    user = api_user(request)
    if member.user_id != user.pk:
        raise PermissionDenied("只能查看和填写本人的评分表。")
    return member


def _sheet_out(member: CommitteeMember) -> dict:
    sheet = sheet_for(member)
    return {
        "member_id": member.pk,
        "seat": member.seat,
        "site": sheet.site.name,
        "signed": sheet.signed,
        "signed_at": sheet.signed_at,
        "sign_hash": sheet.sign_hash,
        "scores": [
            {"bidder_id": s.bidder_id, "criterion_id": s.criterion_id, "points": s.points, "reason": s.reason}
            for s in sheet.scores.order_by("bidder_id", "criterion_id")
        ],
        "problems": [] if sheet.signed else check_sheet(member).problems,
    }


# --- endpoints -------------------------------------------------------------------------------------


@router.get("/rules", response=list[RuleOut], summary="评标规则参数及依据")
def list_rules(request: HttpRequest) -> list:
    user = api_user(request)
    if not is_reader(user):
        raise PermissionDenied("您无权查看评标规则参数。")
    return [r.__dict__ for r in rules.all_rules()]


@router.get("/sites", response=list[SiteOut], summary="交易中心")
def list_sites(request: HttpRequest) -> Any:
    require_manager(api_user(request))
    return selectors.sites()


@router.get("/pools", response=list[PoolOut], summary="专家库")
def list_pools(request: HttpRequest) -> list:
    require_manager(api_user(request))
    return [
        {"id": p.pk, "name": p.name, "region": p.region, "site": p.site.name, "experts": p.n}  # type: ignore[attr-defined]
        for p in selectors.pools()
    ]


@router.get("/pools/{pool_id}/experts", response=list[ExpertOut], summary="专家库成员（身份证号脱敏）")
def list_experts(request: HttpRequest, pool_id: int) -> list:
    require_manager(api_user(request))
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
    "/pools/{pool_id}/import", response={200: ExpertImportOut, 400: ExpertImportOut}, summary="Excel 导入专家"
)
def import_pool(request: HttpRequest, pool_id: int, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    user = api_user(request)
    require_manager(user)
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
    return [_project_out(r.project, row=r, new_committee_needed=r.project.pk in reform) for r in rows]


@router.post("/projects", response={201: BidProjectOut}, summary="新建采购项目")
def create_project(request: HttpRequest, payload: BidProjectIn) -> Any:
    project = services.create_project(actor=api_user(request), **payload.dict())
    return Status(201, _project_out(project))


@router.get("/projects/{project_id}", response=BidProjectOut, summary="采购项目详情")
def get_project(request: HttpRequest, project_id: int) -> dict:
    return _project_out(_project(request, project_id))


@router.post("/projects/{project_id}/bidders", response={201: BidderOut}, summary="登记投标人")
def add_bidder(request: HttpRequest, project_id: int, payload: BidderIn) -> Any:
    project = _project(request, project_id)
    return Status(201, services.add_bidder(project=project, actor=api_user(request), **payload.dict()))


@router.post("/bidders/{bidder_id}/validity", response=BidderOut, summary="资格/符合性审查结论")
def set_validity(request: HttpRequest, bidder_id: int, payload: ValidityIn) -> Any:
    bidder = get_or_404(Bidder, bidder_id, "投标人")
    return services.set_bidder_validity(bidder=bidder, actor=api_user(request), **payload.dict())


def _committee_out(committee: Any, user: Any) -> dict:
    return {
        "id": committee.pk,
        "number": committee.number,
        "active": committee.active,
        "superseded_reason": committee.superseded_reason,
        "members": [r.__dict__ for r in selectors.committee_rows(committee, user)],
        "draws": [
            {
                "id": d.pk,
                "kind": d.kind,
                "seed": d.seed,
                "created_at": d.created_at,
                "excluded": len(d.excluded),
                "reproducible": verify_draw(d),
            }
            for d in committee.draws.all()
        ],
    }


@router.post("/projects/{project_id}/draw", response={201: CommitteeOut}, summary="随机抽取评标专家")
def draw(request: HttpRequest, project_id: int, payload: SeedIn) -> Any:
    user = api_user(request)
    project = _project(request, project_id)
    _refuse_seed(payload.seed)
    committee = services.draw_committee(project=project, actor=user)
    return Status(201, _committee_out(committee, user))


@router.get(
    "/projects/{project_id}/committees", response=list[CommitteeOut], summary="评标委员会（含已作废的）"
)
def committees(request: HttpRequest, project_id: int) -> list:
    user = api_user(request)
    project = _project(request, project_id)
    return [_committee_out(c, user) for c in project.committees.order_by("number")]


@router.post("/members/{member_id}/replace", response={201: MemberOut}, summary="补抽（更换）专家")
def replace(request: HttpRequest, member_id: int, payload: ReplaceIn) -> Any:
    user = api_user(request)
    member = get_or_404(CommitteeMember, member_id, "评标委员会成员")
    _refuse_seed(payload.seed)
    new = services.replace_member(member=member, actor=user, reason=payload.reason)
    row = next(r for r in selectors.committee_rows(new.committee, user) if r.pk == new.pk)
    return Status(201, row.__dict__)


@router.post("/members/{member_id}/representative", response=MemberOut, summary="指定采购人代表")
def representative(request: HttpRequest, member_id: int, payload: RepresentativeIn) -> Any:
    user = api_user(request)
    member = get_or_404(CommitteeMember, member_id, "评标委员会成员")
    member = services.assign_representative(member=member, actor=user, **payload.dict())
    row = next(r for r in selectors.committee_rows(member.committee, user) if r.pk == member.pk)
    return row.__dict__


@router.get("/members/{member_id}/sheet", response=SheetOut, summary="本人评分表")
def get_sheet(request: HttpRequest, member_id: int) -> dict:
    return _sheet_out(_own_member(request, member_id))


@router.put("/members/{member_id}/sheet", response=SheetOut, summary="录入评分")
def put_sheet(request: HttpRequest, member_id: int, payload: SheetIn) -> dict:
    member = _own_member(request, member_id)
    services.save_scores(member=member, actor=api_user(request), entries=[e.dict() for e in payload.entries])
    return _sheet_out(member)


@router.post("/members/{member_id}/sign", response=SheetOut, summary="签名确认评分表")
def sign(request: HttpRequest, member_id: int) -> dict:
    member = _own_member(request, member_id)
    services.sign_sheet(member=member, actor=api_user(request))
    return _sheet_out(member)


@router.get(
    "/projects/{project_id}/result", response=BidResultOut, summary="评标结果（价格分、平均分、排名）"
)
def result(request: HttpRequest, project_id: int) -> dict:
    project = _project(request, project_id)
    _require_reader(request)
    return _result_out(services.compute_result(project))


@router.post("/projects/{project_id}/finish", response=BidResultOut, summary="结束评标")
def finish(request: HttpRequest, project_id: int) -> dict:
    project = _project(request, project_id)
    return _result_out(services.finish_evaluation(project=project, actor=api_user(request)))


@router.post("/projects/{project_id}/report/submit", response=StatusOut, summary="送交评标报告")
def submit_report(request: HttpRequest, project_id: int) -> Any:
    project = services.submit_report(project=_project(request, project_id), actor=api_user(request))
    return {"id": project.pk, "status": project.status}


@router.get("/projects/{project_id}/report.docx", summary="下载评标报告（.docx）")
def report(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    user = api_user(request)
    if not (is_reader(user) or (project.purchaser_user_id == user.pk and project.report_submitted_at)):
        raise PermissionDenied("评标报告送交后，采购人方可下载。")
    return report_response(project)


@router.post("/projects/{project_id}/winner", response=StatusOut, summary="确定中标人")
def winner(request: HttpRequest, project_id: int, payload: WinnerIn) -> Any:
    project = services.confirm_winner(
        project=_project(request, project_id), actor=api_user(request), **payload.dict()
    )
    return {"id": project.pk, "status": project.status}


def _contract_out(project: Project) -> dict:
    d = contract_deadline(project)
    return {
        "project_id": project.pk,
        "status": project.status,
        "winner": project.winner.name if project.winner else None,
        "signed_on": project.contract_signed_on,
        "published_on": project.contract_published_on,
        "publish_due": d.publish_due,
        "overdue": d.overdue,
        "source": d.source,
    }


@router.get("/projects/{project_id}/contract", response=ContractOut, summary="政府采购合同签订与公告")
def contract(request: HttpRequest, project_id: int) -> dict:
    return _contract_out(_project(request, project_id))


@router.post("/projects/{project_id}/contract/signed", response=ContractOut, summary="登记合同签订日期")
def contract_signed(request: HttpRequest, project_id: int, payload: ContractSignedIn) -> dict:
    project = services.record_contract_signed(
        project=_project(request, project_id), actor=api_user(request), signed_on=payload.signed_on
    )
    return _contract_out(project)


@router.post("/projects/{project_id}/contract/published", response=ContractOut, summary="登记合同公告日期")
def contract_published(request: HttpRequest, project_id: int, payload: ContractPublishedIn) -> dict:
    project = services.record_contract_published(
        project=_project(request, project_id), actor=api_user(request), published_on=payload.published_on
    )
    return _contract_out(project)


def _correction_out(correction: Correction) -> dict:
    return {
        "id": correction.pk,
        "subject": correction.subject,
        "subject_label": correction.get_subject_display(),
        "site": correction.site.name if correction.site else None,
        "changes": correction.changes,
        "reason": correction.reason,
        "corrected_by": _person(correction.corrected_by),
        "corrected_at": correction.corrected_at,
        "audit_seq": correction.audit_seq,
    }


@router.post(
    "/projects/{project_id}/contract/corrections",
    response={201: BidCorrectionOut},
    summary="更正合同签订或公告日期（须说明原因）",
)
def correct_contract(request: HttpRequest, project_id: int, payload: ContractCorrectionIn) -> Any:
    correction = services.correct_contract(
        project=_project(request, project_id), actor=api_user(request), **payload.dict()
    )
    return Status(201, _correction_out(correction))


@router.get(
    "/projects/{project_id}/corrections",
    response=list[BidCorrectionOut],
    summary="更正记录（合同日期、音视频存档、副场移交）",
)
def corrections(request: HttpRequest, project_id: int) -> list:
    """采购办 and 监督方 see every correction; the purchaser and the committee see the contract's."""
    project = _project(request, project_id)
    return [_correction_out(c) for c in selectors.corrections(project, api_user(request))]


@router.post("/projects/{project_id}/incidents", response={201: IncidentOut}, summary="记录评标异常（故障）")
def add_incident(request: HttpRequest, project_id: int, payload: IncidentIn) -> Any:
    incident = services.record_incident(
        project=_project(request, project_id), actor=api_user(request), **payload.dict()
    )
    return Status(201, {**incident.__dict__, "site": incident.site.name, "id": incident.pk})


@router.post("/incidents/{incident_id}/end", response=IncidentOut, summary="记录故障恢复时间")
def end_incident(request: HttpRequest, incident_id: int, payload: IncidentEndIn) -> Any:
    incident = get_or_404(Incident, incident_id, "故障记录")
    incident = services.end_incident(incident=incident, actor=api_user(request), ended_at=payload.ended_at)
    return {**incident.__dict__, "site": incident.site.name, "id": incident.pk}


@router.post("/projects/{project_id}/reform", response={201: CommitteeOut}, summary="重新组建评标委员会")
def reform(request: HttpRequest, project_id: int, payload: ReasonIn) -> Any:
    user = api_user(request)
    committee = services.reform_committee(
        project=_project(request, project_id), actor=user, reason=payload.reason
    )
    return Status(201, _committee_out(committee, user))


@router.get("/projects/{project_id}/verify", response=VerifyOut, summary="校验签名评分表与抽取记录")
def verify(request: HttpRequest, project_id: int) -> dict:
    project = _project(request, project_id)
    _require_reader(request)
    sheets = services.verify_sheets(project)
    draws = [d for c in project.committees.all() for d in c.draws.all()]
    problems = [v.reason for v in sheets if not v.ok]
    problems += [f"抽取记录 #{d.pk} 按种子复算结果不一致" for d in draws if not verify_draw(d)]
    return {
        "ok": not problems,
        "sheets_checked": len(sheets),
        "draws_checked": len(draws),
        "problems": problems,
    }


# --- 远程异地评标记录: identity checks, audio/video archives, 副场移交 (采购办 record, 监督方 read) ---------


def _require_remote_reader(request: HttpRequest) -> None:
    if not is_reader(api_user(request)):
        raise PermissionDenied("身份核验、音视频存档和副场移交记录仅向采购办和监督方开放。")


def _person(user: Any) -> str:
    return str(user) if user is not None else ""


@router.get(
    "/projects/{project_id}/identity-checks",
    response=list[IdentityCheckOut],
    summary="身份核验记录（含历次委员会）",
)
def identity_checks(request: HttpRequest, project_id: int) -> list:
    project = _project(request, project_id)
    _require_remote_reader(request)
    return [r.__dict__ for r in selectors.identity_checks(project, api_user(request))]


@router.post(
    "/projects/{project_id}/identity-checks", response={201: IdentityCheckOut}, summary="登记身份核验"
)
def add_identity_check(request: HttpRequest, project_id: int, payload: IdentityCheckIn) -> Any:
    user = api_user(request)
    project = _project(request, project_id)
    check = services.record_identity_check(project=project, actor=user, **payload.dict())
    return Status(201, next(r.__dict__ for r in selectors.identity_checks(project, user) if r.id == check.pk))


def _archive_out(project: Project, archive: Any) -> dict:
    return {
        "id": archive.pk,
        "site_id": archive.site_id,
        "site": archive.site.name,
        "role": site_role(project, archive.site),
        "reference": archive.reference,
        "started_at": archive.started_at,
        "ended_at": archive.ended_at,
        "recorded_by": _person(archive.recorded_by),
    }


@router.get("/projects/{project_id}/archives", response=list[AvArchiveOut], summary="音视频存档（按场地）")
def av_archives(request: HttpRequest, project_id: int) -> list:
    project = _project(request, project_id)
    _require_remote_reader(request)
    return [_archive_out(project, a) for _, a in archive_rows(project) if a is not None]


@router.post("/projects/{project_id}/archives", response={201: AvArchiveOut}, summary="登记音视频存档")
def add_av_archive(request: HttpRequest, project_id: int, payload: AvArchiveIn) -> Any:
    project = _project(request, project_id)
    archive = services.record_av_archive(project=project, actor=api_user(request), **payload.dict())
    return Status(201, _archive_out(project, archive))


def _handover_out(row: HandoverDue) -> dict:
    h = row.handover
    return {
        "id": h.pk if h else None,
        "site_id": row.site.pk,
        "site": row.site.name,
        "due": row.due,
        "overdue": row.overdue,
        "handed_over": h is not None,
        "handed_over_on": h.handed_over_on if h else None,
        "contents": h.contents if h else "",
        "recorded_by": _person(h.recorded_by) if h else "",
        "source": row.source,
    }


@router.get(
    "/projects/{project_id}/handovers", response=list[HandoverOut], summary="副场移交（每个副场一行，含期限）"
)
def handovers(request: HttpRequest, project_id: int) -> list:
    project = _project(request, project_id)
    _require_remote_reader(request)
    return [_handover_out(row) for row in handover_due(project)]


@router.post("/projects/{project_id}/handovers", response={201: HandoverOut}, summary="登记副场移交")
def add_handover(request: HttpRequest, project_id: int, payload: HandoverIn) -> Any:
    project = _project(request, project_id)
    handover = services.record_handover(project=project, actor=api_user(request), **payload.dict())
    return Status(201, next(_handover_out(r) for r in handover_due(project) if r.site.pk == handover.site_id))


@router.post(
    "/projects/{project_id}/archives/{archive_id}/corrections",
    response={201: BidCorrectionOut},
    summary="更正音视频存档（须说明原因）",
)
def correct_av_archive(
    request: HttpRequest, project_id: int, archive_id: int, payload: AvArchiveCorrectionIn
) -> Any:
    correction = services.correct_av_archive(
        project=_project(request, project_id),
        actor=api_user(request),
        archive_id=archive_id,
        **payload.dict(),
    )
    return Status(201, _correction_out(correction))


@router.post(
    "/projects/{project_id}/handovers/{handover_id}/corrections",
    response={201: BidCorrectionOut},
    summary="更正副场移交（须说明原因）",
)
def correct_handover(
    request: HttpRequest, project_id: int, handover_id: int, payload: HandoverCorrectionIn
) -> Any:
    correction = services.correct_handover(
        project=_project(request, project_id),
        actor=api_user(request),
        handover_id=handover_id,
        **payload.dict(),
    )
    return Status(201, _correction_out(correction))
