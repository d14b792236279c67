"""Shared parts of the bidding API: its router (bearer token or session) and the helpers its modules share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from fazhi.bidding import selectors
from fazhi.bidding.models import Project
from fazhi.bidding.services.common import (
    MANAGER_MESSAGE,
    MANAGER_ROLES,
    READER_ROLES,
    get_or_404,
    require_view,
)
from fazhi.bidding.services.draw import verify_draw
from fazhi.core.permissions import api_auth, api_auth_for, api_user

# Any logged-in user by default: a project's purchaser and its experts hold no bidding role, and the endpoints
# they use check the project or committee seat themselves. Endpoints for 采购办 (and 监督方) say so with the
# gates below, which refuse anyone else before the request is read; their services check again.
router = Router(tags=["远程异地评标"], auth=api_auth)

RESULT_MESSAGE = "评标结果仅向采购办和监督方开放，评标结束后随评标报告送交采购人。"
REMOTE_RECORDS_MESSAGE = "身份核验、音视频存档和副场移交记录仅向采购办和监督方开放。"

manager_auth = api_auth_for(*MANAGER_ROLES, message=MANAGER_MESSAGE)
rules_reader_auth = api_auth_for(*READER_ROLES, message="您无权查看评标规则参数。")
result_reader_auth = api_auth_for(*READER_ROLES, message=RESULT_MESSAGE)
remote_reader_auth = api_auth_for(*READER_ROLES, message=REMOTE_RECORDS_MESSAGE)


def project_for(request: HttpRequest, pk: int) -> Project:
    project = get_or_404(Project, pk, "采购项目")
    require_view(project, api_user(request))
    return project


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
