"""预算绩效 figures: self-evaluations and key evaluations of the year's projects, by grade.

Only self-evaluations that the bureau approved or published count (a draft score is not a result);
key evaluations count once final. The unit filter matches the budget unit's name.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fazhi.reports.figures import Column, Context, Figure, Rows, iso

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
    out = [
        Figure(
            key="performance.self_evaluations",
            label="完成绩效自评的项目（已审核或已公开）",
            value=len(selfs),
            unit="个",
            source_description=f"绩效自评表，{how}",
            section=SECTION,
            basis_count=len(selfs),
            columns=COLUMNS,
            records=lambda: _self_rows(selfs),
        ),
        Figure(
            key="performance.key_evaluations",
            label="重点绩效评价（已定稿）",
            value=len(keys),
            unit="个",
            source_description=f"重点绩效评价，{how}",
            section=SECTION,
            basis_count=len(keys),
            columns=COLUMNS,
            records=lambda: _key_rows(keys),
        ),
    ]
    for i, grade in enumerate(GRADES, start=1):
        graded = [e for e in selfs if e.grade == grade]
        out.append(
            Figure(
                key=f"performance.grade.{i}",
                label=f"绩效自评等级为“{grade}”",
                value=len(graded),
                unit="个",
                source_description=f"绩效自评表，{how}，等级为{grade}",
                section=SECTION,
                basis_count=len(graded),
                columns=COLUMNS,
                records=partial(_self_rows, graded),
                chart="绩效自评等级分布（个）",
                chart_kind="pie",
            )
        )
    for i, grade in enumerate(GRADES, start=1):
        key_graded = [k for k in keys if k.grade == grade]
        out.append(
            Figure(
                key=f"performance.key_grade.{i}",
                label=f"重点评价等级为“{grade}”",
                value=len(key_graded),
                unit="个",
                source_description=f"重点绩效评价，{how}，等级为{grade}",
                section=SECTION,
                basis_count=len(key_graded),
                columns=COLUMNS,
                records=partial(_key_rows, key_graded),
                chart="重点绩效评价等级分布（个）",
                chart_kind="pie",
            )
        )
    return out
