"""预算绩效 figures: self-evaluations and key evaluations of the year's projects, by grade.

Only self-evaluations that the bureau approved or published count (a draft score is not a result);
key evaluations count once final. The unit filter matches the budget unit's name exactly
(fazhi.reports.units).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fazhi.reports.figures import (
    Column,
    Context,
    Figure,
    Rows,
    counted,
    iso,
    on_time_rate,
    timeliness,
    unit_names,
)

SECTION = "预算绩效"
GRADES = ["优", "良", "中", "差"]

COLUMNS = [
    Column("unit", "预算单位"),
    Column("project", "项目"),
    Column("kind", "评价类型"),
    Column("score", "得分"),
    Column("grade", "等级"),
    Column("status", "状态"),
    Column("date", "审核/定稿日期"),
]


def _self_rows(items: list[Any]) -> Rows:
    return [
        {
            "unit": e.project.unit.name,
            "project": e.project.name,
            "kind": "绩效自评",
            "score": f"{e.total_score:g}",
            "grade": e.grade or "—",
            "status": e.get_status_display(),
            "date": iso(e.reviewed_at),
        }
        for e in items
    ]


def _key_rows(items: list[Any]) -> Rows:
    return [
        {
            "unit": k.project.unit.name,
            "project": k.project.name,
            "kind": f"重点绩效评价（{k.evaluator}）",
            "score": f"{k.score:g}",
            "grade": k.grade or "—",
            "status": "已公开" if k.published_at else "已定稿",
            "date": iso(k.created_at),
        }
        for k in items
    ]


def figures(ctx: Context) -> list[Figure]:
    from fazhi.performance.models import BudgetUnit, KeyEvaluation, SelfEvaluation, Status

    selfs_qs = SelfEvaluation.objects.filter(
        project__year=ctx.year, status__in=[Status.APPROVED, Status.PUBLISHED]
    ).select_related("project", "project__unit")
    keys_qs = KeyEvaluation.objects.filter(project__year=ctx.year, is_final=True).select_related(
        "project", "project__unit"
    )
    if ctx.unit_filter:
        names = unit_names(ctx, BudgetUnit, "name")
        selfs_qs = selfs_qs.filter(project__unit__name__in=names)
        keys_qs = keys_qs.filter(project__unit__name__in=names)
    selfs = list(selfs_qs.order_by("project__unit__code", "project__code"))
    keys = list(keys_qs.order_by("project__unit__code", "project__code", "pk"))
    how = f"{ctx.year}年度项目支出"
    count = partial(counted, unit="个", section=SECTION, columns=COLUMNS)
    out = [
        count(
            "performance.self_evaluations",
            "完成绩效自评的项目（已审核或已公开）",
            selfs,
            how=f"绩效自评表，{how}",
            rows=_self_rows,
        ),
        count(
            "performance.key_evaluations",
            "重点绩效评价（已定稿）",
            keys,
            how=f"重点绩效评价，{how}",
            rows=_key_rows,
        ),
    ]
    # (key part, label, source, chart, evaluations, their rows) for each kind of evaluation, by grade.
    by_grade: list[tuple[str, str, str, str, list[Any], Callable[[list[Any]], Rows]]] = [
        ("grade", "绩效自评", "绩效自评表", "绩效自评等级分布（个）", selfs, _self_rows),
        ("key_grade", "重点评价", "重点绩效评价", "重点绩效评价等级分布（个）", keys, _key_rows),
    ]
    for kind, label, source, chart, evaluations, rows in by_grade:
        for i, grade in enumerate(GRADES, start=1):
            out.append(
                count(
                    f"performance.{kind}.{i}",
                    f"{label}等级为“{grade}”",
                    [e for e in evaluations if e.grade == grade],
                    how=f"{source}，{how}，等级为{grade}",
                    rows=rows,
                    chart=chart,
                    chart_kind="pie",
                )
            )
    out.extend(_disclosure(ctx))
    return out


DISCLOSURE_COLUMNS = [
    Column("unit", "预算单位"),
    Column("year", "预算年度"),
    Column("approved", "批复日期"),
    Column("deadline", "公开期限"),
    Column("published", "公开日期"),
    Column("on_time", "按期公开"),
]


def _disclosure_rows(items: list[tuple[Any, Any]]) -> Rows:
    return [
        {
            "unit": pub.unit.name,
            "year": pub.year,
            "approved": iso(d.approved_on),
            "deadline": iso(d.deadline),
            "published": iso(d.published_on),
            "on_time": ("否" if d.overdue_days else "是") if d.published_on else _unpublished(d),
        }
        for pub, d in items
    ]


def _unpublished(d: Any) -> str:
    return "否（逾期未公开）" if d.overdue_days else "未到公开期限"


def _disclosure(ctx: Context) -> list[Figure]:
    """预算法第十四条: budgets and final accounts published within 20 days of approval, by approval year."""
    from fazhi.performance import selectors
    from fazhi.performance.models import BudgetUnit, Publication

    rows = Publication.objects.select_related("unit").order_by("unit__code", "year")
    if ctx.unit_filter:
        rows = rows.filter(unit__name__in=unit_names(ctx, BudgetUnit, "name"))
    config = selectors.get_config()
    budgets = [
        (p, selectors.deadline_status(p, today=ctx.today, config=config))
        for p in rows.filter(budget_approved_on__year=ctx.year)
    ]
    finals = []
    for p in rows.filter(final_accounts_approved_on__year=ctx.year):
        status = selectors.final_accounts_status(p, today=ctx.today, config=config)
        if status is not None:
            finals.append((p, status))
    out = []
    for key, label, items in (("budget", "预算", budgets), ("final_accounts", "决算", finals)):
        split = timeliness(
            items, deadline=lambda i: i[1].deadline, done=lambda i: i[1].published_on, cutoff=ctx.year_end
        )
        out.append(
            on_time_rate(
                f"performance.{key}_on_time_rate",
                f"{label}按期公开率",
                split,
                f"公开记录，本年度批复的{label}，批复后 {config.disclosure_days} 日内公开的"
                f" ÷ 已到公开期限或已公开的（预算法第十四条）",
                pending=f"个{label}未到公开期限",
                section=SECTION,
                columns=DISCLOSURE_COLUMNS,
                rows=_disclosure_rows,
            )
        )
    return out
