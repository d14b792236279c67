"""Daily subscription job: new matching policies and application windows closing within 7 days.

Contract: `run_daily(today=…)` refreshes statuses, then sends each subscriber one in-site message
(plus e-mail when asked) per event; the dedupe key makes every event go out exactly once however
often the job runs.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from fazhi.core.services import notify
from fazhi.policies import matching, services
from fazhi.policies.models import EnterpriseProfile, Policy, PolicySubscription, Status

log = logging.getLogger(__name__)
CLOSING_DAYS = 7
CATEGORY = "惠企政策"


def _fits(sub: PolicySubscription, policy: Policy, profile: EnterpriseProfile | None, today: dt.date) -> bool:
    if sub.themes and set(sub.themes) & set(policy.themes):
        return True
    if sub.industries and (not policy.industries or set(sub.industries) & set(policy.industries)):
        return True
    if sub.match_profile and profile is not None:
        return matching.evaluate(policy, profile, today=today).eligible
    return False


def unsubscribe_url(sub: PolicySubscription) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}/policies/unsubscribe/{sub.token}/"


def run_daily(today: dt.date | None = None) -> dict[str, int]:
    """Send new-policy and closing-window messages to every active subscriber; returns counts."""
    today = today or timezone.localdate()
    counts = {"status_changed": services.refresh_statuses(today=today), "new": 0, "closing": 0}
    active_status = [Status.VALID, Status.EXPIRING]
    closing = list(
        Policy.objects.filter(
            status__in=active_status,
            apply_end__gte=today,
            apply_end__lte=today + dt.timedelta(days=CLOSING_DAYS),
        )
    )
    now = timezone.now()
    for sub in PolicySubscription.objects.filter(active=True).select_related("user"):
        profile = EnterpriseProfile.objects.filter(owner=sub.user).first() if sub.match_profile else None
        since = sub.last_checked_at or sub.created_at
        fresh = Policy.objects.filter(status__in=active_status, created_at__gt=since, created_at__lte=now)
        footer = f"\n\n不想再收到此类提醒？一键退订：{unsubscribe_url(sub)}"
        for policy in fresh.iterator():
            if not _fits(sub, policy, profile, today):
                continue
            sent = notify(
                recipient=sub.user,
                title=f"新政策：{policy.title}"[:300],
                body=f"有一项符合您订阅条件的惠企政策发布：{policy.title}。{footer}",
                url=policy.get_absolute_url(),
                category=CATEGORY,
                dedupe_key=f"policies:new:{sub.pk}:{policy.pk}",
                email=sub.email,
            )
            counts["new"] += sent is not None
        for policy in closing:
            if not _fits(sub, policy, profile, today):
                continue
            days = (policy.apply_end - today).days  # type: ignore[operator]
            sent = notify(
                recipient=sub.user,
                title=f"申报即将截止（剩{days}天）：{policy.title}"[:300],
                body=f"《{policy.title}》申报将于{policy.apply_end:%Y年%m月%d日}截止，请及时申报。{footer}",
                url=policy.get_absolute_url(),
                category=CATEGORY,
                dedupe_key=f"policies:closing:{sub.pk}:{policy.pk}:{policy.apply_end:%Y%m%d}",
                email=sub.email,
            )
            counts["closing"] += sent is not None
        PolicySubscription.objects.filter(pk=sub.pk).update(last_checked_at=now)
    log.info("policy subscriptions: %s", counts)
    return counts
