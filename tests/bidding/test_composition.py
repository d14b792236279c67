"""Committee composition by procurement method (87号令第四十七条, 74号令第七条, 214号第十四条) and the other
project rules, at their boundaries."""

import json
from decimal import Decimal

import pytest

from fazhi.bidding.models import Rule
from fazhi.bidding.rules import ensure_rules
from fazhi.bidding.services.project_rules import committee_problems, min_committee_size
from fazhi.core.errors import PermissionDenied, ValidationFailed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("budget", "minimum"),
    [("9999999.99", 5), ("10000000", 7), ("10000000.01", 7), ("500000", 5)],
)
def test_the_minimum_committee_size_turns_seven_at_ten_million_yuan(budget, minimum):
    for method in ("open_tender", "invited_tender"):
        assert min_committee_size(method=method, category="goods", budget=Decimal(budget)) == minimum


@pytest.mark.django_db
def test_a_five_member_committee_is_refused_at_exactly_ten_million(make_project, sites):
    host, jj = sites
    with pytest.raises(ValidationFailed, match="不少于 7 人（当前 5 人）.*第四十七条"):
        make_project(budget="10000000")


@pytest.mark.django_db
def test_a_five_member_committee_is_fine_just_below_ten_million(make_project):
    project = make_project(budget="9999999.99")
    assert project.committee_size == 5


@pytest.mark.django_db
def test_a_seven_member_committee_is_accepted_at_ten_million(make_project, sites):
    host, jj = sites
    project = make_project(
        budget="10000000",
        committee_size=7,
        quotas=[
            {"site_id": host.pk, "specialty": "信息技术", "count": 4},
            {"site_id": jj.pk, "specialty": "信息技术", "count": 3},
        ],
    )
    assert project.expert_count == 7


@pytest.mark.django_db
def test_even_sizes_and_too_few_experts_are_refused():
    def tender(budget, size, experts):
        return committee_problems(
            method="open_tender", category="goods", budget=Decimal(budget), size=size, experts=experts
        )

    assert any("单数" in p for p in tender(1, 6, 6))
    # 5 members with 3 experts: 3/5 < 2/3
    assert any("2/3" in p for p in tender(1, 5, 3))
    # 5 members with 4 experts is enough (4/5 ≥ 2/3); 7 with 5 too (5/7 ≥ 2/3), 7 with 4 is not
    assert tender(1, 5, 4) == []
    assert tender(20_000_000, 7, 5) == []
    assert tender(20_000_000, 7, 4)


@pytest.mark.django_db
def test_the_committee_rule_is_data_an_admin_can_correct(make_project):
    ensure_rules()
    row = Rule.objects.get(key="committee_size")
    row.value = {**row.value, "open_tender": {**row.value["open_tender"], "large_budget": 5000000}}
    row.full_clean()
    row.save()
    with pytest.raises(ValidationFailed, match="不少于 7 人"):
        make_project(budget="6000000")


@pytest.mark.django_db
def test_price_weight_below_the_goods_minimum_is_refused(make_project):
    with pytest.raises(ValidationFailed, match="货物项目的价格分权重不得低于 30%.*第五十五条"):
        make_project(
            price_weight="25",
            criteria=[{"name": "技术", "max_points": "75", "objective": False}],
        )


@pytest.mark.django_db
def test_services_may_have_a_ten_percent_price_weight(make_project):
    project = make_project(
        category="services",
        price_weight="10",
        criteria=[{"name": "服务方案", "max_points": "90", "objective": False}],
    )
    assert project.price_weight == Decimal("10")


@pytest.mark.django_db
def test_points_must_add_up_to_one_hundred(make_project):
    with pytest.raises(ValidationFailed, match="应为 100 分"):
        make_project(criteria=[{"name": "技术", "max_points": "60", "objective": False}])


@pytest.mark.django_db
def test_an_sme_deduction_outside_ten_to_twenty_percent_is_refused(make_project):
    with pytest.raises(ValidationFailed, match="10%—20%"):
        make_project(sme_deduction_pct="6")


@pytest.mark.django_db
def test_quotas_must_cover_every_expert_and_every_site(make_project, sites):
    host, jj = sites
    with pytest.raises(ValidationFailed, match="应等于评审专家人数 5 人"):
        make_project(quotas=[{"site_id": host.pk, "specialty": "信息技术", "count": 3}])
    with pytest.raises(ValidationFailed, match="没有配额"):
        make_project(quotas=[{"site_id": host.pk, "specialty": "信息技术", "count": 5}])


