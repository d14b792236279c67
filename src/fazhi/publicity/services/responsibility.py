"""普法责任清单 and 普法活动: the yearly lists, their items and the activities that fulfil them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.cases.services import EDITOR_ROLES
from fazhi.core import audit, roles, uploads
from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.permissions import has_role, require_role
from fazhi.publicity.models import (
    Activity,
    ActivityForm,
    ActivityMaterial,
    ActivityPhoto,
    ItemStatus,
    ResponsibilityItem,
    ResponsibilityList,
    is_safe_link,
)
from fazhi.publicity.services.common import _campaign, _choice, _text

LIST_MESSAGE = "只有法规科编辑人员或系统管理员可以维护普法责任清单。"
# Who may record a 普法活动 at all (bureau staff only for their own department, see can_record_activity).
ACTIVITY_ROLES = (*EDITOR_ROLES, roles.STAFF_MEMBER)
ACTIVITY_MESSAGE = "只有本局工作人员可以填报普法活动。"
MAX_DESCRIPTION = 5000  # 活动情况: refused beyond this, never cut
MAX_LINK = 500  # a material's link (ActivityMaterial.url)
MAX_LIST_NOTE = 2000  # 说明 of a responsibility list (ResponsibilityList.note): refused beyond it, never cut


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
    note = _text(note, "说明", MAX_LIST_NOTE)
    taken = f"{dept} 的 {year_n} 年普法责任清单已存在，请直接在原清单中增加事项。"
    if ResponsibilityList.objects.filter(year=year_n, department=dept).exists():
        raise ValidationFailed(taken)
    try:
        with transaction.atomic():
            return ResponsibilityList.objects.create(year=year_n, department=dept, note=note)
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
    if not has_role(user, *ACTIVITY_ROLES):
        raise PermissionDenied(ACTIVITY_MESSAGE)
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
    elif mark_done:
        # Ticked without a 清单事项, it would be dropped without a word: say what it needs.
        raise ValidationFailed("勾选“该清单事项已全部完成”时须选择对应的清单事项。")
    department = (
        item.responsibility_list.department
        if item
        else _text(data.get("department"), "组织部门", 200, required=True)
    )
    if not can_record_activity(user, department):
        if has_role(user, roles.STAFF_MEMBER):
            raise PermissionDenied(f"您只能填报本部门（{user.department or '未设置部门'}）的普法活动。")
        raise PermissionDenied(ACTIVITY_MESSAGE)
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
        elif not is_safe_link(str(url or "")):
            # Not //host/… either: such a link leaves the site while looking like one of its pages.
            raise ValidationFailed(f"材料“{title}”需要上传文件或填写以 http(s):// 开头的链接。")
        else:
            check_length(str(url), f"材料“{title}”的链接", MAX_LINK)
    title = _text(data.get("title"), "活动名称", 200, required=True)
    place = _text(data.get("place"), "地点", 200, required=True)
    description = _text(data.get("description"), "活动情况", MAX_DESCRIPTION)
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
        description=description,
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
