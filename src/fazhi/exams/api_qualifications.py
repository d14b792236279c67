"""法律专业资格 API (/api/v1/exams/qualifications), mounted on the exams router: the register, read by those
who see 执法人员占比 and kept by 考试管理员 (who also keep the certificates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.core.permissions import api_auth_for, api_user
from fazhi.exams import selectors
from fazhi.exams.models import Qualification, QualificationKind
from fazhi.exams.services import qualifications

router = Router(tags=["学法考试"])

ADMIN_ROLES = selectors.ADMIN_ROLES
DASHBOARD_ROLES = selectors.DASHBOARD_ROLES


class QualificationIn(Schema):
    user_id: int | None = None
    username: str = ""
    kind: str  # legal_a / legal_b / legal_c 法律职业资格 A/B/C 证, public_lawyer, legal_adviser, other
    number: str = ""  # required for 法律职业资格 and 公职律师证
    obtained_on: dt.date
    expires_on: dt.date | None = None
    issuer: str = ""
    note: str = ""


class QualificationPatchIn(Schema):
    """Only the fields sent change; "expires_on": null removes the expiry."""

    user_id: int | None = None
    username: str | None = None
    kind: str | None = None
    number: str | None = None
    obtained_on: dt.date | None = None
    expires_on: dt.date | None = None
    issuer: str | None = None
    note: str | None = None


class QualificationOut(Schema):
    qualification_id: int
    user_id: int
    username: str
    name: str
    department: str
    kind: str
    kind_label: str
    number: str
    obtained_on: dt.date
    expires_on: dt.date | None
    issuer: str
    note: str
    valid_today: bool


def _out(q: Qualification) -> dict[str, Any]:
    user = q.profile.user
    return {
        "qualification_id": q.pk,
        "user_id": user.pk,
        "username": user.username,
        "name": getattr(user, "display_name", "") or user.username,
        "department": q.profile.department,
        "kind": q.kind,
        "kind_label": q.get_kind_display(),
        "number": q.number,
        "obtained_on": q.obtained_on,
        "expires_on": q.expires_on,
        "issuer": q.issuer,
        "note": q.note,
        "valid_today": q.is_valid_on(timezone.localdate()),
    }


@router.get(
    "/qualifications",
    auth=api_auth_for(*DASHBOARD_ROLES, message="无权查看法律专业资格登记"),
    response=list[QualificationOut],
    summary="法律专业资格登记（可按科室/单位和资格类型筛选）",
)
def list_qualifications(request: HttpRequest, department: str = "", kind: str = "") -> list[dict[str, Any]]:
    kind = kind.strip()
    if kind and kind not in QualificationKind.values:
        raise ValidationFailed(f"资格类型“{kind[:20]}”无效，应为：{qualifications.kind_choices_text()}")
    return [_out(q) for q in selectors.qualifications(department=department.strip(), kind=kind)]


@router.post(
    "/qualifications",
    auth=api_auth_for(*ADMIN_ROLES, message="只有考试管理员可以登记法律专业资格"),
    response={201: QualificationOut},
    summary="登记法律专业资格（考试管理员）",
)
def create_qualification(request: HttpRequest, payload: QualificationIn) -> Any:
    user = api_user(request)
    found = qualifications.record_qualification(
        profile=qualifications.find_profile(user_id=payload.user_id, username=payload.username),
        kind=payload.kind.strip(),
        number=payload.number,
        obtained_on=payload.obtained_on,
        expires_on=payload.expires_on,
        issuer=payload.issuer,
        note=payload.note,
        by=user,
    )
    return Status(201, _out(found))


@router.patch(
    "/qualifications/{int:qualification_id}",
    auth=api_auth_for(*ADMIN_ROLES, message="只有考试管理员可以修改法律专业资格"),
    response=QualificationOut,
    summary="修改法律专业资格（考试管理员）",
)
def update_qualification(request: HttpRequest, qualification_id: int, payload: QualificationPatchIn) -> Any:
    found = Qualification.objects.select_related("profile__user").filter(pk=qualification_id).first()
    if found is None:
        raise NotFound("法律专业资格记录不存在")
    sent = payload.model_fields_set
    changes: dict[str, Any] = {}
    if {"user_id", "username"} & sent:
        changes["profile"] = qualifications.find_profile(
            user_id=payload.user_id, username=payload.username or ""
        )
    for name in ("kind", "number", "issuer", "note"):
        if name in sent:
            changes[name] = (getattr(payload, name) or "").strip()
    if "obtained_on" in sent:
        if payload.obtained_on is None:
            raise ValidationFailed("取得日期不能为空")
        changes["obtained_on"] = payload.obtained_on
    if "expires_on" in sent:
        changes["expires_on"] = payload.expires_on
    return _out(qualifications.update_qualification(qualification=found, changes=changes))
