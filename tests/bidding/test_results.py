"""Result computation, the report, deadlines in working days, and outages that force a new committee."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document

from fazhi.bidding import services
from fazhi.bidding.models import Status
from fazhi.bidding.report import build_report
from fazhi.bidding.services.incidents import needs_new_committee
from fazhi.bidding.services.results import deadlines, remind_deadlines
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import CalendarDay, Message
from fazhi.core.workdays import add_working_days
from tests.bidding.helpers import archive_all, score_all, sign_all

# Seat-independent subjective points per bidder, so averages are easy to check by hand.
TECH = {"甲科技有限公司": "36", "乙信息股份公司": "30", "丙电子有限公司": "32"}
SERVICE = {"甲科技有限公司": "16", "乙信息股份公司": "18", "丙电子有限公司": "15"}


def subjective(seat, bidder, criterion):
    table = TECH if criterion.name == "技术方案" else SERVICE
    return Decimal(table[bidder.name])


@pytest.fixture
def finished(drawn, buyer):
    project, committee = drawn
    score_all(project, committee, subjective=subjective)
    sign_all(committee)
    result = services.finish_evaluation(project=project, actor=buyer)
    project.refresh_from_db()
    return project, committee, result


@pytest.mark.django_db
def test_totals_add_averages_and_the_price_score_after_the_sme_deduction(finished):
    project, _, result = finished
    by_name = {line.bidder.name: line for line in result.lines}
    # 甲 is small: 100,000 × 90% = 90,000 = 丙's price, so both get 30.00; 乙 gets 90000/95000×30 = 28.42.
    # 甲 36 + 16 + 8 + 30.00 = 90.00; 乙 30 + 18 + 8 + 28.42 = 84.42; 丙 32 + 15 + 8 + 30.00 = 85.00
    assert by_name["甲科技有限公司"].total == Decimal("90.00")
    assert by_name["乙信息股份公司"].total == Decimal("84.42")
    assert by_name["丙电子有限公司"].total == Decimal("85.00")
    assert [(line.rank, line.bidder.name) for line in result.lines] == [
        (1, "甲科技有限公司"),
        (2, "丙电子有限公司"),
        (3, "乙信息股份公司"),
    ]
    assert project.status == Status.EVALUATED and project.evaluation_finished_at


@pytest.mark.django_db
def test_the_evaluation_cannot_finish_before_everyone_signs(drawn, buyer):
    project, committee = drawn
    score_all(project, committee)
    first = committee.members.order_by("seat").first()
    services.sign_sheet(member=first, actor=first.user)
    with pytest.raises(Conflict, match="尚有委员未签名确认评分表：席位2、席位3、席位4、席位5"):
        services.finish_evaluation(project=project, actor=buyer)


@pytest.mark.django_db
def test_the_report_holds_the_committee_scores_price_calculation_and_winners(finished):
    project, committee, result = finished
    project.names_reveal_at = timezone.now() - dt.timedelta(minutes=1)  # names are in it once released
    project.save()
    doc = Document(io.BytesIO(build_report(project)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert f"{project.name} 评标报告" in text
    for m in committee.members.all():
        assert m.expert.name in cells  # committee listed by name
        assert m.sheet.sign_hash in text  # each expert's signature hash
    assert "种子 20260723（复核一致）" in text
    assert "评标基准价为 90,000.00 元" in text
    assert "90,000.00" in cells and "28.42" in cells  # 甲's evaluated price, 乙's price score
    assert "推荐中标候选人（3 名）：第1名 甲科技有限公司、第2名 丙电子有限公司、第3名 乙信息股份公司" in text
    assert "第五十七条" in text
    expert_headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert len(expert_headings) == 5  # one score table per expert
    first = committee.members.get(seat=1)
    assert f"席位 1：{first.expert.name}（{first.site.name}）" in expert_headings


@pytest.mark.django_db
def test_the_report_and_winner_follow_the_deadlines(finished, buyer):
    project, _, result = finished
    d = deadlines(project)
    assert d.report_due == add_working_days(timezone.localtime(project.evaluation_finished_at).date(), 2)
    archive_all(project, buyer)
    services.submit_report(project=project, actor=buyer)
    project.refresh_from_db()
    assert deadlines(project).confirm_due is not None
    loser = result.lines[-1].bidder
    with pytest.raises(ValidationFailed, match="不是排名第一的候选人"):
        services.confirm_winner(project=project, actor=buyer, bidder_id=loser.pk)
    services.confirm_winner(project=project, actor=buyer, bidder_id=result.lines[0].bidder.pk)
    project.refresh_from_db()
    assert project.status == Status.CONFIRMED and project.winner.name == "甲科技有限公司"


@pytest.mark.django_db
def test_deadlines_skip_the_holidays_of_the_platform_calendar(finished):
    project, _, _ = finished
    finished_on = timezone.localtime(project.evaluation_finished_at).date()
    before = deadlines(project).report_due
    CalendarDay.objects.create(
        date=add_working_days(finished_on, 1), kind=CalendarDay.Kind.HOLIDAY, name="测试假日"
    )
    assert deadlines(project).report_due == add_working_days(finished_on, 2) > before


@pytest.mark.django_db
def test_a_late_report_reminds_procurement_staff_once(finished, buyer):
    project, _, _ = finished
    late = deadlines(project).report_due + dt.timedelta(days=1)
    assert remind_deadlines(late) >= 1
    assert remind_deadlines(late) == 0
    assert Message.objects.filter(recipient=buyer, title__contains="评标报告送交期限已逾期").exists()


@pytest.mark.django_db
def test_an_outage_past_four_hours_prompts_a_new_committee_and_keeps_both(drawn, buyer, sites):
    project, committee = drawn
    score_all(project, committee)
    _, jiujiang = sites
    now = timezone.now()
    services.record_incident(
        project=project,
        actor=buyer,
        site_id=jiujiang.pk,
        started_at=now - dt.timedelta(hours=3),
        description="九江副场网络中断",
    )
    assert needs_new_committee(project, now) == []
    assert needs_new_committee(project, now + dt.timedelta(hours=1, minutes=1))
    # It lasted 5 hours in all: begun 5 hours ago (moved back, as if recorded late) and ended now (a recovery
    # time still to come is refused).
    project.incidents.update(started_at=now - dt.timedelta(hours=5))
    incident = project.incidents.get()
    services.end_incident(incident=incident, actor=buyer, ended_at=now)
    assert needs_new_committee(project)  # 5 hours in all
    new = services.reform_committee(project=project, actor=buyer, reason="副场网络中断超过4小时", seed="99")
    committee.refresh_from_db()
    assert not committee.active and committee.superseded_reason == "副场网络中断超过4小时"
    assert new.number == 2 and new.active and new.members.count() == 5
    assert committee.members.filter(sheet__scores__isnull=False).exists()  # the old scores are kept
    assert needs_new_committee(project) == []


@pytest.mark.django_db
def test_incidents_are_validated_and_only_staff_record_them(drawn, buyer, supervisor, sites):
    project, _ = drawn
    other = services.create_site(actor=buyer, name="孝感市公共资源交易中心", region="孝感市")
    with pytest.raises(ValidationFailed, match="主场或副场"):
        services.record_incident(
            project=project, actor=buyer, site_id=other.pk, started_at=timezone.now(), description="停电"
        )
    with pytest.raises(PermissionDenied):
        services.record_incident(
            project=project,
            actor=supervisor,
            site_id=sites[0].pk,
            started_at=timezone.now(),
            description="停电",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [-1, 61, "2", 1.5, True, None])
def test_a_deadline_rule_with_a_bad_working_day_count_is_refused(bad):
    from django.core.exceptions import ValidationError

    from fazhi.bidding.models import Rule

    rule = Rule(
        key="deadlines",
        title="期限",
        source="测试",
        value={"report_working_days": 2, "confirm_working_days": bad},
    )
    with pytest.raises(ValidationError) as err:
        rule.full_clean()
    assert "confirm_working_days" in str(err.value)
    Rule(
        key="deadlines",
        title="期限",
        source="测试",
        value={"report_working_days": 0, "confirm_working_days": 5},
    ).full_clean()
