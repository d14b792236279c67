"""预算绩效 API serialisers: projects, target tables, evaluations, publications and 报送人大 as response dicts."""

from __future__ import annotations

from typing import Any

from fazhi.core.errors import NotFound
from fazhi.performance import rules, selectors
from fazhi.performance.api.schemas import KeyEvaluationOut, PerformanceProjectOut
from fazhi.performance.models import (
    CongressSubmission,
    KeyEvaluation,
    PerformanceTarget,
    Project,
    Publication,
    SelfEvaluation,
)


def _project_out(p: Project) -> dict[str, Any]:
    return {
        **{f: getattr(p, f) for f in PerformanceProjectOut.model_fields if f != "unit"},
        "unit": p.unit.name,
    }


def _target_out(project: Project, target: PerformanceTarget | None = None) -> dict[str, Any]:
    """The project's target table (`target`: already loaded with its indicators, as a disclosure is)."""
    t = target or selectors.target_of(project)
    if t is None:
        raise NotFound("该项目还没有绩效目标表。")
    return {
        "project_id": project.pk,
        "status": t.status,
        "status_label": t.get_status_display(),
        "annual_goal": t.annual_goal,
        "review_comment": t.review_comment,
        "indicators": [
            {**{f: getattr(i, f) for f in ("id", "level1", "level2", "name", "direction", "target_value", "unit", "weight")},
             "direction_label": rules.DIRECTION_LABELS[i.direction]}
            for i in t.indicators.all()
        ],
    }  # fmt: skip


def _target_text(indicator: Any) -> str:
    """The target as read: ≥95%, ≤2500元; a qualitative one is its wording alone (not 定性建立并有效运行)."""
    if indicator.direction == rules.QUAL:
        return f"{indicator.target_value}{indicator.unit}"
    return f"{rules.DIRECTION_LABELS[indicator.direction]}{indicator.target_value}{indicator.unit}"


def _evaluation_out(
    project: Project, evaluation: SelfEvaluation | None = None, config: rules.Config | None = None
) -> dict[str, Any]:
    """The project's self-evaluation (`evaluation`: already loaded with its results, as a disclosure is;
    `config`: the rules in force if already read, for a table never scored)."""
    e = evaluation or selectors.evaluation_of(project)
    if e is None:
        raise NotFound("该项目还没有绩效自评表。")
    fields = ("achievement", "execution_rate", "execution_score", "execution_rule", "total_score", "grade",
              "grade_rule", "review_comment", "status")  # fmt: skip
    return {
        "project_id": project.pk,
        "status_label": e.get_status_display(),
        **{f: getattr(e, f) for f in fields},
        "weight_execution": selectors.execution_weight(e, config),  # as scored, not the rules in force now
        "results": [
            {
                "indicator_id": r.indicator_id,
                "indicator": r.indicator.name,
                "target": _target_text(r.indicator),
                "weight": r.indicator.weight,
                **{
                    f: getattr(r, f)
                    for f in (
                        "actual_value",
                        "score",
                        "met",
                        "rule",
                        "explanation",
                        "deviation_reason",
                        "improvement",
                    )
                },
            }  # fmt: skip
            for r in (
                # The model's order (indicator position, then indicator id), also for preloaded results.
                sorted(e.results.all(), key=lambda r: (r.indicator.position, r.indicator.pk))
                if evaluation is not None
                else e.results.select_related("indicator")
            )
        ],
    }


def _key_out(k: KeyEvaluation) -> dict[str, Any]:
    return {f: getattr(k, f) for f in KeyEvaluationOut.model_fields}


def _pub_out(pub: Publication, config: rules.Config | None = None, *, public: bool = False) -> dict[str, Any]:
    """A publication with its deadlines; a list passes `config` (read once) rather than reading it per row.

    `public`: the final accounts (决算) appear only once published, as the tables do.
    """
    config = config or selectors.get_config()
    d = selectors.deadline_status(pub, config=config)
    final = selectors.final_accounts_status(pub, config=config)
    if public and pub.final_accounts_published_on is None:
        final = None
    return {
        "unit_id": pub.unit_id,
        "unit": pub.unit.name,
        "unit_code": pub.unit.code,
        "year": pub.year,
        "budget_approved_on": pub.budget_approved_on,
        "published_on": pub.published_on,
        "deadline": d.deadline,
        "overdue_days": d.overdue_days,
        "message": d.message,
        "final_accounts_approved_on": final.approved_on if final else None,
        "final_accounts_published_on": final.published_on if final else None,
        "final_accounts_deadline": final.deadline if final else None,
        "final_accounts_overdue_days": final.overdue_days if final else None,
        "final_accounts_message": final.message if final else "",
    }


def _congress_out(s: CongressSubmission) -> dict[str, Any]:
    return {
        "unit_id": s.unit_id,
        "unit": s.unit.name,
        "unit_code": s.unit.code,
        "year": s.year,
        "submitted_on": s.submitted_on,
        "note": s.note,
        "recorded_by": str(s.recorded_by or ""),
        "recorded_at": s.recorded_at,
    }
