"""The bureau's side: units, projects and key evaluations; remarks (bureau or supervisors)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_field, check_length
from fazhi.core.models import User
from fazhi.performance import access, rules, selectors
from fazhi.performance.models import (
    BudgetUnit,
    KeyEvaluation,
    PerformanceTarget,
    Project,
    Remark,
)
from fazhi.performance.services.common import (
    LONG_TEXT_LIMIT,
    created_once,
    decimal_problem,
    execution_rate_problem,
    parse_money,
)

REMARK_LIMIT = 2000  # 留言内容 of a remark (Remark.body, a TextField): refused beyond it, never cut

# --- units and projects (bureau) -----------------------------------------------------------------


@transaction.atomic
def create_unit(*, actor: Any, name: str, code: str, members: list[User] | None = None) -> BudgetUnit:
    """Create a 预算单位 with its member accounts."""
    access.require_bureau(actor, "新建预算单位")
    name, code = (name or "").strip(), (code or "").strip()
    if not name or not code:
        raise ValidationFailed("单位名称和单位编码都不能为空。")
    check_field(name, BudgetUnit, "name")
    check_field(code, BudgetUnit, "code")
    if not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        raise ValidationFailed(
            f"单位编码“{code}”只能包含英文字母、数字、- 和 _（它会出现在公开页面地址中）。"
        )
    taken = f"预算单位“{name}”或编码“{code}”已存在。"
    if BudgetUnit.objects.filter(code=code).exists() or BudgetUnit.objects.filter(name=name).exists():
        raise Conflict(taken)
    unit = created_once(BudgetUnit, taken, name=name, code=code)
    if members:
        unit.members.add(*members)
    return unit


@transaction.atomic
def create_project(
    *,
    actor: Any,
    unit: BudgetUnit,
    year: int,
    code: str,
    name: str,
    department: str = "",
    budget_initial: Any = 0,
    budget_full_year: Any = 0,
    executed: Any = 0,
) -> Project:
    """Create a 项目支出 of a unit for a budget year, with an empty target table."""
    access.require_bureau(actor, "新建项目")
    code, name = (code or "").strip(), (name or "").strip()
    department = (department or "").strip()
    if not code or not name:
        raise ValidationFailed("项目编码和项目名称都不能为空。")
    for value, field in ((code, "code"), (name, "name"), (department, "department")):
        check_field(value, Project, field)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationFailed(f"预算年度“{year}”无效，应为四位年份。")
    taken = f"{unit} {year} 年已有编码为“{code}”的项目。"
    if Project.objects.filter(unit=unit, year=year, code=code).exists():
        raise Conflict(taken)
    amounts = {
        "budget_initial": parse_money(budget_initial, "年初预算数", "budget_initial"),
        "budget_full_year": parse_money(budget_full_year, "全年预算数", "budget_full_year"),
        "executed": parse_money(executed, "全年执行数", "executed"),
    }
    problem = execution_rate_problem(amounts["budget_full_year"], amounts["executed"])
    if problem:
        raise ValidationFailed(problem + "。")
    project = created_once(
        Project, taken, unit=unit, year=year, code=code, name=name, department=department, **amounts
    )
    PerformanceTarget.objects.create(project=project)
    return project


# --- key evaluations, remarks (bureau / supervisors) -------------------------------------------


@transaction.atomic
def save_key_evaluation(
    *,
    actor: Any,
    project: Project,
    score: Any,
    findings: str,
    recommendations: str = "",
    evaluator: str = "区财政局",
    is_final: bool = False,
) -> KeyEvaluation:
    """Record a 重点绩效评价 of a project by the bureau; the grade follows the thresholds in force."""
    access.require_bureau(actor, "开展重点绩效评价")
    number = rules.parse_number(score)
    if number is None or not 0 <= number <= 100:
        raise ValidationFailed(f"评价得分“{rules.shown(score)}”无效，应为 0 到 100 之间的数字。")
    problem = decimal_problem(number, KeyEvaluation, "score", "评价得分", score)
    if problem:
        raise ValidationFailed(problem + "。")  # not rounded: 90.555 is not what the evaluator wrote
    if not (findings or "").strip():
        raise ValidationFailed("重点绩效评价须写明主要发现的问题。")
    check_length(findings.strip(), "主要发现的问题", LONG_TEXT_LIMIT)
    check_length((recommendations or "").strip(), "改进建议", LONG_TEXT_LIMIT)
    evaluator = check_field((evaluator or "区财政局").strip() or "区财政局", KeyEvaluation, "evaluator")
    grade, rule = rules.grade_for(number, selectors.get_config())
    key = KeyEvaluation.objects.create(
        project=project,
        evaluator=evaluator,
        score=rules.q2(number),
        grade=grade,
        grade_rule=rule,
        findings=findings.strip(),
        recommendations=(recommendations or "").strip(),
        is_final=bool(is_final),
        created_by=actor,
    )
    return key


@transaction.atomic
def add_remark(*, actor: Any, unit: BudgetUnit, body: str, project: Project | None = None) -> Remark:
    """A supervisor's (or the bureau's) remark; audited, never edited."""
    access.require_remarker(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("留言内容不能为空。")
    check_length(body, "留言内容", REMARK_LIMIT)
    if project is not None and project.unit_id != unit.pk:
        raise ValidationFailed("该项目不属于这个预算单位。")
    remark = Remark.objects.create(unit=unit, project=project, author=actor, body=body)
    audit.record(
        action="remark",
        obj=remark,
        comment=body[:300],
        after={"unit": unit.name, "project": str(project or "")},
        actor=actor,
    )
    return remark
