"""普法 writes: posts and videos, responsibility lists, activity records, campaign reminders."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from fazhi.cases.services import EDITOR_ROLES
from fazhi.cases.text import sanitize_html
from fazhi.core import audit, roles, uploads
from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.core.permissions import has_role, require_role
from fazhi.core.services import notify, users_with_role
from fazhi.publicity.models import (
    Activity,
    ActivityForm,
    ActivityMaterial,
    ActivityPhoto,
    Campaign,
    ItemStatus,
    Post,
    PostImage,
    PostKind,
    PostStatus,
    ResponsibilityItem,
    ResponsibilityList,
)

log = logging.getLogger(__name__)

EDITOR_MESSAGE = "只有法规科编辑人员（起草人、法制审核员）或系统管理员可以编辑普法专栏。"
LIST_MESSAGE = "只有法规科编辑人员或系统管理员可以维护普法责任清单。"
REMIND_DAYS = 14


def _text(value: Any, label: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(f"{label}不能为空。")
    if len(text) > limit:
        raise ValidationFailed(f"{label}不能超过 {limit} 个字（当前 {len(text)} 个字）。")
    return text


def _choice(value: Any, choices: type[models.TextChoices], label: str, default: str = "") -> str:
    """A choice given as its code (news) or its Chinese label (普法动态) → the code; else a Chinese error."""
    text = str(value or default).strip()
    if text in choices.values:
        return text
    by_label = {str(lbl): code for code, lbl in choices.choices}
    if text in by_label:
        return by_label[text]
    raise ValidationFailed(f"{label}“{text}”无效，可选：{'、'.join(str(x) for x in choices.labels)}。")


def _campaign(campaign_id: Any) -> Campaign | None:
    if campaign_id in (None, ""):
        return None
    found = Campaign.objects.filter(pk=campaign_id).first()
    if found is None:
        raise ValidationFailed("所选专题不存在，请重新选择。")
    return found


def _apply_files(post: Post, *, cover: Any = None, video: Any = None, poster: Any = None) -> None:
    if cover is not None:
        uploads.check_image(cover, label="封面图片")
        post.cover = cover
    if poster is not None:
        uploads.check_image(poster, label="视频封面")
        post.poster = poster
    if video is not None:
        post.video_type = uploads.check_video(video)
        post.video = video


def _post(post_id: int, *, lock: bool = True) -> Post:
    """The post (row-locked for a change unless `lock` is off) or NotFound."""
    qs = Post.objects.select_for_update() if lock else Post.objects.all()
    post = qs.filter(pk=post_id).first()
    if post is None:
        raise NotFound("文章不存在或已被删除。")
    return post


def _set_post_status(post: Post, status: PostStatus, comment: str) -> None:
    before = post.status
    post.status = status
    post.save()
    audit.record(
        action="transition", obj=post, comment=comment, before={"status": before}, after={"status": status}
    )


@transaction.atomic
def save_post(
    *,
    user: Any,
    data: dict[str, Any],
    post_id: int | None = None,
    cover: Any = None,
    video: Any = None,
    poster: Any = None,
) -> Post:
    """Create (post_id None) or edit a post; the body is sanitised on save, files checked by content."""
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    post = Post(author=user) if post_id is None else _post(post_id)
    post.title = _text(data.get("title"), "标题", 200, required=True)
    post.kind = _choice(data.get("kind"), PostKind, "栏目", default=PostKind.NEWS)
    post.summary = _text(data.get("summary"), "摘要", 300)
    post.body = str(data.get("body") or "")[:200_000]
    post.campaign = _campaign(data.get("campaign"))
    _apply_files(post, cover=cover, video=video, poster=poster)
    if post.status == PostStatus.PUBLISHED:
        # A published post stays publishable: an edit that breaks a publishing rule is refused (and
        # nothing is saved), rather than silently leaving an empty page or a video without a file online.
        problem = published_edit_problem(post)
        if problem:
            raise ValidationFailed(problem)
    post.save()
    return post


def published_edit_problem(post: Any) -> str:
    """For an edit of a published post: why the edited post could no longer be published; "" if fine."""
    problem = publish_problem(post)
    return (
        f"这篇文章已发布，修改后不符合发布要求：{problem}如确需这样修改，请先撤回为草稿。" if problem else ""
    )


def publish_problem(post: Any) -> str:
    """Why the post cannot be (or stay) published, in Chinese; "" when it can."""
    if post.kind == PostKind.VIDEO:
        if not post.video:
            return "微视频发布前请上传 MP4 或 WebM 视频文件。"
        if not post.poster:
            return "微视频发布前请上传视频封面图片。"
    elif not sanitize_html(post.body or "").strip():
        return "文章正文为空，不能发布。"
    return ""


@transaction.atomic
def publish_post(*, user: Any, post_id: int) -> Post:
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    post = _post(post_id)
    problem = publish_problem(post)
    if problem:
        raise ValidationFailed(problem)
    if post.status != PostStatus.PUBLISHED:
        post.published_at = post.published_at or timezone.now()
        _set_post_status(post, PostStatus.PUBLISHED, "发布普法文章")
    return post


@transaction.atomic
def unpublish_post(*, user: Any, post_id: int) -> Post:
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    post = _post(post_id)
    if post.status == PostStatus.PUBLISHED:
        _set_post_status(post, PostStatus.DRAFT, "撤回普法文章")
    return post


@transaction.atomic
def add_post_image(*, user: Any, post_id: int, file: Any, alt: str, caption: str = "") -> PostImage:
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    post = _post(post_id, lock=False)
    uploads.check_image(file)
    return PostImage.objects.create(
        post=post,
        file=file,
        alt=_text(alt, "图片说明（替代文字）", 200, required=True),
        caption=_text(caption, "图注", 200),
    )


# --- 普法责任清单 ---------------------------------------------------------------------------------


def _year(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("年度必须是四位数字，如 2026。") from exc
    if not 2000 <= year <= 2100:
        raise ValidationFailed(f"年度 {year} 超出范围（2000–2100）。")
    return year


def _date(value: Any, label: str, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(f"{label}不能为空。")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed(f"{label}“{value}”格式不正确，应为 YYYY-MM-DD。") from exc


@transaction.atomic
def create_list(*, user: Any, year: Any, department: str, note: str = "") -> ResponsibilityList:
    require_role(user, *EDITOR_ROLES, message=LIST_MESSAGE)
    year_n = _year(year)
    dept = _text(department, "责任部门", 200, required=True)
    taken = f"{dept} 的 {year_n} 年普法责任清单已存在，请直接在原清单中增加事项。"
    if ResponsibilityList.objects.filter(year=year_n, department=dept).exists():
        raise ValidationFailed(taken)
    try:
        with transaction.atomic():
            return ResponsibilityList.objects.create(year=year_n, department=dept, note=str(note or ""))
    except IntegrityError:  # the same list created by another request at this moment
        raise ValidationFailed(taken) from None


@transaction.atomic
def add_item(
    *,
    user: Any,
    list_id: int,
    law_title: str,
    audiences: str,
    planned_activity: str,
    planned_date: Any = None,
    law_id: int | None = None,
) -> ResponsibilityItem:
    require_role(user, *EDITOR_ROLES, message=LIST_MESSAGE)
    # Locked, so that the same item sent twice at once is seen by the second request and refused.
    lst = ResponsibilityList.objects.select_for_update().filter(pk=list_id).first()
    if lst is None:
        raise NotFound("普法责任清单不存在。")
    when = _date(planned_date, "计划完成日期")
    if when is not None and when.year != lst.year:
        raise ValidationFailed(f"计划完成日期 {when} 不在清单年度 {lst.year} 年内。")
    values = {
        "law_title": _text(law_title, "宣传的法律法规", 300, required=True),
        "audiences": _text(audiences, "宣传对象", 300, required=True),
        "planned_activity": _text(planned_activity, "计划活动", 300, required=True),
        "planned_date": when,
    }
    if lst.items.filter(**values).exists():
        raise Conflict("清单中已有相同的事项（法律法规、宣传对象、计划活动和日期都相同），请勿重复提交。")
    return ResponsibilityItem.objects.create(responsibility_list=lst, law_id=law_id, **values)


@transaction.atomic
def set_item_status(
    *, user: Any, item_id: int, status: str, today: dt.date | None = None
) -> ResponsibilityItem:
    require_role(user, *EDITOR_ROLES, message=LIST_MESSAGE)
    item = ResponsibilityItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise NotFound("清单事项不存在。")
    status = _choice(status, ItemStatus, "完成情况")
    if status == item.status:
        return item  # already so (a repeated request): nothing changes and nothing is logged again
    before = {"status": item.status}
    item.status = status
    item.completed_at = (today or timezone.localdate()) if status == ItemStatus.DONE else None
    item.save()
    audit.record(
        action="transition", obj=item, comment="更新清单事项完成情况", before=before, after={"status": status}
    )
    return item


def can_record_activity(user: Any, department: str) -> bool:
    """Editors record any activity; bureau staff record their own department's."""
    if has_role(user, *EDITOR_ROLES):
        return True
    return has_role(user, roles.STAFF_MEMBER) and bool(department) and user.department == department


