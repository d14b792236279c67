"""Committee composition (87号令第四十七条) and the other project rules, at their boundaries."""

from decimal import Decimal

import pytest

from fazhi.bidding.models import Rule
from fazhi.bidding.rules import ensure_rules
from fazhi.bidding.services.projects import committee_problems, min_committee_size
from fazhi.core.errors import PermissionDenied, ValidationFailed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("budget", "minimum"),
    [("9999999.99", 5), ("10000000", 7), ("10000000.01", 7), ("500000", 5)],
)
def test_the_minimum_committee_size_turns_seven_at_ten_million_yuan(budget, minimum):
    assert min_committee_size(Decimal(budget)) == minimum


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
    assert any("单数" in p for p in committee_problems(budget=Decimal(1), size=6, experts=6))
    # 5 members with 3 experts: 3/5 < 2/3
    assert any("2/3" in p for p in committee_problems(budget=Decimal(1), size=5, experts=3))
    # 5 members with 4 experts is enough (4/5 ≥ 2/3); 7 with 5 too (5/7 ≥ 2/3), 7 with 4 is not
    assert committee_problems(budget=Decimal(1), size=5, experts=4) == []
    assert committee_problems(budget=Decimal(20_000_000), size=7, experts=5) == []
    assert committee_problems(budget=Decimal(20_000_000), size=7, experts=4)


@pytest.mark.django_db
def test_the_committee_rule_is_data_an_admin_can_correct(make_project):
    ensure_rules()
    row = Rule.objects.get(key="committee_size")
    row.value = {**row.value, "large_budget": 5000000}
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
