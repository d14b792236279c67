"""The daily subscription job at scale: a fixed number of queries however many subscribers and events,
each event still sent once per user (in-site message and e-mail); statuses refreshed in bulk."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core import roles
from fazhi.core.models import Message
from fazhi.core.services import ensure_user
from fazhi.policies import services, subscriptions
from fazhi.policies.models import Policy, Status

TODAY = dt.date(2026, 3, 1)


def subscribers(first: int, count: int) -> list:
    users = []
    for i in range(first, first + count):
        user = ensure_user(username=f"scale-sub-{i}", display_name=f"企业{i}", role_names=[roles.ENTERPRISE])
        user.email = f"sub{i}@example.com"
        user.save(update_fields=["email"])
        services.subscribe(actor=user, themes=["稳岗就业"])
        if i % 2 == 0:
            services.save_profile(
                actor=user, data={"name": f"企业{i}", "industry": "catering", "employees": 30}
            )
            services.subscribe(actor=user, match_profile=True, email=False)
        users.append(user)
    return users


def events(make_policy, batch: str) -> None:
    """Two new policies and one whose application window closes in three days (new as well)."""
    make_policy(title=f"稳岗补贴{batch}-1", themes="稳岗就业", level="国家", industries="H")
    make_policy(title=f"稳岗补贴{batch}-2", themes="稳岗就业")
    make_policy(
        title=f"即将截止{batch}", themes="稳岗就业", apply_end=(TODAY + dt.timedelta(days=3)).isoformat()
    )


def run() -> tuple[dict[str, int], int]:
    with CaptureQueriesContext(connection) as queries:
        counts = subscriptions.run_daily(today=TODAY)
    return counts, len(queries.captured_queries)


def test_the_job_makes_as_many_queries_for_fifteen_subscribers_as_for_three(make_policy, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first_users = subscribers(0, 3)
    events(make_policy, "甲")
    counts, few = run()
    assert counts == {"status_changed": 0, "new": 9, "closing": 3}
    later_users = subscribers(3, 12)
    events(make_policy, "乙")
    counts, many = run()
    # Everyone gets the three new policies of 乙; the later subscribers also get 甲's closing window,
    # which the first three already had.
    assert counts == {"status_changed": 0, "new": 15 * 3, "closing": 3 + 12 * 2}
    assert many == few
    again, rerun = run()
    assert again == {"status_changed": 0, "new": 0, "closing": 0}
    assert rerun <= few
    for user in first_users:
        assert Message.objects.filter(recipient=user).count() == 6 + 2
    for user in later_users:
        titles = sorted(Message.objects.filter(recipient=user).values_list("title", flat=True))
        assert len(titles) == len(set(titles)) == 3 + 2
    assert len(mail.outbox) == Message.objects.count() == 3 * 8 + 12 * 5
    assert sorted(m.to[0] for m in mail.outbox).count("sub0@example.com") == 8


def test_an_event_already_in_the_inbox_is_not_sent_again(make_policy):
    (user,) = subscribers(0, 1)
    make_policy(title="稳岗补贴", themes="稳岗就业")
    policy = Policy.objects.get(title="稳岗补贴")
    Message.objects.create(
        recipient=user, title="旧消息", dedupe_key=f"policies:new:user{user.pk}:{policy.pk}"
    )
    counts, _ = run()
    assert counts["new"] == 0
    assert list(Message.objects.filter(recipient=user).values_list("title", flat=True)) == ["旧消息"]


def test_statuses_are_refreshed_with_one_update_per_status(make_policy):
    for i in range(6):
        make_policy(title=f"到期政策{i}", effective_to=(TODAY - dt.timedelta(days=1 + i)).isoformat())
    for i in range(4):
        make_policy(title=f"将到期政策{i}", effective_to=(TODAY + dt.timedelta(days=10 + i)).isoformat())
    Policy.objects.update(status=Status.VALID)
    with CaptureQueriesContext(connection) as queries:
        assert services.refresh_statuses(today=TODAY) == 10
    updates = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "policies_policy"')]
    assert len(updates) == 2
    assert Policy.objects.filter(status=Status.EXPIRED).count() == 6
    assert Policy.objects.filter(status=Status.EXPIRING).count() == 4
