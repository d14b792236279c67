"""实施条例第九条: a job, board seat or control that ended more than three years ago no longer requires 回避;
kin never lapse; the end date is read from the import sheet and refused when it cannot be right."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Draw, Expert, ExpertPool, ExpertRelation, Rule, Site
from fazhi.bidding.services.conflicts import Party, conflict_cutoff, conflict_reasons
from fazhi.bidding.services.pools import import_experts
from tests.bidding.helpers import add_experts, make_id
from tests.bidding.test_documents_experts import sheet, upload

NON_TENDER = "competitive_consultation"
BIDDER = Party("甲科技有限公司", "")


def _expert() -> Expert:
    site = Site.objects.create(name="孝感市公共资源交易中心", region="孝感市")
    pool = ExpertPool.objects.create(name="孝感市评标专家库", region="孝感市", site=site)
    return Expert.objects.create(pool=pool, name="王某", id_number=make_id(), specialties=["工程造价"])


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + dt.timedelta(days=days)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ground", "ended_on", "conflicted"),
    [
        ("employment", None, True),  # still employed
        ("employment", "within", True),  # left less than three years ago
        ("employment", "on_cutoff", True),  # exactly three years ago still counts
        ("employment", "before", False),  # left more than three years ago
        ("director", "before", False),
        ("controller", "before", False),
        ("director", "within", True),
        ("family", "before", True),  # kin do not lapse
        ("other", "before", True),
    ],
)
def test_which_ended_relations_still_count(ground, ended_on, conflicted):
    day = {
        None: None,
        "within": _years_ago(3, days=1),
        "on_cutoff": _years_ago(3),
        "before": _years_ago(3, days=-1),
    }[ended_on]
    expert = _expert()
    ExpertRelation.objects.create(expert=expert, organisation="甲科技有限公司", ground=ground, ended_on=day)
    assert bool(conflict_reasons(expert, [BIDDER])) is conflicted


@pytest.mark.django_db
def test_the_window_is_an_admin_rule():
    expert = _expert()
    ExpertRelation.objects.create(
        expert=expert, organisation="甲科技有限公司", ground="employment", ended_on=_years_ago(4)
    )
    assert not conflict_reasons(expert, [BIDDER])
    Rule.objects.create(
        key="conflict_window", title="回避情形的追溯期限（年）", value={"years": 5}, source="地方规定"
    )
    assert conflict_cutoff(timezone.localdate()) == _years_ago(5)
    assert conflict_reasons(expert, [BIDDER])
    bad = Rule(key="conflict_window", title="x", value={"years": 0}, source="x")
    with pytest.raises(Exception, match="1 至 10"):
        bad.clean()


@pytest.mark.django_db
def test_the_draw_takes_an_expert_whose_job_with_a_bidder_ended_long_ago(make_project, pools, buyer):
    host_pool, jj_pool = pools
    add_experts(host_pool, 3)
    add_experts(jj_pool, 2)
    former = add_experts(host_pool, 1)[0]
    recent = add_experts(host_pool, 1)[0]
    ExpertRelation.objects.create(
        expert=former, organisation="甲科技有限公司", ground="employment", ended_on=_years_ago(5)
    )
    ExpertRelation.objects.create(
        expert=recent, organisation="甲科技有限公司", ground="employment", ended_on=_years_ago(1)
    )
    project = make_project(method=NON_TENDER)
    services.add_bidder(project=project, actor=buyer, name="甲科技有限公司", bid_price="100")
    committee = services.draw_committee(project=project, actor=buyer)
    excluded = Draw.objects.get(committee=committee).excluded
    assert str(recent.pk) in excluded and "劳动关系" in excluded[str(recent.pk)]
    assert str(former.pk) not in excluded


@pytest.mark.django_db
def test_the_import_reads_the_end_date(buyer, pools):
    number = make_id()
    result = import_experts(
        pool=pools[0],
        actor=buyer,
        upload=upload(
            sheet([["张三", number, "信息技术", "丙单位", "", "甲公司:劳动关系:2021-06-30；乙公司:近亲属"]])
        ),
    )
    assert result.created == 1
    expert = Expert.objects.get(id_number=number)
    assert sorted(expert.relations.values_list("organisation", "ground", "ended_on")) == [
        ("乙公司", "family", None),
        ("甲公司", "employment", dt.date(2021, 6, 30)),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("甲公司:劳动关系:去年", "无法识别，请写成 年-月-日"),
        ("甲公司:劳动关系:2021-02-30", "无法识别"),
        ("甲公司:劳动关系:2999-01-01", "晚于今天"),
        ("甲公司:近亲属:2021-06-30", "只有劳动关系、董事监事、控股股东（实际控制人）可填写终止日期"),
    ],
)
def test_a_bad_end_date_is_a_row_error_and_nothing_is_imported(buyer, pools, cell, message):
    result = import_experts(
        pool=pools[0], actor=buyer, upload=upload(sheet([["张三", make_id(), "信息技术", "", "", cell]]))
    )
    assert [row for row, _ in result.errors] == [2]
    assert message in result.errors[0][1]
    assert result.created == 0 and not Expert.objects.exists()


@pytest.mark.django_db
def test_the_pool_page_shows_the_end_date(buyer, pools, login):
    expert = add_experts(pools[0], 1)[0]
    ExpertRelation.objects.create(
        expert=expert, organisation="甲公司", ground="employment", ended_on=dt.date(2021, 6, 30)
    )
    page = login(buyer).get(f"/bidding/pools/{pools[0].pk}/").content.decode()
    assert "甲公司（劳动关系，2021-06-30 终止）" in page