@pytest.mark.django_db
def test_only_procurement_staff_create_projects(make_project, outsider, supervisor):
    for user in (outsider, supervisor):
        with pytest.raises(PermissionDenied):
            make_project(actor=user)


# --- 非招标方式: 竞争性谈判、询价 (74号令第七条), 竞争性磋商 (214号第十四条) ----------------------------------


def _three(sites):
    host, jj = sites
    return [
        {"site_id": host.pk, "specialty": "信息技术", "count": 2},
        {"site_id": jj.pk, "specialty": "信息技术", "count": 1},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["inquiry", "competitive_negotiation"])
def test_a_three_member_inquiry_or_negotiation_panel_is_lawful_below_the_threshold(
    make_project, sites, method
):
    project = make_project(
        method=method,
        evaluation_method="lowest_price",
        criteria=[],
        budget="3999999.99",
        committee_size=3,
        quotas=_three(sites),
    )
    assert project.committee_size == 3


@pytest.mark.django_db
def test_a_three_member_consultation_panel_is_lawful_whatever_the_budget(make_project, sites):
    project = make_project(
        method="competitive_consultation", budget="20000000", committee_size=3, quotas=_three(sites)
    )
    assert project.committee_size == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "panel"), [("inquiry", "询价小组"), ("competitive_negotiation", "竞争性谈判小组")]
)
def test_at_the_public_tender_threshold_inquiry_and_negotiation_need_five(make_project, sites, method, panel):
    with pytest.raises(
        ValidationFailed, match=f"达到 4,000,000 元，{panel}应不少于 5 人（当前 3 人）.*第74号.*第七条"
    ):
        make_project(
            method=method,
            evaluation_method="lowest_price",
            criteria=[],
            budget="4000000",
            committee_size=3,
            quotas=_three(sites),
        )


@pytest.mark.django_db
def test_the_non_tender_methods_keep_the_odd_size_and_the_expert_share(make_project, sites):
    def problems(method, size, experts):
        return committee_problems(
            method=method, category="services", budget=Decimal(100000), size=size, experts=experts
        )

    assert any("单数" in p and "第十四条" in p for p in problems("competitive_consultation", 4, 4))
    # 3 members with 1 expert: 1/3 < 2/3; with 2 experts: exactly 2/3
    assert any("2/3" in p and "第七条" in p for p in problems("inquiry", 3, 1))
    assert problems("inquiry", 3, 2) == []
    assert any("不少于 3 人" in p for p in problems("competitive_consultation", 1, 1))


@pytest.mark.django_db
def test_a_three_member_tender_committee_is_still_refused(make_project, sites):
    with pytest.raises(ValidationFailed, match="评标委员会应不少于 5 人（当前 3 人）.*第四十七条"):
        make_project(committee_size=3, quotas=_three(sites))


@pytest.mark.django_db
def test_the_public_tender_threshold_is_an_amount_an_admin_corrects(make_project, sites):
    ensure_rules()
    row = Rule.objects.get(key="committee_size")
    inquiry = {**row.value["inquiry"], "large_budget": {"goods": 2000000, "services": 2000000, "works": None}}
    row.value = {**row.value, "inquiry": inquiry}
    row.full_clean()
    row.save()
    kw = dict(
        method="inquiry",
        evaluation_method="lowest_price",
        criteria=[],
        committee_size=3,
        quotas=_three(sites),
    )
    with pytest.raises(ValidationFailed, match="达到 2,000,000 元"):
        make_project(budget="2500000", **kw)
    assert make_project(budget="2500000", category="works", sme_policy="none", sme_deduction_pct="0", **kw)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    [
        {"min_size": 5, "odd": True, "large_budget": 10000000, "large_min_size": 7, "expert_share": [2, 3]},
        "five",
    ],
)
def test_a_committee_rule_without_an_entry_per_method_is_refused_in_the_admin(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="按采购方式各设一项"):
        Rule(key="committee_size", title="人数", source="测试", value=value).full_clean()


@pytest.mark.django_db
def test_a_large_budget_without_its_larger_size_is_refused_in_the_admin():
    from django.core.exceptions import ValidationError

    from fazhi.bidding.rules import defaults

    value = defaults()["committee_size"]["value"]
    broken = {**value, "inquiry": {k: v for k, v in value["inquiry"].items() if k != "large_min_size"}}
    with pytest.raises(ValidationError, match="large_min_size"):
        Rule(key="committee_size", title="人数", source="测试", value=broken).full_clean()


