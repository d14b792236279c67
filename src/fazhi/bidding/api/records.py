"""Records of the evaluation: corrections (更正), outages and a new committee, verification, and the
remote-evaluation records: 身份核验, 音视频存档, 副场移交 (采购办 record, 监督方 read)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Status

from fazhi.bidding import selectors, services
from fazhi.bidding.api.common import (
    committee_out,
    manager_auth,
    person,
    project_for,
    remote_reader_auth,
    result_reader_auth,
    router,
)
from fazhi.bidding.models import Correction, Incident, Project
from fazhi.bidding.schemas import (
    AvArchiveCorrectionIn,
    AvArchiveIn,
    AvArchiveOut,
    BidCorrectionOut,
    CommitteeOut,
    ContractCorrectionIn,
    HandoverCorrectionIn,
    HandoverIn,
    HandoverOut,
    IdentityCheckIn,
    IdentityCheckOut,
    IncidentEndIn,
    IncidentIn,
    IncidentOut,
    ReasonIn,
    VerifyOut,
)
from fazhi.bidding.services.archives import archive_rows, site_role
from fazhi.bidding.services.common import get_or_404
from fazhi.bidding.services.draw import verify_draw
from fazhi.bidding.services.handovers import HandoverDue, handover_due
from fazhi.core.permissions import api_user

# Operation ids stay those of the one module this router was (see fazhi.api.FazhiAPI).
OPENAPI_MODULE = "fazhi.bidding.api"


def _correction_out(correction: Correction) -> dict:
    return {
        "id": correction.pk,
        "subject": correction.subject,
        "subject_label": correction.get_subject_display(),
        "site": correction.site.name if correction.site else None,
        "changes": correction.changes,
        "reason": correction.reason,
        "corrected_by": person(correction.corrected_by),
        "corrected_at": correction.corrected_at,
        "audit_seq": correction.audit_seq,
    }


@router.post(
    "/projects/{project_id}/contract/corrections",
    response={201: BidCorrectionOut},
    auth=manager_auth,
    summary="更正合同签订或公告日期（须说明原因）",
)
def correct_contract(request: HttpRequest, project_id: int, payload: ContractCorrectionIn) -> Any:
    correction = services.correct_contract(
        project=project_for(request, project_id), actor=api_user(request), **payload.dict()
    )
    return Status(201, _correction_out(correction))


@router.get(
    "/projects/{project_id}/corrections",
    response=list[BidCorrectionOut],
    summary="更正记录（合同日期、音视频存档、副场移交）",
)
def corrections(request: HttpRequest, project_id: int) -> list:
    """采购办 and 监督方 see every correction; the purchaser and the committee see the contract's."""
    project = project_for(request, project_id)
    return [_correction_out(c) for c in selectors.corrections(project, api_user(request))]


@router.post(
    "/projects/{project_id}/incidents",
    response={201: IncidentOut},
    auth=manager_auth,
    summary="记录评标异常（故障）",
)
def add_incident(request: HttpRequest, project_id: int, payload: IncidentIn) -> Any:
    incident = services.record_incident(
        project=project_for(request, project_id), actor=api_user(request), **payload.dict()
    )
    return Status(201, {**incident.__dict__, "site": incident.site.name, "id": incident.pk})


@router.post(
    "/incidents/{incident_id}/end", response=IncidentOut, auth=manager_auth, summary="记录故障恢复时间"
)
def end_incident(request: HttpRequest, incident_id: int, payload: IncidentEndIn) -> Any:
    incident = get_or_404(Incident, incident_id, "故障记录")
    incident = services.end_incident(incident=incident, actor=api_user(request), ended_at=payload.ended_at)
    return {**incident.__dict__, "site": incident.site.name, "id": incident.pk}


