"""Scoring and signing: objective items must match, outliers need a reason, signed sheets are tamper-evident."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.bidding import services
from fazhi.bidding.models import Score, ScoreSheet
from fazhi.bidding.services.scoring import check_sheet, is_outlier, sign_sheet, verify_sheets
from fazhi.core import audit
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent
from tests.bidding.helpers import score_all, sign_all


@pytest.mark.django_db
def test_an_objective_item_that_differs_between_experts_blocks_signing(drawn):
    project, committee = drawn
    score_all(project, committee)
    odd = committee.members.order_by("seat").last()
    bidder = project.bidders.first()
    cert = project.criteria.get(objective=True)
    services.save_scores(
        member=odd, actor=odd.user, entries=[{"bidder_id": bidder.pk, "criterion_id": cert.pk, "points": "6"}]
    )
    first = committee.members.order_by("seat").first()
    with pytest.raises(ValidationFailed, match="客观分“甲科技有限公司·资质证书”各专家不一致（.*席位5：6.00"):
        sign_sheet(member=first, actor=first.user)
    assert not ScoreSheet.objects.filter(signed_at__isnull=False).exists()
    # Once the expert corrects the objective score, everyone can sign.
    services.save_scores(
        member=odd, actor=odd.user, entries=[{"bidder_id": bidder.pk, "criterion_id": cert.pk, "points": "8"}]
    )
    sign_all(committee)
    assert ScoreSheet.objects.filter(signed_at__isnull=False).count() == 5


@pytest.mark.django_db
def test_signing_waits_until_every_expert_has_entered_the_objective_items(drawn):
    project, committee = drawn
    first = committee.members.order_by("seat").first()
    entries = [
        {"bidder_id": b.pk, "criterion_id": c.pk, "points": "5"}
        for b in project.bidders.all()
        for c in project.criteria.all()
    ]
    services.save_scores(member=first, actor=first.user, entries=entries)
    with pytest.raises(ValidationFailed, match="尚未录入，暂不能核对"):
        sign_sheet(member=first, actor=first.user)


@pytest.mark.django_db
def test_a_far_off_subjective_score_needs_a_written_reason(drawn):
    project, committee = drawn
    # Seat 5 gives 10 where everyone else gives 32–34 of 40 on 技术方案.
    spread = {1: "32", 2: "33", 3: "34", 4: "33"}

    def subjective(seat, bidder, criterion):
        if criterion.name == "技术方案":
            return Decimal(spread.get(seat, "10"))
        return criterion.max_points * Decimal("0.8")

    score_all(project, committee, subjective=subjective)
    last = committee.members.get(seat=5)
    check = check_sheet(last)
    assert len(check.outliers) == 3  # one per bidder
    with pytest.raises(ValidationFailed, match="明显偏离其他专家（平均 33.00），须填写评分理由"):
        sign_sheet(member=last, actor=last.user)
    tech = project.criteria.get(name="技术方案")
    services.save_scores(
        member=last,
        actor=last.user,
        entries=[
            {
                "bidder_id": b.pk,
                "criterion_id": tech.pk,
                "points": "10",
                "reason": "技术方案未响应核心参数第3、5项",
            }
            for b in project.bidders.all()
        ],
    )
    assert sign_sheet(member=last, actor=last.user).signed


def test_the_outlier_rule_needs_both_k_deviations_and_a_real_gap(db):
    others = [Decimal(x) for x in ("30", "31", "32", "31")]
    assert is_outlier(Decimal("12"), others, Decimal("40"))
    assert not is_outlier(Decimal("29"), others, Decimal("40"))  # within 20% of the points
    assert not is_outlier(Decimal("12"), others[:2], Decimal("40"))  # too few others to judge


@pytest.mark.django_db
def test_scores_are_checked_against_the_criterion_points(drawn):
    project, committee = drawn
    m = committee.members.first()
    c = project.criteria.get(name="售后服务")
    b = project.bidders.first()
    with pytest.raises(ValidationFailed, match="超出范围（0—20.00 分）"):
        services.save_scores(
            member=m, actor=m.user, entries=[{"bidder_id": b.pk, "criterion_id": c.pk, "points": "21"}]
        )
    with pytest.raises(ValidationFailed, match="不是有效的数字"):
        services.save_scores(
            member=m, actor=m.user, entries=[{"bidder_id": b.pk, "criterion_id": c.pk, "points": "很好"}]
        )
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_nobody_can_fill_in_someone_elses_sheet(drawn, buyer):
    project, committee = drawn
    a, b = committee.members.order_by("seat")[:2]
    with pytest.raises(PermissionDenied):
        services.save_scores(member=a, actor=b.user, entries=[])
    with pytest.raises(PermissionDenied):
        services.save_scores(member=a, actor=buyer, entries=[])


@pytest.mark.django_db
def test_signing_records_the_hash_in_the_audit_chain_and_freezes_the_sheet(drawn):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    sheet = ScoreSheet.objects.select_related("member").order_by("pk").first()
    event = AuditEvent.objects.get(seq=sheet.audit_seq)
    assert event.action == "sign" and event.after["sha256"] == sheet.sign_hash
    assert event.after["account"] == sheet.member.user.username and event.after["site"] == sheet.site.name
    assert len(sheet.sign_hash) == 64
    assert all(v.ok for v in verify_sheets(project))
    m = sheet.member
    with pytest.raises(Conflict, match="已签名确认，不能再修改"):
        services.save_scores(
            member=m,
            actor=m.user,
            entries=[
                {
                    "bidder_id": project.bidders.first().pk,
                    "criterion_id": project.criteria.first().pk,
                    "points": "1",
                }
            ],
        )


@pytest.mark.django_db
def test_a_signed_score_changed_in_the_database_is_detected(drawn):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    call_command("verify_scoresheets")
    victim = Score.objects.filter(criterion__name="技术方案").order_by("pk").first()
    # Someone edits the table directly, bypassing the services and the audit signals.
    Score.objects.filter(pk=victim.pk).update(points=Decimal("39"))
    results = verify_sheets(project)
    broken = [v for v in results if not v.ok]
    assert len(broken) == 1 and broken[0].sheet.pk == victim.sheet_id
    assert "签名后的评分内容已被改动" in broken[0].reason
    assert audit.verify_chain().ok  # the general chain is intact: only the sheet check catches it
    with pytest.raises(CommandError, match="签名后的评分内容已被改动"):
        call_command("verify_scoresheets")


@pytest.mark.django_db
def test_rewriting_the_stored_hash_too_is_still_detected(drawn):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    sheet = ScoreSheet.objects.order_by("pk").first()
    ScoreSheet.objects.filter(pk=sheet.pk).update(sign_hash="0" * 64)
    assert "签名记录被改动" in verify_sheets(project)[0].reason
