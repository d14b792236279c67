"""效力状态: derived from the end date (有效 / 即将到期 within 30 days / 已失效) unless set with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.policies import services
from fazhi.policies.models import Policy, Status, derive_status

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (None, Status.VALID),
        (TODAY + dt.timedelta(days=31), Status.VALID),
        (TODAY + dt.timedelta(days=30), Status.EXPIRING),
        (TODAY, Status.EXPIRING),
        (TODAY - dt.timedelta(days=1), Status.EXPIRED),
    ],
)
def test_status_follows_the_end_date(end, expected):
    assert derive_status(effective_from=None, effective_to=end, today=TODAY) == expected


def test_an_override_wins_over_the_dates():
    assert derive_status(effective_from=None, effective_to=None, override=Status.REPEALED) == Status.REPEALED


def test_an_override_needs_a_reason(make_policy):
    with pytest.raises(ValidationFailed, match="状态说明"):
        make_policy(title="x", status_override="已废止")
    policy = make_policy(title="x", status_override="已废止", status_reason="被2026年1号文废止")
    assert policy.status == Status.REPEALED


def test_the_daily_refresh_moves_policies_on_and_records_it(make_policy):
    policy = make_policy(title="x", effective_to="2026-03-20")
    Policy.objects.filter(pk=policy.pk).update(status=Status.VALID)
    assert services.refresh_statuses(today=TODAY) == 1
    assert Policy.objects.get(pk=policy.pk).status == Status.EXPIRING
    assert services.refresh_statuses(today=dt.date(2026, 3, 21)) == 1
    assert Policy.objects.get(pk=policy.pk).status == Status.EXPIRED
    assert AuditEvent.objects.filter(action="transition", object_type="policies.Policy").count() == 2
