"""考试管理 results page: the candidates and the item analysis are shown page by page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.exams.models import Answer, Attempt
from fazhi.exams.views.manage import PAGE_SIZE


def _candidates(exam, count: int, *, questions: list[int] = ()) -> None:
    now = timezone.now()
    for i in range(count):
        user = ensure_user(
            username=f"pg{i:03d}",
            display_name=f"考生{i}",
            role_names=[roles.STAFF_MEMBER],
            password="x-pass-2026",
        )
        attempt = Attempt.objects.create(
            exam=exam,
            user=user,
            seed=i,
            total_points=Decimal("38"),
            started_at=now - dt.timedelta(minutes=30),
            deadline=now + dt.timedelta(minutes=30),
            submitted_at=now,
            score=Decimal(i % 38),
            passed=i % 38 >= 20,
        )
        Answer.objects.bulk_create(
            Answer(attempt=attempt, question_id=q, answer=["A"], is_correct=(i + q) % 2 == 0, saved_at=now)
            for q in questions
        )


def _usernames(page: str) -> list[str]:
    return re.findall(r'<th scope="row">(pg\d{3})</th>', page)


def test_the_results_are_shown_fifty_candidates_a_page(exam, examadmin, login):
    _candidates(exam, PAGE_SIZE + 12)
    client = login(examadmin)
    first = client.get(f"/exams/manage/{exam.pk}/").content.decode()
    assert len(_usernames(first)) == PAGE_SIZE
    assert f"考生共 {PAGE_SIZE + 12} 人，第 1 / 2 页" in first
    assert f"交卷 {PAGE_SIZE + 12} 人" in first  # the summary covers everyone
    second = client.get(f"/exams/manage/{exam.pk}/", {"page": 2}).content.decode()
    assert len(_usernames(second)) == 12
    assert not set(_usernames(first)) & set(_usernames(second))
    assert client.get(f"/exams/manage/{exam.pk}/", {"page": "x"}).content.decode().count("pg") >= PAGE_SIZE
    too_deep = client.get(f"/exams/manage/{exam.pk}/", {"page": 10**30}).content.decode()
    assert _usernames(too_deep) == _usernames(second)


def test_the_item_analysis_pages_on_its_own(exam, examadmin, login, question_bank):
    from fazhi.exams.models import Question
    from fazhi.exams.services import bank

    extra = [(i, {"type": "judge", "stem": f"补充判断题{i}", "answer": "正确"}) for i in range(1, 21)]
    assert bank.import_questions(rows=extra).ok
    questions = list(Question.objects.filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True))
    analysed = len(questions)
    assert analysed > PAGE_SIZE
    _candidates(exam, 4, questions=questions)
    client = login(examadmin)
    first = client.get(f"/exams/manage/{exam.pk}/").content.decode()
    assert len(re.findall(r'<th scope="row">#\d+ ', first)) == PAGE_SIZE
    assert f"试题共 {analysed} 道，第 1 / 2 页" in first
    second = client.get(f"/exams/manage/{exam.pk}/", {"qpage": 2}).content.decode()
    assert len(re.findall(r'<th scope="row">#\d+ ', second)) == analysed - PAGE_SIZE
    assert f"试题共 {analysed} 道，第 2 / 2 页" in second
    assert len(_usernames(second)) == 4  # the candidates stay on their own first page


def test_the_results_page_is_refused_to_others(exam, candidate, outsider, login):
    for user in (candidate, outsider):
        assert login(user).get(f"/exams/manage/{exam.pk}/", {"page": 2}).status_code == 403
