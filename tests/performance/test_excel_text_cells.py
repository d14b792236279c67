"""The 绩效 tables write typed text that looks like a formula as text, so export → import keeps it."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from fazhi.performance import excel
from fazhi.performance.models import PerformanceTarget


def test_a_goal_that_looks_like_a_formula_is_stored_as_text(approved_project):
    PerformanceTarget.objects.filter(project=approved_project).update(annual_goal="=1+1")
    approved_project.refresh_from_db()
    sheet = load_workbook(io.BytesIO(excel.export_project(approved_project)))[excel.TARGET_SHEET]
    goal = next(c for row in sheet.iter_rows() for c in row if c.value == "=1+1")
    assert goal.data_type == "s"
