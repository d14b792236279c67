"""Timed exams: start (one attempt per candidate), save answers, server-enforced deadline, submit, grade."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.exams.models import Answer, Attempt, CertificationStage, Exam, Question, QuestionType
from fazhi.exams.services import exam_format, papers, prerequisites

LATE_MESSAGE = "考试时间已到，试卷已自动交卷，该答案未保存。"


def is_eligible(user: Any, exam: Exam) -> bool:
    """Staff (工作人员) when the exam is open to staff, or a candidate named on the exam."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if exam.open_to_staff and user.has_role(roles.STAFF_MEMBER):
        return True
    return exam.eligible_users.filter(pk=user.pk).exists()


def check_exam_settings(
    *,
    rows: list[dict[str, Any]],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    time_limit_minutes: int,
    pass_mark: Decimal | int | str,
    partial_credit: str,
    open_to_staff: bool,
    has_candidates: bool,
) -> Decimal:
    """The rules an exam's settings must meet (shared by create_exam and the admin form); the pass mark."""
    if closes_at <= opens_at:
        raise ValidationFailed("截止时间必须晚于开放时间")
    if not 1 <= int(time_limit_minutes) <= 24 * 60:
        raise ValidationFailed("考试时长应在 1 到 1440 分钟之间")
    if partial_credit not in ("none", "half", "proportional"):
        raise ValidationFailed(f"多选题计分规则“{partial_credit}”无效")
    mark = Decimal(str(pass_mark))
    total = sum((Decimal(r["points"]) * r["count"] for r in rows), Decimal("0"))
    if mark <= 0 or mark > total:
        raise ValidationFailed(f"及格分 {mark} 应大于 0 且不超过总分 {total}")
    if not open_to_staff and not has_candidates:
        raise ValidationFailed("请选择“全体工作人员可参加”或指定考生名单")
    return mark


def create_exam(
    *,
    title: str,
    blueprint: list[dict[str, Any]],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    time_limit_minutes: int = 120,
    pass_mark: Decimal | int | str = 60,
    partial_credit: str = "none",
    open_to_staff: bool = True,
    eligible_users: list[Any] | None = None,
    description: str = "",
    created_by: Any = None,
    certification_stage: str = "",
    prerequisite: Exam | None = None,
    is_published: bool = True,
) -> Exam:
    """Create an exam after checking the blueprint can be filled from the bank; a published certification
    exam must also have the format of the 执法资格考试规则 (exam_format)."""
    title = title.strip()
    if not title:
        raise ValidationFailed("考试名称不能为空")
    if certification_stage not in CertificationStage.values:
        raise ValidationFailed(f"执法资格考试类别“{certification_stage}”无效")
    prerequisites.check_prerequisite(exam=None, prerequisite=prerequisite)
    rows = papers.validate_blueprint(blueprint)
    mark = check_exam_settings(
        rows=rows,
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit_minutes=time_limit_minutes,
        pass_mark=pass_mark,
        partial_credit=partial_credit,
        open_to_staff=open_to_staff,
        has_candidates=bool(eligible_users),
    )
    exam_format.check_certification_format(
        stage=certification_stage, is_published=is_published, rows=rows, pass_mark=mark,
        time_limit_minutes=time_limit_minutes,
    )  # fmt: skip
    papers.check_blueprint_feasible(rows)
    with transaction.atomic():
        exam = Exam.objects.create(
            title=title,
            description=description,
            blueprint=rows,
            partial_credit=partial_credit,
            time_limit_minutes=int(time_limit_minutes),
            pass_mark=mark,
            opens_at=opens_at,
            closes_at=closes_at,
            open_to_staff=open_to_staff,
            created_by=created_by,
            certification_stage=certification_stage,
            prerequisite=prerequisite,
            is_published=is_published,
        )
        if eligible_users:
            exam.eligible_users.add(*eligible_users)
    return exam


def _exam_for(user: Any, exam_id: int) -> Exam:
    exam = Exam.objects.filter(pk=exam_id, is_published=True).first()
    if exam is None:
        raise NotFound("考试不存在或尚未发布")
    if not is_eligible(user, exam):
        raise PermissionDenied("您不在本场考试的考生范围内")
    return exam


