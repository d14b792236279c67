"""The exams admin: who may use it, and that it applies the same rules as the services."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.models import AuditEvent
from fazhi.core.services import ensure_user
from fazhi.exams.models import (
    Attempt,
    CompetitionEntry,
    EnforcementCertificate,
    Exam,
    Question,
)
from fazhi.exams.services import attempts, certificates

pytestmark = pytest.mark.django_db

EXAM_PAGES = [
    "/admin/exams/exam/",
    "/admin/exams/exam/add/",
    "/admin/exams/question/add/",
    "/admin/exams/competition/add/",
    "/admin/exams/enforcementcertificate/add/",
    "/admin/exams/trainingrecord/add/",
    "/admin/exams/staffprofile/add/",
]


@pytest.fixture
def staff_drafter(db):
    return ensure_user(
        username="clerk_staff",
        display_name="起草人",
        role_names=[roles.DRAFTER, roles.STAFF_MEMBER],
        is_staff=True,
        password="x-pass-2026",
    )


# --- who (H3) -----------------------------------------------------------------------------------------


def test_the_exam_administrator_can_maintain_exams_in_the_admin(question_bank, examadmin, login):
    c = login(examadmin)
    for url in EXAM_PAGES:
        assert c.get(url).status_code == 200, url
    case = Question.objects.filter(type="case").first()
    page = c.get(f"/admin/exams/question/{case.pk}/change/")
    assert page.status_code == 200 and "案例小题" in page.content.decode()
    assert "学法考试" in c.get("/admin/").content.decode()


def test_staff_without_the_exam_role_are_refused_by_the_exams_admin(
    reviewer, staff_drafter, enterprise, login
):
    for user in (reviewer, staff_drafter):
        c = login(user)
        for url in EXAM_PAGES:
            assert c.get(url).status_code == 403, (user, url)
        assert "学法考试" not in c.get("/admin/").content.decode()
    r = login(enterprise).get("/admin/exams/exam/")  # not staff at all: the admin login page
    assert r.status_code == 302 and "/admin/login/" in r.url


# --- evidence is read-only (M3) -------------------------------------------------------------------------


def test_attempts_and_competition_entries_cannot_be_invented_or_deleted(
    exam, candidate, examadmin, sysadmin, login
):
    attempt, _ = attempts.start_attempt(user=candidate, exam_id=exam.pk)
    for user in (examadmin, sysadmin):
        c = login(user)
        assert c.get("/admin/exams/attempt/").status_code == 200
        assert c.get(f"/admin/exams/attempt/{attempt.pk}/change/").status_code == 200  # view only
        assert c.get("/admin/exams/competitionentry/").status_code == 200
        assert c.get("/admin/exams/competitionentry/add/").status_code == 403
        assert c.get("/admin/exams/attempt/add/").status_code == 403
        assert c.post(f"/admin/exams/attempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 403
        bulk = c.post(
            "/admin/exams/attempt/",
            {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
        )
        assert bulk.status_code in (200, 302)
    assert Attempt.objects.filter(pk=attempt.pk).exists()
    assert not CompetitionEntry.objects.exists()
    # Deleting the exam would delete the attempt with it: refused as well.
    assert login(examadmin).post(f"/admin/exams/exam/{exam.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Exam.objects.filter(pk=exam.pk).exists()


# --- the exam form runs the service rules (M1) -------------------------------------------------------------


def _exam_post(**changes):
    now = timezone.localtime()
    opens, closes = now + dt.timedelta(days=1), now + dt.timedelta(days=2)
    data = {
        "title": "后台新建考试",
        "description": "",
        "blueprint": json.dumps([{"type": "single", "count": 2, "points": 5}]),
        "partial_credit": "none",
        "time_limit_minutes": "60",
        "pass_mark": "6",
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": closes.strftime("%Y-%m-%d"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "open_to_staff": "on",
        "is_published": "on",
        "created_by": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closes_at_0": "2020-01-01"}, "截止时间必须晚于开放时间"),
        ({"time_limit_minutes": "0"}, "考试时长应在 1 到 1440 分钟之间"),
        ({"time_limit_minutes": "1441"}, "考试时长应在 1 到 1440 分钟之间"),
        ({"pass_mark": "1000"}, "不超过总分 10.00"),
        ({"pass_mark": "0"}, "应大于 0"),
        ({"open_to_staff": ""}, "指定考生名单"),
    ],
)
def test_the_admin_refuses_an_impossible_exam(question_bank, examadmin, login, changes, message):
    data = _exam_post(**changes)
    if not data["open_to_staff"]:
        del data["open_to_staff"]
    r = login(examadmin).post("/admin/exams/exam/add/", data)
    assert r.status_code == 200 and message in r.content.decode()
    assert 'value="后台新建考试"' in r.content.decode()  # what was typed is kept
    assert not Exam.objects.filter(title="后台新建考试").exists()


def test_the_admin_saves_a_sound_exam(question_bank, examadmin, login):
    r = login(examadmin).post("/admin/exams/exam/add/", _exam_post())
    assert r.status_code == 302
    assert Exam.objects.get(title="后台新建考试").total_points == 10


# --- certificates follow set_status (M2) ----------------------------------------------------------------


@pytest.fixture
def certificate(candidate):
    return EnforcementCertificate.objects.create(
        holder=candidate, number="ZF-001", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2028, 1, 1)
    )


def _cert_post(cert, **changes):
    data = {
        "holder": cert.holder_id,
        "number": cert.number,
        "issued_on": cert.issued_on.isoformat(),
        "expires_on": cert.expires_on.isoformat(),
        "status": cert.status,
        "status_changed_on": "",
        "issuer": "",
        "note": "",
        "status_reason": "",
    }
    data.update(changes)
    return data


def test_suspending_a_certificate_in_the_admin_needs_a_date_and_a_reason(certificate, examadmin, login):
    c = login(examadmin)
    url = f"/admin/exams/enforcementcertificate/{certificate.pk}/change/"
    no_date = c.post(url, _cert_post(certificate, status="suspended", status_reason="复训不合格"))
    assert no_date.status_code == 200 and "须填写状态变更日期" in no_date.content.decode()
    no_reason = c.post(url, _cert_post(certificate, status="suspended", status_changed_on="2026-06-01"))
    assert no_reason.status_code == 200 and "须填写原因" in no_reason.content.decode()
    before_issue = c.post(
        url, _cert_post(certificate, status="revoked", status_changed_on="2025-06-01", status_reason="调离")
    )
    assert before_issue.status_code == 200 and "不能早于发证日期" in before_issue.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "valid" and certificate.status_changed_on is None
    ok = c.post(
        url,
        _cert_post(
            certificate, status="suspended", status_changed_on="2026-06-01", status_reason="复训不合格"
        ),
    )
    assert ok.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "suspended" and certificate.status_changed_on == dt.date(2026, 6, 1)
    event = AuditEvent.objects.filter(action="transition", object_id=str(certificate.pk)).get()
    assert event.comment == "复训不合格" and event.before == {"status": "valid"}
    # The suspension counts from its date, not from the beginning of time.
    assert certificate.holder_id in certificates._certified_user_ids(dt.date(2026, 5, 31))
    assert certificate.holder_id not in certificates._certified_user_ids(dt.date(2026, 6, 1))


def test_an_expiry_before_the_issue_date_is_refused(certificate, examadmin, login):
    r = login(examadmin).post(
        f"/admin/exams/enforcementcertificate/{certificate.pk}/change/",
        _cert_post(certificate, expires_on="2020-01-01"),
    )
    assert r.status_code == 200 and "不能早于发证日期" in r.content.decode()
    certificate.refresh_from_db()
    assert certificate.expires_on == dt.date(2028, 1, 1)


def test_other_certificate_fields_save_without_a_status_change(certificate, examadmin, login):
    r = login(examadmin).post(
        f"/admin/exams/enforcementcertificate/{certificate.pk}/change/",
        _cert_post(certificate, issuer="区财政局"),
    )
    assert r.status_code == 302
    certificate.refresh_from_db()
    assert certificate.issuer == "区财政局" and certificate.status == "valid"


# --- case sub-questions are checked (M4) --------------------------------------------------------------------


def _case_post(sub):
    data = {
        "type": "case",
        "stem": "案例：某局对某公司作出罚款决定",
        "options": "{}",
        "answer": "[]",
        "explanation": "",
        "difficulty": "3",
        "position": "0",
        "source": "",
        "is_active": "on",
        "sub_questions-TOTAL_FORMS": "1",
        "sub_questions-INITIAL_FORMS": "0",
        "sub_questions-MIN_NUM_FORMS": "0",
        "sub_questions-MAX_NUM_FORMS": "1000",
    }
    data.update({f"sub_questions-0-{k}": v for k, v in sub.items()})
    return data


def test_a_case_sub_question_without_options_or_with_an_unknown_answer_is_refused(examadmin, login):
    c = login(examadmin)
    bad = {
        "type": "single",
        "position": "1",
        "stem": "第1问",
        "options": "{}",
        "answer": '["Z"]',
        "explanation": "",
    }
    r = c.post("/admin/exams/question/add/", _case_post(bad))
    assert r.status_code == 200 and "选择题至少需要两个选项" in r.content.decode()
    unknown = {**bad, "options": json.dumps({"A": "甲", "B": "乙"})}
    r = c.post("/admin/exams/question/add/", _case_post(unknown))
    assert r.status_code == 200 and "答案 Z 不在选项 A、B 中" in r.content.decode()
    assert not Question.objects.exists()
    good = {**unknown, "answer": '"a"'}
    assert c.post("/admin/exams/question/add/", _case_post(good)).status_code == 302
    sub = Question.objects.get(parent__isnull=False)
    assert sub.answer == ["A"] and sub.options == {"A": "甲", "B": "乙"}
