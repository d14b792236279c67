import random
import re

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import KnowledgePoint, MistakeBook, Question
from fazhi.exams.services import practice

pytestmark = pytest.mark.django_db


def test_a_wrong_answer_stays_in_the_mistake_book_until_right_twice_in_a_row(question_bank, candidate):
    q = Question.objects.filter(type="single").first()
    wrong = practice.answer_question(user=candidate, question_id=q.pk, answer=["A"])
    assert not wrong.correct and wrong.key == ["B"] and wrong.in_mistake_book
    assert wrong.explanation.startswith("解析")
    mistakes = practice.next_question(user=candidate, mode="mistakes")
    assert mistakes == q
    assert practice.answer_question(
        user=candidate, question_id=q.pk, answer=["B"]
    ).in_mistake_book  # 1 in a row
    practice.answer_question(user=candidate, question_id=q.pk, answer=["C"])  # wrong again: streak resets
    assert MistakeBook.objects.get(user=candidate, question=q).streak == 0
    practice.answer_question(user=candidate, question_id=q.pk, answer=["B"])
    last = practice.answer_question(user=candidate, question_id=q.pk, answer=["B"])
    assert not last.in_mistake_book
    assert practice.next_question(user=candidate, mode="mistakes") is None
    assert MistakeBook.objects.get(user=candidate, question=q).wrong_count == 2


def test_mistakes_come_back_in_the_other_modes_too(question_bank, candidate):
    q = Question.objects.filter(type="judge").first()
    practice.answer_question(user=candidate, question_id=q.pk, answer=["B"])
    seen = {practice.next_question(user=candidate, mode="random", rng=random.Random(s)).pk for s in range(40)}
    assert q.pk in seen


def test_practice_by_knowledge_point_only_draws_from_that_point(question_bank, candidate):
    point = KnowledgePoint.objects.get(name="行政许可")
    for seed in range(10):
        q = practice.next_question(user=candidate, mode="point", point_id=point.pk, rng=random.Random(seed))
        assert q.knowledge_points.filter(pk=point.pk).exists()


def test_case_sub_questions_are_practised_with_their_case(question_bank, candidate):
    sub = Question.objects.filter(parent__isnull=False).first()
    fb = practice.answer_question(user=candidate, question_id=sub.pk, answer=sub.answer)
    assert fb.correct and fb.question.parent.stem.startswith("案例")


def test_an_empty_or_unknown_answer_is_refused(question_bank, candidate):
    q = Question.objects.filter(type="single").first()
    with pytest.raises(ValidationFailed, match="请先选择答案"):
        practice.answer_question(user=candidate, question_id=q.pk, answer=[])
    with pytest.raises(ValidationFailed, match="不存在"):
        practice.answer_question(user=candidate, question_id=q.pk, answer=["Z"])


def test_the_practice_page_gives_instant_feedback(question_bank, candidate, login, client):
    c = login(candidate)
    page = c.get("/exams/practice/?mode=random")
    assert page.status_code == 200 and "请选择答案" in page.content.decode()
    q = Question.objects.filter(type="judge").first()
    r = c.post("/exams/practice/", {"question_id": q.pk, "answer": ["A"], "mode": "random"})
    assert "回答正确" in r.content.decode() and "下一题" in r.content.decode()
    assert client.get("/exams/practice/").status_code == 302  # anonymous → login


# --- practice never gives the key of a question in a running exam or competition entry (H1) ----------


def _paper_question(attempt):
    """A plain (non-case) question on the attempt's paper."""
    return Question.objects.get(pk=next(i["question_id"] for i in attempt.paper if not i.get("case_id")))


def test_a_question_on_my_unsubmitted_paper_cannot_be_practised(exam, candidate, login):
    from fazhi.core.errors import Conflict
    from fazhi.exams.services import attempts

    attempt, _ = attempts.start_attempt(user=candidate, exam_id=exam.pk)
    q = _paper_question(attempt)
    with pytest.raises(Conflict, match="尚未结束的考试或竞赛"):
        practice.answer_question(user=candidate, question_id=q.pk, answer=["A"])
    r = login(candidate).post("/exams/practice/", {"question_id": q.pk, "answer": ["A"], "mode": "random"})
    html = r.content.decode()
    assert r.status_code == 409 and "尚未结束的考试或竞赛" in html
    assert "正确答案" not in html and "回答正确" not in html and "回答错误" not in html
    assert not MistakeBook.objects.filter(user=candidate, question=q).exists()


