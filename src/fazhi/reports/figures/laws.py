"""法规库 figures: law texts the bureau's own work added (entered by hand, or its normative documents
published after 合法性审查) and 效力状态 corrected.

Texts loaded in bulk from the national law database (source 批量导入) are data upkeep, not the year's
work: they get a figure of their own marked `is_work=False`, which the annual report prints apart.
The law library is shared by the whole bureau, so these figures ignore the unit filter.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fazhi.reports.figures import Column, Context, Figure, Rows, counted, figure, iso

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
    from fazhi.laws.models import LawVersion, Source

    y = ctx.year
    # One pass over the year's versions (thousands in the year of the first import; created_at and source
    # are not indexed), then only the bureau's own ones are loaded; the imported ones on their drill-down.
    sources = dict(
        LawVersion.objects.filter(created_at__year=y).order_by("created_at", "pk").values_list("pk", "source")
    )
    versions_qs = LawVersion.objects.select_related("law").defer("text").order_by("created_at", "pk")
    own = [pk for pk, source in sources.items() if source in (Source.MANUAL, Source.REVIEW)]
    added = list(versions_qs.filter(pk__in=own)) if own else []
    manual = [v for v in added if v.source == Source.MANUAL]
    published = [v for v in added if v.source == Source.REVIEW]
    imported_count = sum(1 for source in sources.values() if source == Source.IMPORT)
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
        versions(
            "laws.added",
            "新增法规文本（版本，手工录入或经合法性审查后公布）",
            added,
            how="法规库法规版本，按入库日期，来源为手工录入或合法性审查后公布（不含批量导入）",
        ),
        versions(
            "laws.added_manual", "其中手工录入", manual, how="法规库法规版本，按入库日期，来源为手工录入"
        ),
        versions(
            "laws.added_review",
            "其中经合法性审查后公布的规范性文件",
            published,
            how="法规库法规版本，按入库日期，来源为合法性审查后公布",
        ),
        figure(
            "laws.imported",
            "批量导入的法规文本（版本）",
            imported_count,
            "件",
            imported_count,
            "法规库法规版本，按入库日期，来源为批量导入（国家法律法规数据库等共享数据）",
            section="法规库",
            columns=VERSION_COLUMNS,
            records=lambda: _version_rows(list(versions_qs.filter(created_at__year=y, source=Source.IMPORT))),
            note="数据维护，不计入本年度工作成效；" + NOTE,
            is_work=False,
            comparable=False,
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
