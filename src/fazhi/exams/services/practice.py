"""练习 with instant feedback, and the 错题本: a wrong question returns until answered right twice in a row."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.exams.models import MistakeBook, Question, QuestionType

MODES = {"random": "随机练习", "law": "按法规练习", "point": "按知识点练习", "mistakes": "错题本"}
STREAK_TO_CLEAR = 2
MISTAKE_SHARE = 0.3  # in the other modes, this share of questions is drawn from the 错题本 when it has any


@dataclass
class Feedback:
    question: Question
    given: list[str]
    correct: bool
    key: list[str]
    explanation: str
    articles: list[Any] = field(default_factory=list)
    in_mistake_book: bool = False
    streak: int = 0


def practice_questions(*, law_id: int | None = None, point_id: int | None = None) -> Any:
    """Answerable questions (case sub-questions included, shown with their case text)."""
    qs = Question.objects.filter(is_active=True).exclude(type=QuestionType.CASE)
    if law_id:
        qs = qs.filter(law_id=law_id) | qs.filter(articles__law_id=law_id)
    if point_id:
        qs = qs.filter(knowledge_points__id=point_id) | qs.filter(parent__knowledge_points__id=point_id)
    return qs.distinct()


def next_question(
    *,
    user: Any,
    mode: str,
    law_id: int | None = None,
    point_id: int | None = None,
    exclude: int | None = None,
    rng: random.Random | None = None,
) -> Question | None:
    """The next practice question for the mode; None when nothing is left."""
    if mode not in MODES:
        raise ValidationFailed(f"练习方式“{mode}”无效")
    rng = rng or random.Random()
    pool = practice_questions(
        law_id=law_id if mode == "law" else None, point_id=point_id if mode == "point" else None
    )
    due = MistakeBook.objects.filter(user=user, resolved_at__isnull=True).values_list(
        "question_id", flat=True
    )
    if mode == "mistakes" or rng.random() < MISTAKE_SHARE:
        ids = list(pool.filter(id__in=list(due)).exclude(id=exclude or 0).values_list("id", flat=True))
        if ids or mode == "mistakes":
            return Question.objects.get(pk=rng.choice(ids)) if ids else None
    ids = list(pool.exclude(id=exclude or 0).values_list("id", flat=True))
    return Question.objects.get(pk=rng.choice(ids)) if ids else None


def answer_question(*, user: Any, question_id: int, answer: list[str]) -> Feedback:
    """Check a practice answer, update the 错题本 and return the feedback (answer, explanation, articles)."""
    q = Question.objects.filter(pk=question_id, is_active=True).exclude(type=QuestionType.CASE).first()
    if q is None:
        raise NotFound("试题不存在")
    given = sorted({a.strip().upper() for a in answer if a.strip()})
    if not given:
        raise ValidationFailed("请先选择答案再提交")
    if any(a not in q.options for a in given):
        raise ValidationFailed("所选选项不存在")
    correct = set(given) == set(q.answer)
    now = timezone.now()
    with transaction.atomic():
        entry = MistakeBook.objects.select_for_update().filter(user=user, question=q).first()
        if not correct:
            if entry is None:
                entry = MistakeBook(user=user, question=q)
            entry.wrong_count += 1
            entry.streak = 0
            entry.resolved_at = None
            entry.last_answered_at = now
            entry.save()
        elif entry is not None and entry.resolved_at is None:
            entry.streak += 1
            entry.last_answered_at = now
            if entry.streak >= STREAK_TO_CLEAR:
                entry.resolved_at = now
            entry.save()
    return Feedback(
        question=q,
        given=given,
        correct=correct,
        key=list(q.answer),
        explanation=q.explanation or (q.parent.explanation if q.parent_id and q.parent else ""),
        articles=list(q.articles.select_related("law")),
        in_mistake_book=bool(entry and entry.resolved_at is None),
        streak=entry.streak if entry else 0,
    )
