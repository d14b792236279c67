"""Daily reminders (registered as periodic job `review.reminders`): overdue reviews, 备案 and validity deadlines.

Every message carries a dedupe key, so running the job again on the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.services import notify, users_with_role
from fazhi.core.workdays import Calendar
from fazhi.review import selectors
from fazhi.review.models import Draft, State


def _days(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _send(people: Iterable[Any], *, draft: Draft, title: str, body: str, key: str) -> int:
    sent = 0
    seen = set()
    for person in people:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        if notify(
            recipient=person,
            title=title,
            body=body,
            url=draft.get_absolute_url(),
            category="review",
            dedupe_key=key,
        ):
            sent += 1
    return sent


def send_reminders(on: dt.date | None = None) -> int:
    """Send every reminder due on `on` (default today); returns the number of messages sent."""
    day = on or timezone.localdate()
    calendar = Calendar.load()
    leaders = list(users_with_role(roles.LEADER))
    reviewers = list(users_with_role(roles.REVIEWER))
    sent = 0

    for draft in Draft.objects.filter(
        state__in=selectors.PENDING_STATES, review_deadline__isnull=False
    ).select_related("reviewer"):
        assert draft.review_deadline is not None
        round_key = draft.round_submitted_at.isoformat() if draft.round_submitted_at else ""
        handlers = [draft.reviewer] if draft.reviewer_id else reviewers
        if day > draft.review_deadline:
            late = calendar.between(draft.review_deadline, day)
            sent += _send(
                [*handlers, *leaders],
                draft=draft,
                title=f"审查超期：《{draft.title}》",
                body=f"审查期限为 {draft.review_deadline}，已超期 {late} 个工作日，请尽快处理。",
                key=f"review-overdue-{draft.pk}-{round_key}",
            )
        elif calendar.between(day, draft.review_deadline) <= 1:
            sent += _send(
                handlers,
                draft=draft,
                title=f"审查即将到期：《{draft.title}》",
                body=f"审查期限为 {draft.review_deadline}，请在期限内出具审查意见。",
                key=f"review-due-{draft.pk}-{round_key}",
            )

    filing_before = _days("FAZHI_REVIEW_FILING_REMIND_DAYS", 5)
    for draft in Draft.objects.filter(state=State.PUBLISHED, filing_deadline__isnull=False).select_related(
        "drafter"
    ):
        assert draft.filing_deadline is not None
        left = (draft.filing_deadline - day).days
        if left < 0:
            sent += _send(
                [draft.drafter, *reviewers, *leaders],
                draft=draft,
                title=f"备案已超期：《{draft.title}》",
                body=f"备案期限为 {draft.filing_deadline}（公布后 15 日内），已超期 {-left} 日，请立即报送备案。",
                key=f"review-filing-overdue-{draft.pk}",
            )
        elif left <= filing_before:
            sent += _send(
                [draft.drafter, *reviewers],
                draft=draft,
                title=f"备案即将到期：《{draft.title}》",
                body=f"请于 {draft.filing_deadline} 前报送备案（剩余 {left} 日）。",
                key=f"review-filing-due-{draft.pk}",
            )

    validity_before = _days("FAZHI_REVIEW_VALIDITY_REMIND_DAYS", 90)
    for draft in Draft.objects.filter(
        state__in=(State.PUBLISHED, State.FILED), valid_until__isnull=False
    ).select_related("drafter"):
        assert draft.valid_until is not None
        left = (draft.valid_until - day).days
        if left <= validity_before:
            what = (
                f"已于 {draft.valid_until} 到期"
                if left < 0
                else f"将于 {draft.valid_until} 到期（剩余 {left} 日）"
            )
            sent += _send(
                [draft.drafter, *reviewers, *leaders],
                draft=draft,
                title=f"规范性文件有效期提醒：《{draft.title}》",
                body=f"该文件{what}，请组织评估，决定继续施行、修改或宣布失效。",
                key=f"review-validity-{draft.pk}-{draft.valid_until}-{'expired' if left < 0 else 'soon'}",
            )
    return sent
