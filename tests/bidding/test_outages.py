"""An outage during evaluation not fixed within 4 hours means a new committee: until it is formed, the old
one can neither finish the evaluation nor go on scoring and signing; nothing changes on a refusal."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Score, ScoreSheet, Status
from fazhi.core.errors import Conflict
from fazhi.core.models import AuditEvent
from tests.bidding.helpers import give_accounts, score_all, sign_all

API = "/api/v1/bidding"
RULE = "发改办法规〔2025〕807号"


def outage(project, buyer, site, *, hours_ago, lasted=None):
    """An outage at `site` that began `hours_ago` hours ago and lasted `lasted` hours (None: still down)."""
    start = timezone.now() - dt.timedelta(hours=hours_ago)
    return services.record_incident(
        project=project,
        actor=buyer,
        site_id=site.pk,
        started_at=start,
        ended_at=start + dt.timedelta(hours=lasted) if lasted is not None else None,
        description="九江副场网络中断",
    )


@pytest.fixture
def signed(drawn):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    project.refresh_from_db()
    return project, committee


@pytest.mark.django_db
@pytest.mark.parametrize(("lasted", "said"), [(5, "持续 5.0 小时"), (None, "至今未恢复，已持续 6.0 小时")])
def test_an_outage_past_four_hours_stops_the_old_committee_finishing(buyer, signed, sites, lasted, said):
    project, _ = signed
    outage(project, buyer, sites[1], hours_ago=6, lasted=lasted)
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as refused:
        services.finish_evaluation(project=project, actor=buyer)
    message = refused.value.message
    assert message.startswith("不能结束评标：九江市公共资源交易中心 ")
    assert "起的故障（九江副场网络中断）" in message and said in message
    assert RULE in message and "超过 4 小时未能恢复的，应重新组建评标委员会" in message
    project.refresh_from_db()
    assert project.status == Status.EVALUATING and project.evaluation_finished_at is None
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_the_page_and_the_api_give_the_same_refusal(client, login, token_for, buyer, signed, sites):
    project, _ = signed
    outage(project, buyer, sites[1], hours_ago=6, lasted=5)
    r = login(buyer).post(f"/bidding/projects/{project.pk}/finish/")
    assert r.status_code == 409
    page = r.content.decode()
    assert "不能结束评标：九江市公共资源交易中心" in page and RULE in page
    r = client.post(f"{API}/projects/{project.pk}/finish", headers=token_for(buyer))
    assert r.status_code == 409 and "请先在“评标异常”中重新组建评标委员会" in r.json()["detail"]
    project.refresh_from_db()
    assert project.status == Status.EVALUATING


@pytest.mark.django_db
def test_the_old_committee_can_neither_sign_nor_change_scores_after_such_an_outage(buyer, drawn, sites):
    project, committee = drawn
    score_all(project, committee)
    outage(project, buyer, sites[1], hours_ago=6, lasted=5)
    member = committee.members.order_by("seat").first()
    with pytest.raises(Conflict, match=f"不能评分或签名：九江市公共资源交易中心.*{RULE}"):
        services.sign_sheet(member=member, actor=member.user)
    score = Score.objects.filter(sheet__member=member).first()
    with pytest.raises(Conflict, match="请等待采购办通知"):
        services.save_scores(
            member=member,
            actor=member.user,
            entries=[{"bidder_id": score.bidder_id, "criterion_id": score.criterion_id, "points": "1"}],
        )
    assert not ScoreSheet.objects.get(member=member).signed
    assert Score.objects.get(pk=score.pk).points == score.points


@pytest.mark.django_db
def test_an_outage_fixed_within_four_hours_lets_the_committee_finish(buyer, signed, sites):
    project, _ = signed
    outage(project, buyer, sites[1], hours_ago=6, lasted=4)  # exactly the limit is within it
    services.finish_evaluation(project=project, actor=buyer)
    project.refresh_from_db()
    assert project.status == Status.EVALUATED


@pytest.mark.django_db
def test_an_outage_still_open_must_be_closed_before_finishing(buyer, signed, sites):
    project, _ = signed
    incident = outage(project, buyer, sites[1], hours_ago=1)
    with pytest.raises(Conflict, match="至今未恢复，已持续 1.0 小时。请先记录故障恢复时间"):
        services.finish_evaluation(project=project, actor=buyer)
    project.refresh_from_db()
    assert project.status == Status.EVALUATING
    services.end_incident(incident=incident, actor=buyer, ended_at=timezone.now())
    services.finish_evaluation(project=project, actor=buyer)
    project.refresh_from_db()
    assert project.status == Status.EVALUATED


@pytest.mark.django_db
def test_after_re_forming_the_new_committee_scores_signs_and_finishes(buyer, signed, sites):
    project, old = signed
    outage(project, buyer, sites[1], hours_ago=6, lasted=5)
    new = services.reform_committee(project=project, actor=buyer, reason="副场网络中断超过4小时", seed="7")
    assert AuditEvent.objects.filter(
        action="transition", object_id=str(old.pk), comment__contains="评标委员会作废并重新组建"
    ).exists()
    give_accounts(new)
    project.refresh_from_db()
    score_all(project, new)
    sign_all(new)
    result = services.finish_evaluation(project=project, actor=buyer)
    project.refresh_from_db()
    assert project.status == Status.EVALUATED and result.committee == new
    # The superseded committee's signed sheets stay on record, outside the result.
    assert ScoreSheet.objects.filter(member__committee=old, signed_at__isnull=False).count() == 5
