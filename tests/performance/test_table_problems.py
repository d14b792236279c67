"""A table refused by the services carries each problem with the input it is about (TableInvalid.problems,
in the order of TableInvalid.errors), so a form marks that input without reading the Chinese message."""

from __future__ import annotations

import re

import pytest

from fazhi.performance import rules, services
from fazhi.performance.services.common import INDICATOR_NOTE_LIMIT
from tests.performance.conftest import ROWS, actual_inputs, indicator_rows

pytestmark = pytest.mark.django_db


def test_the_self_evaluations_problems_name_their_inputs(approved_project, clerk):
    inds = {i.name: i for i in approved_project.target.indicators.all()}
    first, qualitative = inds["资助学生人数"], inds["资助政策长效机制"]
    actuals = actual_inputs(approved_project)
    actuals[first.pk] = services.ActualInput("四百五", "原" * (INDICATOR_NOTE_LIMIT + 1), "")
    actuals[qualitative.pk] = services.ActualInput("很好", "", "措" * (INDICATOR_NOTE_LIMIT + 1))
    actuals[-1] = services.ActualInput("1")
    with pytest.raises(services.TableInvalid) as exc:
        services.save_self_evaluation(
            actor=clerk, project=approved_project, achievement="完成", actuals=actuals, executed="九十"
        )
    problems = exc.value.problems
    assert exc.value.errors == [p.message for p in problems]
    tags = [(p.field, p.indicator, p.indicator_field) for p in problems]
    assert tags == [
        (None, None, None),  # 指标编号 -1: no input on the form
        (None, first.pk, "actual"),
        (None, first.pk, "reason"),
        (None, qualitative.pk, "actual"),
        (None, qualitative.pk, "improve"),
        ("executed", None, None),
    ]
    assert problems[0].message == "指标编号 -1 不属于本项目的绩效目标表"
    assert problems[-1].message.startswith("全年执行数“九十”不是数字")


def test_the_target_tables_problems_name_the_position_of_their_row(project, clerk):
    rows = indicator_rows()
    rows[2] = (
        "绩效目标表第15行",
        rules.IndicatorRow("产出", "时效", "资金发放及时率", "≥", "很快", "%", "10"),
    )
    rows[4] = ("绩效目标表第17行", rules.IndicatorRow("效益", "社会", "辍" * 201, "≤", "1", "%", "20"))
    with pytest.raises(services.TableInvalid) as exc:
        services.save_target(actor=clerk, project=project, annual_goal="", rows=rows)
    problems = exc.value.problems
    assert exc.value.errors == [p.message for p in problems]
    assert [(p.field, p.row) for p in problems] == [("annual_goal", None), (None, 2), (None, 4)]
    assert problems[1].message.startswith("绩效目标表第15行指标“资金发放及时率”：目标值“很快”不是数字")
    assert problems[2].message.startswith("绩效目标表第17行指标")


def test_a_table_wide_problem_names_no_row(project, clerk):
    rows = indicator_rows([r for r in ROWS if r[0] != "满意度"])
    with pytest.raises(services.TableInvalid) as exc:
        services.save_target(actor=clerk, project=project, annual_goal="目标", rows=rows)
    assert [(p.message, p.row, p.field) for p in exc.value.problems] == [
        ("缺少一级指标“满意度”：绩效目标表须包含产出、效益、满意度三类指标", None, None)
    ]


def test_the_target_form_marks_the_row_the_service_tagged_across_a_blank_row(project, clerk, login):
    """Rows 1 and 3 filled, row 2 left blank (not given to the service): the problem of the second row given
    is marked on the form's third row."""
    row = {"l1": "产出", "l2": "数量", "dir": "≥", "unit": "个", "w": "10"}
    data = {"rows": "3", "annual_goal": "年度目标"}
    for i, (name, value) in ((0, ("完成项目数", "10")), (2, ("覆盖人数", "很多"))):
        data |= {f"{k}_{i}": v for k, v in row.items()} | {f"name_{i}": name, f"tv_{i}": value}
    page = login(clerk).post(f"/performance/manage/projects/{project.pk}/target/", data).content.decode()
    found = re.findall(r'<li id="(form-error-\d+)">([^<]*)</li>', page)
    about_row_3 = " ".join(k for k, text in found if text.startswith("第3行"))
    assert about_row_3, found
    assert (
        f'id="name_2" name="name_2" value="覆盖人数" aria-invalid="true" aria-describedby="{about_row_3}"'
        in page
    )
    for i in (0, 1):
        assert "aria-invalid" not in re.search(rf'<input id="name_{i}"[^>]*>', page).group(0)
