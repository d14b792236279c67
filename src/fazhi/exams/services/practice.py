"""练习 with instant feedback, and the 错题本: a wrong question returns until answered right twice in a row."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from fazhi.core.errors import Conflict, NotFound, ValidationFailed
from fazhi.exams.models import Attempt, Competition, CompetitionEntry, MistakeBook, Question, QuestionType

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


RESERVED_MESSAGE = "本题正用于尚未结束的考试或竞赛，结束后才能练习。"


def answerable_questions(*, law_id: int | None = None, point_id: int | None = None) -> Any:
    """Active questions a person can answer (case sub-questions included, shown with their case text).

    This is the bank competitions draw from; practice uses `practice_questions`, which leaves out the
    questions reserved by running exams and competition entries.
    """
    qs = Question.objects.filter(is_active=True).exclude(type=QuestionType.CASE)
    if law_id:
        qs = qs.filter(law_id=law_id) | qs.filter(articles__law_id=law_id)
    if point_id:
        qs = qs.filter(knowledge_points__id=point_id) | qs.filter(parent__knowledge_points__id=point_id)
    return qs.distinct()


def reserved_question_ids(now: Any = None) -> set[int]:
    """Questions practice must not answer now, because their key would help someone in a running test.

    Practice shows the key at once, so without this rule a candidate could send the questions of the
    paper in front of them to practice and copy the keys (the audit did exactly that). The rule:

    * exams: every question on any paper of an exam that has not closed yet, or that closed early and
      still has a paper being answered (attempts.keys_shown_from), whether that paper is handed in or
      not. The attempt page hides right/wrong until then for the same reason: papers overlap between
      candidates, so one who has handed in could otherwise pass keys on.
    * competitions: every question of an entry that is not handed in yet, in a round that has not
      closed or within the entry's time limit. A finished entry shows only the number right, never a
      key, so once it is handed in its questions are ordinary study material; keeping them out for the
      whole round would empty practice while a popular round runs.

    Studying the bank before a test stays allowed: the bank is the study material (题库练习), and a
    question comes back to practice as soon as the exam or round closes.
    """
    now = now or timezone.now()
    ids: set[int] = set()
    # An exam closed early (提前截止) still has papers being answered until their own deadlines.
    running = Attempt.objects.filter(submitted_at__isnull=True, deadline__gt=now).values("exam_id")
    for paper in Attempt.objects.filter(Q(exam__closes_at__gt=now) | Q(exam_id__in=running)).values_list(
        "paper", flat=True
    ):
        ids.update(int(item["question_id"]) for item in paper or [])
    # Likewise an entry started just before its round closed may be handed in within the time limit.
    from fazhi.exams.services.competitions import GRACE_SECONDS  # that module imports this one

    longest = Competition.objects.aggregate(m=Max("time_limit_seconds"))["m"] or 0
    grace = dt.timedelta(seconds=longest + GRACE_SECONDS)
    for closes_at, started_at, limit, question_ids in CompetitionEntry.objects.filter(
        round__closes_at__gt=now - grace, finished_at__isnull=True
    ).values_list("round__closes_at", "started_at", "round__competition__time_limit_seconds", "question_ids"):
        if closes_at > now or started_at + dt.timedelta(seconds=limit + GRACE_SECONDS) > now:
            ids.update(int(q) for q in question_ids or [])
    return ids


def practice_questions(*, law_id: int | None = None, point_id: int | None = None) -> Any:
    """The practice pool: answerable questions less those reserved by running exams and competitions."""
    return answerable_questions(law_id=law_id, point_id=point_id).exclude(id__in=reserved_question_ids())


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


def answer_question(*, user: Any, question_id: int, answer: list[str], token: str = "") -> Feedback:
    """Check a practice answer, update the 错题本 and return the feedback (answer, explanation, articles).

    `token` names the showing of the question the answer belongs to (the page puts a fresh one in each
    form): the same form sent twice (a double click, a resent request) counts once, so one right answer
    sent twice does not take a question out of the 错题本 that needs two right answers in a row.
    """
    q = Question.objects.filter(pk=question_id, is_active=True).exclude(type=QuestionType.CASE).first()
    if q is None:
        raise NotFound("试题不存在")
    if q.pk in reserved_question_ids():
        raise Conflict(RESERVED_MESSAGE)
    given = sorted({a.strip().upper() for a in answer if a.strip()})
    if not given:
        raise ValidationFailed("请先选择答案再提交")
    if any(a not in q.options for a in given):
        raise ValidationFailed("所选选项不存在")
    if q.type in (QuestionType.SINGLE, QuestionType.JUDGE) and len(given) > 1:
        raise ValidationFailed(f"本题为{q.get_type_display()}，只能选择一个选项")
    correct = set(given) == set(q.answer)
    now = timezone.now()
    token = (token or "")[: MistakeBook._meta.get_field("last_token").max_length]
    with transaction.atomic():
        entry = MistakeBook.objects.select_for_update().filter(user=user, question=q).first()
        if entry is None and not correct:
            try:
                with transaction.atomic():
                    entry = MistakeBook.objects.create(user=user, question=q)
            except IntegrityError:
                # The same question answered wrong by another request at this moment: use its row.
                entry = MistakeBook.objects.select_for_update().get(user=user, question=q)
        if token and entry is not None and entry.last_token == token:
            pass  # this answer was counted already
        elif not correct:
            assert entry is not None  # created above
            entry.wrong_count += 1
            entry.streak = 0
            entry.resolved_at = None
            entry.last_answered_at = now
            entry.last_token = token
            entry.save()
        elif entry is not None and entry.resolved_at is None:
            entry.streak += 1
            entry.last_answered_at = now
            entry.last_token = token
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
