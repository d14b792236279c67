"""学法考试 API (/api/v1/exams/): candidates' exam flow, administrators' results, certified share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from fazhi.core import roles
from fazhi.core.errors import NotFound
from fazhi.core.permissions import api_auth, api_auth_for, api_user, require_role
from fazhi.exams import selectors
from fazhi.exams.api_certificates import router as certificates_router
from fazhi.exams.api_qualifications import router as qualifications_router
from fazhi.exams.downloads import xlsx_response
from fazhi.exams.models import Attempt, CompetitionRound, Exam
from fazhi.exams.services import attempts as attempt_service
from fazhi.exams.services import (
    bank,
    certificates,
    competitions,
    prerequisites,
    question_files,
    stats,
)

router = Router(tags=["学法考试"])
# 应考尽考 list, issuing certificates, training and retraining results (api_certificates).
router.add_router("", certificates_router)
# 法律专业资格 register (api_qualifications).
router.add_router("", qualifications_router)

ADMIN_ROLES = selectors.ADMIN_ROLES
DASHBOARD_ROLES = selectors.DASHBOARD_ROLES


class ExamOut(Schema):
    exam_id: int
    title: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_limit_minutes: int
    question_count: int
    total_points: float
    pass_mark: float
    attempt_id: int | None
    submitted: bool
    certification_stage: str = ""
    prerequisite_exam_id: int | None = None
    # Why the candidate cannot start this exam yet (the exam to pass first), "" when nothing stops it.
    start_blocked_reason: str = ""


class QuestionOut(Schema):
    question_id: int
    type: str
    stem: str
    options: dict[str, str]
    points: float
    case_id: int | None = None
    case_stem: str | None = None


class AttemptStartOut(Schema):
    attempt_id: int
    exam_id: int
    deadline: dt.datetime
    remaining_seconds: int
    submitted: bool
    questions: list[QuestionOut]


class AnswerIn(Schema):
    answer: list[str]


class AnswerOut(Schema):
    question_id: int
    answer: list[str]
    saved_at: dt.datetime
    remaining_seconds: int


class AttemptOut(Schema):
    attempt_id: int
    exam_id: int
    status: str
    deadline: dt.datetime
    remaining_seconds: int
    answers: dict[str, list[str]]
    questions: list[QuestionOut]
    submitted_at: dt.datetime | None
    auto_submitted: bool
    score: float | None
    total_points: float
    passed: bool | None


class AttemptResultOut(Schema):
    attempt_id: int
    score: float
    total_points: float
    pass_mark: float
    passed: bool
    submitted_at: dt.datetime
    auto_submitted: bool


def _questions(attempt: Attempt) -> list[dict[str, Any]]:
    return [
        {
            "question_id": q.pk,
            "type": q.type,
            "stem": q.stem,
            "options": q.options,
            "points": float(item["points"]),
            "case_id": item.get("case_id"),
            "case_stem": case.stem if case else None,
        }
        for item, q, case in selectors.paper_questions(attempt)
    ]


@router.get("/", auth=api_auth, response=list[ExamOut], summary="当前用户可参加的考试")
def list_exams(request: HttpRequest) -> list[dict[str, Any]]:
    user = api_user(request)
    mine = {a.exam_id: a for a in Attempt.objects.filter(user=user)}
    return [
        {
            "exam_id": e.pk,
            "title": e.title,
            "opens_at": e.opens_at,
            "closes_at": e.closes_at,
            "time_limit_minutes": e.time_limit_minutes,
            "question_count": e.question_count,
            "total_points": float(e.total_points),
            "pass_mark": float(e.pass_mark),
            "attempt_id": mine[e.pk].pk if e.pk in mine else None,
            "submitted": bool(e.pk in mine and mine[e.pk].is_submitted),
            "certification_stage": e.certification_stage,
            "prerequisite_exam_id": e.prerequisite_id,
            "start_blocked_reason": ""
            if e.pk in mine
            else prerequisites.unmet_prerequisite(user=user, exam=e),
        }
        for e in selectors.open_exams_for(user).select_related("prerequisite")
    ]


@router.post(
    "/{int:exam_id}/attempts",
    auth=api_auth,
    response=AttemptStartOut,
    summary="开始考试（再次调用返回同一份试卷）",
)
def start_attempt(request: HttpRequest, exam_id: int) -> dict[str, Any]:
    attempt, _created = attempt_service.start_attempt(user=api_user(request), exam_id=exam_id)
    return {
        "attempt_id": attempt.pk,
        "exam_id": attempt.exam_id,
        "deadline": attempt.deadline,
        "remaining_seconds": attempt_service.remaining_seconds(attempt),
        "submitted": attempt.is_submitted,
        "questions": _questions(attempt),
    }


@router.put(
    "/attempts/{int:attempt_id}/answers/{int:question_id}",
    auth=api_auth,
    response=AnswerOut,
    summary="保存一题答案（每次修改即保存）",
)
def save_answer(request: HttpRequest, attempt_id: int, question_id: int, payload: AnswerIn) -> dict[str, Any]:
    saved = attempt_service.save_answer(
        user=api_user(request), attempt_id=attempt_id, question_id=question_id, answer=payload.answer
    )
    return {
        "question_id": question_id,
        "answer": saved.answer,
        "saved_at": saved.saved_at,
        "remaining_seconds": max(0, int((saved.attempt.deadline - timezone.now()).total_seconds())),
    }


@router.get(
    "/attempts/{int:attempt_id}", auth=api_auth, response=AttemptOut, summary="作答情况（已存答案、剩余时间）"
)
def get_attempt(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    attempt = attempt_service.read_attempt(user=api_user(request), attempt_id=attempt_id)
    return {
        "attempt_id": attempt.pk,
        "exam_id": attempt.exam_id,
        "status": "submitted" if attempt.is_submitted else "in_progress",
        "deadline": attempt.deadline,
        "remaining_seconds": attempt_service.remaining_seconds(attempt),
        "answers": {str(k): v for k, v in attempt_service.saved_answers(attempt).items()},
        "questions": _questions(attempt),
        "submitted_at": attempt.submitted_at,
        "auto_submitted": attempt.auto_submitted,
        "score": float(attempt.score) if attempt.score is not None else None,
        "total_points": float(attempt.total_points),
        "passed": attempt.passed,
    }


@router.post(
    "/attempts/{int:attempt_id}/submit", auth=api_auth, response=AttemptResultOut, summary="交卷并评分"
)
def submit_attempt(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    attempt = attempt_service.submit_attempt(user=api_user(request), attempt_id=attempt_id)
    return {
        "attempt_id": attempt.pk,
        "score": float(attempt.score or 0),
        "total_points": float(attempt.total_points),
        "pass_mark": float(attempt.exam.pass_mark),
        "passed": bool(attempt.passed),
        "submitted_at": attempt.submitted_at,
        "auto_submitted": attempt.auto_submitted,
    }


# --- administrators ---------------------------------------------------------------------------------


def _exam(exam_id: int) -> Exam:
    exam = Exam.objects.filter(pk=exam_id).first()
    if exam is None:
        raise NotFound("考试不存在")
    return exam


@router.get(
    "/{int:exam_id}/results",
    auth=api_auth_for(*ADMIN_ROLES, message="只有考试管理员可以查看成绩"),
    summary="成绩与试题分析（考试管理员）",
)
def exam_results(request: HttpRequest, exam_id: int) -> dict[str, Any]:
    exam = _exam(exam_id)
    return {
        "summary": stats.summary(exam),
        "results": [
            {
                "attempt_id": a.pk,
                "username": a.user.username,
                # On the day of the sitting (the staff registry's history), and today's.
                "department": getattr(a, "department_then", "") or selectors.department_of(a.user),
                "department_now": selectors.department_of(a.user),
                "score": float(a.score or 0),
                "passed": a.passed,
                "auto_submitted": a.auto_submitted,
            }
            for a in stats.submitted_attempts(exam, departments=True)
        ],
        "questions": [s.__dict__ for s in stats.question_stats(exam)],
    }


@router.get(
    "/{int:exam_id}/results.xlsx",
    auth=api_auth_for(*ADMIN_ROLES, message="只有考试管理员可以导出成绩"),
    summary="导出成绩 Excel（考试管理员）",
)
def exam_results_xlsx(request: HttpRequest, exam_id: int) -> HttpResponse:
    exam = _exam(exam_id)
    return xlsx_response(stats.export_xlsx(exam), f"exam-{exam.pk}-results.xlsx")


class QuestionImportOut(Schema):
    ok: bool
    summary: str
    created: int
    duplicates: list[int]
    errors: list[dict[str, Any]]


@router.post(
    "/questions/import",
    auth=api_auth_for(*ADMIN_ROLES, message="只有考试管理员可以导入试题"),
    response=QuestionImportOut,
    summary="导入试题（JSON 或 Excel）",
)
def import_questions(request: HttpRequest, file: UploadedFile = File(...)) -> dict[str, Any]:  # noqa: B008
    report = bank.import_questions(rows=question_files.parse_upload(file.read()))
    return {
        "ok": report.ok,
        "summary": report.summary(),
        "created": report.created,
        "duplicates": report.duplicates,
        "errors": [{"row": e.row, "message": e.message} for e in report.errors],
    }


@router.get(
    "/certified-share",
    auth=api_auth_for(*DASHBOARD_ROLES, message="无权查看执法人员占比"),
    summary="执法人员占比（按科室及按月）",
)
def certified_share(request: HttpRequest) -> dict[str, Any]:
    rows, total = certificates.certified_share()
    return {
        "departments": [
            {
                "department": r.department,
                "enforcement_staff": r.enforcement_staff,
                "certified": r.certified,
                "share": r.share,
            }
            for r in rows
        ],
        "total": {
            "enforcement_staff": total.enforcement_staff,
            "certified": total.certified,
            "share": total.share,
        },
        "series": certificates.certified_share_series(),
    }


@router.get("/competitions/rounds/{int:round_id}/leaderboard", summary="竞赛排行榜（公开竞赛无需登录）")
def leaderboard(request: HttpRequest, round_id: int) -> list[dict[str, Any]]:
    r = (
        CompetitionRound.objects.select_related("competition")
        .filter(pk=round_id, competition__is_published=True)
        .first()
    )
    if r is None:
        raise NotFound("竞赛轮次不存在")
    if r.competition.audience != "public":
        require_role(request.user, roles.STAFF_MEMBER, message="本竞赛排行榜仅对本局工作人员开放")
    return [
        {
            "rank": rank,
            "name": selectors.public_name(e.user),
            "correct": e.correct_count,
            "seconds": e.duration_seconds,
        }
        for rank, e in competitions.ranked(competitions.leaderboard(r))
    ]
