"""The daily reminder job stays a handful of queries however many drafts are due, and still sends once."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core import roles
from fazhi.core.models import Message
from fazhi.core.services import ensure_user
from fazhi.review.models import Draft, State
from fazhi.review.reminders import send_reminders

DAY = dt.date(2026, 6, 15)


def _drafts(clerk, reviewer, count: int) -> None:
    """`count` drafts of each kind the job looks at: overdue in review (with and without a reviewer),
    备案 overdue, and a normative document whose validity ends soon."""
    rows = []
    for i in range(count):
        common = {"doc_type": "normative", "unit": "预算科", "drafter": clerk}
        rows.append(
            Draft(
                title=f"超期文稿{i}",
                state=State.IN_REVIEW,
                reviewer=reviewer if i % 2 else None,
                review_deadline=DAY - dt.timedelta(days=10),
                round_submitted_at=dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC),
                **common,
            )
        )
        rows.append(
            Draft(
                title=f"待备案{i}",
                state=State.PUBLISHED,
                filing_deadline=DAY - dt.timedelta(days=1),
                **common,
            )
        )
        rows.append(
            Draft(title=f"将到期{i}", state=State.FILED, valid_until=DAY + dt.timedelta(days=30), **common)
        )
    Draft.objects.bulk_create(rows)


def _run() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        sent = send_reminders(on=DAY)
    return sent, len(queries)


def test_the_number_of_queries_does_not_grow_with_the_drafts(clerk, reviewer, director):
    _drafts(clerk, reviewer, 3)
    small_sent, small_queries = _run()
    Message.objects.all().delete()
    _drafts(clerk, reviewer, 30)
    large_sent, large_queries = _run()
    assert large_sent > small_sent > 0
    # Ten times the drafts: the same reads; only the bulk insert may take a second statement (SQLite
    # caps the parameters of one INSERT). Before the bulk write it was ~10 queries per draft (102 → 1,062).
    assert large_queries <= small_queries + 3, (small_queries, large_queries)
    assert large_queries <= 15


def test_every_person_gets_each_reminder_once_and_a_second_run_sends_nothing(clerk, reviewer, director):
    second_reviewer = ensure_user(
        username="reviewer2", display_name="reviewer2", role_names=[roles.REVIEWER], password="x-pass-2026"
    )
    _drafts(clerk, reviewer, 4)
    sent = send_reminders(on=DAY)
    # Per round of 4: overdue review → 2 with a named reviewer (reviewer, director) and 2 without one
    # (both reviewers, director); 备案 overdue → clerk, both reviewers, director; validity → the same four.
    assert sent == 2 * 2 + 2 * 3 + 4 * 4 + 4 * 4
    assert Message.objects.count() == sent
    keys = list(Message.objects.values_list("recipient_id", "dedupe_key"))
    assert len(keys) == len(set(keys))
    assert Message.objects.filter(recipient=second_reviewer, title__startswith="审查超期").count() == 2
    assert Message.objects.filter(recipient=clerk, title__startswith="备案已超期").count() == 4
    overdue = Message.objects.filter(recipient=director, title__startswith="审查超期").first()
    assert overdue.url.startswith("/review/drafts/") and overdue.category == "review"
    assert "已超期" in overdue.body
    assert send_reminders(on=DAY) == 0
    assert Message.objects.count() == sent


def test_a_reminder_sent_earlier_is_not_sent_again_to_that_person_only(clerk, reviewer, director):
    _drafts(clerk, reviewer, 1)
    send_reminders(on=DAY)
    Message.objects.filter(recipient=director).delete()
    assert send_reminders(on=DAY) == Message.objects.filter(recipient=director).count() == 3
