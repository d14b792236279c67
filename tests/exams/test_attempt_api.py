import datetime as dt
import io

import pytest
from django.utils import timezone

from fazhi.core.models import AuditEvent
from fazhi.core.services import ensure_user
from fazhi.exams.models import Answer, Attempt, Question
from fazhi.exams.services import attempts

pytestmark = pytest.mark.django_db


def start(client, exam, headers):
    return client.post(f"/api/v1/exams/{exam.pk}/attempts", headers=headers)


def test_staff_see_the_open_exam_and_outsiders_do_not(client, exam, candidate, enterprise, token_for):
    mine = client.get("/api/v1/exams/", headers=token_for(candidate)).json()
    assert [e["title"] for e in mine] == ["行政执法资格考试"]
    assert mine[0]["question_count"] == 14 and mine[0]["total_points"] == 38
    assert client.get("/api/v1/exams/", headers=token_for(enterprise)).json() == []
    assert client.get("/api/v1/exams/").status_code == 401


def test_starting_gives_a_paper_without_the_answer_key_and_again_the_same_attempt(
    client, exam, candidate, token_for
):
    headers = token_for(candidate)
    first = start(client, exam, headers)
    assert first.status_code == 200
    body = first.json()
    assert set(body) >= {"attempt_id", "deadline", "questions"}
    assert len(body["questions"]) == 15  # 13 plain questions + a case with two sub-questions
    for q in body["questions"]:
        assert {"question_id", "type", "stem", "options"} <= set(q)
        assert "answer" not in q and "explanation" not in q
    again = start(client, exam, token_for(candidate)).json()
    assert again["attempt_id"] == body["attempt_id"]
    assert [q["question_id"] for q in again["questions"]] == [q["question_id"] for q in body["questions"]]
    assert Attempt.objects.filter(exam=exam, user=candidate).count() == 1
    assert AuditEvent.objects.filter(action="transition", comment="开始考试").count() == 1


def test_two_candidates_get_different_papers(client, exam, candidate, candidate2, token_for):
    a = start(client, exam, token_for(candidate)).json()["questions"]
    b = start(client, exam, token_for(candidate2)).json()["questions"]
    assert [q["question_id"] for q in a] != [q["question_id"] for q in b]


def test_answers_are_saved_and_resumed_after_reconnect_with_remaining_time(
    client, exam, candidate, token_for
):
    body = start(client, exam, token_for(candidate)).json()
    q = next(q for q in body["questions"] if q["type"] == "multiple")
    url = f"/api/v1/exams/attempts/{body['attempt_id']}/answers/{q['question_id']}"
    r = client.put(url, {"answer": ["A", "C"]}, content_type="application/json", headers=token_for(candidate))
    assert r.status_code == 200 and r.json()["answer"] == ["A", "C"]
    r = client.put(
        url, {"answer": ["C", "A", "D"]}, content_type="application/json", headers=token_for(candidate)
    )
    assert r.json()["answer"] == ["A", "C", "D"]
    # A new session (browser restart, fresh token) picks up the same attempt and the saved answer.
    again = start(client, exam, token_for(candidate)).json()
    state = client.get(f"/api/v1/exams/attempts/{again['attempt_id']}", headers=token_for(candidate)).json()
    assert state["status"] == "in_progress"
    assert state["answers"] == {str(q["question_id"]): ["A", "C", "D"]}
    assert 59 * 60 - 5 <= state["remaining_seconds"] <= 60 * 60
    assert Answer.objects.filter(attempt_id=body["attempt_id"]).count() == 1


def test_bad_answers_are_refused_and_nothing_is_saved(client, exam, candidate, token_for):
    h = token_for(candidate)
    body = start(client, exam, h).json()
    single = next(q for q in body["questions"] if q["type"] == "single")
    base = f"/api/v1/exams/attempts/{body['attempt_id']}/answers/"
    r = client.put(
        base + str(single["question_id"]), {"answer": ["Z"]}, content_type="application/json", headers=h
    )
    assert r.status_code == 400 and "不存在" in r.json()["detail"]
    r = client.put(
        base + str(single["question_id"]), {"answer": ["A", "B"]}, content_type="application/json", headers=h
    )
    assert r.status_code == 400 and "只能选择一个" in r.json()["detail"]
    foreign = (
        Question.objects.exclude(pk__in=[q["question_id"] for q in body["questions"]])
        .exclude(type="case")
        .first()
    )
    r = client.put(base + str(foreign.pk), {"answer": ["A"]}, content_type="application/json", headers=h)
    assert r.status_code == 404 and "没有这道题" in r.json()["detail"]
    assert not Answer.objects.exists()


