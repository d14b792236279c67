"""确定中标人的原因 over its limit and a recovery time still to come are refused, nothing changed (found by the
API write sweep with an otherwise valid request)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Status
from fazhi.bidding.services.results import MAX_WINNER_REASON
from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from tests.bidding.helpers import archive_all, score_all, sign_all


@pytest.mark.django_db
def test_a_winner_reason_over_its_limit_is_refused_not_kept_in_the_log(drawn, buyer):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    result = services.finish_evaluation(project=project, actor=buyer)
    archive_all(project, buyer)
    services.submit_report(project=project, actor=buyer)
    second = result.lines[1].bidder
    events = AuditEvent.objects.count()
    with pytest.raises(
        ValidationFailed, match=f"确定中标人的原因不能超过 {MAX_WINNER_REASON} 个字（当前 501 个字）"
    ):
        services.confirm_winner(project=project, actor=buyer, bidder_id=second.pk, reason="放" * 501)
    project.refresh_from_db()
    assert project.status == Status.REPORTED and project.winner is None
    assert AuditEvent.objects.count() == events
    services.confirm_winner(project=project, actor=buyer, bidder_id=second.pk, reason="放" * 500)
    project.refresh_from_db()
    assert project.winner == second


@pytest.mark.django_db
def test_a_recovery_time_still_to_come_is_refused(drawn, buyer, client, token_for):
    project, _ = drawn
    started = timezone.now() - dt.timedelta(hours=1)
    ahead = timezone.now() + dt.timedelta(hours=1)
    with pytest.raises(ValidationFailed, match="恢复时间不能晚于当前时间"):
        services.record_incident(
            project=project,
            actor=buyer,
            site_id=project.host_site_id,
            started_at=started,
            ended_at=ahead,
            description="断网",
        )
    assert not project.incidents.exists()
    incident = services.record_incident(
        project=project, actor=buyer, site_id=project.host_site_id, started_at=started, description="断网"
    )
    r = client.post(
        f"/api/v1/bidding/incidents/{incident.pk}/end",
        {"ended_at": ahead.isoformat()},
        content_type="application/json",
        headers=token_for(buyer),
    )
    assert r.status_code == 400 and r.json()["detail"] == "恢复时间不能晚于当前时间。"
    incident.refresh_from_db()
    assert incident.ended_at is None
    services.end_incident(incident=incident, actor=buyer, ended_at=timezone.now())  # a few minutes' leeway
    incident.refresh_from_db()
    assert incident.ended_at is not None
