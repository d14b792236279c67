import io

import pytest
from django.core.management import call_command

from fazhi.core import roles
from fazhi.core.models import User
from fazhi.exams.demo import DEMO_EXAM, setup_demo
from fazhi.exams.models import Exam, Question
from fazhi.exams.services import attempts

pytestmark = pytest.mark.django_db


def test_the_demo_exam_is_open_to_staff_and_setup_is_idempotent():
    call_command(
        "demo_users", "--role", "candidate", "--count", "2", "--prefix", "cand", stdout=io.StringIO()
    )
    out = io.StringIO()
    setup_demo(out)
    setup_demo(out)
    exam = Exam.objects.get(title=DEMO_EXAM)
    assert exam.question_count == 50 and exam.time_limit_minutes == 120 and exam.open_to_staff
    # 425 items in the file, 5 of them repeat an earlier stem and options: duplicate detection skips them.
    assert Question.objects.filter(source__startswith="JEC-QA").count() == 420
    assert not Question.objects.filter(source__startswith="DISC").exists()
    cand = User.objects.get(username="cand001")
    assert cand.has_role(roles.STAFF_MEMBER) and attempts.is_eligible(cand, exam)
    attempt, _ = attempts.start_attempt(user=cand, exam_id=exam.pk)
    assert len(attempt.paper) == 50 and attempt.total_points == 100


def test_the_demo_reviewer_holds_two_legal_qualifications_once():
    from fazhi.core.services import ensure_user
    from fazhi.exams.models import Qualification

    ensure_user(
        username="reviewer", display_name="审核员", role_names=[roles.REVIEWER], password="x-pass-2026"
    )
    setup_demo(io.StringIO())
    setup_demo(io.StringIO())
    held = Qualification.objects.filter(profile__user__username="reviewer")
    assert sorted(held.values_list("kind", flat=True)) == ["legal_a", "public_lawyer"]
