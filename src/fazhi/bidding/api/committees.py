"""The committee: random draw, replacement, purchaser representatives, and each member's own score sheet."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Status

from fazhi.bidding import selectors, services
from fazhi.bidding.api.common import committee_out, manager_auth, project_for, router
from fazhi.bidding.models import CommitteeMember
from fazhi.bidding.schemas import (
    CommitteeOut,
    MemberOut,
    ReplaceIn,
    RepresentativeIn,
    SeedIn,
    SheetIn,
    SheetOut,
)
from fazhi.bidding.services.common import get_or_404
from fazhi.bidding.services.draw import SEED_REFUSED
from fazhi.bidding.services.scoring import check_sheet, saved_sheet
from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.core.permissions import api_user

# Operation ids stay those of the one module this router was (see fazhi.api.FazhiAPI).
OPENAPI_MODULE = "fazhi.bidding.api"


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
    sheet = saved_sheet(member)  # reading creates no sheet: none saved yet reads as an empty one
    signed = sheet is not None and sheet.signed
    return {
        "member_id": member.pk,
        "seat": member.seat,
        "site": (sheet.site if sheet else member.site).name,
        "signed": signed,
        "signed_at": sheet.signed_at if sheet else None,
        "sign_hash": sheet.sign_hash if sheet else "",
        "scores": [
            {"bidder_id": s.bidder_id, "criterion_id": s.criterion_id, "points": s.points, "reason": s.reason}
            for s in (sheet.scores.order_by("bidder_id", "criterion_id") if sheet else [])
        ],
        "problems": [] if signed else check_sheet(member).problems,
    }


@router.post(
    "/projects/{project_id}/draw", response={201: CommitteeOut}, auth=manager_auth, summary="随机抽取评标专家"
)
def draw(request: HttpRequest, project_id: int, payload: SeedIn) -> Any:
    user = api_user(request)
    project = project_for(request, project_id)
    _refuse_seed(payload.seed)
    committee = services.draw_committee(project=project, actor=user)
    return Status(201, committee_out(committee, user))


@router.get(
    "/projects/{project_id}/committees", response=list[CommitteeOut], summary="评标委员会（含已作废的）"
)
def committees(request: HttpRequest, project_id: int) -> list:
    user = api_user(request)
    project = project_for(request, project_id)
    return [committee_out(c, user) for c in project.committees.order_by("number")]


@router.post(
    "/members/{member_id}/replace", response={201: MemberOut}, auth=manager_auth, summary="补抽（更换）专家"
)
def replace(request: HttpRequest, member_id: int, payload: ReplaceIn) -> Any:
    user = api_user(request)
    member = get_or_404(CommitteeMember, member_id, "评标委员会成员")
    _refuse_seed(payload.seed)
    new = services.replace_member(member=member, actor=user, reason=payload.reason)
    row = next(r for r in selectors.committee_rows(new.committee, user) if r.pk == new.pk)
    return Status(201, row.__dict__)


@router.post(
    "/members/{member_id}/representative", response=MemberOut, auth=manager_auth, summary="指定采购人代表"
)
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
