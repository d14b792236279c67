"""The unit's narrative texts (年度总体目标, 实际完成情况, 偏差原因分析, 改进措施, 审核意见) have a length limit:
a longer text is refused with a Chinese message naming the field and the limit, and nothing changes; a text
of exactly the limit is accepted. Page, service and Excel import alike (the import names the row)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from fazhi.core.errors import ValidationFailed
from fazhi.performance import excel, services
from fazhi.performance.models import IndicatorResult, PerformanceTarget, SelfEvaluation, Status
from fazhi.performance.services.common import (
    ACHIEVEMENT_LIMIT,
    ANNUAL_GOAL_LIMIT,
    INDICATOR_NOTE_LIMIT,
    REVIEW_COMMENT_LIMIT,
)
from tests.performance.conftest import ACTUALS, actual_inputs, indicator_rows


def _results(project):
    return list(
        IndicatorResult.objects.filter(evaluation__project=project)
        .order_by("indicator__position")
        .values_list("actual_value", "deviation_reason", "improvement")
    )


# --- 年度总体目标 ----------------------------------------------------------------------------------------


def test_an_over_long_annual_goal_is_refused_and_nothing_changes(project, clerk):
    before = PerformanceTarget.objects.get(project=project).annual_goal
    with pytest.raises(services.TableInvalid) as exc:
        services.save_target(
            actor=clerk, project=project, annual_goal="目" * (ANNUAL_GOAL_LIMIT + 1), rows=indicator_rows()
        )
    assert (
        f"年度总体目标不能超过 {ANNUAL_GOAL_LIMIT:,} 个字（当前 {ANNUAL_GOAL_LIMIT + 1:,} 个字）"
        in exc.value.errors
    )
    target = PerformanceTarget.objects.get(project=project)
    assert target.annual_goal == before
    assert not target.indicators.exists()


def test_an_annual_goal_of_exactly_the_limit_is_saved(project, clerk):
    goal = "目" * ANNUAL_GOAL_LIMIT
    services.save_target(actor=clerk, project=project, annual_goal=goal, rows=indicator_rows())
    assert PerformanceTarget.objects.get(project=project).annual_goal == goal


def test_the_target_page_shows_the_limit_and_saves_nothing(project, clerk, login):
    post = {"annual_goal": "目" * (ANNUAL_GOAL_LIMIT + 1), "rows": "1"}
    for f, v in zip(("l1", "l2", "name", "dir", "tv", "unit", "w"), indicator_rows()[0][1].__dict__.values()):
        post[f"{f}_0"] = v
    r = login(clerk).post(f"/performance/manage/projects/{project.pk}/target/", post)
    assert r.status_code in (200, 400)
    assert (
        f"年度总体目标不能超过 {ANNUAL_GOAL_LIMIT:,} 个字（当前 {ANNUAL_GOAL_LIMIT + 1:,} 个字）"
        in r.content.decode()
    )
    assert PerformanceTarget.objects.get(project=project).annual_goal == ""


def test_the_target_import_refuses_an_over_long_goal(approved_project, clerk):
    data = excel.export_project(approved_project)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[excel.TARGET_SHEET]
    cell = next(r[1] for r in ws.iter_rows() if r[0].value == "年度总体目标")
    cell.value = "目" * (ANNUAL_GOAL_LIMIT + 1)
    buf = io.BytesIO()
    wb.save(buf)
    PerformanceTarget.objects.filter(project=approved_project).update(status=Status.RETURNED)
    before = PerformanceTarget.objects.get(project=approved_project).annual_goal
    with pytest.raises(services.TableInvalid) as exc:
        excel.import_target(actor=clerk, project=approved_project, data=buf.getvalue())
    assert any(f"年度总体目标不能超过 {ANNUAL_GOAL_LIMIT:,} 个字" in e for e in exc.value.errors)
    assert PerformanceTarget.objects.get(project=approved_project).annual_goal == before


# --- 实际完成情况, 偏差原因分析, 改进措施 ----------------------------------------------------------------------


def test_an_over_long_achievement_is_refused_and_nothing_changes(approved_project, clerk):
    with pytest.raises(services.TableInvalid) as exc:
        services.save_self_evaluation(
            actor=clerk,
            project=approved_project,
            achievement="成" * (ACHIEVEMENT_LIMIT + 1),
            actuals=actual_inputs(approved_project),
        )
    message = (
        f"年度总体目标实际完成情况不能超过 {ACHIEVEMENT_LIMIT:,} 个字（当前 {ACHIEVEMENT_LIMIT + 1:,} 个字）"
    )
    assert message in exc.value.errors
    assert not SelfEvaluation.objects.filter(project=approved_project).exclude(achievement="").exists()
    assert not IndicatorResult.objects.filter(evaluation__project=approved_project).exists()


@pytest.mark.parametrize("field,label", [("deviation_reason", "偏差原因分析"), ("improvement", "改进措施")])
def test_an_over_long_indicator_note_is_refused_and_nothing_changes(approved_project, clerk, field, label):
    actuals = actual_inputs(approved_project)
    first = next(iter(actuals))
    setattr(actuals[first], field, "因" * (INDICATOR_NOTE_LIMIT + 1))
    with pytest.raises(services.TableInvalid) as exc:
        services.save_self_evaluation(
            actor=clerk, project=approved_project, achievement="完成。", actuals=actuals
        )
    name = approved_project.target.indicators.get(pk=first).name
    message = f"指标“{name}”：{label}不能超过 {INDICATOR_NOTE_LIMIT:,} 个字（当前 {INDICATOR_NOTE_LIMIT + 1:,} 个字）"
    assert message in exc.value.errors
    assert not IndicatorResult.objects.filter(evaluation__project=approved_project).exists()


def test_texts_of_exactly_the_limits_are_saved(approved_project, clerk):
    actuals = actual_inputs(approved_project)
    first = next(iter(actuals))
    actuals[first].deviation_reason = "因" * INDICATOR_NOTE_LIMIT
    actuals[first].improvement = "改" * INDICATOR_NOTE_LIMIT
    services.save_self_evaluation(
        actor=clerk, project=approved_project, achievement="成" * ACHIEVEMENT_LIMIT, actuals=actuals
    )
    ev = SelfEvaluation.objects.get(project=approved_project)
    assert ev.achievement == "成" * ACHIEVEMENT_LIMIT
    result = IndicatorResult.objects.get(evaluation=ev, indicator_id=first)
    assert (result.deviation_reason, result.improvement) == (
        "因" * INDICATOR_NOTE_LIMIT,
        "改" * INDICATOR_NOTE_LIMIT,
    )


def test_the_evaluation_import_names_the_row_of_an_over_long_reason(evaluated_project, clerk):
    ev = evaluated_project.self_evaluation
    SelfEvaluation.objects.filter(pk=ev.pk).update(status=Status.RETURNED)
    before = _results(evaluated_project)
    wb = load_workbook(io.BytesIO(excel.export_project(evaluated_project)))
    ws = wb[excel.EVALUATION_SHEET]
    row = next(r for r in ws.iter_rows() if r[2].value == "资助学生人数")
    row[10].value = "因" * (INDICATOR_NOTE_LIMIT + 1)
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(services.TableInvalid) as exc:
        excel.import_evaluation(actor=clerk, project=evaluated_project, data=buf.getvalue())
    message = (
        f"绩效自评表第{row[0].row}行：偏差原因分析不能超过 {INDICATOR_NOTE_LIMIT:,} 个字"
        f"（当前 {INDICATOR_NOTE_LIMIT + 1:,} 个字）"
    )
    assert message in exc.value.errors
    assert _results(evaluated_project) == before
    assert ACTUALS["资助学生人数"][1] in [reason for _, reason, _ in before]


# --- 审核意见 ---------------------------------------------------------------------------------------------


def test_an_over_long_review_comment_is_refused_and_nothing_changes(approved_project, director):
    PerformanceTarget.objects.filter(project=approved_project).update(
        status=Status.SUBMITTED, review_comment=""
    )
    with pytest.raises(ValidationFailed) as exc:
        services.transition(
            actor=director,
            project=approved_project,
            kind="target",
            action="return",
            comment="意" * (REVIEW_COMMENT_LIMIT + 1),
        )
    assert exc.value.message == (
        f"审核意见或说明不能超过 {REVIEW_COMMENT_LIMIT:,} 个字（当前 {REVIEW_COMMENT_LIMIT + 1:,} 个字）。"
    )
    target = PerformanceTarget.objects.get(project=approved_project)
    assert (target.status, target.review_comment) == (Status.SUBMITTED, "")


def test_a_review_comment_of_exactly_the_limit_is_saved(approved_project, director):
    PerformanceTarget.objects.filter(project=approved_project).update(status=Status.SUBMITTED)
    comment = "意" * REVIEW_COMMENT_LIMIT
    services.transition(
        actor=director, project=approved_project, kind="target", action="return", comment=comment
    )
    target = PerformanceTarget.objects.get(project=approved_project)
    assert (target.status, target.review_comment) == (Status.RETURNED, comment)
