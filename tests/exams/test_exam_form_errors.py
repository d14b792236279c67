"""考试设置 form sent back with errors: every wrong field is marked aria-invalid and names its own error by
aria-describedby (GB/T 37668-2019 / WCAG 3.3.1), so form-errors.js puts the focus on the first of them and a
screen reader reads the label with the error — for each checked field, not only the title."""

from __future__ import annotations

import re

import pytest

from fazhi.exams.models import Exam
from tests.exams.test_exam_setup import form

pytestmark = pytest.mark.django_db

FIELDS = {
    "certification_stage": "f-certification_stage",
    "prerequisite": "f-prerequisite",
    "partial_credit": "f-partial_credit",
    "time_limit_minutes": "f-time_limit_minutes",
    "total_points": "f-total_points",
    "pass_mark": "f-pass_mark",
    "opens_at": "f-opens_at",
    "closes_at": "f-closes_at",
    "candidates": "f-candidates",
}


def field_tag(page: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|select|textarea) id="{field_id}"[^>]*>', page)
    assert found, field_id
    return found.group(0)


def test_each_wrong_field_is_marked_and_names_its_own_error(question_bank, examadmin, login):
    c = login(examadmin)
    wrong = form(
        certification_stage="nonsense", prerequisite="999999", partial_credit="nonsense",
        time_limit_minutes="半小时", total_points="", pass_mark="八", opens_at="明天", closes_at="",
        candidates="nobody-such-user",
    )  # fmt: skip
    page = c.post("/exams/manage/new/", wrong).content.decode()
    assert not Exam.objects.exists()
    for name, field_id in FIELDS.items():
        tag = field_tag(page, field_id)
        assert 'aria-invalid="true"' in tag, tag
        described = re.search(r'aria-describedby="([^"]+)"', tag)
        assert described, tag
        error = re.search(rf'<span id="{described.group(1)}" class="error">([^<]+)</span>', page)
        assert error and error.group(1).strip(), name


def test_a_right_field_is_not_marked(question_bank, examadmin, login):
    c = login(examadmin)
    page = c.post("/exams/manage/new/", form(title="")).content.decode()
    assert 'aria-invalid="true"' in field_tag(page, "f-title")
    for field_id in FIELDS.values():
        assert "aria-invalid" not in field_tag(page, field_id)
