"""The two fill-in forms of a unit: 绩效目标表 (indicator rows) and 绩效自评表 (actual values)."""

from __future__ import annotations

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


def _error_ids(numbers: list[int]) -> str:
    """The ids of messages by their numbers (form-error-K, K counting the messages from 1), for aria-describedby."""
    return " ".join(f"form-error-{k}" for k in numbers)


def row_error_ids(problems: list[services.Problem], on_form: list[int]) -> dict[int, str]:
    """Row of the 绩效目标表 form (its index, from 0) → the ids of the messages about that row, as the service
    tagged them; `on_form` gives, for each row handed to the service, its index on the form."""
    found: dict[int, list[int]] = {}
    for k, problem in enumerate(problems, start=1):
        if problem.row is not None:
            found.setdefault(on_form[problem.row], []).append(k)
    return {i: _error_ids(ks) for i, ks in found.items()}


def evaluation_error_marks(problems: list[services.Problem]) -> dict[str, dict[str, str]]:
    """Input id on the 绩效自评表 form (achievement, executed, actual_<pk>, reason_<pk>, improve_<pk>) → the
    messages about that input, as the service tagged them: their ids ("ids", for its aria-describedby) and
    their numbers in the list ("numbers", shown beside it)."""
    found: dict[str, list[int]] = {}
    for k, problem in enumerate(problems, start=1):
        if problem.indicator is not None and problem.indicator_field:
            found.setdefault(f"{problem.indicator_field}_{problem.indicator}", []).append(k)
        elif problem.field in ("achievement", "executed"):
            found.setdefault(problem.field, []).append(k)
    return {
        field: {"ids": _error_ids(ks), "numbers": "、".join(str(k) for k in ks)}
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
        on_form: list[int] = []  # for each row given to the service, its index on the form
        problems: list[services.Problem] = []
        for i in range(min(int_or_none(request.POST.get("rows")) or 0, 500)):
            values = [
                request.POST.get(f"{f}_{i}", "").strip()
                for f in ("l1", "l2", "name", "dir", "tv", "unit", "w")
            ]
            typed.append(rules.IndicatorRow(*values))
            if any(values[2:]):
                rows.append((f"第{i + 1}行", typed[-1]))
                on_form.append(i)
        goal = request.POST.get("annual_goal", "")
        try:
            services.save_target(actor=request.user, project=project, annual_goal=goal, rows=rows)
        except services.TableInvalid as exc:
            errors, problems = exc.errors, exc.problems
        except DomainError as exc:
            errors = [exc.message]
        else:
            messages.success(request, "绩效目标表已保存。")
            return back_to_project(request, project)
        # Shown again where they were typed: each row a problem is about (as the service tagged it) is
        # marked at its first field, pointing to its messages (form-errors.js focuses it).
        while typed and not any(vars(typed[-1]).values()):
            typed.pop()
        form_rows = [vars(r) for r in typed]
        for i, ids in row_error_ids(problems, on_form).items():
            if i < len(form_rows):
                form_rows[i] = {**form_rows[i], "error_ids": ids}
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
    problems: list[services.Problem] = []
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
            errors, problems = exc.errors, exc.problems
        except DomainError as exc:
            errors = [exc.message]
        else:
            messages.success(request, "绩效自评表已保存并按现行规则计分。")
            return back_to_project(request, project)
    # Each input a problem is about is marked, pointing to its messages (form-errors.js focuses the first).
    marks = evaluation_error_marks(problems)
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
