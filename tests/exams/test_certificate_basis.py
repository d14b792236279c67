"""发证依据: a 执法证 is issued after both certification exams are passed (专业 then 公共法律知识考试), or,
for a certificate earned elsewhere, with a stated reason kept on the certificate and in the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.exams.models import Attempt, EnforcementCertificate, Exam
from fazhi.exams.services import certificates

from .test_certificates import person

pytestmark = pytest.mark.django_db
D = dt.date


def sat(user, stage: str, *, passed: bool = True, on: dt.date = D(2026, 6, 1)) -> Attempt:
    """A handed-in attempt at a certification exam of the stage (the paper itself does not matter here)."""
    at = timezone.make_aware(dt.datetime(on.year, on.month, on.day, 10))
    exam = Exam.objects.create(title=f"{stage}考试{Exam.objects.count() + 1}", opens_at=at - dt.timedelta(hours=1),
                               closes_at=at + dt.timedelta(hours=1), certification_stage=stage)  # fmt: skip
    return Attempt.objects.create(
        exam=exam, user=user, seed=1, started_at=at - dt.timedelta(minutes=30), deadline=at, submitted_at=at,
        score=Decimal("80") if passed else Decimal("40"), total_points=Decimal("100"), passed=passed,
    )  # fmt: skip


def qualified(user, on: dt.date = D(2026, 6, 1)):
    """The holder passed both certification exams on the date."""
    sat(user, "specialised", on=on)
    sat(user, "general", on=on)
    return user


def test_a_holder_who_passed_no_certification_exam_is_refused_and_told_what_is_missing(db):
    holder = person("i1", "法规科")
    sat(holder, "specialised", passed=False)
    with pytest.raises(ValidationFailed) as refused:
        certificates.issue_certificate(holder=holder, number="ZF-1", issued_on=D(2026, 7, 1))
    message = refused.value.message
    assert "截至发证日期 2026-07-01 尚未通过专业法律知识考试、公共法律知识考试" in message
    assert "请填写发证依据" in message
    assert EnforcementCertificate.objects.count() == 0


def test_passing_only_the_specialised_exam_is_not_enough(db):
    holder = person("i1", "法规科")
    sat(holder, "specialised")
    with pytest.raises(ValidationFailed, match="尚未通过公共法律知识考试"):
        certificates.issue_certificate(holder=holder, number="ZF-1", issued_on=D(2026, 7, 1))
    assert EnforcementCertificate.objects.count() == 0


def test_a_pass_after_the_date_of_issue_does_not_count(db):
    holder = qualified(person("i1", "法规科"), on=D(2026, 8, 1))
    with pytest.raises(ValidationFailed, match="截至发证日期 2026-07-01 尚未通过"):
        certificates.issue_certificate(holder=holder, number="ZF-1", issued_on=D(2026, 7, 1))


def test_both_exams_passed_the_certificate_records_them_as_its_basis(db):
    holder = qualified(person("i1", "法规科"))
    cert = certificates.issue_certificate(holder=holder, number="ZF-1", issued_on=D(2026, 7, 1))
    assert cert.basis.startswith("本平台考试合格：专业法律知识考试“specialised考试1”80 分（2026-06-01 交卷）")
    assert "公共法律知识考试“general考试2”80 分" in cert.basis


def test_a_certificate_earned_elsewhere_is_issued_with_its_reason_recorded_and_audited(db, examadmin):
    holder = person("i1", "法规科")
    reason = "2025年11月参加市司法局组织的行政执法资格考试，成绩86分"
    cert = certificates.issue_certificate(
        holder=holder, number="ZF-1", issued_on=D(2026, 7, 1), waiver_reason=f"  {reason} ", by=examadmin
    )
    assert cert.basis == f"未在本平台通过专业法律知识考试、公共法律知识考试，依据：{reason}"
    event = AuditEvent.objects.filter(object_id=str(cert.pk), comment__contains="凭其他依据发证").get()
    assert reason in event.comment and event.actor == examadmin


def test_the_api_refuses_a_holder_without_passed_exams_and_creates_nothing(db, examadmin, login):
    person("i1", "法规科")
    body = {"username": "i1", "number": "ZF-400", "issued_on": "2026-07-01"}
    r = login(examadmin).post("/api/v1/exams/certificates", body, content_type="application/json")
    assert r.status_code == 400 and "尚未通过专业法律知识考试、公共法律知识考试" in r.json()["detail"]
    assert EnforcementCertificate.objects.count() == 0


def test_the_api_issues_with_a_stated_reason_and_returns_the_basis(db, examadmin, login):
    person("i1", "法规科")
    reason = "调入前已取得省政府颁发的执法证"
    body = {"username": "i1", "number": "ZF-401", "issued_on": "2026-07-01", "waiver_reason": reason}
    r = login(examadmin).post("/api/v1/exams/certificates", body, content_type="application/json")
    assert r.status_code == 201, r.content
    cert = EnforcementCertificate.objects.get()
    assert r.json()["basis"] == cert.basis and reason in cert.basis
    event = AuditEvent.objects.filter(object_id=str(cert.pk), comment__contains="凭其他依据发证").get()
    assert event.actor == examadmin


def test_the_admin_asks_for_the_reason_and_records_it(db, examadmin, login):
    holder = person("i1", "法规科")
    data = {"holder": holder.pk, "number": "ZF-300", "issued_on": "2026-07-01", "expires_on": "", "status": "valid",
            "status_changed_on": "", "issuer": "区司法局", "note": "", "status_reason": "", "waiver_reason": ""}  # fmt: skip
    c = login(examadmin)
    refused = c.post("/admin/exams/enforcementcertificate/add/", data)
    assert refused.status_code == 200 and "尚未通过专业法律知识考试" in refused.content.decode()
    assert EnforcementCertificate.objects.count() == 0
    data["waiver_reason"] = "调入时已持有省政府颁发的执法证（原证号 鄂执 0001）"
    assert c.post("/admin/exams/enforcementcertificate/add/", data).status_code == 302
    cert = EnforcementCertificate.objects.get()
    assert "原证号 鄂执 0001" in cert.basis
    assert AuditEvent.objects.filter(object_id=str(cert.pk), comment__contains="凭其他依据发证").exists()