@router.post(
    "/projects/{project_id}/reform",
    response={201: CommitteeOut},
    auth=manager_auth,
    summary="重新组建评标委员会",
)
def reform(request: HttpRequest, project_id: int, payload: ReasonIn) -> Any:
    user = api_user(request)
    committee = services.reform_committee(
        project=project_for(request, project_id), actor=user, reason=payload.reason
    )
    return Status(201, committee_out(committee, user))


@router.get(
    "/projects/{project_id}/verify",
    response=VerifyOut,
    auth=result_reader_auth,
    summary="校验签名评分表与抽取记录",
)
def verify(request: HttpRequest, project_id: int) -> dict:
    project = project_for(request, project_id)
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


@router.get(
    "/projects/{project_id}/identity-checks",
    response=list[IdentityCheckOut],
    auth=remote_reader_auth,
    summary="身份核验记录（含历次委员会）",
)
def identity_checks(request: HttpRequest, project_id: int) -> list:
    project = project_for(request, project_id)
    return [r.__dict__ for r in selectors.identity_checks(project, api_user(request))]


@router.post(
    "/projects/{project_id}/identity-checks",
    response={201: IdentityCheckOut},
    auth=manager_auth,
    summary="登记身份核验",
)
def add_identity_check(request: HttpRequest, project_id: int, payload: IdentityCheckIn) -> Any:
    user = api_user(request)
    project = project_for(request, project_id)
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
        "recorded_by": person(archive.recorded_by),
    }


@router.get(
    "/projects/{project_id}/archives",
    response=list[AvArchiveOut],
    auth=remote_reader_auth,
    summary="音视频存档（按场地）",
)
def av_archives(request: HttpRequest, project_id: int) -> list:
    project = project_for(request, project_id)
    return [_archive_out(project, a) for _, a in archive_rows(project) if a is not None]


@router.post(
    "/projects/{project_id}/archives",
    response={201: AvArchiveOut},
    auth=manager_auth,
    summary="登记音视频存档",
)
def add_av_archive(request: HttpRequest, project_id: int, payload: AvArchiveIn) -> Any:
    project = project_for(request, project_id)
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
        "recorded_by": person(h.recorded_by) if h else "",
        "source": row.source,
    }


@router.get(
    "/projects/{project_id}/handovers",
    response=list[HandoverOut],
    auth=remote_reader_auth,
    summary="副场移交（每个副场一行，含期限）",
)
def handovers(request: HttpRequest, project_id: int) -> list:
    project = project_for(request, project_id)
    return [_handover_out(row) for row in handover_due(project)]


@router.post(
    "/projects/{project_id}/handovers", response={201: HandoverOut}, auth=manager_auth, summary="登记副场移交"
)
def add_handover(request: HttpRequest, project_id: int, payload: HandoverIn) -> Any:
    project = project_for(request, project_id)
    handover = services.record_handover(project=project, actor=api_user(request), **payload.dict())
    return Status(201, next(_handover_out(r) for r in handover_due(project) if r.site.pk == handover.site_id))


@router.post(
    "/projects/{project_id}/archives/{archive_id}/corrections",
    response={201: BidCorrectionOut},
    auth=manager_auth,
    summary="更正音视频存档（须说明原因）",
)
def correct_av_archive(
    request: HttpRequest, project_id: int, archive_id: int, payload: AvArchiveCorrectionIn
) -> Any:
    correction = services.correct_av_archive(
        project=project_for(request, project_id),
        actor=api_user(request),
        archive_id=archive_id,
        **payload.dict(),
    )
    return Status(201, _correction_out(correction))


@router.post(
    "/projects/{project_id}/handovers/{handover_id}/corrections",
    response={201: BidCorrectionOut},
    auth=manager_auth,
    summary="更正副场移交（须说明原因）",
)
def correct_handover(
    request: HttpRequest, project_id: int, handover_id: int, payload: HandoverCorrectionIn
) -> Any:
    correction = services.correct_handover(
        project=project_for(request, project_id),
        actor=api_user(request),
        handover_id=handover_id,
        **payload.dict(),
    )
    return Status(201, _correction_out(correction))