def start_attempt(*, user: Any, exam_id: int, now: dt.datetime | None = None) -> tuple[Attempt, bool]:
    """Start the caller's attempt, or return the existing one (a candidate has exactly one paper)."""
    now = now or timezone.now()
    exam = _exam_for(user, exam_id)
    existing = Attempt.objects.filter(exam=exam, user=user).first()
    if existing is not None:
        finalize_if_expired(existing, now=now)
        return existing, False
    if now < exam.opens_at:
        raise Conflict(f"考试尚未开始，开放时间为 {timezone.localtime(exam.opens_at):%Y-%m-%d %H:%M}")
    if now >= exam.closes_at:
        raise Conflict("考试已截止，不能再开始作答")
    if message := prerequisites.unmet_prerequisite(user=user, exam=exam):
        raise Conflict(message, code="prerequisite_not_passed")
    rows = papers.validate_blueprint(exam.blueprint)
    seed = papers.seed_for(exam.pk, user.pk, exam.salt)
    pools, subs = papers.load_pools(rows)
    paper = papers.generate_paper(rows, seed, pools, subs)
    deadline = min(now + dt.timedelta(minutes=exam.time_limit_minutes), exam.closes_at)
    total = sum((Decimal(item["points"]) for item in paper), Decimal("0"))
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                exam=exam,
                user=user,
                seed=seed,
                paper=paper,
                total_points=total,
                started_at=now,
                deadline=deadline,
            )
            audit.record(
                action="transition",
                obj=attempt,
                actor=user,
                comment="开始考试",
                after={"seed": seed, "deadline": deadline, "questions": len(paper)},
            )
    except IntegrityError:
        # Two requests raced to start the same attempt: the other one won; use its paper.
        return Attempt.objects.get(exam=exam, user=user), False
    return attempt, True


def _own_attempt(user: Any, attempt_id: int, *, lock: bool = False, with_exam: bool = True) -> Attempt:
    qs = Attempt.objects.select_related("exam") if with_exam else Attempt.objects.all()
    if lock:
        qs = qs.select_for_update(of=("self",)) if with_exam else qs.select_for_update()
    attempt = qs.filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound("作答记录不存在")
    if attempt.user_id != getattr(user, "pk", None):
        raise PermissionDenied("这不是您的试卷，无权查看或作答")
    return attempt


def remaining_seconds(attempt: Attempt, now: dt.datetime | None = None) -> int:
    if attempt.is_submitted:
        return 0
    left = (attempt.deadline - (now or timezone.now())).total_seconds()
    return max(0, int(left))


# Question type and option letters for answer validation; a question's options hardly ever change
# during an exam, and grading always reads the database, so a short-lived per-process cache is safe.
_SHAPE_TTL = 60.0
_shapes: dict[int, tuple[float, str, frozenset[str]]] = {}


def _question_shape(question_id: int) -> tuple[str, frozenset[str]] | None:
    now = time.monotonic()
    hit = _shapes.get(question_id)
    if hit is not None and now - hit[0] < _SHAPE_TTL:
        return hit[1], hit[2]
    row = Question.objects.filter(pk=question_id).values_list("type", "options").first()
    if row is None:
        return None
    if len(_shapes) > 20000:
        _shapes.clear()
    _shapes[question_id] = (now, row[0], frozenset(row[1] or {}))
    return row[0], frozenset(row[1] or {})


def _validate_answer(qtype: str, options: frozenset[str], answer: Any) -> list[str]:
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        raise ValidationFailed('答案应为选项字母列表，例如 ["A", "C"]')
    letters = sorted({a.strip().upper() for a in answer if a.strip()})
    unknown = [a for a in letters if a not in options]
    if unknown:
        # Quote at most a few short pieces of what was sent: a huge value must not come back in full.
        shown = "、".join(a if len(a) <= 5 else a[:5] + "…" for a in unknown[:3]) + (
            "…" if len(unknown) > 3 else ""
        )
        raise ValidationFailed(f"选项 {shown} 不存在，本题选项为 {'、'.join(sorted(options))}")
    if qtype in (QuestionType.SINGLE, QuestionType.JUDGE) and len(letters) > 1:
        raise ValidationFailed("本题为单选/判断题，只能选择一个选项")
    return letters


