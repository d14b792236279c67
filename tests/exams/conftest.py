"""Exam fixtures: a small synthetic question bank, an open exam, and a few candidates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.exams.services import attempts, bank

BLUEPRINT = [
    {"type": "single", "knowledge_point": "行政处罚", "count": 4, "points": 2},
    {"type": "single", "knowledge_point": "", "count": 3, "points": 2},
    {"type": "multiple", "knowledge_point": "", "count": 3, "points": 4},
    {"type": "judge", "knowledge_point": "", "count": 3, "points": 2},
    {"type": "case", "knowledge_point": "", "count": 1, "points": 6},
]  # 8 + 6 + 12 + 6 + 6 = 38 points


def bank_rows() -> list[tuple[int, dict]]:
    rows: list[dict] = []
    for i in range(10):
        rows.append({"type": "single", "stem": f"行政处罚单选题{i}：下列说法正确的是", "options": ["甲", "乙", "丙", "丁"],
                     "answer": "B", "knowledge_points": ["行政处罚"], "explanation": f"解析{i}"})  # fmt: skip
    for i in range(10):
        rows.append({"type": "single", "stem": f"行政许可单选题{i}", "options": {"A": "一", "B": "二", "C": "三"},
                     "answer": ["C"], "knowledge_points": "行政许可"})  # fmt: skip
    for i in range(8):
        rows.append({"type": "multiple", "stem": f"多选题{i}", "options": ["一", "二", "三", "四"],
                     "answer": ["A", "C", "D"], "knowledge_points": ["行政处罚"]})  # fmt: skip
    for i in range(8):
        rows.append({"type": "judge", "stem": f"判断题{i}：罚款属于行政处罚", "answer": "正确"})
    for i in range(3):
        rows.append(
            {
                "type": "case",
                "stem": f"案例{i}：某局对某公司作出罚款决定……",
                "sub_questions": [
                    {"type": "single", "stem": f"案例{i}第1问", "options": ["甲", "乙"], "answer": "A"},
                    {"type": "judge", "stem": f"案例{i}第2问", "answer": "错误"},
                ],
            }
        )
    return list(enumerate(rows, start=1))


@pytest.fixture
def question_bank(db):
    report = bank.import_questions(rows=bank_rows())
    assert report.ok, report.errors
    return report


def certification_rows() -> list[tuple[int, dict]]:
    """Enough more questions, on top of bank_rows, for the paper of the certification exam rule (25 single,
    10 multiple, 15 true/false)."""
    rows: list[dict] = []
    for i in range(10):
        rows.append({"type": "single", "stem": f"执法资格单选题{i}", "options": ["甲", "乙"], "answer": "A"})
    for i in range(5):
        rows.append({"type": "multiple", "stem": f"执法资格多选题{i}", "options": ["甲", "乙", "丙"],
                     "answer": ["A", "B"]})  # fmt: skip
    for i in range(10):
        rows.append({"type": "judge", "stem": f"执法资格判断题{i}：行政机关应当依法行政", "answer": "正确"})
    return list(enumerate(rows, start=1))


@pytest.fixture
def certification_bank(question_bank):
    """The synthetic bank, large enough for a certification exam of the shipped rule."""
    report = bank.import_questions(rows=certification_rows())
    assert report.ok, report.errors
    return report


def certification_exam(title: str, stage: str, **kw):
    """An open certification exam in the format of the 执法资格考试规则 (blueprint, pass mark, time limit)."""
    from fazhi.exams.services import exam_format

    now = timezone.now()
    return attempts.create_exam(
        title=title, opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1),
        certification_stage=stage, **exam_format.prefill(), **kw,
    )  # fmt: skip


@pytest.fixture
def candidate(db):
    return ensure_user(
        username="cand_a", display_name="考生甲", role_names=[roles.STAFF_MEMBER], password="x-pass-2026"
    )


@pytest.fixture
def candidate2(db):
    return ensure_user(
        username="cand_b", display_name="考生乙", role_names=[roles.STAFF_MEMBER], password="x-pass-2026"
    )


@pytest.fixture
def exam(question_bank, examadmin):
    now = timezone.now()
    return attempts.create_exam(
        title="行政执法资格考试",
        blueprint=BLUEPRINT,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        time_limit_minutes=60,
        pass_mark=20,
        partial_credit="half",
        created_by=examadmin,
    )


@pytest.fixture(autouse=True)
def _fresh_question_cache():
    """SQLite reuses ids after a test's rollback, so the per-process question cache starts empty each test."""
    from fazhi.exams.services import attempts as attempt_service

    attempt_service._shapes.clear()


@pytest.fixture
def on_record(db):
    """人员登记: a person in an enforcement post in 法规科 since a year ago (dates relative to today: the admin
    checks against today)."""
    from fazhi.exams.services import staff

    person = ensure_user(
        username="s_admin", display_name="s_admin", role_names=["工作人员"], password="x-pass-2026"
    )
    start = timezone.localdate() - dt.timedelta(days=365)
    return staff.register_staff(
        user=person, department="法规科", post="执法岗", enforcement_post=True, on=start
    )
