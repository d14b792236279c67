"""普法 campaign calendar reminders: tell the responsible department before a campaign starts."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from fazhi.cases.services import EDITOR_ROLES
from fazhi.core.services import notify, users_with_role
from fazhi.publicity.models import Campaign

log = logging.getLogger(__name__)

REMIND_DAYS = 14


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
