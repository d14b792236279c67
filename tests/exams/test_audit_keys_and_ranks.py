"""Defects from the browser audit of the exams app: keys shown while papers are still being answered
after 提前截止, ties on the competition leaderboard, and a draft exam's title shown through 开始考试."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fazhi.core.errors import Conflict
from fazhi.exams.models import Answer, Attempt, Competition, CompetitionRound, Exam, Question
from fazhi.exams.services import attempts, competitions, exam_setup, practice

pytestmark = pytest.mark.django_db


def _hand_in(c, attempt):
    c.post(f"/exams/attempts/{attempt.pk}/save", {"action": "submit", "confirm_blank": "1"})


def test_closing_early_shows_no_key_while_another_candidate_is_still_answering(
    exam, candidate, candidate2, examadmin, login
):
    done, busy = login(candidate), login(candidate2)
    done.post(f"/exams/{exam.pk}/start")
    busy.post(f"/exams/{exam.pk}/start")
    handed_in = Attempt.objects.get(user=candidate)
    running = Attempt.objects.get(user=candidate2)
    _hand_in(done, handed_in)
    exam_setup.close_exam(exam=exam, by=examadmin)  # 提前截止: candidate2 keeps the paper's deadline
    running.refresh_from_db()
    assert not running.is_submitted and running.deadline > timezone.now()

    # The candidate who handed in sees neither the key nor right/wrong, and is told why.
    html = done.get(f"/exams/attempts/{handed_in.pk}/").content.decode()
    for leak in ("标准答案：", "正确，得", "错误，得"):
        assert leak not in html
    assert "仍有考生在作答" in html and f"{timezone.localtime(running.deadline):%Y-%m-%d %H:%M}" in html

    # The candidate still answering cannot look the key of a paper question up in practice.
    q = Question.objects.get(pk=running.question_ids()[0])
    with pytest.raises(Conflict, match="尚未结束的考试或竞赛"):
        practice.answer_question(user=candidate2, question_id=q.pk, answer=q.answer)
    r = busy.post("/exams/practice/", {"question_id": q.pk, "answer": q.answer, "mode": "random"})
    assert r.status_code == 409 and "正确答案" not in r.content.decode()

    # Once the last paper is handed in, the key shows and practice has the questions back.
    _hand_in(busy, running)
    assert "标准答案：" in done.get(f"/exams/attempts/{handed_in.pk}/").content.decode()
    assert practice.answer_question(user=candidate2, question_id=q.pk, answer=q.answer).correct


def test_a_closing_time_moved_earlier_keeps_the_key_until_the_last_deadline(
    exam, candidate, candidate2, login
):
    c = login(candidate)
    c.post(f"/exams/{exam.pk}/start")
    attempts.start_attempt(user=candidate2, exam_id=exam.pk)  # deadline in 60 minutes
    mine = Attempt.objects.get(user=candidate)
    _hand_in(c, mine)
    Exam.objects.filter(pk=exam.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    assert "标准答案：" not in c.get(f"/exams/attempts/{mine.pk}/").content.decode()
    # The other paper's deadline passes (it is graded on read): now the key may show.
    Attempt.objects.filter(user=candidate2).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    assert "标准答案：" in c.get(f"/exams/attempts/{mine.pk}/").content.decode()


def test_an_entry_started_before_its_round_closed_keeps_its_questions_out_of_practice(
    question_bank, candidate
):
    now = timezone.now()
    comp = Competition.objects.create(title="普法竞赛", question_count=5, time_limit_seconds=300)
    round_ = CompetitionRound.objects.create(
        competition=comp, number=1, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1)
    )
    entry = competitions.start_entry(user=candidate, round_id=round_.pk)
    CompetitionRound.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    q = Question.objects.get(pk=entry.question_ids[0])
    # Within its 300 seconds the entry can still be handed in and counted: no key from practice.
    with pytest.raises(Conflict, match="尚未结束的考试或竞赛"):
        practice.answer_question(user=candidate, question_id=q.pk, answer=q.answer)
    # Past the time limit nothing it hands in counts any more: the questions are study material again.
    type(entry).objects.filter(pk=entry.pk).update(started_at=timezone.now() - dt.timedelta(seconds=400))
    assert practice.answer_question(user=candidate, question_id=q.pk, answer=q.answer).correct


def test_equal_results_share_a_place_on_the_leaderboard(
    question_bank, candidate, candidate2, enterprise, client
):
    now = timezone.now()
    comp = Competition.objects.create(title="普法竞赛", question_count=5, time_limit_seconds=30)
    round_ = CompetitionRound.objects.create(
        competition=comp, number=1, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1)
    )

    def play(user, right: int, seconds: float):
        entry = competitions.start_entry(user=user, round_id=round_.pk)
        keys = dict(Question.objects.filter(pk__in=entry.question_ids).values_list("id", "answer"))
        answers = {q: (keys[q] if i < right else ["Z"]) for i, q in enumerate(entry.question_ids)}
        return competitions.finish_entry(
            user=user,
            entry_id=entry.pk,
            answers=answers,
            now=entry.started_at + dt.timedelta(seconds=seconds),
        )

    # Both ran out of time with 3 right: the same result, recorded as the round's 30 seconds.
    play(candidate, 3, 31)
    play(candidate2, 3, 33)
    play(enterprise, 2, 12)
    ranks = [(row["rank"], row["correct"]) for row in client.get(
        f"/api/v1/exams/competitions/rounds/{round_.pk}/leaderboard"
    ).json()]  # fmt: skip
    assert ranks == [(1, 3), (1, 3), (3, 2)]
    html = client.get(f"/exams/competitions/rounds/{round_.pk}/").content.decode()
    places = [cell.split("</th>")[0] for cell in html.split('<th scope="row">')[1:]]
    assert places == ["1", "1", "3"]


def test_starting_a_draft_exam_does_not_show_its_title(question_bank, examadmin, candidate, login):
    now = timezone.now()
    draft = exam_setup.create_exam(
        title="未发布的内部考试",
        description="内部说明：考题范围",
        blueprint=[{"type": "single", "knowledge_point": "", "count": 2, "points": 50}],
        total_points=Decimal(100),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        time_limit_minutes=60,
        pass_mark=Decimal(60),
        partial_credit="none",
        open_to_staff=True,
        eligible_users=[],
        certification_stage="",
        prerequisite=None,
        by=examadmin,
    )
    assert not draft.is_published
    r = login(candidate).post(f"/exams/{draft.pk}/start")
    assert r.status_code == 404
    body = r.content.decode()
    assert "未发布的内部考试" not in body and "内部说明" not in body


def test_a_certificate_dated_at_the_end_of_the_calendar_is_refused_with_a_message(db, examadmin, login):
    from fazhi.core.services import ensure_user
    from fazhi.exams.models import EnforcementCertificate

    ensure_user(username="holder1", display_name="持证人", role_names=[], password="x-pass-2026")
    body = {
        "username": "holder1",
        "number": "ZF-9999",
        "issued_on": "9999-12-31",
        "waiver_reason": "调入前已取得",
    }
    c = login(examadmin)
    r = c.post("/api/v1/exams/certificates", body, content_type="application/json")
    assert r.status_code == 400 and "发证日期 9999-12-31 不正确：应不晚于 2100-12-31" in r.json()["detail"]
    holder = EnforcementCertificate._meta.get_field("holder").related_model.objects.get(username="holder1")
    data = {"holder": holder.pk, "number": "ZF-9999", "issued_on": "9999-12-31", "expires_on": "", "status": "valid",
            "status_changed_on": "", "issuer": "区司法局", "note": "", "status_reason": "", "waiver_reason": "调入前已取得"}  # fmt: skip
    page = c.post("/admin/exams/enforcementcertificate/add/", data)
    assert page.status_code == 200 and "应不晚于 2100-12-31" in page.content.decode()
    assert not EnforcementCertificate.objects.exists()


def test_handing_in_twice_without_javascript_shows_the_result_not_an_error(exam, candidate, login):
    c = login(candidate)
    c.post(f"/exams/{exam.pk}/start")
    attempt = Attempt.objects.get(user=candidate)
    first = attempt.question_ids()[0]
    data = {f"q{first}": Question.objects.get(pk=first).answer, "action": "submit", "confirm_blank": "1"}
    assert c.post(f"/exams/attempts/{attempt.pk}/save", data).status_code == 302
    # The same form sent again (a double click, the browser resending it): the result, no error.
    again = c.post(f"/exams/attempts/{attempt.pk}/save", data, follow=True)
    html = again.content.decode()
    assert again.status_code == 200 and "试卷已交，不能再修改答案" not in html and "得分 " in html
    # A changed answer after handing in is still refused, and nothing changes.
    changed = c.post(f"/exams/attempts/{attempt.pk}/save", {**data, f"q{first}": ["A"]})
    assert changed.status_code == 409 and "试卷已交，不能再修改答案" in changed.content.decode()
    assert (
        Answer.objects.get(attempt=attempt, question_id=first).answer == Question.objects.get(pk=first).answer
    )


def test_the_exam_list_says_how_many_are_still_answering_after_closing_early(
    exam, candidate, candidate2, examadmin, login
):
    login(candidate).post(f"/exams/{exam.pk}/start")
    login(candidate2).post(f"/exams/{exam.pk}/start")
    _hand_in(login(candidate), Attempt.objects.get(user=candidate))
    exam_setup.close_exam(exam=exam, by=examadmin)
    page = login(examadmin).get("/exams/manage/").content.decode()
    assert "已截止（1 人仍在作答）" in page
    _hand_in(login(candidate2), Attempt.objects.get(user=candidate2))
    page = login(examadmin).get("/exams/manage/").content.decode()
    assert "已截止（" not in page and "已截止" in page
