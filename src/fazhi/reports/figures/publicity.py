"""以案释法 and 普法 figures: cases and articles published, activities and their audience, and the
year's 普法责任清单 (谁执法谁普法) with how many of its items are done or carried by an activity.

Activities and responsibility lists carry a department, which the unit filter matches exactly
(fazhi.reports.units).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fazhi.reports.figures import Column, Context, Figure, Rows, counted, iso, listing, rate, unit_names

SECTION = "以案释法与普法"

CASE_COLUMNS = [Column("title", "案例"), Column("category", "类别"), Column("published", "发布日期")]
POST_COLUMNS = [Column("title", "标题"), Column("kind", "栏目"), Column("published", "发布日期")]
ACTIVITY_COLUMNS = [
    Column("title", "活动名称"),
    Column("department", "组织部门"),
    Column("date", "日期"),
    Column("form", "形式"),
    Column("audience", "受众人数"),
    Column("item", "对应清单事项"),
]
ITEM_COLUMNS = [
    Column("department", "责任部门"),
    Column("law", "宣传的法律法规"),
    Column("activity", "计划活动"),
    Column("planned", "计划完成日期"),
    Column("status", "完成情况"),
    Column("activities", "已记录活动"),
]


def _case_rows(cases: list[Any]) -> Rows:
    return [
        {
            "_url": c.get_absolute_url(),
            "title": c.title,
            "category": c.get_category_display(),
            "published": iso(c.published_at),
        }
        for c in cases
    ]


def _post_rows(posts: list[Any]) -> Rows:
    return [
        {
            "_url": p.get_absolute_url(),
            "title": p.title,
            "kind": p.get_kind_display(),
            "published": iso(p.published_at),
        }
        for p in posts
    ]


def _activity_rows(items: list[Any]) -> Rows:
    return [
        {
            "title": a.title,
            "department": a.department,
            "date": iso(a.date),
            "form": a.get_form_display(),
            "audience": a.audience_count,
            "item": str(a.item) if a.item_id else "—",
        }
        for a in items
    ]


def _item_rows(items: list[Any], counts: dict[int, int]) -> Rows:
    return [
        {
            "_url": i.responsibility_list.get_absolute_url(),
            "department": i.responsibility_list.department,
            "law": i.law_title,
            "activity": i.planned_activity,
            "planned": iso(i.planned_date),
            "status": i.get_status_display(),
            "activities": counts.get(i.pk, 0),
        }
        for i in items
    ]


def figures(ctx: Context) -> list[Figure]:
    from fazhi.cases.models import Case, CaseStatus
    from fazhi.publicity.models import (
        Activity,
        ItemStatus,
        Post,
        PostStatus,
        ResponsibilityItem,
        ResponsibilityList,
    )

    y = ctx.year
    cases = list(
        Case.objects.filter(status=CaseStatus.PUBLISHED, published_at__year=y).order_by("published_at", "pk")
    )
    posts = list(
        Post.objects.filter(status=PostStatus.PUBLISHED, published_at__year=y).order_by("published_at", "pk")
    )
    acts_qs = Activity.objects.filter(date__year=y).select_related("item").order_by("date", "pk")
    items_qs = ResponsibilityItem.objects.filter(responsibility_list__year=y).select_related(
        "responsibility_list"
    )
    if ctx.unit_filter:
        acts_qs = acts_qs.filter(department__in=unit_names(ctx, Activity, "department"))
        items_qs = items_qs.filter(
            responsibility_list__department__in=unit_names(ctx, ResponsibilityList, "department")
        )
    activities = list(acts_qs)
    items = list(items_qs.order_by("responsibility_list__department", "planned_date", "pk"))
    item_ids = {i.pk for i in items}
    on_list = [a for a in activities if a.item_id in item_ids]
    counts: dict[int, int] = {}
    for a in Activity.objects.filter(item_id__in=item_ids).values_list("item_id", flat=True):
        counts[a] = counts.get(a, 0) + 1
    done = [i for i in items if i.status == ItemStatus.DONE]
    carried = [i for i in items if counts.get(i.pk)]
    open_items = [i for i in items if i.status != ItemStatus.DONE]
    audience = sum(a.audience_count for a in activities)

    listed = partial(listing, section=SECTION)
    count = partial(counted, section=SECTION)
    activity = partial(count, unit="次", columns=ACTIVITY_COLUMNS, rows=_activity_rows)
    item = partial(count, unit="项", columns=ITEM_COLUMNS, rows=partial(_item_rows, counts=counts))
    chart = "以案释法与普法（件/次）"
    list_chart = "普法责任清单落实（项）"
    return [
        count(
            "publicity.cases",
            "发布以案释法案例",
            cases,
            "件",
            "以案释法案例库，按发布日期",
            columns=CASE_COLUMNS,
            rows=_case_rows,
            note="案例不分局内单位，显示全局数",
            chart=chart,
        ),
        count(
            "publicity.posts",
            "发布普法文章与微视频",
            posts,
            "篇",
            "普法专栏，按发布日期",
            columns=POST_COLUMNS,
            rows=_post_rows,
            note="普法专栏不分局内单位，显示全局数",
            chart=chart,
        ),
        activity(
            "publicity.activities", "开展普法活动", activities, how="普法活动记录，按活动日期", chart=chart
        ),
        listed(
            "publicity.audience",
            "普法活动受众",
            audience,
            "人次",
            activities,
            "普法活动记录的受众人数之和，按活动日期",
            columns=ACTIVITY_COLUMNS,
            rows=_activity_rows,
        ),
        activity(
            "publicity.activities_on_list",
            "其中落实责任清单事项的活动",
            on_list,
            how="普法活动记录中关联本年度普法责任清单事项的",
            chart=chart,
        ),
        item("publicity.list_items", "普法责任清单事项", items, how="本年度普法责任清单", chart=list_chart),
        item(
            "publicity.items_done",
            "已完成的清单事项",
            done,
            how="本年度普法责任清单，完成情况为已完成",
            chart=list_chart,
        ),
        item(
            "publicity.items_with_activity",
            "有活动记录的清单事项",
            carried,
            how="本年度普法责任清单中至少关联一次普法活动的事项",
            chart=list_chart,
        ),
        item(
            "publicity.items_open",
            "未完成的清单事项",
            open_items,
            how="本年度普法责任清单，完成情况为未开始或进行中",
            chart=list_chart,
        ),
        listed(
            "publicity.completion_rate",
            "责任清单完成率",
            rate(len(done), len(items)),
            "%",
            items,
            "本年度普法责任清单，已完成事项 ÷ 全部事项",
            columns=ITEM_COLUMNS,
            rows=partial(_item_rows, counts=counts),
        ),
    ]
