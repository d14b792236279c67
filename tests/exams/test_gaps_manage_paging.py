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


def test_the_exam_list_is_paged_and_its_figures_match_each_exam(exam, examadmin, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.exams.models import Exam
    from fazhi.exams.services import stats

    _candidates(exam, 45)
    Attempt.objects.create(  # started, not submitted: counts as started only
        exam=exam,
        user=examadmin,
        seed=99,
        total_points=Decimal("38"),
        started_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(minutes=30),
    )
    base = exam.opens_at
    Exam.objects.bulk_create(
        Exam(
            title=f"历年考试{i:03d}",
            blueprint=exam.blueprint,
            opens_at=base - dt.timedelta(days=i + 1),
            closes_at=base - dt.timedelta(days=i),
            time_limit_minutes=60,
            pass_mark=20,
        )
        for i in range(PAGE_SIZE + 5)
    )
    client = login(examadmin)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/exams/manage/").content.decode()
    assert len(queries) < 20, len(queries)  # not one query per exam
    assert len(re.findall(r'href="/exams/manage/[0-9]+/"', first)) == PAGE_SIZE  # each exam's results
    assert f"第 1 / 2 页，共 {PAGE_SIZE + 6} 场考试" in first
    # The newest exam is first, with the same figures as its own results page.
    expected = stats.summary(exam)
    row = re.search(r"行政执法资格考试</a></th>.*?</tr>", first, re.S).group(0)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    rate = round(expected["passed"] / expected["submitted"] * 100)
    assert cells[0] == "进行中" and "全体工作人员" in cells[2]
    assert cells[3:] == [
        str(expected["started"]),
        str(expected["submitted"]),
        f"{rate}%（{expected['passed']} 人）",
        str(expected["average"]),
    ]
    assert expected["started"] == 46 and expected["submitted"] == 45
    second = client.get("/exams/manage/", {"page": 2}).content.decode()
    assert "历年考试054" in second and "历年考试054" not in first
    assert "历年考试000" in first
