"""Records in the other apps, created directly through their models, for the reports tests.

Every fixture uses dates inside THIS year (before today) plus one record in the previous year that the
figures must leave out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.services import ensure_user

TODAY = timezone.localdate()
THIS = TODAY.year
LAST = THIS - 1


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def early(month: int, day: int = 10) -> dt.date:
    """A date this year, never after today (months are clamped to the current one)."""
    day_ = dt.date(THIS, min(month, TODAY.month), day)
    return min(day_, TODAY)


def staff(username: str, name: str, department: str, *, enforcement: bool = True):
    from fazhi.exams.models import StaffProfile

    user = ensure_user(
        username=username, display_name=name, role_names=[roles.STAFF_MEMBER], password="x-pass-2026"
    )
    StaffProfile.objects.create(user=user, department=department, post="执法岗", enforcement_post=enforcement)
    return user


@pytest.fixture
def drafts(clerk):
    """Five drafts: d1 reviewed then published, d2 published without review, d3 pending and late,
    d4 rejected (another unit), d5 from last year."""
    from fazhi.review.models import Draft, State

    def make(title: str, unit: str, **kw):
        return Draft.objects.create(
            title=title, doc_type="normative", is_normative=True, unit=unit, drafter=clerk, **kw
        )

    d = early(1, 5)
    return {
        "d1": make(
            "规范性文件一",
            "法规科",
            state=State.PUBLISHED,
            submitted_at=at(THIS, d.month, d.day),
            decided_at=at(THIS, d.month, d.day, 15),
            outcome=State.APPROVED.label,
            review_days_used=3,
            published_on=d + dt.timedelta(days=0),
            valid_until=dt.date(THIS + 1, 3, 1),
        ),
        "d2": make("未经审查公布的文件", "法规科", state=State.PUBLISHED, published_on=d),
        "d3": make(
            "逾期未审结的文件",
            "法规科",
            state=State.IN_REVIEW,
            submitted_at=at(THIS, d.month, d.day),
            round_submitted_at=at(THIS, d.month, d.day),
            review_deadline=d + dt.timedelta(days=7),
            late_rounds=1,
        ),
        "d4": make(
            "不予通过的文件",
            "预算科",
            state=State.REJECTED,
            submitted_at=at(THIS, d.month, d.day),
            decided_at=at(THIS, d.month, d.day, 16),
            outcome=State.REJECTED.label,
            review_days_used=5,
            is_major=True,
        ),
        "d5": make(
            "去年的文件",
            "法规科",
            state=State.PUBLISHED,
            submitted_at=at(LAST, 5, 1),
            decided_at=at(LAST, 5, 3),
            outcome=State.APPROVED.label,
            review_days_used=2,
            published_on=dt.date(LAST, 5, 4),
        ),
    }


@pytest.fixture
def enforcement_staff(db):
    """Three enforcement staff in 执法一科: u1 certified all year, u2 suspended from 1 February,
    u3 without certificate; one non-enforcement clerk with a certificate (not counted)."""
    from fazhi.exams.models import CertificateStatus, EnforcementCertificate

    u1 = staff("zhangsan", "张三丰", "执法一科")
    u2 = staff("lisi", "李四光", "执法一科")
    u3 = staff("wangwu", "王五", "执法二科")
    office = staff("zhaoliu", "赵六", "办公室", enforcement=False)
    EnforcementCertificate.objects.create(
        holder=u1, number="ZF-0001", issued_on=dt.date(LAST, 1, 1), expires_on=dt.date(THIS + 1, 6, 30)
    )
    EnforcementCertificate.objects.create(
        holder=u2,
        number="ZF-0002",
        issued_on=dt.date(LAST, 1, 1),
        expires_on=dt.date(THIS + 2, 6, 30),
        status=CertificateStatus.SUSPENDED,
        status_changed_on=dt.date(THIS, 2, 1),
    )
    EnforcementCertificate.objects.create(
        holder=office, number="ZF-0009", issued_on=dt.date(LAST, 1, 1), expires_on=dt.date(THIS + 3, 1, 1)
    )
    return {"u1": u1, "u2": u2, "u3": u3, "office": office}


@pytest.fixture
def exam_results(enforcement_staff):
    """One exam this year (u1 passed, u2 failed, u3 started but not submitted); one exam last year."""
    from fazhi.exams.models import Attempt, Exam, TrainingRecord

    opens = at(THIS, early(2).month, 1)
    exam = Exam.objects.create(title="执法资格考试", opens_at=opens, closes_at=opens + dt.timedelta(days=2))
    old = Exam.objects.create(title="去年的考试", opens_at=at(LAST, 3, 1), closes_at=at(LAST, 3, 2))
    u = enforcement_staff

    def attempt(exam, user, score, passed, submitted=True):
        Attempt.objects.create(
            exam=exam,
            user=user,
            seed=1,
            started_at=exam.opens_at,
            deadline=exam.opens_at + dt.timedelta(hours=2),
            submitted_at=exam.opens_at + dt.timedelta(hours=1) if submitted else None,
            score=Decimal(score) if submitted else None,
            passed=passed if submitted else None,
        )

    attempt(exam, u["u1"], "86", True)
    attempt(exam, u["u2"], "52", False)
    attempt(exam, u["u3"], "0", None, submitted=False)
    attempt(old, u["u1"], "90", True)
    TrainingRecord.objects.create(user=u["u1"], date=early(3), hours=Decimal("4"), topic="政府采购法")
    TrainingRecord.objects.create(user=u["u3"], date=early(3), hours=Decimal("2.5"), topic="预算法")
    TrainingRecord.objects.create(user=u["u3"], date=dt.date(LAST, 3, 1), hours=Decimal("2"), topic="旧")
    return exam
