"""Time limits from the admin's rule table and holiday list; the demo data; read-only pages for the supervisor."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from fazhi.core.dates import add_years
from fazhi.core.errors import Conflict
from fazhi.core.models import CalendarDay
from fazhi.core.services import create_demo_accounts
from fazhi.core.workdays import Calendar
from fazhi.review import services
from fazhi.review.demo import setup_demo
from fazhi.review.models import DocTypeRule, Draft


def test_the_review_deadline_follows_the_rule_table_and_the_holiday_list(clerk, make_draft):
    # update_or_create: a transactional test (live server, migrations) run earlier in this worker flushes
    # the rows the migration seeded.
    DocTypeRule.objects.update_or_create(doc_type="normative", defaults={"review_days": 3})
    today = timezone.localdate()
    holiday = Calendar().add(today, 1)
    CalendarDay.objects.create(date=holiday, kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
    draft = make_draft()
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    draft.refresh_from_db()
    # The next working day became a holiday, so three working days end one working day later.
    assert draft.review_deadline == Calendar().add(today, 4)


def test_validity_and_filing_periods_follow_the_rule_table(clerk, make_draft):
    DocTypeRule.objects.update_or_create(
        doc_type="normative", defaults={"validity_years": 3, "filing_days": 30}
    )
    draft = make_draft("approved")
    services.transition(user=clerk, draft_id=draft.pk, action="publish")
    draft.refresh_from_db()
    assert draft.filing_deadline == draft.published_on + dt.timedelta(days=30)
    assert draft.valid_until == add_years(draft.published_on, 3) - dt.timedelta(days=1)  # the day before


@pytest.mark.parametrize("rolls", [False, True])
def test_a_filing_deadline_on_a_day_off_rolls_forward_only_when_the_rule_says_so(clerk, make_draft, rolls):
    today = timezone.localdate()
    days = (5 - today.weekday()) % 7 + 7  # the day counted up to is a Saturday
    DocTypeRule.objects.update_or_create(
        doc_type="normative", defaults={"filing_days": days, "filing_rolls_forward": rolls}
    )
    draft = make_draft("approved")
    services.transition(user=clerk, draft_id=draft.pk, action="publish")
    draft.refresh_from_db()
    saturday = draft.published_on + dt.timedelta(days=days)
    assert saturday.weekday() == 5
    if not rolls:
        assert draft.filing_deadline == saturday
    else:
        calendar = Calendar.from_database()
        assert draft.filing_deadline > saturday and calendar.is_working_day(draft.filing_deadline)
        between = (draft.filing_deadline - saturday).days
        assert not any(calendar.is_working_day(saturday + dt.timedelta(days=i)) for i in range(between))


def test_only_normative_documents_are_filed(clerk, make_draft):
    draft = make_draft("published", normative=False)
    with pytest.raises(Conflict, match="只有行政规范性文件需要报送备案"):
        services.transition(user=clerk, draft_id=draft.pk, action="file")


def test_the_supervisor_sees_a_draft_without_any_form(supervisor, make_draft, login):
    draft = make_draft("in_review")
    html = login(supervisor).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert draft.title in html
    assert '<form method="post" action="/review/' not in html


@pytest.mark.django_db
def test_the_demo_creates_drafts_in_several_states_once():
    create_demo_accounts()
    out = io.StringIO()
    setup_demo(out)
    states = set(Draft.objects.values_list("state", flat=True))
    assert {"published", "in_review", "drafting"} <= states
    published = Draft.objects.get(state="published")
    assert published.versions.count() == 2 and published.opinions.filter(issued_at__isnull=False).count() == 2
    # A grant scheme: published after a 公平竞争审查 of its final (second) version.
    assert published.affects_market
    assert list(published.fair_reviews.values_list("version_number", "conclusion")) == [(2, "compliant")]
    count = Draft.objects.count()
    setup_demo(out)
    assert Draft.objects.count() == count
