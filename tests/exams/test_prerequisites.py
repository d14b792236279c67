"""The specialised-law exam before the general-law exam: a candidate who has not passed the exam to pass
first cannot start the next one and is told which exam that is; exams without the setting are unchanged.

The certification exams here have the format of the 执法资格考试规则 (test_exam_format), which a published
certification exam must have."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.exams.models import Attempt, Exam, Question
from fazhi.exams.services import attempts, exam_format, prerequisites

from .conftest import BLUEPRINT, certification_exam
from .test_admin import _exam_post

pytestmark = pytest.mark.django_db


def _open_exam(title: str, **kw) -> Exam:
    now = timezone.now()
    return attempts.create_exam(
        title=title, blueprint=BLUEPRINT, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1),
        time_limit_minutes=60, pass_mark=20, **kw,
    )  # fmt: skip


@pytest.fixture
def specialised(certification_bank):
    return certification_exam("2026年财政专业法律知识考试", "specialised")


@pytest.fixture
def general(certification_bank):
    return certification_exam("2026年公共法律知识考试", "general")


def _take(exam: Exam, user, *, correctly: bool) -> Attempt:
    """Start, answer every question (right, or not at all) and hand in."""
    attempt, _ = attempts.start_attempt(user=user, exam_id=exam.pk)
    if correctly:
        for qid in attempt.question_ids():
            key = Question.objects.get(pk=qid).answer
            attempts.save_answer(user=user, attempt_id=attempt.pk, question_id=qid, answer=key)
    return attempts.submit_attempt(user=user, attempt_id=attempt.pk)


def test_the_general_exam_waits_for_a_pass_in_a_specialised_exam(specialised, general, candidate):
    with pytest.raises(Conflict) as refused:
        attempts.start_attempt(user=candidate, exam_id=general.pk)
    assert (
        refused.value.message
        == "本场考试为公共法律知识考试，须先通过专业法律知识考试（“2026年财政专业法律知识考试”）才能开始。"
    )
    assert (
        refused.value.code == "prerequisite_not_passed" and not Attempt.objects.filter(exam=general).exists()
    )
    failed = _take(specialised, candidate, correctly=False)
    assert failed.passed is False
    with pytest.raises(Conflict, match="须先通过专业法律知识考试"):
        attempts.start_attempt(user=candidate, exam_id=general.pk)
    # A second specialised exam, passed this time.
    retake = certification_exam("2026年财政专业法律知识补考", "specialised")
    assert _take(retake, candidate, correctly=True).passed is True
    attempt, created = attempts.start_attempt(user=candidate, exam_id=general.pk)
    assert created and attempt.exam == general


def test_an_exam_naming_its_prerequisite_names_it_in_the_refusal(specialised, candidate, candidate2):
    follow_up = _open_exam("执法资格综合考试", prerequisite=specialised)
    with pytest.raises(Conflict, match="^须先通过“2026年财政专业法律知识考试”才能开始本场考试"):
        attempts.start_attempt(user=candidate, exam_id=follow_up.pk)
    attempts.start_attempt(user=candidate, exam_id=specialised.pk)  # in progress is not passed
    with pytest.raises(Conflict, match="须先通过“2026年财政专业法律知识考试”"):
        attempts.start_attempt(user=candidate, exam_id=follow_up.pk)
    _take(specialised, candidate2, correctly=True)
    assert attempts.start_attempt(user=candidate2, exam_id=follow_up.pk)[1] is True


def test_without_any_specialised_exam_the_message_says_whom_to_ask(general, candidate):
    with pytest.raises(Conflict, match="系统中还没有标记为专业法律知识考试的考试，请联系考试管理员"):
        attempts.start_attempt(user=candidate, exam_id=general.pk)


def test_exams_without_the_setting_start_as_before_and_a_paper_already_held_is_kept(
    exam, specialised, candidate
):
    assert exam.certification_stage == "" and exam.prerequisite is None
    attempt, _ = attempts.start_attempt(user=candidate, exam_id=exam.pk)
    # Marked as the general-law exam afterwards: the candidate keeps the paper he already has.
    Exam.objects.filter(pk=exam.pk).update(certification_stage="general")
    assert attempts.start_attempt(user=candidate, exam_id=exam.pk) == (attempt, False)


def test_a_prerequisite_cannot_be_the_exam_itself_or_lead_back_to_it(specialised, general, examadmin, login):
    Exam.objects.filter(pk=specialised.pk).update(prerequisite=general)
    with pytest.raises(ValidationFailed, match="形成了循环"):
        prerequisites.check_prerequisite(exam=general, prerequisite=Exam.objects.get(pk=specialised.pk))
    c = login(examadmin)
    page = c.get(f"/admin/exams/exam/{general.pk}/change/")
    assert page.status_code == 200 and "须先通过的考试" in page.content.decode()
    own = c.post(
        f"/admin/exams/exam/{general.pk}/change/", _exam_post(title="公共", prerequisite=str(general.pk))
    )
    assert own.status_code == 200 and "须先通过的考试不能是本场考试自身" in own.content.decode()
    loop = c.post(
        f"/admin/exams/exam/{general.pk}/change/", _exam_post(title="公共", prerequisite=str(specialised.pk))
    )
    assert loop.status_code == 200 and "须先通过的考试形成了循环" in loop.content.decode()
    general.refresh_from_db()
    assert general.prerequisite is None and general.title == "2026年公共法律知识考试"


def test_the_admin_marks_an_exam_as_the_general_law_exam(specialised, examadmin, login):
    rule = exam_format.prefill()
    r = login(examadmin).post(
        "/admin/exams/exam/add/",
        _exam_post(
            certification_stage="general", blueprint=json.dumps(rule["blueprint"]), pass_mark="60",
            time_limit_minutes="120",
        ),
    )  # fmt: skip
    assert r.status_code == 302
    assert Exam.objects.get(title="后台新建考试").certification_stage == "general"


# --- pages and API ------------------------------------------------------------------------------------------


def test_the_exam_page_names_the_exam_to_pass_first_instead_of_the_start_button(
    specialised, general, candidate, login
):
    c = login(candidate)
    html = c.get(f"/exams/{general.pk}/").content.decode()
    assert (
        "须先通过专业法律知识考试（“2026年财政专业法律知识考试”）" in html and "开始考试</button>" not in html
    )
    assert "公共法律知识考试" in html
    start = c.post(f"/exams/{general.pk}/start")
    assert start.status_code == 409 and "2026年财政专业法律知识考试" in start.content.decode()
    assert "开始考试</button>" in c.get(f"/exams/{specialised.pk}/").content.decode()


def test_the_api_refuses_the_start_and_lists_the_reason(specialised, general, candidate, token_for, client):
    headers = token_for(candidate)
    r = client.post(f"/api/v1/exams/{general.pk}/attempts", headers=headers)
    assert r.status_code == 409 and r.json()["code"] == "prerequisite_not_passed"
    assert "2026年财政专业法律知识考试" in r.json()["detail"]
    listed = {e["exam_id"]: e for e in client.get("/api/v1/exams/", headers=headers).json()}
    assert listed[general.pk]["certification_stage"] == "general"
    assert "须先通过专业法律知识考试" in listed[general.pk]["start_blocked_reason"]
    assert listed[specialised.pk]["start_blocked_reason"] == ""
