"""The two fill-in forms of a unit: 绩效目标表 (indicator rows) and 绩效自评表 (actual values)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.errors import DomainError
from fazhi.performance import access, rules, selectors, services
from fazhi.performance.models import Status
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
    rows = []
    for ind in indicators:
        value = submitted.get(ind.pk)
        if value is None and ind.pk in existing:
            r = existing[ind.pk]
            value = services.ActualInput(r.actual_value, r.deviation_reason, r.improvement)
        rows.append(
            {"indicator": ind, "value": value or services.ActualInput(), "result": existing.get(ind.pk)}
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
            "levels": list(selectors.get_config().qualitative_levels),
            "QUAL": rules.QUAL,
        },
    )
