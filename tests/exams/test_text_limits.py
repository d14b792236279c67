"""Free texts of the exams app have a length limit: a longer text is refused with a Chinese message naming
the field and the limit and changes nothing (never cut); a text of exactly the limit is accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import (
    CertificateStatusChange,
    EnforcementCertificate,
    Exam,
    Question,
    TrainingRecord,
)
from fazhi.exams.services import bank, certificates, exam_setup, retraining

from .test_certificate_basis import qualified
from .test_certificates import person
from .test_exam_setup import form

pytestmark = pytest.mark.django_db
D = dt.date
JSON = "application/json"


# --- 执法证: 备注, 发证机关, 状态变更原因 ----------------------------------------------------------------------


def _issue(holder, **kw):
    return certificates.issue_certificate(holder=holder, number="ZF-900", issued_on=D(2026, 7, 1), **kw)


@pytest.mark.parametrize(
    "field,limit,message",
    [
        ("note", certificates.MAX_NOTE, "备注不能超过 {limit:,} 个字（当前 {n:,} 个字）。"),
        ("issuer", certificates.MAX_ISSUER, "发证机关不能超过 {limit:,} 个字（当前 {n:,} 个字）。"),
    ],
)
def test_an_over_long_certificate_text_is_refused_and_nothing_is_issued(field, limit, message):
    holder = qualified(person("t1", "法规科"))
    with pytest.raises(ValidationFailed) as exc:
        _issue(holder, **{field: "注" * (limit + 1)})
    assert exc.value.message == message.format(limit=limit, n=limit + 1)
    assert not EnforcementCertificate.objects.filter(number="ZF-900").exists()
    cert = _issue(holder, **{field: "注" * limit})
    assert getattr(EnforcementCertificate.objects.get(pk=cert.pk), field) == "注" * limit


def test_the_api_refuses_an_over_long_certificate_note(examadmin, login):
    qualified(person("t2", "法规科"))
    body = {"username": "t2", "number": "ZF-901", "issued_on": "2026-07-01", "note": "注" * 100_000}
    r = login(examadmin).post("/api/v1/exams/certificates", body, content_type=JSON)
    assert r.status_code == 400
    assert r.json()["detail"] == f"备注不能超过 {certificates.MAX_NOTE:,} 个字（当前 100,000 个字）。"
    assert not EnforcementCertificate.objects.filter(number="ZF-901").exists()


def test_an_over_long_status_reason_is_refused_and_nothing_changes():
    holder = qualified(person("t3", "法规科"))
    cert = _issue(holder)
    limit = certificates.MAX_STATUS_REASON
    with pytest.raises(ValidationFailed) as exc:
        certificates.set_status(
            certificate=cert, status="suspended", on=D(2026, 8, 1), comment="因" * (limit + 1)
        )
    assert exc.value.message == f"状态变更原因不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）。"
    cert.refresh_from_db()
    assert cert.status == "valid" and not CertificateStatusChange.objects.filter(certificate=cert).exists()
    certificates.set_status(certificate=cert, status="suspended", on=D(2026, 8, 1), comment="因" * limit)
    assert CertificateStatusChange.objects.get(certificate=cert).reason == "因" * limit


# --- 培训记录: 组织单位 (was cut to 200 characters without a word) --------------------------------------------


def _training(user, organizer):
    return retraining.record_training(
        user=user, date=D(2026, 5, 1), hours=8, topic="年度培训", organizer=organizer, today=D(2026, 9, 30)
    )


def test_an_over_long_organizer_is_refused_not_cut():
    user = person("t4", "法规科")
    limit = retraining.MAX_ORGANIZER
    with pytest.raises(ValidationFailed) as exc:
        _training(user, "局" * (limit + 1))
    assert exc.value.message == f"组织单位不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）。"
    assert not TrainingRecord.objects.filter(user=user).exists()
    _training(user, "局" * limit)
    assert TrainingRecord.objects.get(user=user).organizer == "局" * limit


def test_the_api_refuses_an_over_long_organizer(examadmin, login):
    user = person("t5", "法规科")
    body = {
        "username": "t5",
        "date": "2026-05-01",
        "hours": "8",
        "topic": "年度培训",
        "organizer": "局" * 100_000,
    }
    r = login(examadmin).post("/api/v1/exams/trainings", body, content_type=JSON)
    assert r.status_code == 400
    assert r.json()["detail"] == f"组织单位不能超过 {retraining.MAX_ORGANIZER:,} 个字（当前 100,000 个字）。"
    assert not TrainingRecord.objects.filter(user=user).exists()


# --- 试题: 解析, 选项, 来源 ----------------------------------------------------------------------------------


def _question(**changes):
    return {"type": "single", "stem": "文本长度测试题", "options": ["甲", "乙"], "answer": "A"} | changes


@pytest.mark.parametrize(
    "changes,exact,message",
    [
        (
            {"explanation": "解" * (bank.MAX_EXPLANATION + 1)},
            {"explanation": "解" * bank.MAX_EXPLANATION},
            f"解析不能超过 {bank.MAX_EXPLANATION:,} 个字（当前 {bank.MAX_EXPLANATION + 1:,} 个字）。",
        ),
        (
            {"options": ["甲", "乙" * (bank.MAX_OPTION + 1)]},
            {"options": ["甲", "乙" * bank.MAX_OPTION]},
            f"选项 B不能超过 {bank.MAX_OPTION:,} 个字（当前 {bank.MAX_OPTION + 1:,} 个字）。",
        ),
        (
            {"source": "源" * (bank.MAX_SOURCE + 1)},
            {"source": "源" * bank.MAX_SOURCE},
            f"来源不能超过 {bank.MAX_SOURCE:,} 个字（当前 {bank.MAX_SOURCE + 1:,} 个字）。",
        ),
    ],
)
def test_an_over_long_question_text_names_its_row_and_nothing_is_imported(changes, exact, message):
    report = bank.import_questions(rows=[(7, _question(**changes))])
    assert [str(e) for e in report.errors] == [f"第7行：{message}"]
    assert not Question.objects.exists()
    report = bank.import_questions(rows=[(7, _question(**exact))])
    assert report.ok, report.errors
    assert Question.objects.count() == 1


# --- 考试说明 ------------------------------------------------------------------------------------------------


def test_the_exam_form_marks_an_over_long_description_and_saves_nothing(question_bank, examadmin, login):
    limit = exam_setup.MAX_DESCRIPTION
    page = login(examadmin).post("/exams/manage/new/", form(description="说" * (limit + 1)))
    assert page.status_code == 400
    text = page.content.decode()
    assert f"考试说明不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）" in text
    assert 'href="#f-description"' in text  # the error summary leads to the field
    # …which is marked and names its own error, so form-errors.js puts the focus there.
    assert 'aria-invalid="true" aria-describedby="e-description"' in text and 'id="e-description"' in text
    assert not Exam.objects.exists()
    r = login(examadmin).post("/exams/manage/new/", form(description="说" * limit))
    assert r.status_code == 302
    assert Exam.objects.get().description == "说" * limit


def test_the_service_refuses_an_over_long_description_on_update(exam, examadmin):
    before = Exam.objects.get(pk=exam.pk).description
    limit = exam_setup.MAX_DESCRIPTION
    with pytest.raises(ValidationFailed) as exc:
        exam_setup._check_common(
            exam=exam, title="标题", certification_stage="", prerequisite=None, description="说" * (limit + 1)
        )
    assert exc.value.message == f"考试说明不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）"
    assert Exam.objects.get(pk=exam.pk).description == before
