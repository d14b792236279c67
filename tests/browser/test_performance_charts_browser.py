"""预算绩效 and the dashboard in Chromium: the charts draw what the figures say (no slices for a year without
evaluations, no bar cut off above 100 %), and a long project name or code does not widen a phone's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.performance import rules, services
from fazhi.performance.models import BudgetUnit, Project
from tests.browser.helpers import sign_in_with_session

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
YEAR = timezone.localdate().year - 1  # a past year: its budget can be approved and published
LONG_NAME = "区属中小学校舍维修改造工程" + "B" * 120
LONG_CODE = "2025-JY-XM-" + "0" * 40

ROWS = [
    ("产出", "数量", "维修校舍面积", "≥", "500", "平方米", "20"),
    ("产出", "质量", "工程验收合格率", "=", "100", "%", "10"),
    ("产出", "时效", "按期完工率", "≥", "95", "%", "10"),
    ("产出", "成本", "每平方米造价", "≤", "2000", "元", "10"),
    ("效益", "社会", "受益学生人数", "≥", "1000", "人", "20"),
    ("效益", "可持续", "校舍安全长效机制", "定性", "建立并运行", "", "10"),
    ("满意度", "服务对象满意度", "师生满意度", "≥", "90", "%", "10"),
]
ACTUALS = ["500", "100", "95", "2000", "1000", "达成", "95"]


def chart_js(page, element_id: str, body: str):
    """Evaluate `body` with `c` bound to the ECharts instance drawn in #element_id."""
    page.wait_for_function(
        "id => window.echarts && echarts.getInstanceByDom(document.getElementById(id))", arg=element_id
    )
    return page.evaluate(
        f"id => {{ const c = echarts.getInstanceByDom(document.getElementById(id)); {body} }}", element_id
    )


@pytest.fixture
def overspent(transactional_db, clerk, director):
    """A published project that spent 120 % of its budget (score 100, execution rate 120 %)."""
    unit = BudgetUnit.objects.create(name="区教育局", code="jyj")
    unit.members.add(clerk)
    project = services.create_project(
        actor=director, unit=unit, year=YEAR, code=LONG_CODE, name=LONG_NAME, department="区教育局",
        budget_initial="100", budget_full_year="100", executed="120",
    )  # fmt: skip
    rows = [(f"第{i}项", rules.IndicatorRow(*r)) for i, r in enumerate(ROWS, start=1)]
    services.save_target(actor=clerk, project=project, annual_goal="完成校舍维修。", rows=rows)
    services.transition(actor=clerk, project=project, kind="target", action="submit")
    services.transition(actor=director, project=project, kind="target", action="approve")
    project = Project.objects.get(pk=project.pk)
    actuals = {
        ind.pk: services.ActualInput(value)
        for ind, value in zip(project.target.indicators.all(), ACTUALS, strict=True)
    }
    services.save_self_evaluation(actor=clerk, project=project, achievement="已完成。", actuals=actuals)
    services.transition(actor=clerk, project=project, kind="evaluation", action="submit")
    services.transition(actor=director, project=project, kind="evaluation", action="approve")
    services.set_budget_approval(actor=director, unit=unit, year=YEAR, approved_on=dt.date(YEAR, 2, 1))
    services.publish(actor=director, unit=unit, year=YEAR, published_on=dt.date(YEAR, 2, 10))
    return Project.objects.get(pk=project.pk)


def test_a_year_without_evaluations_draws_no_grade_slices(page, live_server, director):
    sign_in_with_session(page, live_server.url, director)
    page.goto(f"{live_server.url}/reports/?year={YEAR}")
    # Every grade is 0: ECharts' default would split the circle into four equal quarters.
    arcs = chart_js(
        page,
        "chart-performance.grade.1",
        "const d = c.getModel().getSeriesByIndex(0).getData();"
        "return Array.from({length: d.count()}, (_, i) => d.getItemLayout(i).endAngle - d.getItemLayout(i).startAngle);",
    )
    assert len(arcs) == 4 and all(abs(a) < 1e-9 for a in arcs), arcs
    title = chart_js(
        page, "chart-performance.grade.1", "return (c.getOption().title || []).map(t => t.text);"
    )
    assert title == ["没有记录（各项均为 0）"]


def test_the_disclosure_chart_shows_an_execution_rate_above_100(page, live_server, overspent):
    page.goto(f"{live_server.url}/performance/disclosure/jyj/{YEAR}/")
    data = chart_js(page, "perf-chart", "return c.getOption().series.map(s => s.data);")
    assert data == [[100.0], [120.0]]
    top = chart_js(page, "perf-chart", "return c.getModel().getComponent('yAxis').axis.scale.getExtent()[1];")
    assert top >= 120  # the 120 % bar is drawn whole, not cut at 100


@pytest.mark.parametrize(
    "path", ["/performance/manage/projects/{pk}/", "/performance/disclosure/jyj/{year}/"]
)
def test_a_long_project_name_and_code_fit_a_phone(page, live_server, director, overspent, path):
    sign_in_with_session(page, live_server.url, director)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path.format(pk=overspent.pk, year=YEAR))
    assert page.get_by_text(LONG_NAME[:12]).first.is_visible()
    width, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= screen
