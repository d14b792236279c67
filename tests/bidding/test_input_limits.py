"""Bad input gets a Chinese message and changes nothing: numbers the columns cannot hold, text longer
than the field, characters that look like digits, impossible dates, times already past."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Bidder, Criterion, Incident, Project, Score
from fazhi.bidding.services.results import compute_result
from fazhi.core.errors import ValidationFailed
from tests.bidding.helpers import score_all


def _form(sites, **kw):
    host, jj = sites
    start = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "code": "LIM-1",
        "name": "边界输入测试项目",
        "purchaser": "汉阳区某局",
        "budget": "2000000",
        "category": "goods",
        "method": "open_tender",
        "evaluation_method": "comprehensive",
        "price_weight": "30",
        "sme_policy": "none",
        "sme_deduction_pct": "0",
        "committee_size": "5",
        "host_site_id": str(host.pk),
        "assist_site_ids": [str(jj.pk)],
        "quotas": f"{host.name} | 信息技术 | 3\n{jj.name} | 信息技术 | 2",
        "criteria": "技术 | 50 | 主观\n资质 | 20 | 客观",
        "evaluation_start": start,
        "names_reveal_at": start,
    }
    form.update(kw)
    return form


# --- amounts and points must fit their columns exactly (finding 2) --------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("0.001", "投标报价“0.001”最多保留 2 位小数。"),
        ("100000000000000000000", "投标报价“100000000000000000000”过大：整数部分最多 14 位。"),
    ],
)
def test_a_bid_price_the_column_cannot_hold_is_refused_and_the_page_keeps_working(
    login, buyer, project, price, message
):
    before = project.bidders.count()
    client = login(buyer)
    r = client.post(f"/bidding/projects/{project.pk}/add-bidder/", {"name": "低价公司", "bid_price": price})
    page = r.content.decode()
    assert r.status_code == 400 and message in page
    assert 'value="低价公司"' in page and f'value="{price}"' in page  # the form keeps what was typed
    assert project.bidders.count() == before
    assert client.get(f"/bidding/projects/{project.pk}/").status_code == 200
    assert client.get(f"/bidding/projects/{project.pk}/report.docx").status_code == 200


@pytest.mark.django_db
def test_a_bid_price_with_two_decimals_is_kept_exactly(buyer, project):
    bidder = services.add_bidder(project=project, actor=buyer, name="丁公司", bid_price="99999.99")
    bidder.refresh_from_db()
    assert bidder.bid_price == Decimal("99999.99")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"budget": "0.001"}, "预算金额“0.001”最多保留 2 位小数。"),
        ({"budget": "1" + "0" * 20}, "预算金额“1" + "0" * 20 + "”过大：整数部分最多 14 位。"),
        (
            {
                "criteria": [
                    {"name": "技术", "max_points": "69.999"},
                    {"name": "服务", "max_points": "0.001"},
                ]
            },
            "评分因素“技术”的分值“69.999”最多保留 2 位小数。",
        ),
        ({"price_weight": "30.001"}, "价格分权重“30.001”最多保留 2 位小数。"),
    ],
)
def test_project_amounts_and_points_that_would_be_rounded_or_overflow_are_refused(
    make_project, overrides, message
):
    with pytest.raises(ValidationFailed) as err:
        make_project(code="LIM-DEC", **overrides)
    assert err.value.message == message
    assert not Project.objects.filter(code="LIM-DEC").exists()
    assert not Criterion.objects.exists()


@pytest.mark.django_db
def test_a_zero_evaluated_price_left_by_old_data_is_reported_on_the_page_instead_of_a_500(
    login, buyer, supervisor, drawn
):
    project, committee = drawn
    score_all(project, committee)
    # What a 0.001 bid used to become once stored: 0.00.
    Bidder.objects.filter(project=project, name="乙信息股份公司").update(bid_price=Decimal("0"))
    result = compute_result(project)
    assert result.problems == [
        "投标人“乙信息股份公司”的评标价格为 0，无法计算价格分。请核对其投标报价，或将其认定为无效投标后重新计算。"
    ]
    assert not result.recommended and not result.complete
    for user in (buyer, supervisor):
        r = login(user).get(f"/bidding/projects/{project.pk}/")
        assert r.status_code == 200 and "无法计算价格分" in r.content.decode()
        assert login(user).get(f"/bidding/projects/{project.pk}/report.docx").status_code == 200
    # The way out the page offers: declare that bid invalid, and the result computes again.
    bidder = Bidder.objects.get(project=project, name="乙信息股份公司")
    r = login(buyer).post(
        f"/bidding/projects/{project.pk}/validity/",
        {"bidder_id": bidder.pk, "valid": "0", "reason": "报价异常"},
    )
    assert r.status_code == 302
    assert "无法计算价格分" not in " ".join(compute_result(project).problems)


# --- things that look like numbers or dates but are not (finding 5) --------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quotas": "武汉市汉阳区公共资源交易中心 | 信息技术 | ²"}, "的人数“²”须为整数。"),
        ({"assist_site_ids": ["²"]}, "所选副场交易中心不存在。"),
        ({"evaluation_start": "2026-02-30T09:00"}, "评标开始时间“2026-02-30T09:00”不是有效的日期时间。"),
        ({"names_reveal_at": "2027-13-01T09:00"}, "专家名单公开时间“2027-13-01T09:00”不是有效的日期时间。"),
    ],
)
def test_odd_numbers_and_impossible_dates_in_the_project_form_get_a_message(
    login, buyer, sites, overrides, message
):
    r = login(buyer).post("/bidding/projects/new/", _form(sites, **overrides))
    page = r.content.decode()
    assert r.status_code == 400 and message in page
    assert 'value="边界输入测试项目"' in page  # what was typed is still there
    assert not Project.objects.filter(code="LIM-1").exists()


@pytest.mark.django_db
def test_an_impossible_incident_date_gets_a_message_and_the_form_keeps_the_input(login, buyer, drawn, sites):
    project, _ = drawn
    r = login(buyer).post(
        f"/bidding/projects/{project.pk}/incident/",
        {"site_id": sites[1].pk, "started_at": "2026-02-30T09:00", "description": "副场网络中断"},
    )
    page = r.content.decode()
    assert r.status_code == 400 and "故障开始时间“2026-02-30T09:00”不是有效的日期时间。" in page
    assert 'value="副场网络中断"' in page and 'value="2026-02-30T09:00"' in page
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_bidder_id_that_is_not_a_number_asks_to_choose_a_bidder(login, buyer, project):
    r = login(buyer).post(f"/bidding/projects/{project.pk}/winner/", {"bidder_id": "甲"})
    page = r.content.decode()
    assert "请从推荐的中标候选人中选择中标人。" in page and "须为整数" not in page
    project.refresh_from_db()
    assert project.winner is None


# --- past times and over-long text (finding 10) -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["evaluation_start", "names_reveal_at"])
def test_a_new_project_cannot_start_or_reveal_names_in_the_past(login, buyer, sites, field):
    label = "评标开始时间" if field == "evaluation_start" else "专家名单公开时间"
    r = login(buyer).post("/bidding/projects/new/", _form(sites, **{field: "2020-01-01T00:00"}))
    page = r.content.decode()
    assert r.status_code == 400
    assert f"{label} 2020-01-01 00:00 已经过去，新建项目的{label}不能早于当前时间。" in page
    assert not Project.objects.filter(code="LIM-1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "项" * 301}, "项目名称不能超过 300 个字（当前 301 个字）。"),
        ({"code": "C" * 61}, "项目编号不能超过 60 个字（当前 61 个字）。"),
        ({"purchaser": "局" * 201}, "采购人不能超过 200 个字（当前 201 个字）。"),
        ({"criteria": [{"name": "技" * 201, "max_points": "70"}]}, "第 1 个评分因素的名称不能超过 200 个字"),
    ],
)
def test_project_text_longer_than_its_field_is_refused(make_project, overrides, message):
    with pytest.raises(ValidationFailed, match=re.escape(message)):
        make_project(**overrides)
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_bidder_name_longer_than_its_field_is_refused(login, buyer, project):
    before = project.bidders.count()
    r = login(buyer).post(
        f"/bidding/projects/{project.pk}/add-bidder/", {"name": "公" * 201, "bid_price": "100"}
    )
    assert r.status_code == 400 and "投标人名称不能超过 200 个字（当前 201 个字）。" in r.content.decode()
    assert project.bidders.count() == before


@pytest.mark.django_db
def test_an_over_long_score_reason_is_refused_rather_than_cut(drawn):
    project, committee = drawn
    member = committee.members.order_by("seat").first()
    bidder = project.bidders.order_by("pk").first()
    criterion = project.criteria.get(name="技术方案")
    with pytest.raises(ValidationFailed, match="评分理由不能超过 500 个字"):
        services.save_scores(
            member=member,
            actor=member.user,
            entries=[
                {"bidder_id": bidder.pk, "criterion_id": criterion.pk, "points": "30", "reason": "理" * 501}
            ],
        )
    assert not Score.objects.filter(sheet__member=member).exists()


@pytest.mark.django_db
def test_pool_site_and_expert_text_longer_than_its_field_is_refused(buyer, sites, pools):
    from fazhi.bidding.models import Expert, ExpertPool, Site
    from fazhi.bidding.services.pools import add_expert, create_pool, create_site
    from tests.bidding.helpers import make_id

    with pytest.raises(ValidationFailed, match="交易中心名称不能超过"):
        create_site(actor=buyer, name="中" * 400, region="武汉市")
    with pytest.raises(ValidationFailed, match="专家库名称不能超过"):
        create_pool(actor=buyer, name="库" * 400, region="武汉市", site=sites[0])
    with pytest.raises(ValidationFailed, match="工作单位不能超过 200 个字（当前 400 个字）"):
        add_expert(
            pool=pools[0],
            actor=buyer,
            name="王某",
            id_number=make_id(),
            specialties=["信息技术"],
            employer="单" * 400,
        )
    with pytest.raises(ValidationFailed, match="申报关系的单位名称不能超过"):
        add_expert(
            pool=pools[0],
            actor=buyer,
            name="李某",
            id_number=make_id(),
            specialties=["信息技术"],
            relations=[("公" * 400, "other")],
        )
    assert not Site.objects.filter(name__startswith="中中").exists()
    assert not ExpertPool.objects.filter(name__startswith="库库").exists()
    assert not Expert.objects.filter(name__in=["王某", "李某"]).exists()
