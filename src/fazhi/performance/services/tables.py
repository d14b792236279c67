"""The unit's tables: 绩效目标表 and 绩效自评表, their workflow and their scores.

Workflow of both tables: 填报中 (unit) → 待审核 (submitted) → 已审核 (bureau approved) or 退回修改
(bureau returned, the unit edits again) → 已公开 (the bureau publishes the unit's year).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, Model
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.errors import Conflict, NotFound, ValidationFailed
from fazhi.core.limits import check_length, field_problem, length_problem
from fazhi.performance import access, rules, selectors
from fazhi.performance.models import (
    EDITABLE,
    Indicator,
    IndicatorResult,
    PerformanceTarget,
    Project,
    SelfEvaluation,
    Status,
)
from fazhi.performance.services.common import (
    ACHIEVEMENT_LIMIT,
    ANNUAL_GOAL_LIMIT,
    INDICATOR_NOTE_LIMIT,
    REVIEW_COMMENT_LIMIT,
    Problem,
    TableInvalid,
    change_status,
    ensure_fits,
    execution_rate_problem,
    notify_bureau,
    notify_unit,
    parse_money,
    project_url,
    target_of,
)

# Indicator fields typed as free text; SQLite would store them beyond max_length without a word.
_INDICATOR_TEXT = ("name", "target_value", "unit")


@transaction.atomic
def save_target(
    *, actor: Any, project: Project, annual_goal: str, rows: list[tuple[str, rules.IndicatorRow]]
) -> PerformanceTarget:
    """Replace the goal and the indicators of a target table in 填报中/退回修改; all-or-nothing."""
    access.require_unit_editor(actor, project.unit_id)
    target = target_of(project, lock=True)
    if target.status not in EDITABLE:
        raise Conflict(f"绩效目标表当前状态为“{target.get_status_display()}”，不能修改。")
    goal = (annual_goal or "").strip()
    problems = [] if goal else [Problem("年度总体目标不能为空", field="annual_goal")]
    problem = length_problem(goal, "年度总体目标", ANNUAL_GOAL_LIMIT)
    if problem:
        problems.append(Problem(problem, field="annual_goal"))
    weight = Indicator._meta.get_field("weight")
    assert isinstance(weight, DecimalField)
    clean, row_problems = rules.validate_indicators(
        rows, selectors.get_config(), weight_digits=(weight.max_digits, weight.decimal_places)
    )
    problems += [Problem(message, row=at) for at, message in row_problems]
    for at, (label, row) in enumerate(rows):
        name = str(row.name or "").strip()
        where = f"{label}指标“{rules.shown(name, 20)}”" if name else f"{label}指标"
        for field in _INDICATOR_TEXT:
            problem = field_problem(str(getattr(row, field) or "").strip(), Indicator, field)
            if problem:
                problems.append(Problem(f"{where}：{problem}", row=at))
    if problems:
        raise TableInvalid(problems)
    target.annual_goal = goal
    target.save()
    target.indicators.all().delete()
    Indicator.objects.bulk_create(
        [
            Indicator(target=target, position=i + 1, **c.__dict__)
            for i, c in enumerate(clean)  # bulk: the summary event below stands for the rows
        ]
    )
    audit.record(
        action="update",
        obj=target,
        comment="保存绩效指标",
        actor=actor,
        after={"indicators": [f"{c.level1}/{c.level2}/{c.name} {rules.DIRECTION_LABELS[c.direction]}"
                              f"{c.target_value}{c.unit} 分值{c.weight}" for c in clean]},
    )  # fmt: skip
    return target


@transaction.atomic
def transition(*, actor: Any, project: Project, kind: str, action: str, comment: str = "") -> Model:
    """submit (unit) / approve / return (bureau) a target table (kind=target) or self-evaluation."""
    access.require_writer(actor, project.unit_id)
    # The table is row-locked (target_of(lock=True)): of two requests at once, the second sees the state
    # the first left (已提交 → "不能提交" instead of a second submission and notice).
    if kind == "target":
        obj: PerformanceTarget | SelfEvaluation = target_of(project, lock=True)
        name = "绩效目标表"
    elif kind == "evaluation":
        found = SelfEvaluation.objects.select_for_update().filter(project=project).first()
        if found is None:
            raise NotFound("该项目还没有绩效自评表。")
        obj, name = found, "绩效自评表"
    else:
        raise ValidationFailed("未知的表，只能是绩效目标表或绩效自评表。")
    comment = check_length((comment or "").strip(), "审核意见或说明", REVIEW_COMMENT_LIMIT)
    now = timezone.now()
    if action == "submit":
        access.require_unit_editor(actor, project.unit_id)
        if obj.status not in EDITABLE:
            raise Conflict(f"{name}当前状态为“{obj.get_status_display()}”，不能提交。")
        if isinstance(obj, PerformanceTarget):
            if not obj.indicators.exists():
                raise ValidationFailed("绩效目标表还没有指标，不能提交。")
        else:
            problems = _evaluation_submit_problems(obj)
            if problems:
                raise TableInvalid(problems)
        obj.submitted_at = now
        change_status(obj, Status.SUBMITTED, comment, title=f"提交{name}", actor=actor)
        notify_bureau(project, f"{project.unit}提交了{project.name}的{name}", project_url(project),
                       f"perf-submit-{kind}-{obj.pk}-{now.isoformat()}")  # fmt: skip
    elif action in ("approve", "return"):
        access.require_bureau(actor, f"审核{name}")
        if obj.status != Status.SUBMITTED:
            raise Conflict(f"{name}当前状态为“{obj.get_status_display()}”，只有待审核的表可以审核。")
        if action == "return" and not comment:
            raise ValidationFailed("退回修改时须填写审核意见，说明需要修改的内容。")
        obj.review_comment, obj.reviewed_at, obj.reviewed_by = comment, now, actor
        new = Status.APPROVED if action == "approve" else Status.RETURNED
        change_status(
            obj, new, comment, title=("审核通过" if action == "approve" else "退回修改") + name, actor=actor
        )
        verdict = "已审核通过" if action == "approve" else "被退回修改"
        notify_unit(project, f"{project.name}的{name}{verdict}", comment, project_url(project),
                     f"perf-{action}-{kind}-{obj.pk}-{now.isoformat()}")  # fmt: skip
    else:
        raise ValidationFailed("未知的操作，可用的操作为：提交审核、审核通过、退回修改。")
    return obj


# --- self-evaluation (unit) ----------------------------------------------------------------------


@dataclass
class ActualInput:
    actual_value: str = ""
    deviation_reason: str = ""
    improvement: str = ""


def _evaluation_submit_problems(evaluation: SelfEvaluation) -> list[Problem]:
    problems = []
    if not evaluation.achievement.strip():
        problems.append(Problem("年度总体目标实际完成情况不能为空", field="achievement"))
    for r in evaluation.results.select_related("indicator"):
        about = f"指标“{r.indicator.name}”："
        if not r.actual_value.strip():
            problems.append(
                Problem(f"{about}未填写实际完成值", indicator=r.indicator_id, indicator_field="actual")
            )
        elif not r.met and not r.deviation_reason.strip():
            message = f"{about}未达成目标，须填写偏差原因分析"
            problems.append(Problem(message, indicator=r.indicator_id, indicator_field="reason"))
    return problems


def rescore(evaluation: SelfEvaluation, config: rules.Config | None = None) -> SelfEvaluation:
    """Score every indicator and the execution rate by the rules in force and grade the total.

    Only a table being filled in is scored: once submitted its scores, and the 分值 stored with them, stay.
    """
    if evaluation.status not in EDITABLE:
        raise Conflict(f"绩效自评表当前状态为“{evaluation.get_status_display()}”，不能重新计分。")
    config = config or selectors.get_config()
    project = evaluation.project
    total = Decimal(0)
    for r in evaluation.results.select_related("indicator"):
        ind = r.indicator
        s = rules.score_indicator(
            direction=ind.direction,
            target=ind.target_value,
            actual=r.actual_value,
            weight=ind.weight,
            config=config,
        )
        r.score, r.met, r.rule, r.explanation = (
            s.score,
            s.met,
            s.rule,
            f"【{rules.RULE_NAMES[s.rule]}】{s.explanation}",
        )
        ensure_fits(r, "score")
        r.save()
        total += s.score
    problem = execution_rate_problem(project.budget_full_year, project.executed)
    if problem:
        raise ValidationFailed(problem + "。")
    ex = rules.score_execution(full_year=project.budget_full_year, executed=project.executed, config=config)
    evaluation.execution_rate, evaluation.execution_score = ex.rate, ex.score
    evaluation.execution_rule = f"【预算执行率计分】{ex.explanation}"
    evaluation.weight_execution = config.weight_execution  # what ex.score was computed with
    evaluation.total_score = rules.q2(total + ex.score)
    evaluation.grade, evaluation.grade_rule = rules.grade_for(evaluation.total_score, config)
    evaluation.scored_at = timezone.now()
    ensure_fits(evaluation, "execution_rate", "execution_score", "total_score", "weight_execution")
    evaluation.save()
    return evaluation


def _note_problems(given: ActualInput) -> list[tuple[str, str]]:
    """(the note's input, "reason" or "improve"; why it is refused) for each note of one indicator too long."""
    found = []
    for field, value, label in (
        ("reason", given.deviation_reason, "偏差原因分析"),
        ("improve", given.improvement, "改进措施"),
    ):
        problem = length_problem(str(value or "").strip(), label, INDICATOR_NOTE_LIMIT)
        if problem:
            found.append((field, problem))
    return found


def indicator_note_problems(given: ActualInput) -> list[str]:
    """The 偏差原因分析 / 改进措施 of one indicator that are too long (shared with the Excel import)."""
    return [problem for _, problem in _note_problems(given)]


@transaction.atomic
def save_self_evaluation(
    *,
    actor: Any,
    project: Project,
    achievement: str,
    actuals: dict[int, ActualInput],
    executed: Any = None,
) -> SelfEvaluation:
    """Record actual values (keyed by indicator id) and the amount executed, then score; all-or-nothing."""
    access.require_unit_editor(actor, project.unit_id)
    target = target_of(project, lock=True)
    if target.status not in (Status.APPROVED, Status.PUBLISHED):
        raise Conflict("绩效目标表审核通过后才能填报绩效自评表。")
    evaluation, _ = SelfEvaluation.objects.get_or_create(project=project)
    evaluation = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status not in EDITABLE:
        raise Conflict(f"绩效自评表当前状态为“{evaluation.get_status_display()}”，不能修改。")
    config = selectors.get_config()
    indicators = {i.pk: i for i in target.indicators.all()}
    problems = [Problem(f"指标编号 {pk} 不属于本项目的绩效目标表") for pk in actuals if pk not in indicators]
    problem = length_problem((achievement or "").strip(), "年度总体目标实际完成情况", ACHIEVEMENT_LIMIT)
    if problem:
        problems.append(Problem(problem, field="achievement"))
    for pk, given in actuals.items():
        ind = indicators.get(pk)
        if ind is None:
            continue
        problem = field_problem(
            (given.actual_value or "").strip(), IndicatorResult, "actual_value"
        ) or rules.validate_actual(direction=ind.direction, actual=given.actual_value, config=config)
        if problem:
            problems.append(Problem(f"指标“{ind.name}”：{problem}", indicator=pk, indicator_field="actual"))
        problems += [
            Problem(f"指标“{ind.name}”：{p}", indicator=pk, indicator_field=field)
            for field, p in _note_problems(given)
        ]
    new_executed = project.executed
    if executed is not None and str(executed).strip() != "":
        try:
            new_executed = parse_money(executed, "全年执行数", "executed")
        except ValidationFailed as exc:
            problems.append(Problem(exc.message.rstrip("。"), field="executed"))
        else:
            problem = execution_rate_problem(project.budget_full_year, new_executed)
            if problem:
                problems.append(Problem(problem, field="executed"))
    if problems:
        raise TableInvalid(problems)
    project.executed = new_executed
    project.save(update_fields=["executed"])
    evaluation.achievement = (achievement or "").strip()
    evaluation.save()
    for pk, ind in indicators.items():
        result, _ = IndicatorResult.objects.get_or_create(evaluation=evaluation, indicator=ind)
        value = actuals.get(pk)
        if value is not None:
            result.actual_value = (value.actual_value or "").strip()
            result.deviation_reason = (value.deviation_reason or "").strip()
            result.improvement = (value.improvement or "").strip()
            result.save()
    return rescore(evaluation, config)
