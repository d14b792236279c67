"""Shared parts of the bidding API: its router (bearer token or session) and the helpers its modules share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from fazhi.bidding import selectors
from fazhi.bidding.models import Project
from fazhi.bidding.services.common import get_or_404, is_reader, require_view
from fazhi.bidding.services.draw import verify_draw
from fazhi.core.errors import PermissionDenied
from fazhi.core.permissions import api_auth, api_user

router = Router(tags=["远程异地评标"], auth=api_auth)


def project_for(request: HttpRequest, pk: int) -> Project:
    project = get_or_404(Project, pk, "采购项目")
    require_view(project, api_user(request))
    return project


def require_reader(request: HttpRequest) -> None:
    if not is_reader(api_user(request)):
        raise PermissionDenied("评标结果仅向采购办和监督方开放，评标结束后随评标报告送交采购人。")


def person(user: Any) -> str:
    return str(user) if user is not None else ""


def committee_out(committee: Any, user: Any) -> dict:
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
