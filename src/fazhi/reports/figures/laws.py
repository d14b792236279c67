"""法规库 figures: law texts added (imported or entered by hand) and 效力状态 corrected.

The law library is shared by the whole bureau, so these figures ignore the unit filter.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fazhi.reports.figures import Column, Context, Figure, Rows, counted, iso

VERSION_COLUMNS = [
    Column("title", "法规"),
    Column("level", "效力级别"),
    Column("publish_date", "公布日期"),
    Column("status", "效力状态"),
    Column("source", "来源"),
    Column("added", "入库日期"),
]
CORRECTION_COLUMNS = [
    Column("title", "法规版本"),
    Column("at", "更正日期"),
    Column("before", "原状态"),
    Column("after", "更正为"),
    Column("comment", "更正理由"),
]
NOTE = "法规库不分局内单位，显示全局数"
CORRECTION_PREFIX = "更正效力状态"


def _version_rows(versions: list[Any]) -> Rows:
    return [
        {
            "_url": v.get_absolute_url(),
            "title": v.law.title,
            "level": v.law.get_level_display(),
            "publish_date": iso(v.publish_date),
            "status": v.get_status_display(),
            "source": v.get_source_display(),
            "added": iso(v.created_at),
        }
        for v in versions
    ]


def _status_label(code: Any) -> str:
    from fazhi.laws.models import Status

    return dict(Status.choices).get(str(code), str(code or ""))


def _correction_rows(events: list[Any]) -> Rows:
    return [
        {
            "title": e.object_repr,
            "at": iso(e.at),
            "before": _status_label((e.before or {}).get("status")),
            "after": _status_label((e.after or {}).get("status")),
            "comment": e.comment.removeprefix(CORRECTION_PREFIX).lstrip("：:"),
        }
        for e in events
    ]


def figures(ctx: Context) -> list[Figure]:
    from fazhi.core.models import AuditEvent
    from fazhi.laws.models import LawVersion

    y = ctx.year
    added_qs = LawVersion.objects.filter(created_at__year=y).select_related("law").defer("text")
    added = list(added_qs.order_by("created_at", "pk"))
    manual = [v for v in added if v.source == "manual"]
    corrections = list(
        AuditEvent.objects.filter(
            object_type=LawVersion._meta.label,
            action="transition",
            comment__startswith=CORRECTION_PREFIX,
            at__year=y,
        ).order_by("seq")
    )
    count = partial(counted, section="法规库", note=NOTE, chart="法规库（件）")
    versions = partial(count, unit="件", columns=VERSION_COLUMNS, rows=_version_rows)
    return [
        versions("laws.added", "新增法规文本（版本）", added, how="法规库法规版本，按入库日期"),
        versions(
            "laws.added_manual", "其中手工录入", manual, how="法规库法规版本，按入库日期，来源为手工录入"
        ),
        count(
            "laws.corrected",
            "更正效力状态",
            corrections,
            "次",
            "审计日志中的法规效力状态更正记录，按更正日期",
            columns=CORRECTION_COLUMNS,
            rows=_correction_rows,
        ),
    ]
