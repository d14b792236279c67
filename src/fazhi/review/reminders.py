"""Daily reminders (registered as periodic job `review.reminders`): overdue reviews, 备案 and validity deadlines.

Every message carries a dedupe key, so running the job again on the same day sends nothing new.
The job reads the drafts, the people and the messages already sent in a few queries and writes the new
messages in bulk: its query count does not grow with the number of drafts (only by one read and one
write per BATCH messages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.models import Message
from fazhi.core.services import store_messages, users_with_role
from fazhi.core.workdays import Calendar
from fazhi.review import selectors
from fazhi.review.models import Draft, FairCompetitionReview, FairConclusion, State

BATCH = 1000  # messages checked against those already sent, and written, per round trip
DRAFT_FIELDS = ("pk", "title", "drafter_id", "reviewer_id", "round_submitted_at")


def _days(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


class _Outbox:
    """Messages to send, each once per (recipient, dedupe key): queued in memory, written in batches."""

    def __init__(self) -> None:
        self.pending: dict[tuple[int, str], Message] = {}
        self.sent = 0

    def add(self, people: Iterable[int | None], *, draft: Draft, title: str, body: str, key: str) -> None:
        for person in people:
            if person is None or (person, key) in self.pending:
                continue
            self.pending[(person, key)] = Message(
                recipient_id=person,
                title=title[:300],
                body=body,
                url=draft.get_absolute_url(),
                category="review",
                dedupe_key=key,
            )
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = list(self.pending.values()), {}
        self.sent += len(store_messages(pending, batch=BATCH))


def send_reminders(on: dt.date | None = None) -> int:
    """Send every reminder due on `on` (default today); returns the number of messages sent."""
    day = on or timezone.localdate()
    calendar = Calendar.load()
    leaders = list(users_with_role(roles.LEADER).values_list("pk", flat=True))
    reviewers = list(users_with_role(roles.REVIEWER).values_list("pk", flat=True))
    outbox = _Outbox()

    pending = Draft.objects.filter(state__in=selectors.PENDING_STATES, review_deadline__isnull=False)
    for draft in pending.only(*DRAFT_FIELDS, "review_deadline").order_by("pk").iterator(chunk_size=BATCH):
        assert draft.review_deadline is not None
        round_key = draft.round_submitted_at.isoformat() if draft.round_submitted_at else ""
        handlers = [draft.reviewer_id] if draft.reviewer_id else reviewers
        if day > draft.review_deadline:
            late = calendar.between(draft.review_deadline, day)
            outbox.add(
                [*handlers, *leaders],
                draft=draft,
                title=f"审查超期：《{draft.title}》",
                body=f"审查期限为 {draft.review_deadline}，已超期 {late} 个工作日，请尽快处理。",
                key=f"review-overdue-{draft.pk}-{round_key}",
            )
        elif calendar.between(day, draft.review_deadline) <= 1:
            outbox.add(
                handlers,
                draft=draft,
                title=f"审查即将到期：《{draft.title}》",
                body=f"审查期限为 {draft.review_deadline}，请在期限内出具审查意见。",
                key=f"review-due-{draft.pk}-{round_key}",
            )

    filing_before = _days("FAZHI_REVIEW_FILING_REMIND_DAYS", 5)
    # Only the drafts whose 备案 reminder is due today are read, not every published draft.
    filing = Draft.objects.filter(
        state=State.PUBLISHED, filing_deadline__lte=day + dt.timedelta(days=filing_before)
    )
    for draft in filing.only(*DRAFT_FIELDS, "filing_deadline").order_by("pk").iterator(chunk_size=BATCH):
        assert draft.filing_deadline is not None
        left = (draft.filing_deadline - day).days
        if left < 0:
            outbox.add(
                [draft.drafter_id, *reviewers, *leaders],
                draft=draft,
                title=f"备案已超期：《{draft.title}》",
                body=f"备案期限为 {draft.filing_deadline}，已超期 {-left} 日，请立即报送备案。",
                key=f"review-filing-overdue-{draft.pk}",
            )
        else:
            outbox.add(
                [draft.drafter_id, *reviewers],
                draft=draft,
                title=f"备案即将到期：《{draft.title}》",
                body=f"请于 {draft.filing_deadline} 前报送备案（剩余 {left} 日）。",
                key=f"review-filing-due-{draft.pk}",
            )

    validity_before = _days("FAZHI_REVIEW_VALIDITY_REMIND_DAYS", 90)
    expiring = Draft.objects.filter(
        state__in=(State.PUBLISHED, State.FILED), valid_until__lte=day + dt.timedelta(days=validity_before)
    )
    for draft in expiring.only(*DRAFT_FIELDS, "valid_until").order_by("pk").iterator(chunk_size=BATCH):
        assert draft.valid_until is not None
        left = (draft.valid_until - day).days
        what = (
            f"已于 {draft.valid_until} 到期"
            if left < 0
            else f"将于 {draft.valid_until} 到期（剩余 {left} 日）"
        )
        outbox.add(
            [draft.drafter_id, *reviewers, *leaders],
            draft=draft,
            title=f"规范性文件有效期提醒：《{draft.title}》",
            body=f"该文件{what}，请组织评估，决定继续施行、修改或宣布失效。",
            key=f"review-validity-{draft.pk}-{draft.valid_until}-{'expired' if left < 0 else 'soon'}",
        )
    # 公平竞争审查条例 第十二条: an exception runs for a fixed term; before it ends the measure is stopped or
    # reviewed again.
    exception_before = _days("FAZHI_REVIEW_FAIR_EXCEPTION_REMIND_DAYS", 30)
    exceptions = (
        FairCompetitionReview.objects.filter(
            conclusion=FairConclusion.EXCEPTION,
            draft__state__in=(State.PUBLISHED, State.FILED),
            ends_on__lte=day + dt.timedelta(days=exception_before),
        )
        .select_related("draft")
        .only("pk", "ends_on", *(f"draft__{'id' if f == 'pk' else f}" for f in DRAFT_FIELDS))
        .order_by("pk")
    )
    for item in exceptions.iterator(chunk_size=BATCH):
        assert item.ends_on is not None
        left = (item.ends_on - day).days
        when = f"已于 {item.ends_on} 届满" if left < 0 else f"将于 {item.ends_on} 届满（剩余 {left} 日）"
        outbox.add(
            [item.draft.drafter_id, *reviewers],
            draft=item.draft,
            title=f"公平竞争审查例外期限提醒：《{item.draft.title}》",
            body=f"该文件适用例外规定的实施期限{when}，届满后应停止执行，或重新进行公平竞争审查。",
            key=f"review-fair-exception-{item.pk}-{'over' if left < 0 else 'soon'}",
        )
    outbox.flush()
    return outbox.sent
