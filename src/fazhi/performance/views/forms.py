"""The two fill-in forms of a unit: 绩效目标表 (indicator rows) and 绩效自评表 (actual values)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.errors import DomainError
from fazhi.performance import access, rules, selectors, services
from fazhi.performance.models import Indicator, Status
from fazhi.performance.views.common import (
    back_to_project,
    int_or_none,
    internal,
    visible_project,
)

_ROW = re.compile(r"^第(\d+)行")


def row_error_ids(errors: list[str]) -> dict[int, str]:
    """Row number on the form → the ids (form-error-K, K counting the messages from 1) of the messages that
    begin with that row's "第N行"."""
    found: dict[int, list[str]] = {}
    for k, message in enumerate(errors, start=1):
        m = _ROW.match(message)
        if m:
            found.setdefault(int(m.group(1)), []).append(f"form-error-{k}")
    return {number: " ".join(ids) for number, ids in found.items()}


# How the 绩效自评表's problems name what they are about: the form's own fields by their labels, an indicator's by
# “指标“<三级指标>”：” followed by the field (its 偏差原因分析 or 改进措施; anything else is about its 实际完成值).
_EVALUATION_FIELDS = {"年度总体目标实际完成情况": "achievement", "全年执行数": "executed"}
_NOTE_FIELDS = {"偏差原因分析": ("reason", "deviation_reason"), "改进措施": ("improve", "improvement")}


def _indicator_problems(ind: Indicator, given: services.ActualInput, config: rules.Config) -> list[str]:
    """What the service says about one indicator's own inputs (to tell apart indicators of one name)."""
    actual = rules.validate_actual(direction=ind.direction, actual=given.actual_value, config=config)
    return ([actual] if actual else []) + services.indicator_note_problems(given)


def evaluation_error_marks(
    errors: list[str], indicators: list[Indicator], typed: dict[int, services.ActualInput]
) -> dict[str, dict[str, str]]:
    """Input id on the 绩效自评表 form (achievement, executed, actual_<pk>, reason_<pk>, improve_<pk>) → the
    messages about that input: their ids ("ids", form-error-K, K counting the messages from 1, for its
    aria-describedby) and their numbers in the list ("numbers", shown beside it)."""
    config = selectors.get_config()
    found: dict[str, list[int]] = {}
    for k, message in enumerate(errors, start=1):
        inputs = [field for label, field in _EVALUATION_FIELDS.items() if message.startswith(label)]
        named = [ind for ind in indicators if message.startswith(f"指标“{ind.name}”：")]
        if named:
            problem = message[len(f"指标“{named[0].name}”：") :]
            kind, attribute = next(
                (f for label, f in _NOTE_FIELDS.items() if problem.startswith(label)),
                ("actual", "actual_value"),
            )
            if len(named) > 1:  # one name under two 二级指标: the indicator whose own input has this problem
                given = {ind.pk: typed.get(ind.pk, services.ActualInput()) for ind in named}
                named = [i for i in named if problem in _indicator_problems(i, given[i.pk], config)] or [
                    i for i in named if str(getattr(given[i.pk], attribute) or "").strip()
                ]
            inputs = [f"{kind}_{ind.pk}" for ind in named]
        for field in inputs:
            found.setdefault(field, []).append(k)
    return {
        field: {"ids": " ".join(f"form-error-{k}" for k in ks), "numbers": "、".join(str(k) for k in ks)}
        for field, ks in found.items()
    }


