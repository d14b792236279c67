"""交卷 on the answer sheet: the page's script asks first; without it, a paper with blank questions comes
back (answers kept) naming them, and is handed in only with 仍要交卷 (confirm_blank=1). Time running out and
the API hand in without asking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.exams.models import Answer, Attempt, Question

pytestmark = pytest.mark.django_db


def _start(c, exam) -> Attempt:
    c.post(f"/exams/{exam.pk}/start")
    return Attempt.objects.get(exam=exam)


def _keys(attempt: Attempt, count: int) -> dict[str, list[str]]:
    """The right answers to the first `count` questions of the paper, as the form sends them."""
    return {f"q{qid}": Question.objects.get(pk=qid).answer for qid in attempt.question_ids()[:count]}


def test_the_sheet_loads_the_confirmation_and_sets_hand_in_apart_from_save(exam, candidate, login):
    c = login(candidate)
    attempt = _start(c, exam)
    html = c.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    assert "/static/exams/attempt.js" in html and "/static/exams/exams.css" in html
    assert 'id="exam-sheet"' in html and 'class="exam-submit">交卷</button>' in html
    assert 'class="secondary">保存答案</button>' in html
    first = attempt.question_ids()[0]
    assert '<legend><span class="question-number">1.</span> [' in html and f'id="f{first}"' in html
    assert 'name="confirm_blank"' not in html  # nothing confirmed before anything was asked


def test_handing_in_with_blank_questions_asks_first_and_keeps_the_answers(exam, candidate, login):
    c = login(candidate)
    attempt = _start(c, exam)
    answered = _keys(attempt, 2)
    r = c.post(f"/exams/attempts/{attempt.pk}/save", {**answered, "action": "submit"})
    html = r.content.decode()
    assert r.status_code == 200 and "还有 13 题未作答" in html and "交卷后不能修改" in html
    assert "仍要交卷" in html and 'form="exam-sheet"' in html and 'name="confirm_blank" value="1"' in html
    third = attempt.question_ids()[2]
    assert f'<a href="#f{third}">3</a>' in html and 'class="unanswered"' in html
    attempt.refresh_from_db()
    assert not attempt.is_submitted
    assert Answer.objects.filter(attempt=attempt).count() == 2  # saved, and shown checked again
    assert html.count(" checked>") == sum(len(v) for v in answered.values())

    done = c.post(
        f"/exams/attempts/{attempt.pk}/save", {**answered, "action": "submit", "confirm_blank": "1"}
    )
    assert done.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_submitted and not attempt.auto_submitted and attempt.score is not None


def test_saving_with_blank_questions_asks_nothing(exam, candidate, login):
    c = login(candidate)
    attempt = _start(c, exam)
    r = c.post(f"/exams/attempts/{attempt.pk}/save", {**_keys(attempt, 1), "action": "save"}, follow=True)
    assert "答案已保存" in r.content.decode() and "未作答" not in r.content.decode()


def test_a_paper_past_its_deadline_is_handed_in_without_asking(exam, candidate, login):
    c = login(candidate)
    attempt = _start(c, exam)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    html = c.post(f"/exams/attempts/{attempt.pk}/save", {"action": "submit"}).content.decode()
    assert "未作答" not in html.split("<ol>")[0] and "超时自动交卷" in html
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted


def test_the_api_still_hands_in_a_blank_paper_at_once(client, exam, candidate, token_for):
    h = token_for(candidate)
    attempt_id = client.post(f"/api/v1/exams/{exam.pk}/attempts", headers=h).json()["attempt_id"]
    r = client.post(f"/api/v1/exams/attempts/{attempt_id}/submit", headers=h)
    assert r.status_code == 200 and r.json()["score"] == 0 and r.json()["auto_submitted"] is False
    assert Attempt.objects.get(pk=attempt_id).is_submitted


def test_another_candidate_cannot_hand_in_my_paper(exam, candidate, candidate2, login):
    attempt = _start(login(candidate), exam)
    r = login(candidate2).post(
        f"/exams/attempts/{attempt.pk}/save", {"action": "submit", "confirm_blank": "1"}
    )
    assert r.status_code == 403
    attempt.refresh_from_db()
    assert not attempt.is_submitted
