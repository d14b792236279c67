"""预算绩效 figures: self-evaluations and key evaluations of the year's projects, by grade.

Only self-evaluations that the bureau approved or published count (a draft score is not a result);
key evaluations count once final. The unit filter matches the budget unit's name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from fazhi.reports.figures import Column, Context, Figure, Rows, counted, iso

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
    from fazhi.performance.models import KeyEvaluation, SelfEvaluation, Status

    selfs_qs = SelfEvaluation.objects.filter(
        project__year=ctx.year, status__in=[Status.APPROVED, Status.PUBLISHED]
    ).select_related("project", "project__unit")
    keys_qs = KeyEvaluation.objects.filter(project__year=ctx.year, is_final=True).select_related(
        "project", "project__unit"
    )
    if ctx.unit_filter:
        selfs_qs = selfs_qs.filter(project__unit__name__icontains=ctx.unit_filter)
        keys_qs = keys_qs.filter(project__unit__name__icontains=ctx.unit_filter)
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
    return out
