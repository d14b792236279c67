"""Campaign calendar: recurrence and the 14-day reminders to the responsible department."""

from __future__ import annotations

import datetime as dt

from fazhi.core.models import Message
from fazhi.core.services import ensure_user
from fazhi.publicity import selectors, services
from fazhi.publicity.models import Campaign


def _campaign(**kw):
    defaults = {"name": "国家宪法日", "slug": "constitution-day-t", "month": 12, "day": 4}
    return Campaign.objects.create(**(defaults | kw))


def test_a_dated_campaign_recurs_every_year(db):
    c = _campaign()
    assert c.next_occurrence(dt.date(2026, 11, 26)) == (dt.date(2026, 12, 4), dt.date(2026, 12, 4))
    assert c.next_occurrence(dt.date(2026, 12, 4)) == (dt.date(2026, 12, 4), dt.date(2026, 12, 4))
    assert c.next_occurrence(dt.date(2026, 12, 5)) == (dt.date(2027, 12, 4), dt.date(2027, 12, 4))


def test_a_month_long_campaign_covers_the_whole_month_and_is_ongoing_inside_it(db):
    c = _campaign(name="民法典宣传月", slug="civil", month=5, day=None)
    assert c.occurrence(2026) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert c.next_occurrence(dt.date(2026, 5, 20)) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert c.next_occurrence(dt.date(2026, 6, 1)) == (dt.date(2027, 5, 1), dt.date(2027, 5, 31))
    (occ,) = selectors.upcoming_campaigns(today=dt.date(2026, 5, 20))
    assert occ.ongoing and occ.days_until == -19


def test_february_29_falls_on_february_28_in_common_years(db):
    c = _campaign(name="闰日", slug="leap", month=2, day=29)
    assert c.occurrence(2027) == (dt.date(2027, 2, 28), dt.date(2027, 2, 28))
    assert c.occurrence(2028) == (dt.date(2028, 2, 29), dt.date(2028, 2, 29))


def test_upcoming_campaigns_are_sorted_by_their_next_date(db):
    _campaign()
    _campaign(name="安全生产月", slug="safety", month=6, day=None)
    names = [o.campaign.name for o in selectors.upcoming_campaigns(today=dt.date(2026, 11, 26))]
    assert names == ["国家宪法日", "安全生产月"]


def test_the_responsible_department_is_reminded_14_days_before_once(db):
    budget = ensure_user(username="b1", display_name="预算科甲", role_names=[], department="预算科")
    other = ensure_user(username="o1", display_name="其他科", role_names=[], department="办公室")
    _campaign(responsible_department="预算科", theme="弘扬宪法精神")
    assert services.send_campaign_reminders(dt.date(2026, 11, 19)) == 0  # 15 days before
    assert services.send_campaign_reminders(dt.date(2026, 11, 20)) == 1  # 14 days before
    assert services.send_campaign_reminders(dt.date(2026, 11, 21)) == 0  # already reminded this year
    msg = Message.objects.get(recipient=budget)
    assert "国家宪法日" in msg.title and "14 天后" in msg.title
    assert "弘扬宪法精神" in msg.body and msg.url == "/publicity/topics/constitution-day-t/"
    assert not Message.objects.filter(recipient=other).exists()
    assert services.send_campaign_reminders(dt.date(2027, 11, 20)) == 1  # next year's occurrence


def test_reminders_go_to_the_editors_when_no_one_is_in_the_department(clerk, outsider):
    _campaign(responsible_department="没有人的科室")
    services.send_campaign_reminders(dt.date(2026, 12, 1))
    assert Message.objects.filter(recipient=clerk).count() == 1
    assert not Message.objects.filter(recipient=outsider).exists()


def test_the_reminder_job_is_registered_as_a_daily_periodic_job():
    from fazhi.core import periodic

    job = next(j for j in periodic.jobs() if j.name == "publicity.campaign_reminders")
    assert job.every == dt.timedelta(days=1)
