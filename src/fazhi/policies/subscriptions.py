"""Daily subscription job: new matching policies and application windows closing within 7 days.

Contract: `run_daily(today=…)` refreshes statuses, then sends each subscriber one in-site message
(plus e-mail when any matching subscription asks for it) per policy and event, however many of the
user's subscriptions match it; the per-user dedupe key makes every event go out exactly once however
often the job runs. E-mails carry absolute links built from settings.SITE_URL (FAZHI_SITE_URL).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.mail import EmailMessage
from django.utils import timezone

from fazhi.core.dates import cn_date
from fazhi.core.models import Message
from fazhi.core.services import notify
from fazhi.policies import matching, services
from fazhi.policies.models import CLOSING_DAYS, EnterpriseProfile, Policy, PolicySubscription, Status

log = logging.getLogger(__name__)
CATEGORY = "惠企政策"


def _fits(sub: PolicySubscription, policy: Policy, profile: EnterpriseProfile | None, today: dt.date) -> bool:
    if sub.themes and set(sub.themes) & set(policy.themes):
        return True
    if sub.industries and (not policy.industries or set(sub.industries) & set(policy.industries)):
        return True
    if sub.match_profile and profile is not None:
        return matching.evaluate(policy, profile, today=today).eligible
    return False


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "") or "").rstrip("/")


def absolute(path: str) -> str:
    """An absolute link for e-mails (mail clients cannot follow /policies/…)."""
    return f"{site_url()}{path}" if path.startswith("/") else path


def unsubscribe_url(sub: PolicySubscription) -> str:
    return absolute(f"/policies/unsubscribe/{sub.token}/")


def _footer(subs: list[PolicySubscription]) -> str:
    if len(subs) == 1:
        return f"\n\n不想再收到此类提醒？一键退订：\n{unsubscribe_url(subs[0])}"
    # The link stands apart from the Chinese colon so that the inbox can make it clickable.
    lines = [f"· {sub.summary}（退订链接） {unsubscribe_url(sub)}" for sub in subs]
    return "\n\n不想再收到此类提醒？一键退订（本条提醒符合以下订阅）：\n" + "\n".join(lines)


def _send(
    *, user: Any, subs: list[PolicySubscription], policy: Policy, title: str, text: str, key: str, legacy: str
) -> bool:
    """One in-site message (and at most one e-mail) for one user, policy and event.

    `legacy` is the per-subscription key format used before (…:{sub.pk}:…, "{sub}" a placeholder):
    an event already announced under it is not announced again.
    """
    old_keys = [legacy.format(sub=s.pk) for s in subs]
    if Message.objects.filter(recipient=user, dedupe_key__in=old_keys).exists():
        return False
    body = text + _footer(subs)
    url = policy.get_absolute_url()
    msg = notify(recipient=user, title=title[:300], body=body, url=url, category=CATEGORY, dedupe_key=key)
    if msg is None:
        return False
    if any(s.email for s in subs) and user.email:
        # One subscription behind the message: mail programs offer their own one-click unsubscribe for it
        # (RFC 8058: List-Unsubscribe with List-Unsubscribe-Post, answered by a POST to the same address).
        headers = (
            {
                "List-Unsubscribe": f"<{unsubscribe_url(subs[0])}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            if len(subs) == 1
            else {}
        )
        mail = EmailMessage(
            title[:300], f"{body}\n\n查看政策：{absolute(url)}", None, [user.email], headers=headers
        )
        mail.send(fail_silently=True)
    return True


def _closing_words(policy: Policy, today: dt.date) -> tuple[str, str]:
    """The reminder's title and text, in the words the policy pages use on the same day (今天截止申报 on
    the last day, not "剩0天")."""
    end = policy.apply_end
    days = (end - today).days  # type: ignore[operator]
    if days == 0:
        return (
            f"今天截止申报：{policy.title}",
            f"《{policy.title}》申报于今天（{cn_date(end)}）截止，请尽快申报。",
        )
    return (
        f"申报即将截止（剩{days}天）：{policy.title}",
        f"《{policy.title}》申报将于{cn_date(end)}截止，请及时申报。",
    )


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
    by_user: dict[int, list[PolicySubscription]] = defaultdict(list)
    for sub in PolicySubscription.objects.filter(active=True).select_related("user").order_by("pk"):
        by_user[sub.user_id].append(sub)
    for subs in by_user.values():
        user = subs[0].user
        profile = (
            EnterpriseProfile.objects.filter(owner=user).first()
            if any(s.match_profile for s in subs)
            else None
        )
        since = {s.pk: s.last_checked_at or s.created_at for s in subs}
        fresh = Policy.objects.filter(
            status__in=active_status, created_at__gt=min(since.values()), created_at__lte=now
        ).order_by("pk")
        for policy in fresh.iterator():
            waiting = [s for s in subs if policy.created_at > since[s.pk]]
            hits = [s for s in waiting if _fits(s, policy, profile, today)]
            if hits:
                counts["new"] += _send(
                    user=user,
                    subs=hits,
                    policy=policy,
                    title=f"新政策：{policy.title}",
                    text=f"有一项符合您订阅条件的惠企政策发布：{policy.title}。",
                    key=f"policies:new:user{user.pk}:{policy.pk}",
                    legacy=f"policies:new:{{sub}}:{policy.pk}",
                )
        for policy in closing:
            hits = [s for s in subs if _fits(s, policy, profile, today)]
            if hits:
                title, text = _closing_words(policy, today)
                counts["closing"] += _send(
                    user=user,
                    subs=hits,
                    policy=policy,
                    title=title,
                    text=text,
                    key=f"policies:closing:user{user.pk}:{policy.pk}:{policy.apply_end:%Y%m%d}",
                    legacy=f"policies:closing:{{sub}}:{policy.pk}:{policy.apply_end:%Y%m%d}",
                )
        PolicySubscription.objects.filter(pk__in=[s.pk for s in subs]).update(last_checked_at=now)
    log.info("policy subscriptions: %s", counts)
    return counts


@checks.register(checks.Tags.compatibility)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """In production the links in subscription e-mails need an absolute http(s) site address."""
    if settings.DEBUG:
        return []
    url = site_url()
    if url.startswith(("http://", "https://")) and len(url.split("://", 1)[1]) > 0:
        return []
    return [
        checks.Warning(
            f"FAZHI_SITE_URL 未设置或不是 http(s) 地址（当前为“{url}”），订阅邮件中的政策链接和退订链接将无法点击。",
            hint="请设置环境变量 FAZHI_SITE_URL，例如 https://fazhi.example.gov.cn",
            id="policies.W001",
        )
    ]
