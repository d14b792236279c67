"""The results export writes names people typed as text, never as formulas."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.exams.services import attempts, stats


def test_a_name_that_looks_like_a_formula_is_stored_as_text(exam):
    user = ensure_user(
        username="cand_f", display_name="=HYPERLINK(\"http://evil.example/\",\"成绩\")",
        role_names=[roles.STAFF_MEMBER], password="x-pass-2026",
    )  # fmt: skip
    attempts.start_attempt(user=user, exam_id=exam.pk)
    sheet = load_workbook(io.BytesIO(stats.export_xlsx(exam)))["成绩"]
    name = sheet["B2"]
    assert name.value == '=HYPERLINK("http://evil.example/","成绩")'
    assert name.data_type == "s"
