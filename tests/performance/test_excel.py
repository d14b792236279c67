"""Excel template: export then import gives the same data; every bad row is named."""

import io

import pytest
from openpyxl import load_workbook

from fazhi.core.errors import ValidationFailed
from fazhi.performance import excel, services
from fazhi.performance.models import Indicator, IndicatorResult, PerformanceTarget, SelfEvaluation, Status


def _indicators(project):
    return list(
        Indicator.objects.filter(target__project=project)
        .order_by("position")
        .values_list("level1", "level2", "name", "direction", "target_value", "unit", "weight", "position")
    )


def _results(project):
    return list(
        IndicatorResult.objects.filter(evaluation__project=project)
        .order_by("indicator__position")
        .values_list("indicator__name", "actual_value", "deviation_reason", "improvement", "score", "met")
    )


def test_the_target_table_round_trips_through_excel(approved_project, clerk):
    before_goal, before = approved_project.target.annual_goal, _indicators(approved_project)
    data = excel.export_project(approved_project)
    # reopen the table for the unit and clear it, then import what was exported
    PerformanceTarget.objects.filter(project=approved_project).update(status=Status.RETURNED, annual_goal="")
    Indicator.objects.filter(target__project=approved_project).delete()
    excel.import_target(actor=clerk, project=approved_project, data=data)
    approved_project.target.refresh_from_db()
    assert approved_project.target.annual_goal == before_goal
    assert _indicators(approved_project) == before


def test_the_self_evaluation_round_trips_through_excel(evaluated_project, clerk):
    ev = evaluated_project.self_evaluation
    before, before_ev = _results(evaluated_project), (ev.achievement, ev.total_score, ev.grade)
    data = excel.export_project(evaluated_project)
    SelfEvaluation.objects.filter(pk=ev.pk).update(status=Status.RETURNED, achievement="")
    IndicatorResult.objects.filter(evaluation=ev).update(actual_value="", deviation_reason="", improvement="")
    excel.import_evaluation(actor=clerk, project=evaluated_project, data=data)
    ev.refresh_from_db()
    assert _results(evaluated_project) == before
    assert (ev.achievement, ev.total_score, ev.grade) == before_ev


def test_the_export_has_the_familiar_layout(evaluated_project):
    wb = load_workbook(io.BytesIO(excel.export_project(evaluated_project)))
    assert wb.sheetnames == ["绩效目标表", "绩效自评表"]
    ws = wb["绩效目标表"]
    assert (
        ws["A1"].value == "项目支出绩效目标表"
        and ws["A4"].value == "项目名称"
        and ws["B4"].value == "学生资助项目"
    )
    header = [c.value for c in next(r for r in ws.iter_rows() if r[0].value == "一级指标")]
    assert header == excel.TARGET_HEADER
    rows = [[c.value for c in r] for r in wb["绩效自评表"].iter_rows()]
    assert rows[-1][:4] == ["总分", 95.0, "等级", "优"]


def _sheet_with_rows(project, rows):
    """An exported workbook whose indicator rows are replaced by `rows`."""
    wb = load_workbook(io.BytesIO(excel.export_project(project)))
    ws = wb["绩效目标表"]
    header = next(r[0].row for r in ws.iter_rows() if r[0].value == "一级指标")
    ws.delete_rows(header + 1, ws.max_row)
    for i, row in enumerate(rows, start=header + 1):
        for c, v in enumerate(row, start=1):
            ws.cell(i, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), header


def test_import_names_every_bad_row_and_changes_nothing(project, clerk):
    data, header = _sheet_with_rows(
        project,
        [
            ("产出", "数量", "资助学生人数", "≥", "约500", "人", 30),
            ("产出", "质量", "准确率", "大约", "100", "%", 20),
            ("效益", "社会", "辍学率", "≤", "1", "%", "三十"),
        ],
    )
    with pytest.raises(services.TableInvalid) as exc:
        excel.import_target(actor=clerk, project=project, data=data)
    errors = exc.value.errors
    assert (
        f"绩效目标表第{header + 1}行指标“资助学生人数”：目标值“约500”不是数字（指标方向为“≥”时须填数字，如 500 或 95%）"
        in errors
    )
    assert f"绩效目标表第{header + 2}行指标“准确率”：指标方向“大约”无效，应为 ≥、≤、= 或 定性" in errors
    assert f"绩效目标表第{header + 3}行指标“辍学率”：分值“三十”不是数字" in errors
    assert any("缺少一级指标“满意度”" in e for e in errors)
    assert not Indicator.objects.filter(target__project=project).exists()


def test_a_workbook_of_another_project_is_refused(approved_project, project, clerk, director):
    other = services.create_project(
        actor=director, unit=project.unit, year=2026, code="JY-002", name="另一个项目"
    )
    with pytest.raises(ValidationFailed, match="项目编码“JY-001”与当前项目“JY-002”不一致"):
        excel.import_target(actor=clerk, project=other, data=excel.export_project(approved_project))


def test_a_file_that_is_not_xlsx_is_refused_by_its_content(project, clerk):
    with pytest.raises(ValidationFailed, match="不是 Excel"):
        excel.import_target(actor=clerk, project=project, data=b"%PDF-1.4 not a workbook")


def test_the_page_imports_a_workbook_and_reports_row_errors(project, clerk, login):
    from fazhi.performance.models import Project

    client = login(clerk)
    data, header = _sheet_with_rows(project, [("产出", "数量", "人数", "≥", "x", "人", 50)])
    f = io.BytesIO(data)
    f.name = "表.xlsx"
    r = client.post(
        f"/performance/manage/projects/{project.pk}/import/", {"kind": "target", "file": f}, follow=True
    )
    assert f"绩效目标表第{header + 1}行指标“人数”：目标值“x”不是数字" in r.content.decode()
    assert not Project.objects.get(pk=project.pk).target.indicators.exists()
