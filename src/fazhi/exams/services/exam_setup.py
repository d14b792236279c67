"""考试设置 (the 考试管理 pages): create and edit an exam with its blueprint, publish it, close it early.

A new exam is created by attempts.create_exam, the function every other path uses, as a draft; an edit runs
the same checks (papers.validate_blueprint, attempts.check_exam_settings, prerequisites.check_prerequisite,
exam_format.check_certification_format, papers.check_blueprint_feasible) that the admin form runs. On top
of them the page asks for the total points, which the blueprint rows must add up to.

Once a candidate has started, the papers already drawn carry the blueprint's questions and points and are
graded against the pass mark, the multiple-choice rule and the time limit; the certification stage and the
prerequisite decide who could start. Those stay as they are (LOCKED_WHEN_STARTED). The title, the
description and the closing time (not earlier than now: the close action ends an exam now) may change, and
candidates may be added but nobody who has started removed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_field, length_problem
from fazhi.exams.models import CertificationStage, Exam, KnowledgePoint, QuestionType
from fazhi.exams.services import attempts, exam_format, papers, prerequisites

MAX_DESCRIPTION = 2000  # 考试说明 (Exam.description, a TextField): refused beyond this, never cut
LOCKED_WHEN_STARTED = {
    "blueprint": "组卷规则和总分",
    "pass_mark": "及格分",
    "partial_credit": "多选题计分",
    "time_limit_minutes": "考试时长",
    "opens_at": "开放时间",
    "certification_stage": "考试类别",
    "prerequisite_id": "须先通过的考试",
}


def status(exam: Exam, now: dt.datetime | None = None) -> str:
    """未发布 / 未开始 / 进行中 / 已截止."""
    now = now or timezone.now()
    if not exam.is_published:
        return "未发布"
    if now < exam.opens_at:
        return "未开始"
    if now < exam.closes_at:
        return "进行中"
    return "已截止"


def knowledge_points() -> list[str]:
    return list(KnowledgePoint.objects.order_by("name").values_list("name", flat=True))


def available(*, qtype: str, knowledge_point: str = "") -> int:
    """Active questions one blueprint row of this type and knowledge point may draw from (as a paper draws)."""
    if qtype not in QuestionType.values:
        return 0
    pools, _subs = papers.load_pools([{"type": qtype, "knowledge_point": knowledge_point.strip()}])
    return len(pools[0])


def check_bank(rows: list[dict[str, Any]]) -> None:
    """Every row can be filled from the bank on its own, then all rows together (no question twice)."""
    short = []
    for i, row in enumerate(rows, start=1):
        have = available(qtype=row["type"], knowledge_point=row["knowledge_point"])
        if have < row["count"]:
            short.append(f"第{i}行需要{papers.row_questions(row)} {row['count']} 道，题库只有 {have} 道可用")
    if short:
        raise ValidationFailed("题库中的试题不够：" + "；".join(short) + "。请减少题目数量或先导入试题")
    papers.check_blueprint_feasible(rows)


def check_total(rows: list[dict[str, Any]], total_points: Decimal) -> None:
    total = sum((Decimal(r["points"]) * r["count"] for r in rows), Decimal("0"))
    if total != total_points:
        raise ValidationFailed(
            f"各行分值合计 {total.normalize():f} 分（数量 × 每题分值），与填写的总分 "
            f"{total_points.normalize():f} 分不一致，请调整题目数量、每题分值或总分"
        )


def description_problem(description: str) -> str | None:
    """None when an exam's 说明 is within MAX_DESCRIPTION characters, else the reason (shown at the field)."""
    return length_problem((description or "").strip(), "考试说明", MAX_DESCRIPTION)


def _check_common(
    *,
    exam: Exam | None,
    title: str,
    certification_stage: str,
    prerequisite: Exam | None,
    description: str = "",
) -> str:
    problem = description_problem(description)
    if problem:
        raise ValidationFailed(problem)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("考试名称不能为空")
    check_field(title, Exam, "title", "考试名称")
    if certification_stage not in CertificationStage.values:
        raise ValidationFailed(f"考试类别“{certification_stage}”无效")
    prerequisites.check_prerequisite(exam=exam, prerequisite=prerequisite)
    return title


def create_exam(
    *,
    by: Any,
    title: str,
    description: str,
    certification_stage: str,
    prerequisite: Exam | None,
    partial_credit: str,
    time_limit_minutes: int,
    pass_mark: Decimal,
    total_points: Decimal,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    open_to_staff: bool,
    eligible_users: list[Any],
    blueprint: list[dict[str, Any]],
) -> Exam:
    """A new exam, saved unpublished (published later with publish_exam)."""
    _check_common(
        exam=None, title=title, certification_stage=certification_stage, prerequisite=prerequisite,
        description=description,
    )  # fmt: skip
    rows = papers.validate_blueprint(blueprint)
    check_total(rows, total_points)
    check_bank(rows)
    return attempts.create_exam(
        title=title, blueprint=rows, opens_at=opens_at, closes_at=closes_at,
        time_limit_minutes=time_limit_minutes, pass_mark=pass_mark, partial_credit=partial_credit,
        open_to_staff=open_to_staff, eligible_users=eligible_users, description=description, created_by=by,
        certification_stage=certification_stage, prerequisite=prerequisite, is_published=False,
    )  # fmt: skip


