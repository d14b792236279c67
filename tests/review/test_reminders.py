"""Daily reminders: overdue reviews, 备案 and validity deadlines; repeated runs send nothing new."""

from __future__ import annotations

import datetime as dt

from fazhi.core import periodic
from fazhi.core.dates import add_years
from fazhi.core.models import Message
from fazhi.review import services
from fazhi.review.models import Draft
from fazhi.review.reminders import send_reminders


def test_an_overdue_review_notifies_the_reviewer_and_the_leader_once(clerk, reviewer, director, make_draft):
    draft = make_draft()
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    draft.refresh_from_db()
    late = draft.review_deadline + dt.timedelta(days=3)
    assert send_reminders(on=late) == 2
    assert Message.objects.filter(recipient=reviewer, title__startswith="审查超期").count() == 1
    assert Message.objects.filter(recipient=director, title__startswith="审查超期").count() == 1
    assert send_reminders(on=late) == 0


def test_the_reviewer_is_warned_the_day_before_the_deadline(clerk, reviewer, make_draft):
    draft = make_draft()
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    draft.refresh_from_db()
    day_before = draft.review_deadline - dt.timedelta(days=1)
    while day_before.weekday() >= 5:  # the last working day before the deadline
        day_before -= dt.timedelta(days=1)
    assert send_reminders(on=day_before) == 1
    assert Message.objects.filter(recipient=reviewer, title__startswith="审查即将到期").count() == 1
    assert send_reminders(on=day_before) == 0


def test_filing_and_validity_reminders(clerk, reviewer, director, make_draft):
    draft = make_draft("approved")
    services.transition(user=clerk, draft_id=draft.pk, action="publish")
    draft.refresh_from_db()
    assert draft.filing_deadline == draft.published_on + dt.timedelta(days=15)
    assert draft.valid_until == add_years(draft.published_on, 5) - dt.timedelta(days=1)  # the day before
    send_reminders(on=draft.filing_deadline - dt.timedelta(days=2))
    assert Message.objects.filter(recipient=clerk, title__startswith="备案即将到期").exists()
    send_reminders(on=draft.filing_deadline + dt.timedelta(days=1))
    assert Message.objects.filter(recipient=director, title__startswith="备案已超期").exists()
    Draft.objects.filter(pk=draft.pk).update(state="filed")
    send_reminders(on=draft.valid_until - dt.timedelta(days=30))
    assert Message.objects.filter(recipient=clerk, title__startswith="规范性文件有效期提醒").count() == 1


def test_the_job_is_registered_daily():
    job = {j.name: j for j in periodic.jobs()}["review.reminders"]
    assert job.every == dt.timedelta(days=1)