# --- 评标方法与价格分权重按采购方式 ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["inquiry", "competitive_negotiation"])
def test_inquiry_and_negotiation_may_not_score_by_points(make_project, method):
    with pytest.raises(ValidationFailed, match="应采用最低评标价法，不能采用综合评分法.*第74号"):
        make_project(method=method)


@pytest.mark.django_db
def test_consultation_must_score_by_points(make_project):
    with pytest.raises(ValidationFailed, match="竞争性磋商项目应采用综合评分法.*214号"):
        make_project(method="competitive_consultation", evaluation_method="lowest_price", criteria=[])


@pytest.mark.django_db
def test_a_tender_may_use_either_evaluation_method(make_project):
    assert make_project(evaluation_method="lowest_price", criteria=[]).price_weight == 100
    assert make_project().price_weight == 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "weight", "ok"),
    [("goods", "60", True), ("goods", "60.01", False), ("services", "30", True), ("services", "31", False)],
)
def test_consultation_caps_the_price_weight(make_project, category, weight, ok):
    criteria = [{"name": "方案", "max_points": str(100 - Decimal(weight)), "objective": False}]
    kw = dict(method="competitive_consultation", category=category, price_weight=weight, criteria=criteria)
    if ok:
        assert make_project(**kw).price_weight == Decimal(weight)
    else:
        with pytest.raises(ValidationFailed, match="价格分权重不得高于.*214号.*第二十四条"):
            make_project(**kw)


@pytest.mark.django_db
def test_a_tender_has_no_ceiling_on_the_price_weight(make_project):
    # 87号令第五十五条 sets only the floors (30% goods, 10% services)
    project = make_project(
        price_weight="70", criteria=[{"name": "方案", "max_points": "30", "objective": False}]
    )
    assert project.price_weight == Decimal("70")


@pytest.mark.django_db
def test_the_migration_keeps_an_installed_tender_rule_and_adds_the_other_methods(make_project, sites):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("fazhi.bidding.migrations.0008_committee_size_by_method")
    # A database installed before the change, whose administrator lowered the 1000万元 line.
    old = {"min_size": 5, "odd": True, "large_budget": 8000000, "large_min_size": 7, "expert_share": [2, 3]}
    Rule.objects.create(key="committee_size", title="评标委员会人数", value=old, source=migration.OLD_SOURCE)
    migration.forwards(apps, None)
    row = Rule.objects.get(key="committee_size")
    row.full_clean()
    assert row.value["open_tender"]["large_budget"] == 8000000
    assert row.value["invited_tender"]["large_budget"] == 8000000
    assert row.value["inquiry"]["min_size"] == 3 and "第74号" in row.value["inquiry"]["basis"]
    assert "214号" in row.source
    assert make_project(method="competitive_consultation", committee_size=3, quotas=_three(sites))
    with pytest.raises(ValidationFailed, match="不少于 7 人"):
        make_project(budget="9000000")
    migration.backwards(apps, None)
    assert Rule.objects.get(key="committee_size").value == old


@pytest.mark.django_db
def test_the_consultation_measures_are_cited_by_their_title():
    """财库〔2014〕214号 is 《政府采购竞争性磋商采购方式管理暂行办法》; stored rules get the title corrected."""
    import importlib

    from django.apps import apps

    from fazhi.bidding import rules

    shipped = json.dumps(rules.defaults(), ensure_ascii=False)
    assert "《政府采购竞争性磋商采购方式管理办法》" not in shipped
    assert shipped.count("《政府采购竞争性磋商采购方式管理暂行办法》") == 2
    migration = importlib.import_module("fazhi.bidding.migrations.0013_consultation_rules_title")
    Rule.objects.all().delete()
    basis = "财库〔2014〕214号《政府采购竞争性磋商采购方式管理办法》第二十四条"
    Rule.objects.create(key="price_weight_max", title="价格分最高权重", value={"basis": basis}, source=basis)
    Rule.objects.create(key="other", title="其他", value={"x": 1}, source="财政部令第87号第五十五条")
    migration.forwards(apps, None)
    row = Rule.objects.get(key="price_weight_max")
    fixed = "财库〔2014〕214号《政府采购竞争性磋商采购方式管理暂行办法》第二十四条"
    assert (row.value, row.source) == ({"basis": fixed}, fixed)
    assert Rule.objects.get(key="other").source == "财政部令第87号第五十五条"
    migration.backwards(apps, None)
    assert Rule.objects.get(key="price_weight_max").source == basis
