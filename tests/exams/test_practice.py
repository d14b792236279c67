import random

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
