"""Demo data (DEBUG): the open exam 演示考试 from the shared JEC-QA items, a competition, certificates and
the reviewer's legal qualifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.models import User
from fazhi.exams.models import (
    Competition,
    CompetitionRound,
    EnforcementCertificate,
    Exam,
    Qualification,
    QualificationKind,
    Question,
    StaffProfile,
    TrainingRecord,
)
from fazhi.exams.services import attempts, bank, question_files, staff

DEMO_EXAM = "演示考试"
DEMO_COMPETITION = "演示法律知识竞赛"
JECQA = "jecqa-admin-law.jsonl"
# 50 questions × 2 points; JEC-QA has single- and multiple-answer items only (no true/false).
DEMO_BLUEPRINT = [
    {"type": "single", "knowledge_point": "", "count": 35, "points": 2},
    {"type": "multiple", "knowledge_point": "", "count": 15, "points": 2},
]


def _ensure_jecqa(stdout: Any) -> None:
    if Question.objects.filter(source__startswith="JEC-QA").exists():
        return
    path = question_files.shared_file(JECQA)
    if not path.exists():
        raise RuntimeError(f"找不到共享试题文件 {path}")
    report = bank.import_questions(rows=question_files.jecqa_rows(path))
    if not report.ok:
        raise RuntimeError("；".join(str(e) for e in report.errors[:5]))
    stdout.write(f"演示试题（JEC-QA，仅供演示）：{report.summary()}")


def _ensure_exam(stdout: Any) -> Exam:
    exam = Exam.objects.filter(title=DEMO_EXAM).first()
    now = timezone.now()
    if exam is not None:
        if exam.closes_at <= now + dt.timedelta(days=1):  # keep the demo exam open on a long-lived install
            exam.closes_at = now + dt.timedelta(days=30)
            exam.save(update_fields=["closes_at"])
        return exam
    admin = User.objects.filter(username="examadmin").first()
    exam = attempts.create_exam(
        title=DEMO_EXAM,
        description="演示用考试：50 题（单选 35、多选 15，每题 2 分），120 分钟，60 分及格。试题取自 JEC-QA 公开数据，仅供演示。",
        blueprint=DEMO_BLUEPRINT,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=30),
        time_limit_minutes=120,
        pass_mark=60,
        partial_credit="half",
        open_to_staff=True,
        created_by=admin,
    )
    stdout.write(f"已创建开放考试“{DEMO_EXAM}”（对全体工作人员开放）。")
    return exam


def _ensure_competition() -> None:
    if Competition.objects.filter(title=DEMO_COMPETITION).exists():
        return
    now = timezone.now()
    comp = Competition.objects.create(
        title=DEMO_COMPETITION,
        description="每轮 10 道随机题，按答对题数、再按用时排名。",
        question_count=10,
        time_limit_seconds=300,
    )
    CompetitionRound.objects.create(
        competition=comp,
        number=1,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=30),
    )


def _ensure_certificates() -> None:
    if StaffProfile.objects.exists():
        return
    today = timezone.localdate()
    people = [
        ("leader", "办公室", True, True),
        ("reviewer", "法规科", True, True),
        ("drafter", "法规科", True, False),
        ("buyer", "政府采购监督管理科", True, True),
        ("examadmin", "办公室", False, False),
    ]
    for i, (username, dept, enforcement, certified) in enumerate(people):
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        staff.register_staff(
            user=user, department=dept, post="执法岗" if enforcement else "综合岗", enforcement_post=enforcement,
            post_since=today - dt.timedelta(days=700),
        )  # fmt: skip
        if certified:
            issued = today - dt.timedelta(days=300 + 200 * i)
            EnforcementCertificate.objects.create(
                holder=user, number=f"演示-{today.year}-{i + 1:04d}", issued_on=issued,
                expires_on=issued + dt.timedelta(days=730), issuer="区司法局",
            )  # fmt: skip
        TrainingRecord.objects.create(
            user=user, date=today - dt.timedelta(days=30), hours=4, topic="行政处罚法专题培训"
        )


def _ensure_qualifications() -> None:
    """The legality reviewer holds a 法律职业资格 A证 and a 公职律师证 (the 法律专业人员 page and figures)."""
    if Qualification.objects.exists():
        return
    profile = StaffProfile.objects.filter(user__username="reviewer").first()
    if profile is None:
        return
    Qualification.objects.create(
        profile=profile, kind=QualificationKind.LEGAL_A, number="演示A-20160001",
        obtained_on=dt.date(2016, 3, 1), issuer="司法部",
    )  # fmt: skip
    Qualification.objects.create(
        profile=profile, kind=QualificationKind.PUBLIC_LAWYER, number="演示公职律师-0001",
        obtained_on=dt.date(2020, 6, 1), issuer="省司法厅",
    )  # fmt: skip


def setup_demo(stdout: Any) -> None:
    """Idempotent: imports only the JEC-QA items, then the exam, a competition round and a few certificates."""
    with transaction.atomic():
        _ensure_jecqa(stdout)
        _ensure_exam(stdout)
        _ensure_competition()
        _ensure_certificates()
        _ensure_qualifications()
    staff = User.objects.filter(groups__name=roles.STAFF_MEMBER).count()
    stdout.write(
        f"学法考试：演示考试已开放，{staff} 名工作人员可参加；批量考生：fazhi demo users --role candidate --count N"
    )