@internal
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    access.require_unit_editor(request.user, project.unit_id)
    target = selectors.target_of(project)
    errors: list[str] = []
    if request.method == "POST":
        rows = []
        typed: list[rules.IndicatorRow] = []  # every row of the form, blank ones too
        for i in range(min(int_or_none(request.POST.get("rows")) or 0, 500)):
            values = [
                request.POST.get(f"{f}_{i}", "").strip()
                for f in ("l1", "l2", "name", "dir", "tv", "unit", "w")
            ]
            typed.append(rules.IndicatorRow(*values))
            if any(values[2:]):
                rows.append((f"第{i + 1}行", typed[-1]))
        goal = request.POST.get("annual_goal", "")
        try:
            services.save_target(actor=request.user, project=project, annual_goal=goal, rows=rows)
        except services.TableInvalid as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = [exc.message]
        else:
            messages.success(request, "绩效目标表已保存。")
            return back_to_project(request, project)
        # Shown again where they were typed: the messages name rows by their number on the form, and each
        # row named is marked at its first field, pointing to its messages (form-errors.js focuses it).
        while typed and not any(vars(typed[-1]).values()):
            typed.pop()
        form_rows = [vars(r) for r in typed]
        for number, ids in row_error_ids(errors).items():
            if number <= len(form_rows):
                form_rows[number - 1] = {**form_rows[number - 1], "error_ids": ids}
    else:
        goal = target.annual_goal if target else ""
        form_rows = [
            {"level1": i.level1, "level2": i.level2, "name": i.name, "direction": rules.DIRECTION_LABELS[i.direction],
             "target_value": i.target_value, "unit": i.unit, "weight": rules.fmt(i.weight)}
            for i in (target.indicators.all() if target else [])
        ]  # fmt: skip
    form_rows += [{}] * max(5, 10 - len(form_rows))
    return render(
        request,
        "performance/target_form.html",
        {
            "project": project,
            "goal": goal,
            "rows": form_rows,
            "errors": errors,
            "level2": rules.LEVEL2,
            "directions": list(rules.DIRECTION_LABELS.values()),
            "config": selectors.get_config(),
        },
    )


@internal
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    access.require_unit_editor(request.user, project.unit_id)
    target = selectors.target_of(project)
    if target is None or target.status not in (Status.APPROVED, Status.PUBLISHED):
        messages.error(request, "绩效目标表审核通过后才能填报绩效自评表。")
        return back_to_project(request, project)
    evaluation = selectors.evaluation_of(project)
    existing = {r.indicator_id: r for r in evaluation.results.all()} if evaluation else {}
    indicators = list(target.indicators.all())
    errors: list[str] = []
    achievement = evaluation.achievement if evaluation else ""
    executed = rules.fmt(project.executed)
    submitted: dict[int, services.ActualInput] = {}
    if request.method == "POST":
        achievement, executed = request.POST.get("achievement", ""), request.POST.get("executed", "")
        for ind in indicators:
            submitted[ind.pk] = services.ActualInput(
                request.POST.get(f"actual_{ind.pk}", ""),
                request.POST.get(f"reason_{ind.pk}", ""),
                request.POST.get(f"improve_{ind.pk}", ""),
            )
        try:
            services.save_self_evaluation(
                actor=request.user,
                project=project,
                achievement=achievement,
                actuals=submitted,
                executed=executed,
            )
        except services.TableInvalid as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = [exc.message]
        else:
            messages.success(request, "绩效自评表已保存并按现行规则计分。")
            return back_to_project(request, project)
    # Each input a problem is about is marked, pointing to its messages (form-errors.js focuses the first).
    marks = evaluation_error_marks(errors, indicators, submitted)
    rows = []
    for ind in indicators:
        value = submitted.get(ind.pk)
        if value is None and ind.pk in existing:
            r = existing[ind.pk]
            value = services.ActualInput(r.actual_value, r.deviation_reason, r.improvement)
        rows.append(
            {
                "indicator": ind,
                "value": value or services.ActualInput(),
                "result": existing.get(ind.pk),
                "marks": {kind: marks.get(f"{kind}_{ind.pk}") for kind in ("actual", "reason", "improve")},
            }
        )
    return render(
        request,
        "performance/evaluation_form.html",
        {
            "project": project,
            "target": target,
            "rows": rows,
            "achievement": achievement,
            "executed": executed,
            "errors": errors,
            "marks": marks,
            "levels": list(selectors.get_config().qualitative_levels),
            "QUAL": rules.QUAL,
        },
    )