def save_answer(
    *, user: Any, attempt_id: int, question_id: int, answer: Any, now: dt.datetime | None = None
) -> Answer:
    """Upsert one answer; refused once the attempt is submitted or its deadline has passed."""
    shape = _question_shape(question_id)
    with transaction.atomic():
        # The row lock orders this save against a concurrent submit of the same attempt only.
        attempt = _own_attempt(user, attempt_id, lock=True, with_exam=False)
        if attempt.is_submitted:
            raise Conflict("试卷已交，不能再修改答案")
        now = now or timezone.now()
        late = now >= attempt.deadline
        if not late:
            if shape is None or question_id not in attempt.question_ids():
                raise NotFound("本试卷中没有这道题")
            letters = _validate_answer(shape[0], shape[1], answer)
            Answer.objects.bulk_create(
                [Answer(attempt=attempt, question_id=question_id, answer=letters, saved_at=now)],
                update_conflicts=True,
                unique_fields=["attempt", "question"],
                update_fields=["answer", "saved_at"],
            )
            return Answer(attempt=attempt, question_id=question_id, answer=letters, saved_at=now)
    finalize_if_expired(attempt, now=now)
    raise Conflict(LATE_MESSAGE, code="time_over")


def saved_answers(attempt: Attempt) -> dict[int, list[str]]:
    return dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "answer"))


def _grade(attempt: Attempt, *, submitted_at: dt.datetime, auto: bool) -> None:
    exam = attempt.exam
    given = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    questions = Question.objects.in_bulk(attempt.question_ids())
    total = Decimal("0")
    new_rows = []
    for item in attempt.paper:
        q = questions[int(item["question_id"])]
        row = given.get(q.pk)
        ok, score = papers.grade(
            q.type, q.answer, row.answer if row else [], Decimal(item["points"]), exam.partial_credit
        )
        total += score
        if row is None:
            new_rows.append(
                Answer(
                    attempt=attempt,
                    question=q,
                    answer=[],
                    saved_at=submitted_at,
                    is_correct=False,
                    score=score,
                )
            )
        else:
            row.is_correct, row.score = ok, score
    Answer.objects.bulk_update(list(given.values()), ["is_correct", "score"])
    Answer.objects.bulk_create(new_rows)
    attempt.score = total
    attempt.passed = total >= exam.pass_mark
    attempt.submitted_at = submitted_at
    attempt.auto_submitted = auto
    attempt.save(update_fields=["score", "passed", "submitted_at", "auto_submitted"])
    audit.record(
        action="transition",
        obj=attempt,
        actor=attempt.user,
        comment="超时自动交卷" if auto else "交卷",
        before={"status": "作答中"},
        after={"status": "已交卷", "score": total, "passed": attempt.passed, "auto_submitted": auto},
    )


def submit_attempt(*, user: Any, attempt_id: int, now: dt.datetime | None = None) -> Attempt:
    """Submit and grade; submitting twice returns the graded attempt. Past the deadline it counts as auto-submitted."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _own_attempt(user, attempt_id, lock=True)
        if not attempt.is_submitted:
            late = now >= attempt.deadline
            _grade(attempt, submitted_at=attempt.deadline if late else now, auto=late)
    return attempt


def finalize_if_expired(attempt: Attempt, *, now: dt.datetime | None = None) -> bool:
    """Grade an attempt whose deadline has passed (auto-submit); True when it did."""
    now = now or timezone.now()
    if attempt.is_submitted or now < attempt.deadline:
        return False
    with transaction.atomic():
        locked = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt.pk)
        if locked.is_submitted:
            attempt.refresh_from_db()
            return False
        _grade(locked, submitted_at=locked.deadline, auto=True)
    attempt.refresh_from_db()
    return True


def keys_shown_from(exam: Exam) -> dt.datetime:
    """When the key, right/wrong and points per question may be shown: once the exam has closed and no
    paper can still be answered. 提前截止 (or a closing time moved earlier) leaves the papers already
    started their own deadlines, and those candidates must not be able to read the key meanwhile."""
    running = (
        Attempt.objects.filter(exam=exam, submitted_at__isnull=True)
        .order_by("-deadline")
        .values_list("deadline", flat=True)
        .first()
    )
    return max(exam.closes_at, running) if running else exam.closes_at


def read_attempt(*, user: Any, attempt_id: int, now: dt.datetime | None = None) -> Attempt:
    """The caller's own attempt; an attempt past its deadline is graded on read."""
    attempt = _own_attempt(user, attempt_id)
    finalize_if_expired(attempt, now=now)
    return attempt


def finalize_expired_attempts() -> int:
    """Periodic job: auto-submit every attempt whose deadline has passed."""
    now = timezone.now()
    n = 0
    for attempt in Attempt.objects.filter(submitted_at__isnull=True, deadline__lte=now).select_related(
        "exam"
    ):
        n += finalize_if_expired(attempt, now=now)
    return n
