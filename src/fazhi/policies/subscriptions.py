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
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from fazhi.core.batches import chunks
from fazhi.core.dates import cn_date
from fazhi.core.models import Message
from fazhi.core.services import store_messages
from fazhi.policies import matching, services
from fazhi.policies.models import CLOSING_DAYS, EnterpriseProfile, Policy, PolicySubscription, Status

log = logging.getLogger(__name__)
CATEGORY = "惠企政策"
CHUNK = 500  # keys per lookup and messages per insert (well within every backend's parameter limit)


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


@dataclass
class _Notice:
    """One in-site message (and at most one e-mail) due to one user for one policy and event.

    `legacy` is the per-subscription key format used before (…:{sub.pk}:…, "{sub}" a placeholder): an
    event already announced under it is not announced again.
    """

    user: Any
    subs: list[PolicySubscription]
    policy: Policy
    title: str
    text: str
    key: str
    legacy: str

    def legacy_keys(self) -> list[str]:
        return [self.legacy.format(sub=s.pk) for s in self.subs]


def _sent_under_legacy_keys(notices: list[_Notice]) -> set[tuple[int, str]]:
    """(recipient id, legacy key) of the notices' events announced under the old key format, a few
    queries (the current keys are checked by store_messages as it writes)."""
    wanted = sorted({key for n in notices for key in n.legacy_keys()})
    users = sorted({n.user.pk for n in notices})
    found: set[tuple[int, str]] = set()
    for keys in chunks(wanted, CHUNK):
        found.update(
            Message.objects.filter(recipient_id__in=users, dedupe_key__in=keys).values_list(
                "recipient_id", "dedupe_key"
            )
        )
    return found


def _store(notices: list[_Notice]) -> tuple[list[_Notice], list[EmailMessage]]:
    """Store a message for every notice not sent before, under its key or a legacy one (in bulk); the
    notices stored and their e-mails."""
    if not notices:
        return [], []
    sent = _sent_under_legacy_keys(notices)
    due = [n for n in notices if not any((n.user.pk, key) in sent for key in n.legacy_keys())]
    rows: list[Message] = []
    mails_by_row: dict[int, EmailMessage] = {}
    for n in due:
        body = n.text + _footer(n.subs)
        url = n.policy.get_absolute_url()
        rows.append(
            Message(
                recipient=n.user, title=n.title[:300], body=body, url=url, category=CATEGORY, dedupe_key=n.key
            )
        )
        if any(s.email for s in n.subs) and n.user.email:
            # One subscription behind the message: mail programs offer their own one-click unsubscribe for
            # it (RFC 8058: List-Unsubscribe with List-Unsubscribe-Post, answered by a POST to the same address).
            headers = (
                {
                    "List-Unsubscribe": f"<{unsubscribe_url(n.subs[0])}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
                if len(n.subs) == 1
                else {}
            )
            mails_by_row[len(rows) - 1] = EmailMessage(
                n.title[:300],
                f"{body}\n\n查看政策：{absolute(url)}",
                None,
                [n.user.email],
                headers=headers,
            )
    # A message stored meanwhile by another run is skipped here, and its e-mail with it.
    stored = {id(msg) for msg in store_messages(rows, batch=CHUNK)}
    kept = [i for i, msg in enumerate(rows) if id(msg) in stored]
    return [due[i] for i in kept], [mails_by_row[i] for i in kept if i in mails_by_row]


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


def _notices(
    subs: list[PolicySubscription],
    profile: EnterpriseProfile | None,
    fresh: list[Policy],
    closing: list[Policy],
    today: dt.date,
) -> list[_Notice]:
    """What one user is due: each new policy and each closing window that some of the subscriptions fit."""
    user = subs[0].user
    since = {s.pk: s.last_checked_at or s.created_at for s in subs}
    found = []
    for policy in fresh:
        waiting = [s for s in subs if policy.created_at > since[s.pk]]
        hits = [s for s in waiting if _fits(s, policy, profile, today)]
        if hits:
            found.append(
                _Notice(
                    user=user,
                    subs=hits,
                    policy=policy,
                    title=f"新政策：{policy.title}",
                    text=f"有一项符合您订阅条件的惠企政策发布：{policy.title}。",
                    key=f"policies:new:user{user.pk}:{policy.pk}",
                    legacy=f"policies:new:{{sub}}:{policy.pk}",
                )
            )
    for policy in closing:
        hits = [s for s in subs if _fits(s, policy, profile, today)]
        if hits:
            title, text = _closing_words(policy, today)
            found.append(
                _Notice(
                    user=user,
                    subs=hits,
                    policy=policy,
                    title=title,
                    text=text,
                    key=f"policies:closing:user{user.pk}:{policy.pk}:{policy.apply_end:%Y%m%d}",
                    legacy=f"policies:closing:{{sub}}:{policy.pk}:{policy.apply_end:%Y%m%d}",
                )
            )
    return found


def run_daily(today: dt.date | None = None) -> dict[str, int]:
    """Send new-policy and closing-window messages to every active subscriber; returns counts.

    A bounded number of queries however many subscribers and events: the subscriptions with their users,
    the profiles, the new and the closing policies are read once each, the messages already sent are
    looked up and the new ones inserted in chunks of CHUNK, and the e-mails go out over one connection.
    """
    today = today or timezone.localdate()
    counts = {"status_changed": services.refresh_statuses(today=today), "new": 0, "closing": 0}
    active_status = [Status.VALID, Status.EXPIRING]
    fields = (*matching.MATCH_FIELDS, "themes", "created_at")
    mails: list[EmailMessage] = []
    with transaction.atomic():
        now = timezone.now()
        # Locking the subscriptions makes a second run started meanwhile wait for this one and then find
        # its messages (and the subscriptions checked): every event goes out once however runs overlap.
        subs = list(
            PolicySubscription.objects.select_for_update(of=("self",))
            .filter(active=True)
            .select_related("user")
            .order_by("pk")
        )
        if not subs:
            log.info("policy subscriptions: %s", counts)
            return counts
        by_user: dict[int, list[PolicySubscription]] = defaultdict(list)
        for sub in subs:
            by_user[sub.user_id].append(sub)
        wanting_profile = [
            uid for uid, user_subs in by_user.items() if any(s.match_profile for s in user_subs)
        ]
        profiles = (
            {p.owner_id: p for p in EnterpriseProfile.objects.filter(owner_id__in=wanting_profile)}
            if wanting_profile
            else {}
        )
        oldest = min(s.last_checked_at or s.created_at for s in subs)
        fresh = list(
            Policy.objects.filter(status__in=active_status, created_at__gt=oldest, created_at__lte=now)
            .only(*fields)
            .order_by("pk")
        )
        closing = list(
            Policy.objects.filter(
                status__in=active_status,
                apply_end__gte=today,
                apply_end__lte=today + dt.timedelta(days=CLOSING_DAYS),
            )
            .only(*fields)
            .order_by("pk")
        )
        notices = [
            notice
            for uid, user_subs in by_user.items()
            for notice in _notices(user_subs, profiles.get(uid), fresh, closing, today)
        ]
        due, mails = _store(notices)
        for n in due:
            counts["new" if n.key.startswith("policies:new:") else "closing"] += 1
        for ids in chunks([s.pk for s in subs], CHUNK):
            PolicySubscription.objects.filter(pk__in=ids).update(last_checked_at=now)
    if mails:
        get_connection(fail_silently=True).send_messages(mails)
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
