"""Performance fixtures: a unit 区教育局 with the clerk as its member and a complete project."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.performance import rules, services
from fazhi.performance.models import BudgetUnit, Project

ROWS = [
    ("产出", "数量", "资助学生人数", "≥", "500", "人", "20"),
    ("产出", "质量", "资助资金发放准确率", "=", "100", "%", "10"),
    ("产出", "时效", "资金发放及时率", "≥", "95%", "%", "10"),
    ("产出", "成本", "人均资助标准", "≤", "2000", "元", "10"),
    ("效益", "社会", "家庭经济困难学生辍学率", "≤", "1", "%", "20"),
    ("效益", "可持续", "资助政策长效机制", "定性", "建立并运行", "", "10"),
    ("满意度", "服务对象满意度", "受助学生满意度", "≥", "90", "%", "10"),
]


def indicator_rows(rows=ROWS):
    return [(f"第{i}项", rules.IndicatorRow(*r)) for i, r in enumerate(rows, start=1)]


@pytest.fixture
def unit(db, clerk):
    u = BudgetUnit.objects.create(name="区教育局", code="jyj")
    u.members.add(clerk)
    return u


@pytest.fixture
def project(unit, director):
    return services.create_project(
        actor=director,
        unit=unit,
        year=2026,
        code="JY-001",
        name="学生资助项目",
        department="区教育局",
        budget_initial="100",
        budget_full_year="120",
        executed="108",
    )


@pytest.fixture
def approved_project(project, clerk, director):
    services.save_target(
        actor=clerk, project=project, annual_goal="资助家庭经济困难学生 500 人。", rows=indicator_rows()
    )
    services.transition(actor=clerk, project=project, kind="target", action="submit")
    services.transition(actor=director, project=project, kind="target", action="approve")
    return Project.objects.get(pk=project.pk)


ACTUALS = {
    "资助学生人数": ("450", "部分学生转学", "加强摸底"),
    "资助资金发放准确率": ("100", "", ""),
    "资金发放及时率": ("98%", "", ""),
    "人均资助标准": ("2000", "", ""),
    "家庭经济困难学生辍学率": ("0.5", "", ""),
    "资助政策长效机制": ("基本达成", "制度尚在试行", "年内出台办法"),
    "受助学生满意度": ("92", "", ""),
}


def actual_inputs(project):
    return {ind.pk: services.ActualInput(*ACTUALS[ind.name]) for ind in project.target.indicators.all()}


@pytest.fixture
def evaluated_project(approved_project, clerk, director):
    p = approved_project
    services.save_self_evaluation(
        actor=clerk, project=p, achievement="资助学生 450 人。", actuals=actual_inputs(p)
    )
    services.transition(actor=clerk, project=p, kind="evaluation", action="submit")
    services.transition(actor=director, project=p, kind="evaluation", action="approve")
    return Project.objects.get(pk=p.pk)


@pytest.fixture
def published_project(evaluated_project, director, unit):
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 1))
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 10))
    return Project.objects.get(pk=evaluated_project.pk)


FINAL_ACCOUNTS_TODAY = dt.date(2027, 8, 31)


@pytest.fixture
def today(monkeypatch):
    """Pretend it is 2027-08-31: the 2026 final accounts (决算, approved in 2027) are then in the past."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return FINAL_ACCOUNTS_TODAY if value is None else real(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    return FINAL_ACCOUNTS_TODAY
