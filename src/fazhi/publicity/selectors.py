"""普法 reads: the column, the calendar, topic pages and responsibility-list completion."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.publicity.models import (
    Activity,
    Campaign,
    ItemStatus,
    Post,
    PostKind,
    PostStatus,
    ResponsibilityItem,
    ResponsibilityList,
)

log = logging.getLogger(__name__)


def published_posts() -> QuerySet[Post]:
    return Post.objects.filter(status=PostStatus.PUBLISHED)


def search_posts(posts: QuerySet[Post], q: str) -> QuerySet[Post]:
    """The posts whose title, summary, text or (a micro-video's) 文字稿 hold every word of `q` (words split on
    spaces): what a video says is found as an article's text is."""
    for word in q.split():
        posts = posts.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(transcript__icontains=word)
        )
    return posts


def latest_posts(limit: int = 5, *, kind: str | None = None) -> list[Post]:
    qs = published_posts()
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("-published_at", "-id")[:limit])


def get_post(pk: int, *, include_drafts: bool = False) -> Post | None:
    qs = Post.objects.all() if include_drafts else published_posts()
    return qs.select_related("campaign").prefetch_related("images").filter(pk=pk).first()


def column(limit_per_kind: int = 6) -> list[tuple[str, str, list[Post]]]:
    """The 普法专栏 front page: the latest posts of each kind."""
    return [(value, label, latest_posts(limit_per_kind, kind=value)) for value, label in PostKind.choices]


@dataclass
class Occurrence:
    campaign: Campaign
    start: dt.date
    end: dt.date
    days_until: int

    @property
    def ongoing(self) -> bool:
        return self.days_until <= 0


def upcoming_campaigns(
    *, today: dt.date | None = None, limit: int | None = None, within_days: int = 366
) -> list[Occurrence]:
    """Active campaigns by their next occurrence (ongoing ones first)."""
    today = today or timezone.localdate()
    out = []
    for c in Campaign.objects.filter(is_active=True):
        try:
            start, end = c.next_occurrence(today)
        except ValueError:
            # A row saved before month/day were validated must not take the home page down with it.
            log.error("跳过日期无效的宣传节点（id=%s），请在后台更正", c.pk, exc_info=True)
            continue
        days = (start - today).days
        if days <= within_days:
            out.append(Occurrence(c, start, end, days))
    out.sort(key=lambda o: (o.start, o.campaign.name))
    return out[:limit] if limit else out


@dataclass
class Topic:
    campaign: Campaign
    occurrence: Occurrence
    posts: list[Post]
    cases: list[Any]
    activities: list[Activity]


def topic(slug: str, *, today: dt.date | None = None) -> Topic | None:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        return None
    today = today or timezone.localdate()
    try:
        start, end = campaign.next_occurrence(today)
    except ValueError:
        log.error("宣传节点（id=%s）日期无效，专题页暂不显示，请在后台更正", campaign.pk, exc_info=True)
        return None
    return Topic(
        campaign=campaign,
        occurrence=Occurrence(campaign, start, end, (start - today).days),
        posts=list(published_posts().filter(campaign=campaign).order_by("-published_at")[:20]),
        cases=list(campaign.cases.filter(status="published").order_by("-published_at")[:10]),
        activities=list(campaign.activities.order_by("-date")[:20]),
    )


# --- responsibility-list completion -----------------------------------------------------------


@dataclass
class Completion:
    total: int
    done: int
    in_progress: int
    planned: int
    overdue: int

    @property
    def rate(self) -> float | None:
        """Share of items done, in percent with one decimal; None for an empty list."""
        if self.total == 0:
            return None
        return round(self.done * 100 / self.total, 1)

    @property
    def rate_label(self) -> str:
        return "—" if self.rate is None else f"{self.rate:g}%"


def completion(items: list[ResponsibilityItem], *, today: dt.date | None = None) -> Completion:
    today = today or timezone.localdate()
    statuses = [i.status for i in items]
    return Completion(
        total=len(items),
        done=statuses.count(ItemStatus.DONE),
        in_progress=statuses.count(ItemStatus.IN_PROGRESS),
        planned=statuses.count(ItemStatus.PLANNED),
        overdue=sum(1 for i in items if i.is_overdue(today)),
    )


@dataclass
class DepartmentRow:
    responsibility_list: ResponsibilityList
    completion: Completion
    activities: int
    audience: int


@dataclass
class Overview:
    year: int
    rows: list[DepartmentRow]
    totals: Completion
    activities: int
    audience: int


def years() -> list[int]:
    found = list(ResponsibilityList.objects.values_list("year", flat=True).distinct().order_by("-year"))
    return found or [timezone.localdate().year]


def default_year(today: dt.date | None = None) -> int:
    """The year the overview opens on: this year if it has lists, else the latest earlier year with lists,
    else this year (lists planned for future years are reached through the year links)."""
    this_year = (today or timezone.localdate()).year
    past = [y for y in years() if y <= this_year]
    return max(past) if past else this_year


def overview(year: int, *, today: dt.date | None = None) -> Overview:
    """Per-department completion of the year's lists, with activity counts and audience totals."""
    lists = list(
        ResponsibilityList.objects.filter(year=year)
        .prefetch_related("items__activities")
        .order_by("department")
    )
    rows = []
    all_items: list[ResponsibilityItem] = []
    for lst in lists:
        items = list(lst.items.all())
        all_items.extend(items)
        acts = {a.pk: a for i in items for a in i.activities.all()}
        rows.append(
            DepartmentRow(
                lst, completion(items, today=today), len(acts), sum(a.audience_count for a in acts.values())
            )
        )
    return Overview(
        year=year,
        rows=rows,
        totals=completion(all_items, today=today),
        activities=sum(r.activities for r in rows),
        audience=sum(r.audience for r in rows),
    )


def list_detail(pk: int) -> ResponsibilityList | None:
    return ResponsibilityList.objects.prefetch_related("items__activities").filter(pk=pk).first()