@transaction.atomic
def record_activity(
    *,
    user: Any,
    data: dict[str, Any],
    photos: list[tuple[Any, str]] | None = None,
    materials: list[tuple[str, Any, str]] | None = None,
    mark_done: bool = False,
) -> Activity:
    """Record a 普法活动; photos are (file, alt), materials (title, file|None, url)."""
    if not has_role(user, *EDITOR_ROLES, roles.STAFF_MEMBER):
        raise PermissionDenied("只有本局工作人员可以填报普法活动。")
    # The recorder's account row is the lock: the same activity sent twice at once (a double click)
    # is then seen by the second request and refused below. The item is locked for its status.
    get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
    item = None
    if data.get("item"):
        item = (
            ResponsibilityItem.objects.select_for_update(of=("self",))
            .select_related("responsibility_list")
            .filter(pk=data["item"])
            .first()
        )
        if item is None:
            raise ValidationFailed("所选清单事项不存在。")
    department = (
        item.responsibility_list.department
        if item
        else _text(data.get("department"), "组织部门", 200, required=True)
    )
    if not can_record_activity(user, department):
        if has_role(user, roles.STAFF_MEMBER):
            raise PermissionDenied(f"您只能填报本部门（{user.department or '未设置部门'}）的普法活动。")
        raise PermissionDenied("只有本局工作人员可以填报普法活动。")
    form = _choice(data.get("form"), ActivityForm, "活动形式")
    try:
        audience = int(data.get("audience_count") or 0)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("受众人数必须是整数。") from exc
    if audience < 0 or audience > 10_000_000:
        raise ValidationFailed("受众人数必须在 0 到 10,000,000 之间。")
    when = _date(data.get("date"), "活动日期", required=True)
    assert when is not None
    if when > timezone.localdate():
        raise ValidationFailed(f"活动日期 {when} 晚于今天；活动记录只填报已开展的活动。")
    for file, alt in photos or []:
        uploads.check_image(file, label="活动照片")
        _text(alt, "照片说明", 200, required=True)
    for title, file, url in materials or []:
        _text(title, "材料名称", 200, required=True)
        if file is not None:
            uploads.check_material(file)
        elif not str(url or "").startswith(("http://", "https://", "/")):
            raise ValidationFailed(f"材料“{title}”需要上传文件或填写以 http(s):// 开头的链接。")
    title = _text(data.get("title"), "活动名称", 200, required=True)
    place = _text(data.get("place"), "地点", 200, required=True)
    if Activity.objects.filter(
        title=title, department=department, date=when, place=place, item=item
    ).exists():
        raise Conflict(
            f"已登记过这次活动（{title}，{when}，{place}），请勿重复提交；如需补充照片或材料，请联系普法专栏编辑在后台补充。"
        )
    activity = Activity.objects.create(
        title=title,
        department=department,
        date=when,
        place=place,
        form=form,
        audience_count=audience,
        description=str(data.get("description") or "")[:5000],
        item=item,
        campaign=_campaign(data.get("campaign")),
        recorded_by=user,
    )
    for file, alt in photos or []:
        ActivityPhoto.objects.create(activity=activity, file=file, alt=alt.strip())
    for title, file, url in materials or []:
        ActivityMaterial.objects.create(
            activity=activity, title=title.strip(), file=file or "", url=url or ""
        )
    if item is not None:
        new_status = (
            ItemStatus.DONE
            if mark_done
            else (item.status if item.status == ItemStatus.DONE else ItemStatus.IN_PROGRESS)
        )
        if new_status != item.status:
            before = {"status": item.status}
            item.status = new_status
            item.completed_at = when if new_status == ItemStatus.DONE else None
            item.save()
            audit.record(
                action="transition",
                obj=item,
                comment=f"登记活动“{activity.title}”",
                before=before,
                after={"status": new_status},
            )
    return activity


