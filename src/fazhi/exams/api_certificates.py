"""执法证 API (/api/v1/exams/…), mounted on the exams router: the 应考尽考 list and its Excel export (who
sees 执法人员占比), issuing a certificate and recording a training or retraining result (考试管理员)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from fazhi.core.errors import ValidationFailed
from fazhi.core.permissions import api_auth_for, api_user
from fazhi.exams import selectors
from fazhi.exams.downloads import xlsx_response
from fazhi.exams.services import certificates, gaps, retraining

router = Router(tags=["学法考试"])

ADMIN_ROLES = selectors.ADMIN_ROLES
DASHBOARD_ROLES = selectors.DASHBOARD_ROLES


def _statistics_date(on: str) -> dt.date:
    day, error = certificates.statistics_date(on)
    if error:
        raise ValidationFailed(error)
    return day


@router.get(
    "/certification-gaps",
    auth=api_auth_for(*DASHBOARD_ROLES, message="无权查看应考尽考名单"),
    summary="应考尽考名单：未持有效执法证的执法岗位人员及其考试情况",
)
def certification_gaps(request: HttpRequest, department: str = "", on: str = "") -> dict[str, Any]:
    return gaps.as_dict(gaps.certification_gaps(on=_statistics_date(on), department=department))


@router.get(
    "/certification-gaps.xlsx",
    auth=api_auth_for(*DASHBOARD_ROLES, message="无权导出应考尽考名单"),
    summary="导出应考尽考名单 Excel",
)
def certification_gaps_xlsx(request: HttpRequest, department: str = "", on: str = "") -> HttpResponse:
    found = gaps.certification_gaps(on=_statistics_date(on), department=department)
    return xlsx_response(gaps.export_xlsx(found), gaps.export_filename(found))


class CertificateIn(Schema):
    holder_id: int | None = None
    username: str = ""
    number: str
    issued_on: dt.date
    expires_on: dt.date | None = None  # empty: by the certificate rule (发证之日起 N 年)
    issuer: str = ""
    note: str = ""
    # Without both certification exams passed on the platform: on what else the certificate rests
    # (e.g. 经司法局考试合格、调入前已取得), recorded as its basis and in the audit log.
    waiver_reason: str = ""


class CertificateOut(Schema):
    certificate_id: int
    holder_id: int
    number: str
    issued_on: dt.date
    expires_on: dt.date
    status: str
    expiry_rule: str  # which rule set the expiry date, "" when it was given
    basis: str  # 发证依据: the passed certification exams, or the stated reason


@router.post(
    "/certificates",
    auth=api_auth_for(*ADMIN_ROLES, message="只有考试管理员可以发放执法证"),
    response={201: CertificateOut},
    summary="发放执法证（考试管理员）",
)
def issue_certificate(request: HttpRequest, payload: CertificateIn) -> Any:
    holder = retraining.find_person(user_id=payload.holder_id, username=payload.username)
    rule = "" if payload.expires_on else certificates.expiry_explanation(payload.issued_on)
    cert = certificates.issue_certificate(
        holder=holder,
        number=payload.number,
        issued_on=payload.issued_on,
        expires_on=payload.expires_on,
        issuer=payload.issuer,
        note=payload.note,
        waiver_reason=payload.waiver_reason,
        by=api_user(request),
    )
    return Status(
        201,
        {
            "certificate_id": cert.pk,
            "holder_id": cert.holder_id,
            "number": cert.number,
            "issued_on": cert.issued_on,
            "expires_on": cert.expires_on,
            "status": cert.status,
            "expiry_rule": rule,
            "basis": cert.basis,
        },
    )


class TrainingIn(Schema):
    user_id: int | None = None
    username: str = ""
    date: dt.date
    hours: Decimal
    topic: str
    organizer: str = ""
    kind: str = "training"  # training 培训 / retraining 复训
    result: str = ""  # retraining only: passed 合格 / failed 不合格


class TrainingOut(Schema):
    training_id: int
    user_id: int
    kind: str
    result: str
    suspended: list[str]  # numbers of the certificates suspended by a failed retraining
    restored: list[str]  # numbers of the certificates restored by a passed retraining
    messages: list[str]


@router.post(
    "/trainings",
    auth=api_auth_for(*ADMIN_ROLES, message="只有考试管理员可以登记培训和复训结果"),
    response={201: TrainingOut},
    summary="登记培训或复训结果（考试管理员）",
)
def record_training(request: HttpRequest, payload: TrainingIn) -> Any:
    user = api_user(request)
    person = retraining.find_person(user_id=payload.user_id, username=payload.username)
    outcome = retraining.record_training(
        user=person,
        date=payload.date,
        hours=payload.hours,
        topic=payload.topic,
        organizer=payload.organizer,
        kind=payload.kind,
        result=payload.result,
        by=user,
    )
    return Status(
        201,
        {
            "training_id": outcome.record.pk,
            "user_id": person.pk,
            "kind": outcome.record.kind,
            "result": outcome.record.result,
            "suspended": [c.number for c in outcome.suspended],
            "restored": [c.number for c in outcome.restored],
            "messages": outcome.messages(),
        },
    )