def test_a_question_on_a_submitted_paper_stays_out_of_practice_until_the_exam_closes(
    exam, candidate, candidate2
):
    import datetime as dt

    from django.utils import timezone

    from fazhi.core.errors import Conflict
    from fazhi.exams.services import attempts

    attempt, _ = attempts.start_attempt(user=candidate, exam_id=exam.pk)
    attempts.submit_attempt(user=candidate, attempt_id=attempt.pk)
    on_paper = set(attempt.question_ids())
    q = _paper_question(attempt)
    for user in (candidate, candidate2):  # nobody can look the key up while the exam is open
        with pytest.raises(Conflict):
            practice.answer_question(user=user, question_id=q.pk, answer=["A"])
    drawn = {
        practice.next_question(user=candidate2, mode="random", rng=random.Random(s)).pk for s in range(60)
    }
    assert not drawn & on_paper
    exam.closes_at = timezone.now() - dt.timedelta(seconds=1)
    exam.save()
    assert practice.answer_question(user=candidate2, question_id=q.pk, answer=q.answer).correct


def test_the_questions_of_an_unfinished_competition_entry_cannot_be_practised(question_bank, enterprise):
    import datetime as dt

    from django.utils import timezone

    from fazhi.core.errors import Conflict
    from fazhi.exams.models import Competition, CompetitionRound
    from fazhi.exams.services import competitions

    now = timezone.now()
    comp = Competition.objects.create(title="普法竞赛", question_count=5, time_limit_seconds=300)
    round_ = CompetitionRound.objects.create(
        competition=comp, number=1, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1)
    )
    entry = competitions.start_entry(user=enterprise, round_id=round_.pk)
    for qid in entry.question_ids:
        with pytest.raises(Conflict, match="尚未结束的考试或竞赛"):
            practice.answer_question(user=enterprise, question_id=qid, answer=["A"])
    competitions.finish_entry(
        user=enterprise, entry_id=entry.pk, answers={}, now=entry.started_at + dt.timedelta(seconds=60)
    )
    # Once handed in, the entrant has seen these questions anyway (the entry page shows no key);
    # practising them is ordinary study of the bank.
    q = Question.objects.get(pk=entry.question_ids[0])
    assert practice.answer_question(user=enterprise, question_id=q.pk, answer=q.answer).correct


def test_two_answers_to_a_single_choice_question_are_refused_not_marked_wrong(
    question_bank, candidate, login
):
    q = Question.objects.filter(type="single", parent__isnull=True).first()
    with pytest.raises(ValidationFailed, match="只能选择一个选项"):
        practice.answer_question(user=candidate, question_id=q.pk, answer=["A", "B"])
    r = login(candidate).post(
        "/exams/practice/", {"question_id": q.pk, "answer": ["A", "B"], "mode": "random"}
    )
    assert r.status_code == 400 and "只能选择一个选项" in r.content.decode()
    assert not MistakeBook.objects.filter(user=candidate, question=q).exists()


def test_the_practice_page_offers_every_law_the_bank_covers(candidate, login):
    from fazhi.laws.models import Law

    laws = Law.objects.bulk_create(
        Law(title=f"测试法规{i:03d}", norm_title=f"测试法规{i:03d}", level="law") for i in range(205)
    )
    for i, law in enumerate(laws):
        Question.objects.create(
            type="judge", stem=f"判断题{i}", options={"A": "正确", "B": "错误"}, answer=["A"], law=law
        )
    html = login(candidate).get("/exams/practice/").content.decode()
    offered = re.findall(r">(测试法规\d{3})</option>", html)
    assert offered == [f"测试法规{i:03d}" for i in range(205)]  # all of them, by title
