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


def test_an_indicator_that_looks_like_a_formula_keeps_its_quote_prefix_under_the_cell_style(approved_project):
    indicator = approved_project.target.indicators.order_by("position").first()
    indicator.target_value = "=SUM(A1:A2)"
    indicator.save(update_fields=["target_value"])
    sheet = load_workbook(io.BytesIO(excel.export_project(approved_project)))[excel.TARGET_SHEET]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=SUM(A1:A2)")
    assert cell.data_type == "s" and cell.quotePrefix


def test_control_characters_in_the_bureaus_text_are_dropped_not_a_500(approved_project):
    PerformanceTarget.objects.filter(project=approved_project).update(annual_goal="提高\x01资助\x0b覆盖面")
    indicator = approved_project.target.indicators.order_by("position").first()
    indicator.name = "受助\x07学生人数"
    indicator.save(update_fields=["name"])
    approved_project.refresh_from_db()
    sheet = load_workbook(io.BytesIO(excel.export_project(approved_project)))[excel.TARGET_SHEET]
    values = {c.value for row in sheet.iter_rows() for c in row}
    assert {"提高资助覆盖面", "受助学生人数"} <= values