def _answer_all_correctly(client, body, headers, skip_type=None):
    for q in body["questions"]:
        if q["type"] == skip_type:
            continue
        key = Question.objects.get(pk=q["question_id"]).answer
        url = f"/api/v1/exams/attempts/{body['attempt_id']}/answers/{q['question_id']}"
        assert (
            client.put(url, {"answer": key}, content_type="application/json", headers=headers).status_code
            == 200
        )


def test_submitting_grades_the_paper_and_a_second_attempt_is_impossible(client, exam, candidate, token_for):
    h = token_for(candidate)
    body = start(client, exam, h).json()
    _answer_all_correctly(client, body, h)
    result = client.post(f"/api/v1/exams/attempts/{body['attempt_id']}/submit", headers=h).json()
    assert result["score"] == 38 and result["passed"] is True and result["auto_submitted"] is False
    assert AuditEvent.objects.filter(action="transition", comment="交卷").exists()
    again = start(client, exam, h).json()
    assert again["attempt_id"] == body["attempt_id"] and again["submitted"] is True
    q = body["questions"][0]
    r = client.put(
        f"/api/v1/exams/attempts/{body['attempt_id']}/answers/{q['question_id']}",
        {"answer": ["A"]}, content_type="application/json", headers=h,
    )  # fmt: skip
    assert r.status_code == 409 and "已交" in r.json()["detail"]
    # Submitting again changes nothing.
    assert client.post(f"/api/v1/exams/attempts/{body['attempt_id']}/submit", headers=h).json()["score"] == 38


def test_partial_credit_and_failing(client, exam, candidate, token_for):
    h = token_for(candidate)
    body = start(client, exam, h).json()
    for q in body["questions"]:
        if (
            q["type"] == "multiple"
        ):  # key A, C, D → two of three correct → half of 4 points under the "half" rule
            url = f"/api/v1/exams/attempts/{body['attempt_id']}/answers/{q['question_id']}"
            client.put(url, {"answer": ["A", "C"]}, content_type="application/json", headers=h)
    result = client.post(f"/api/v1/exams/attempts/{body['attempt_id']}/submit", headers=h).json()
    assert result["score"] == 6 and result["passed"] is False


def test_a_late_answer_is_refused_and_the_attempt_is_submitted_automatically(
    client, exam, candidate, token_for
):
    h = token_for(candidate)
    body = start(client, exam, h).json()
    first, second = body["questions"][:2]
    key = Question.objects.get(pk=first["question_id"]).answer
    client.put(f"/api/v1/exams/attempts/{body['attempt_id']}/answers/{first['question_id']}",
               {"answer": key}, content_type="application/json", headers=h)  # fmt: skip
    Attempt.objects.filter(pk=body["attempt_id"]).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    r = client.put(
        f"/api/v1/exams/attempts/{body['attempt_id']}/answers/{second['question_id']}",
        {"answer": ["A"]}, content_type="application/json", headers=h,
    )  # fmt: skip
    assert r.status_code == 409
    assert r.json()["detail"] == attempts.LATE_MESSAGE
    attempt = Attempt.objects.get(pk=body["attempt_id"])
    assert attempt.is_submitted and attempt.auto_submitted and attempt.score == 2
    assert not Answer.objects.filter(
        attempt=attempt, question_id=second["question_id"], answer=["A"]
    ).exists()


def test_an_attempt_past_its_deadline_is_graded_when_read(client, exam, candidate, token_for):
    h = token_for(candidate)
    body = start(client, exam, h).json()
    Attempt.objects.filter(pk=body["attempt_id"]).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    state = client.get(f"/api/v1/exams/attempts/{body['attempt_id']}", headers=h).json()
    assert state["status"] == "submitted" and state["auto_submitted"] is True
    assert state["score"] == 0 and state["passed"] is False and state["remaining_seconds"] == 0


def test_the_periodic_job_submits_abandoned_attempts(exam, candidate):
    attempt, _ = attempts.start_attempt(user=candidate, exam_id=exam.pk)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert attempts.finalize_expired_attempts() == 1
    attempt.refresh_from_db()
    assert attempt.auto_submitted


def test_the_deadline_never_passes_the_exam_window(exam, candidate):
    exam.closes_at = timezone.now() + dt.timedelta(minutes=10)
    exam.save()
    attempt, _ = attempts.start_attempt(user=candidate, exam_id=exam.pk)
    assert attempt.deadline == exam.closes_at


