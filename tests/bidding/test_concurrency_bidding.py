"""远程异地评标 under double clicks and parallel requests: nothing twice, no lost update, no 500.

The tests marked on_postgresql send requests at the same moment (threads, real row locks); the others
send the same request twice in a row and run on both databases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Bidder, CommitteeMember, Incident, MemberKind, Project, Score, ScoreSheet
from fazhi.bidding.services import scoring
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.services import ensure_user
from tests.bidding.helpers import score_all
from tests.concurrency import Interleaving, at_once, on_postgresql

parallel = pytest.mark.django_db(transaction=True)  # threads need committed rows and their own connections


def _entries(project, points_for):
    return [
        {"bidder_id": b.pk, "criterion_id": c.pk, "points": str(points_for(c))}
        for b in project.bidders.all()
        for c in project.criteria.all()
    ]


def _usual(c):
    return Decimal("8") if c.objective else c.max_points * Decimal("0.8")


@on_postgresql
@parallel
def test_a_score_changed_while_the_sheet_is_being_signed_never_alters_the_signed_sheet(drawn, monkeypatch):
    project, committee = drawn
    score_all(project, committee)
    member = committee.members.get(seat=1)
    order = Interleaving()
    original = scoring.to_decimal

    def slow_parse(*args, **kwargs):  # the save has checked "not signed yet" and is about to write
        order.hold()
        return original(*args, **kwargs)

    monkeypatch.setattr(scoring, "to_decimal", slow_parse)
    changed = _entries(project, lambda c: _usual(c) if c.objective else _usual(c) - 1)
    saved, signed = order.run(
        lambda: services.save_scores(member=member, actor=member.user, entries=changed),
        lambda: services.sign_sheet(member=member, actor=member.user),
    )
    assert isinstance(saved, ScoreSheet) and isinstance(signed, ScoreSheet), (saved, signed)
    assert [v.reason for v in services.verify_sheets(project) if not v.ok] == []
    sheet = ScoreSheet.objects.get(member=member)
    assert sheet.signed and sheet.scores.filter(points=Decimal("31")).exists()  # 40 × 0.8 − 1, signed


@on_postgresql
@parallel
def test_the_first_save_of_a_sheet_sent_four_times_at_once_makes_one_sheet(drawn):
    project, committee = drawn
    member = committee.members.get(seat=1)
    entries = _entries(project, _usual)
    results = at_once(*[lambda: services.save_scores(member=member, actor=member.user, entries=entries)] * 4)
    assert all(isinstance(r, ScoreSheet) for r in results), results
    assert ScoreSheet.objects.filter(member=member).count() == 1
    assert Score.objects.filter(sheet__member=member).count() == len(entries)


@on_postgresql
@parallel
def test_one_account_cannot_take_two_representative_seats_at_once(make_project, pools, buyer, monkeypatch):
    project = make_project(committee_size=7, purchaser_rep_count=2)
    services.add_bidder(project=project, actor=buyer, name="甲公司", bid_price="100")
    services.add_bidder(project=project, actor=buyer, name="乙公司", bid_price="90")
    services.add_bidder(project=project, actor=buyer, name="丙公司", bid_price="80")
    from tests.bidding.helpers import add_experts

    add_experts(pools[0], 4)
    add_experts(pools[1], 3)
    committee = services.draw_committee(project=project, actor=buyer)
    first, second = committee.members.filter(kind=MemberKind.PURCHASER_REP).order_by("seat")
    ensure_user(username="rep1", display_name="采购人代表", role_names=[])
    order = Interleaving()
    original = CommitteeMember.save

    def slow_save(self, *args, **kwargs):  # the "already seated" check is done; the seat is not saved yet
        order.hold()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CommitteeMember, "save", slow_save)
    results = order.run(
        lambda: services.assign_representative(member=first, actor=buyer, name="张三", username="rep1"),
        lambda: services.assign_representative(member=second, actor=buyer, name="张三", username="rep1"),
    )
    assert isinstance(results[0], CommitteeMember)
    assert isinstance(results[1], ValidationFailed) and "已在本评标委员会中占有席位" in results[1].message
    assert CommitteeMember.objects.filter(committee=committee, user__username="rep1").count() == 1


@on_postgresql
@parallel
def test_the_same_bidder_and_the_same_project_sent_twice_at_once_are_refused_not_a_500(
    project, make_project, buyer
):
    results = at_once(
        *[lambda: services.add_bidder(project=project, actor=buyer, name="丁公司", bid_price="85000")] * 3
    )
    assert sum(isinstance(r, Bidder) for r in results) == 1
    assert all(
        isinstance(r, ValidationFailed) and "已登记" in r.message
        for r in results
        if not isinstance(r, Bidder)
    )

    results = at_once(*[lambda: make_project(code="HY-TWICE")] * 3)
    assert sum(isinstance(r, Project) for r in results) == 1
    refused = [r for r in results if not isinstance(r, Project)]
    assert all(isinstance(r, ValidationFailed) and "已存在" in r.message for r in refused), refused


@on_postgresql
@parallel
def test_an_outage_ended_twice_at_once_keeps_one_end_time(drawn, buyer):
    project, committee = drawn
    started = timezone.now() - dt.timedelta(hours=1)
    incident = services.record_incident(
        project=project, actor=buyer, site_id=project.host_site_id, started_at=started, description="断网"
    )
    ends = [started + dt.timedelta(minutes=m) for m in (10, 20, 30)]
    # Each request reads the outage itself, as two browsers would.
    results = at_once(
        *[
            lambda end=end: services.end_incident(
                incident=Incident.objects.get(pk=incident.pk), actor=buyer, ended_at=end
            )
            for end in ends
        ]
    )
    assert sum(isinstance(r, Incident) for r in results) == 1
    winner = next(r for r in results if isinstance(r, Incident))
    assert all(isinstance(r, Conflict) for r in results if r is not winner)
    incident.refresh_from_db()
    assert incident.ended_at == winner.ended_at


@pytest.mark.django_db
def test_the_same_outage_recorded_twice_is_refused_the_second_time(drawn, buyer):
    project, _ = drawn
    started = (timezone.now() - dt.timedelta(minutes=30)).replace(second=0, microsecond=0)
    args = dict(
        project=project, actor=buyer, site_id=project.host_site_id, started_at=started, description="断网"
    )
    services.record_incident(**args)
    with pytest.raises(Conflict, match="请勿重复提交"):
        services.record_incident(**args)
    assert Incident.objects.filter(project=project).count() == 1
    # Another site failing at the same minute is another outage.
    other = project.assist_sites.first()
    services.record_incident(**{**args, "site_id": other.pk})
    assert Incident.objects.filter(project=project).count() == 2


@on_postgresql
@parallel
def test_two_accounts_for_one_expert_at_once_make_one_account(pools, buyer):
    from fazhi.bidding.models import Expert
    from fazhi.core.models import User
    from tests.bidding.helpers import add_experts

    expert = add_experts(pools[0], 1)[0]
    results = at_once(
        *[
            lambda name=name: services.create_expert_account(
                expert=Expert.objects.get(pk=expert.pk), actor=buyer, username=name, password="pass-2026-ok"
            )
            for name in ("zhuanjia_a", "zhuanjia_b")
        ]
    )
    assert sum(isinstance(r, User) for r in results) == 1
    assert all(
        isinstance(r, Conflict) and "已有账号" in r.message for r in results if not isinstance(r, User)
    )
    assert User.objects.filter(username__startswith="zhuanjia_").count() == 1
