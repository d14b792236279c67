"""学法考试 under double clicks and parallel requests: one paper per start, an answer counted once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.exams.models import Competition, CompetitionEntry, CompetitionRound, MistakeBook, Question
from fazhi.exams.services import competitions, practice
from tests.concurrency import at_once, on_postgresql

parallel = pytest.mark.django_db(transaction=True)  # threads need committed rows and their own connections


@pytest.fixture
def round_(question_bank):
    now = timezone.now()
    comp = Competition.objects.create(title="普法竞赛", question_count=5, time_limit_seconds=300)
    return CompetitionRound.objects.create(
        competition=comp, number=1, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1)
    )


@on_postgresql
@parallel
def test_starting_a_round_four_times_at_once_opens_one_counted_entry(round_, candidate):
    results = at_once(*[lambda: competitions.start_entry(user=candidate, round_id=round_.pk)] * 4)
    assert all(isinstance(r, CompetitionEntry) for r in results), results
    assert {r.pk for r in results} == {CompetitionEntry.objects.get(round=round_, user=candidate).pk}
    assert results[0].scored


@pytest.mark.django_db
def test_the_database_keeps_one_open_entry_per_account_and_round(round_, candidate):
    """What a double click on 开始答题 produced: a second, uncounted paper next to the counted one."""
    first = competitions.start_entry(user=candidate, round_id=round_.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetitionEntry.objects.create(
            round=round_,
            user=candidate,
            question_ids=first.question_ids,
            started_at=timezone.now(),
            scored=False,
        )
    assert competitions.start_entry(user=candidate, round_id=round_.pk) == first


@pytest.mark.django_db
def test_the_same_practice_answer_sent_twice_counts_once(question_bank, candidate):
    q = Question.objects.filter(type="single").first()
    for _ in range(2):  # a double click on 提交 with a wrong answer
        practice.answer_question(user=candidate, question_id=q.pk, answer=["A"], token="t1")
    assert MistakeBook.objects.get(user=candidate, question=q).wrong_count == 1
    # One right answer sent twice is one right answer: the question stays in the 错题本.
    for _ in range(2):
        feedback = practice.answer_question(user=candidate, question_id=q.pk, answer=["B"], token="t2")
    entry = MistakeBook.objects.get(user=candidate, question=q)
    assert entry.streak == 1 and entry.resolved_at is None and feedback.in_mistake_book
    practice.answer_question(user=candidate, question_id=q.pk, answer=["B"], token="t3")  # the second one
    assert MistakeBook.objects.get(user=candidate, question=q).resolved_at is not None


@pytest.mark.django_db
def test_the_practice_page_gives_each_showing_of_a_question_its_own_token(question_bank, candidate, login):
    c = login(candidate)
    q = Question.objects.filter(type="single").first()
    tokens = set()
    for _ in range(2):
        page = c.get("/exams/practice/?mode=random").content.decode()
        tokens.add(re.search(r'name="token" value="(\w+)"', page).group(1))
    assert len(tokens) == 2
    token = tokens.pop()
    for _ in range(2):
        c.post("/exams/practice/", {"question_id": q.pk, "answer": ["A"], "mode": "random", "token": token})
    assert MistakeBook.objects.get(user=candidate, question=q).wrong_count == 1


@on_postgresql
@parallel
def test_a_first_wrong_answer_sent_four_times_at_once_is_no_500(question_bank, candidate):
    q = Question.objects.filter(type="single").first()
    results = at_once(*[lambda: practice.answer_question(user=candidate, question_id=q.pk, answer=["A"])] * 4)
    assert all(isinstance(r, practice.Feedback) for r in results), results
    assert MistakeBook.objects.get(user=candidate, question=q).wrong_count == 4