# --- campaign calendar reminders ----------------------------------------------------------------


def reminder_recipients(campaign: Campaign) -> list[Any]:
    """The responsible department's active users; without any, the 普法 editors."""
    from fazhi.core.models import User

    if campaign.responsible_department:
        found = list(User.objects.filter(is_active=True, department=campaign.responsible_department))
        if found:
            return found
    return list(users_with_role(*EDITOR_ROLES))


def send_campaign_reminders(today: dt.date | None = None) -> int:
    """Remind the responsible department of each campaign starting within 14 days (once per year)."""
    today = today or timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(is_active=True):
        try:
            start, _ = campaign.next_occurrence(today)
        except ValueError:
            log.error("跳过日期无效的宣传节点（id=%s），请在后台更正", campaign.pk, exc_info=True)
            continue
        days = (start - today).days
        if not 0 <= days <= REMIND_DAYS:
            continue
        when = "今天" if days == 0 else f"{days} 天后（{start.month}月{start.day}日）"
        for user in reminder_recipients(campaign):
            msg = notify(
                recipient=user,
                title=f"普法宣传提醒：{campaign.name}将于{when}开始",
                body=(
                    f"{campaign.name}（{campaign.when_label}）"
                    + (f"主题：{campaign.theme}。" if campaign.theme else "。")
                    + f"请{campaign.responsible_department or '相关部门'}提前做好宣传活动安排，并在活动后登记活动记录。"
                ),
                url=campaign.get_absolute_url(),
                category="publicity",
                dedupe_key=f"publicity-campaign-{campaign.pk}-{start.isoformat()}",
            )
            sent += int(msg is not None)
    return sent
