"""The outcome: result, end of the evaluation, the report, the winner and the contract dates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from fazhi.bidding import services
from fazhi.bidding.api.common import manager_auth, project_for, result_reader_auth, router
from fazhi.bidding.models import Project
from fazhi.bidding.report import report_response
from fazhi.bidding.schemas import (
    BidResultOut,
    ContractOut,
    ContractPublishedIn,
    ContractSignedIn,
    StatusOut,
    WinnerIn,
)
from fazhi.bidding.services.common import is_reader
from fazhi.bidding.services.contracts import contract_deadline
from fazhi.bidding.services.results import ProjectResult
from fazhi.core.errors import PermissionDenied
from fazhi.core.permissions import api_user

# Operation ids stay those of the one module this router was (see fazhi.api.FazhiAPI).
OPENAPI_MODULE = "fazhi.bidding.api"


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
                "deduction_basis": r.price.deduction_basis,
                "deduction_reason": r.price.deduction_reason,
                "evaluated_price": r.price.evaluated_price,
                "price_score": r.price.price_score,
                "criteria": {names[k]: v for k, v in r.averages.items()},
                "total": r.total,
                "recommended": r.recommended,
            }
            for r in result.lines
        ],
    }


@router.get(
    "/projects/{project_id}/result",
    response=BidResultOut,
    auth=result_reader_auth,
    summary="评标结果（价格分、平均分、排名）",
)
def result(request: HttpRequest, project_id: int) -> dict:
    project = project_for(request, project_id)
    return _result_out(services.compute_result(project))


@router.post("/projects/{project_id}/finish", response=BidResultOut, auth=manager_auth, summary="结束评标")
def finish(request: HttpRequest, project_id: int) -> dict:
    project = project_for(request, project_id)
    return _result_out(services.finish_evaluation(project=project, actor=api_user(request)))


@router.post(
    "/projects/{project_id}/report/submit", response=StatusOut, auth=manager_auth, summary="送交评标报告"
)
def submit_report(request: HttpRequest, project_id: int) -> Any:
    project = services.submit_report(project=project_for(request, project_id), actor=api_user(request))
    return {"id": project.pk, "status": project.status}


@router.get("/projects/{project_id}/report.docx", summary="下载评标报告（.docx）")
def report(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_for(request, project_id)
    user = api_user(request)
    if not (is_reader(user) or (project.purchaser_user_id == user.pk and project.report_submitted_at)):
        raise PermissionDenied("评标报告送交后，采购人方可下载。")
    return report_response(project)


@router.post("/projects/{project_id}/winner", response=StatusOut, summary="确定中标人")
def winner(request: HttpRequest, project_id: int, payload: WinnerIn) -> Any:
    project = services.confirm_winner(
        project=project_for(request, project_id), actor=api_user(request), **payload.dict()
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
    return _contract_out(project_for(request, project_id))


@router.post(
    "/projects/{project_id}/contract/signed",
    response=ContractOut,
    auth=manager_auth,
    summary="登记合同签订日期",
)
def contract_signed(request: HttpRequest, project_id: int, payload: ContractSignedIn) -> dict:
    project = services.record_contract_signed(
        project=project_for(request, project_id), actor=api_user(request), signed_on=payload.signed_on
    )
    return _contract_out(project)


@router.post(
    "/projects/{project_id}/contract/published",
    response=ContractOut,
    auth=manager_auth,
    summary="登记合同公告日期",
)
def contract_published(request: HttpRequest, project_id: int, payload: ContractPublishedIn) -> dict:
    project = services.record_contract_published(
        project=project_for(request, project_id), actor=api_user(request), published_on=payload.published_on
    )
    return _contract_out(project)
