"""普法 API (/api/v1/publicity/): public column and calendar; editors write; leaders read the overview."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from fazhi.core import roles
from fazhi.core.errors import NotFound
from fazhi.core.permissions import api_auth_for, api_user
from fazhi.publicity import selectors, services
from fazhi.publicity.models import Post, PostKind
from fazhi.publicity.services.common import _choice

router = Router(tags=["普法"])
OVERVIEW_ROLES = (roles.LEADER, roles.SYSADMIN, roles.SUPERVISOR, *services.EDITOR_ROLES)
OVERVIEW_MESSAGE = "只有分管领导、系统管理员、监督方或普法编辑人员可以查看普法责任清单。"

# Every write is refused, before the request is read, to whoever lacks the roles (the services check again).
post_editor_auth = api_auth_for(*services.EDITOR_ROLES, message=services.EDITOR_MESSAGE)
list_editor_auth = api_auth_for(*services.EDITOR_ROLES, message=services.LIST_MESSAGE)
activity_auth = api_auth_for(*services.ACTIVITY_ROLES, message=services.ACTIVITY_MESSAGE)


class PostOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    summary: str
    status: str
    published_at: dt.datetime | None
    url: str
    video_url: str | None
    poster_url: str | None
    captions_url: str | None


class PostDetail(PostOut):
    body: str
    transcript: str
    campaign: str | None


class PostIn(Schema):
    title: str
    kind: str = "news"
    summary: str = ""
    body: str = Field("", max_length=services.MAX_BODY, description="正文（HTML）")
    transcript: str = ""
    campaign: int | None = None


def _post(p: Post, *, full: bool = False) -> dict:
    out = {
        "id": p.pk,
        "title": p.title,
        "kind": p.kind,
        "kind_label": p.get_kind_display(),
        "summary": p.summary,
        "status": p.status,
        "published_at": p.published_at,
        "url": p.get_absolute_url(),
        "video_url": f"/publicity/media/video/{p.pk}/" if p.video else None,
        "poster_url": f"/publicity/media/poster/{p.pk}/" if p.poster else None,
        "captions_url": f"/publicity/media/captions/{p.pk}/" if p.captions else None,
    }
    if full:
        out |= {
            "body": p.body,
            "transcript": p.transcript,
            "campaign": p.campaign.name if p.campaign else None,
        }
    return out


@router.get("/posts", response=list[PostOut], summary="已发布的普法文章与微视频")
def posts(request: HttpRequest, kind: str = "", limit: int = 20) -> list:
    """The latest published posts, of one column when `kind` is given (code or Chinese name; an unknown
    one is a 400 naming the columns, as the archive page tells it, rather than an empty list)."""
    column = _choice(kind, PostKind, "栏目") if kind.strip() else None
    return [_post(p) for p in selectors.latest_posts(min(max(1, limit), 100), kind=column)]


@router.get("/posts/{int:post_id}", response=PostDetail, summary="普法文章详情")
def post_detail(request: HttpRequest, post_id: int) -> dict:
    post = selectors.get_post(post_id)
    if post is None:
        raise NotFound("文章不存在或尚未发布。")
    return _post(post, full=True)


@router.post(
    "/posts",
    response={201: PostDetail},
    auth=post_editor_auth,
    summary="新建普法文章草稿（编辑人员；正文保存时净化）",
)
def create_post(request: HttpRequest, payload: PostIn) -> Status:
    return Status(201, _post(services.save_post(user=api_user(request), data=payload.dict()), full=True))


@router.post(
    "/posts/{int:post_id}/publish",
    response=PostDetail,
    auth=post_editor_auth,
    summary="发布普法文章（编辑人员）",
)
def publish_post(request: HttpRequest, post_id: int) -> dict:
    return _post(services.publish_post(user=api_user(request), post_id=post_id), full=True)


class OccurrenceOut(Schema):
    name: str
    slug: str
    theme: str
    start: dt.date
    end: dt.date
    days_until: int
    responsible_department: str
    url: str


@router.get("/campaigns/upcoming", response=list[OccurrenceOut], summary="宣传日历：即将到来的宣传节点")
def upcoming(request: HttpRequest, limit: int = 12) -> list:
    return [
        {
            "name": o.campaign.name,
            "slug": o.campaign.slug,
            "theme": o.campaign.theme,
            "start": o.start,
            "end": o.end,
            "days_until": o.days_until,
            "responsible_department": o.campaign.responsible_department,
            "url": o.campaign.get_absolute_url(),
        }
        for o in selectors.upcoming_campaigns(limit=min(max(1, limit), 50))
    ]


class CompletionOut(Schema):
    department: str
    list_id: int
    total: int
    done: int
    in_progress: int
    planned: int
    overdue: int
    rate: float | None
    activities: int
    audience: int


class OverviewOut(Schema):
    year: int
    total: int
    done: int
    overdue: int
    rate: float | None
    departments: list[CompletionOut]


@router.get(
    "/responsibility/overview",
    response=OverviewOut,
    auth=api_auth_for(*OVERVIEW_ROLES, message=OVERVIEW_MESSAGE),
    summary="普法责任清单完成情况（领导、监督方只读）",
)
def overview(request: HttpRequest, year: int) -> dict:
    ov = selectors.overview(year)
    return {
        "year": ov.year,
        "total": ov.totals.total,
        "done": ov.totals.done,
        "overdue": ov.totals.overdue,
        "rate": ov.totals.rate,
        "departments": [
            {
                "department": r.responsibility_list.department,
                "list_id": r.responsibility_list.pk,
                **r.completion.__dict__,
                "rate": r.completion.rate,
                "activities": r.activities,
                "audience": r.audience,
            }
            for r in ov.rows
        ],
    }


class ListIn(Schema):
    year: int
    department: str
    note: str = ""


class ListOut(Schema):
    id: int
    year: int
    department: str


@router.post(
    "/responsibility/lists",
    response={201: ListOut},
    auth=list_editor_auth,
    summary="新建普法责任清单（编辑人员）",
)
def create_list(request: HttpRequest, payload: ListIn) -> Status:
    lst = services.create_list(
        user=api_user(request), year=payload.year, department=payload.department, note=payload.note
    )
    return Status(201, {"id": lst.pk, "year": lst.year, "department": lst.department})


class ItemIn(Schema):
    law_title: str
    audiences: str
    planned_activity: str
    planned_date: dt.date | None = None


class ItemOut(Schema):
    id: int
    law_title: str
    status: str
    planned_date: dt.date | None
    completed_at: dt.date | None


def _item(i: object) -> dict:
    return {k: getattr(i, k) for k in ("id", "law_title", "status", "planned_date", "completed_at")}


@router.post(
    "/responsibility/lists/{int:list_id}/items",
    response={201: ItemOut},
    auth=list_editor_auth,
    summary="增加清单事项",
)
def add_item(request: HttpRequest, list_id: int, payload: ItemIn) -> Status:
    return Status(201, _item(services.add_item(user=api_user(request), list_id=list_id, **payload.dict())))


class ItemStatusIn(Schema):
    status: str


@router.post(
    "/responsibility/items/{int:item_id}/status",
    response=ItemOut,
    auth=list_editor_auth,
    summary="更新事项完成情况",
)
def item_status(request: HttpRequest, item_id: int, payload: ItemStatusIn) -> dict:
    return _item(services.set_item_status(user=api_user(request), item_id=item_id, status=payload.status))


class ActivityIn(Schema):
    title: str
    date: dt.date
    place: str
    form: str
    audience_count: int = 0
    description: str = ""
    department: str = ""
    item: int | None = None
    campaign: int | None = None
    mark_done: bool = False
    material_links: list[str] = []


class ActivityOut(Schema):
    id: int
    title: str
    department: str
    date: dt.date
    audience_count: int


@router.post(
    "/activities",
    response={201: ActivityOut},
    auth=activity_auth,
    summary="登记普法活动（本部门工作人员或编辑人员）",
)
def record_activity(request: HttpRequest, payload: ActivityIn) -> Status:
    data = payload.dict(exclude={"mark_done", "material_links"})
    activity = services.record_activity(
        user=api_user(request),
        data=data,
        materials=[(f"材料链接 {n}", None, url) for n, url in enumerate(payload.material_links, 1)],
        mark_done=payload.mark_done,
    )
    return Status(
        201, {k: getattr(activity, k) for k in ("id", "title", "department", "date", "audience_count")}
    )