def _check_started_changes(
    exam: Exam, *, new: dict[str, Any], closes_at: dt.datetime, open_to_staff: bool, eligible: list[Any],
    now: dt.datetime,
) -> None:  # fmt: skip
    started = list(exam.attempts.select_related("user"))
    if not started:
        return
    changed = [label for name, label in LOCKED_WHEN_STARTED.items() if new[name] != getattr(exam, name)]
    if changed:
        raise Conflict(
            f"已有 {len(started)} 人开考，试卷已按原设置抽取和评分，不能再修改{'、'.join(changed)}；"
            "仍可修改名称、说明、截止时间和增加考生"
        )
    if closes_at != exam.closes_at and closes_at <= now:
        raise Conflict("已有考生开考，截止时间不能改到现在或更早；要立即结束考试，请使用“提前截止”")
    keep = {u.pk for u in eligible}
    # Who started keeps the right to the paper they hold.
    dropped = [
        a.user
        for a in started
        if a.user_id not in keep and not (open_to_staff and a.user.has_role(roles.STAFF_MEMBER))
    ]
    if dropped:
        names = "、".join(f"{u.display_name or u.username}（{u.username}）" for u in dropped[:5])
        raise Conflict(f"{names}{'等' if len(dropped) > 5 else ''}已经开考，不能从考生范围中移除")


def update_exam(
    *,
    exam: Exam,
    by: Any,
    title: str,
    description: str,
    certification_stage: str,
    prerequisite: Exam | None,
    partial_credit: str,
    time_limit_minutes: int,
    pass_mark: Decimal,
    total_points: Decimal,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    open_to_staff: bool,
    eligible_users: list[Any],
    blueprint: list[dict[str, Any]],
    now: dt.datetime | None = None,
) -> Exam:
    """Change an exam's settings; what may change once candidates have started is in the module docstring."""
    now = now or timezone.now()
    title = _check_common(
        exam=exam, title=title, certification_stage=certification_stage, prerequisite=prerequisite,
        description=description,
    )  # fmt: skip
    rows = papers.validate_blueprint(blueprint)
    check_total(rows, total_points)
    mark = attempts.check_exam_settings(
        rows=rows, opens_at=opens_at, closes_at=closes_at, time_limit_minutes=time_limit_minutes,
        pass_mark=pass_mark, partial_credit=partial_credit, open_to_staff=open_to_staff,
        has_candidates=bool(eligible_users),
    )  # fmt: skip
    new = {
        "blueprint": rows,
        "pass_mark": mark,
        "partial_credit": partial_credit,
        "time_limit_minutes": int(time_limit_minutes),
        "opens_at": opens_at,
        "certification_stage": certification_stage,
        "prerequisite_id": prerequisite.pk if prerequisite else None,
    }
    _check_started_changes(
        exam, new=new, closes_at=closes_at, open_to_staff=open_to_staff, eligible=eligible_users, now=now
    )
    format_changed = any(new[k] != getattr(exam, k) for k in ("blueprint", "pass_mark", "time_limit_minutes",
                                                               "certification_stage"))  # fmt: skip
    if format_changed:
        # A published exam whose format is left alone stays editable after the rule changes (as the admin).
        exam_format.check_certification_format(
            stage=certification_stage, is_published=exam.is_published, rows=rows, pass_mark=mark,
            time_limit_minutes=int(time_limit_minutes),
        )  # fmt: skip
    if rows != exam.blueprint:
        check_bank(rows)
    with transaction.atomic():
        exam.title, exam.description, exam.closes_at, exam.open_to_staff = (
            title,
            description,
            closes_at,
            open_to_staff,
        )
        for name, value in new.items():
            setattr(exam, name, value)
        exam.save()
        exam.eligible_users.set(eligible_users)
    return exam


def publish_exam(*, exam: Exam, by: Any, now: dt.datetime | None = None) -> Exam:
    """Publish a draft: the bank must still fill it, and a certification exam must have the rule's format."""
    now = now or timezone.now()
    if exam.is_published:
        raise Conflict("本场考试已经发布")
    if exam.closes_at <= now:
        raise Conflict("截止时间已过，发布后无人能参加；请先修改截止时间")
    rows = papers.validate_blueprint(exam.blueprint)
    exam_format.check_certification_format(
        stage=exam.certification_stage, is_published=True, rows=rows, pass_mark=exam.pass_mark,
        time_limit_minutes=exam.time_limit_minutes,
    )  # fmt: skip
    check_bank(rows)
    with transaction.atomic():
        exam.is_published = True
        exam.save(update_fields=["is_published"])
        audit.record(action="transition", obj=exam, actor=by, comment="发布考试",
                     before={"status": "未发布"}, after={"status": status(exam, now)})  # fmt: skip
    return exam


def withdraw_exam(*, exam: Exam, by: Any) -> Exam:
    """Take a published exam back to a draft, only while nobody has started it."""
    if not exam.is_published:
        raise Conflict("本场考试尚未发布")
    if exam.attempts.exists():
        raise Conflict("已有考生开考，不能撤回发布；可以使用“提前截止”结束考试")
    with transaction.atomic():
        exam.is_published = False
        exam.save(update_fields=["is_published"])
        audit.record(action="transition", obj=exam, actor=by, comment="撤回发布",
                     before={"status": "已发布"}, after={"status": "未发布"})  # fmt: skip
    return exam


def close_exam(*, exam: Exam, by: Any, now: dt.datetime | None = None) -> Exam:
    """End an open exam now: nobody new may start; a candidate already answering keeps the deadline the
    paper was given when started (the server-side timer is not shortened under anyone's feet)."""
    now = now or timezone.now()
    if status(exam, now) != "进行中":
        raise Conflict(f"只有进行中的考试可以提前截止，本场考试{status(exam, now)}")
    before = exam.closes_at
    with transaction.atomic():
        exam.closes_at = now
        exam.save(update_fields=["closes_at"])
        audit.record(action="transition", obj=exam, actor=by, comment="提前截止",
                     before={"closes_at": before}, after={"closes_at": now})  # fmt: skip
    return exam
