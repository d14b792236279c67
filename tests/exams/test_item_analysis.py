"""试题分析: 答对 / 部分得分 / 答错 are counted apart, and 区分度 is "无法计算" (None) below the minimum number
of handed-in papers for Kelley's upper and lower 27 % groups."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.exams.services import attempts, stats

pytestmark = pytest.mark.django_db


def one_type_exam(qtype: str, **kw):
    """Every candidate gets the same 8 questions (the synthetic bank has exactly 8 of the type)."""
    now = timezone.now()
    return attempts.create_exam(
        title=f"{qtype} 测验", blueprint=[{"type": qtype, "count": 8, "points": 2}], pass_mark=8,
        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1), **kw,
    )  # fmt: skip


def hand_in(exam, username: str, answer) -> None:
    """A candidate answers every question with answer(question) and hands in."""
    user = ensure_user(
        username=username, display_name=username, role_names=[roles.STAFF_MEMBER], password="x-2026"
    )
    attempt, _ = attempts.start_attempt(user=user, exam_id=exam.pk)
    from fazhi.exams.models import Question

    for q in Question.objects.filter(pk__in=attempt.question_ids()):
        attempts.save_answer(user=user, attempt_id=attempt.pk, question_id=q.pk, answer=answer(q))
    attempts.submit_attempt(user=user, attempt_id=attempt.pk)


def test_a_single_candidate_gives_no_discrimination_index_not_zero(question_bank, examadmin, client, login):
    exam = one_type_exam("judge")
    hand_in(exam, "solo", lambda q: q.answer)
    found = stats.question_stats(exam)
    assert len(found) == 8
    assert all(s.discrimination is None and s.discrimination_shown == "无法计算" for s in found)
    assert "交卷 1 人，少于 10 人" in found[0].discrimination_note
    data = login(examadmin).get(f"/api/v1/exams/{exam.pk}/results").json()
    assert data["questions"][0]["discrimination"] is None
    sheet = load_workbook(io.BytesIO(stats.export_xlsx(exam)))["试题分析"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "试题ID",
        "题型",
        "题干",
        "作答人数",
        "答对人数",
        "部分得分人数",
        "答错人数",
        "正确率",
        "区分度",
        "说明",
    )
    assert rows[1][8] == "无法计算"
    assert "Kelley 上下 27% 分组法" in rows[-1][0] and "不足 10 人" in rows[-1][0]
    page = login(examadmin).get(f"/exams/manage/{exam.pk}/").content.decode()
    assert "无法计算" in page and "部分得分" in page


def test_partial_credit_is_counted_apart_from_right_and_wrong(question_bank):
    exam = one_type_exam("multiple", partial_credit="half")  # key A, C, D
    hand_in(exam, "full", lambda q: ["A", "C", "D"])
    hand_in(exam, "part", lambda q: ["A"])
    hand_in(exam, "wrong", lambda q: ["B"])
    for s in stats.question_stats(exam):
        assert (s.answered, s.correct, s.partial, s.wrong, s.correct_rate) == (3, 1, 1, 1, 0.333)


def test_with_enough_candidates_the_upper_and_lower_groups_give_the_index(question_bank):
    exam = one_type_exam("judge")
    for i in range(stats.MIN_CANDIDATES):
        good = i < 5
        hand_in(exam, f"c{i}", lambda q, good=good: q.answer if good else ["A" if q.answer == ["B"] else "B"])
    found = stats.question_stats(exam)
    assert {s.discrimination for s in found} == {1.0}
    assert all(s.discrimination_note == "" for s in found)