def test_a_candidate_cannot_read_or_touch_another_candidates_paper(
    client, exam, candidate, candidate2, token_for
):
    body = start(client, exam, token_for(candidate)).json()
    other = token_for(candidate2)
    aid = body["attempt_id"]
    assert client.get(f"/api/v1/exams/attempts/{aid}", headers=other).status_code == 403
    qid = body["questions"][0]["question_id"]
    r = client.put(f"/api/v1/exams/attempts/{aid}/answers/{qid}", {"answer": ["A"]},
                   content_type="application/json", headers=other)  # fmt: skip
    assert r.status_code == 403 and "不是您的试卷" in r.json()["detail"]
    assert client.post(f"/api/v1/exams/attempts/{aid}/submit", headers=other).status_code == 403
    assert client.get(f"/api/v1/exams/attempts/{aid}").status_code == 401
    assert client.get(f"/api/v1/exams/{exam.pk}/results", headers=token_for(candidate)).status_code == 403


def test_the_answer_key_is_not_readable_before_submitting(client, exam, candidate, token_for):
    h = token_for(candidate)
    body = start(client, exam, h).json()
    state = client.get(f"/api/v1/exams/attempts/{body['attempt_id']}", headers=h)
    for q in state.json()["questions"]:
        assert set(q) == {"question_id", "type", "stem", "options", "points", "case_id", "case_stem"}
    page = client.get(f"/api/v1/exams/{exam.pk}/results", headers=h)
    assert page.status_code == 403


def test_outsiders_and_ineligible_users_cannot_start(client, exam, outsider, enterprise, token_for):
    for user in (outsider, enterprise):
        r = start(client, exam, token_for(user))
        assert r.status_code == 403 and "考生范围" in r.json()["detail"]
    assert client.post(f"/api/v1/exams/{exam.pk}/attempts").status_code == 401
    assert client.post("/api/v1/exams/999999/attempts", headers=token_for(outsider)).status_code == 404


def test_an_explicitly_listed_candidate_without_the_staff_role_may_start(client, exam, token_for):
    guest = ensure_user(username="trainee", display_name="借调人员", role_names=[], password="x-pass-2026")
    exam.eligible_users.add(guest)
    assert start(client, exam, token_for(guest)).status_code == 200


def test_an_exam_not_yet_open_or_closed_cannot_be_started(client, exam, candidate, token_for):
    exam.opens_at = timezone.now() + dt.timedelta(hours=1)
    exam.save()
    r = start(client, exam, token_for(candidate))
    assert r.status_code == 409 and "尚未开始" in r.json()["detail"]


def test_results_statistics_and_excel_export_for_the_administrator(
    client, exam, candidate, candidate2, examadmin, token_for
):
    from openpyxl import load_workbook

    good = token_for(candidate)
    body = start(client, exam, good).json()
    _answer_all_correctly(client, body, good)
    client.post(f"/api/v1/exams/attempts/{body['attempt_id']}/submit", headers=good)
    weak = token_for(candidate2)
    body2 = start(client, exam, weak).json()
    client.post(f"/api/v1/exams/attempts/{body2['attempt_id']}/submit", headers=weak)
    data = client.get(f"/api/v1/exams/{exam.pk}/results", headers=token_for(examadmin)).json()
    assert data["summary"]["submitted"] == 2 and data["summary"]["passed"] == 1
    shared = set(q["question_id"] for q in body["questions"]) & set(
        q["question_id"] for q in body2["questions"]
    )
    for stat in data["questions"]:
        if stat["question_id"] in shared:
            assert stat["correct_rate"] == 0.5 and stat["correct"] == 1
            # Two papers are too few for the upper and lower 27 % groups (stats.MIN_CANDIDATES).
            assert stat["discrimination"] is None and "少于 10 人" in stat["discrimination_note"]
    xlsx = client.get(f"/api/v1/exams/{exam.pk}/results.xlsx", headers=token_for(examadmin))
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["成绩", "试题分析"]
    rows = list(wb["成绩"].iter_rows(values_only=True))
    assert rows[0][0] == "账号" and {r[0] for r in rows[1:]} == {"cand_a", "cand_b"}
    assert (
        client.get(f"/api/v1/exams/{exam.pk}/results.xlsx", headers=token_for(candidate)).status_code == 403
    )


def test_exam_creation_checks_its_settings(question_bank):
    now = timezone.now()
    with pytest.raises(Exception, match="截止时间必须晚于开放时间"):
        attempts.create_exam(
            title="x", blueprint=[{"type": "single", "count": 1, "points": 1}], opens_at=now, closes_at=now
        )
    with pytest.raises(Exception, match="只有 8 道可用"):
        attempts.create_exam(title="x", blueprint=[{"type": "judge", "count": 20, "points": 1}],
                             opens_at=now, closes_at=now + dt.timedelta(days=1), pass_mark=10)  # fmt: skip
    with pytest.raises(Exception, match="及格分"):
        attempts.create_exam(title="x", blueprint=[{"type": "judge", "count": 2, "points": 1}],
                             opens_at=now, closes_at=now + dt.timedelta(days=1), pass_mark=60)  # fmt: skip
