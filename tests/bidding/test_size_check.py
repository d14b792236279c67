"""规模核验: a bidder's claimed size (中小企业声明函) checked against the 工信部联企业〔2011〕300号 table for the
industry the project names (采购标的所属行业, 财库〔2020〕46号); a claim its own figures do not support earns no
small/micro price deduction while the rule sme_size_check is on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.bidding import services
from fazhi.bidding.models import Bidder, Project, Rule
from fazhi.bidding.report import build_report
from fazhi.bidding.services.sizing_check import size_check
from fazhi.core.docx_text import lines
from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.policies import sizing
from fazhi.policies.models import SizeThreshold
from tests.bidding.helpers import set_rule

D = Decimal


def medium_floor() -> tuple[int, int]:
    """The software industry's 中型 floor in force (employees, revenue in 万元): 100 and 1000 as shipped."""
    floor = sizing.in_force()["software"].medium
    return int(floor["employees"]), int(floor["revenue"])


@pytest.fixture
def software(make_project):
    """A goods tender deducting 10% for small/micro firms, its item in 软件和信息技术服务业."""
    return make_project(sme_industry="software")


def bid(project, buyer, name, price="100000", **kw):
    return services.add_bidder(project=project, actor=buyer, name=name, bid_price=price, **kw)


def small(project, buyer, name, employees, revenue="500", price="100000"):
    """A bidder whose 声明函 claims 小型企业 with these figures."""
    return bid(
        project,
        buyer,
        name,
        price,
        sme_declaration=True,
        sme_size="small",
        declared_employees=employees,
        declared_revenue=revenue,
    )


# --- the industry of the project ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_project_takes_an_industry_of_the_table_and_refuses_an_unknown_one(make_project):
    assert make_project(sme_industry="software").sme_industry == "software"
    assert make_project().sme_industry == ""
    with pytest.raises(ValidationFailed, match="未知的行业“xxx”，请从列表中选择。"):
        make_project(code="BAD-IND", sme_industry="xxx")
    assert not Project.objects.filter(code="BAD-IND").exists()


# --- the figures of the 声明函 -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"declared_employees": "-1", "declared_revenue": "500"}, "从业人员（人）不能为负数"),
        ({"declared_employees": "50", "declared_revenue": "-0.01"}, "营业收入（万元）不能为负数"),
        ({"declared_employees": "50.5", "declared_revenue": "500"}, "从业人员（人）“50.5”须为整数"),
        ({"declared_employees": "50", "declared_revenue": "五百"}, "营业收入（万元）“五百”不是有效的数字"),
        ({"declared_employees": "50", "declared_revenue": "500.001"}, "最多保留 2 位小数"),
        ({"declared_employees": "50", "declared_revenue": "500", "declared_assets": "-3"}, "资产总额"),
        ({}, "所属行业为“软件和信息技术服务业”.*须填写声明函中的从业人员（人）、营业收入（万元）"),
        ({"declared_employees": "50"}, "须填写声明函中的营业收入（万元），"),
    ],
)
def test_bad_or_missing_figures_are_refused_and_nothing_is_stored(software, buyer, kw, message):
    with pytest.raises(ValidationFailed, match=message):
        bid(software, buyer, "某公司", sme_declaration=True, sme_size="small", **kw)
    assert not Bidder.objects.filter(project=software).exists()


@pytest.mark.django_db
def test_figures_come_only_with_a_declaration(software, make_project, buyer):
    for project in (software, make_project()):
        with pytest.raises(ValidationFailed, match="未提交中小企业声明函的，不填写从业人员"):
            bid(project, buyer, "某公司", declared_employees="50", declared_revenue="500")
    assert not Bidder.objects.exists()


@pytest.mark.django_db
def test_the_figures_are_stored_and_a_declaration_without_a_size_needs_none(software, buyer):
    b = small(software, buyer, "甲", "50", "500.5")
    assert (b.declared_employees, b.declared_revenue, b.declared_assets) == (50, D("500.5"), None)
    # A 声明函 that claims no size has nothing to check: its figures are optional.
    assert bid(software, buyer, "乙", sme_declaration=True).declared_employees is None


@pytest.mark.django_db
def test_outsiders_and_supervisors_cannot_register_figures(software, outsider, supervisor):
    for user in (outsider, supervisor):
        with pytest.raises(PermissionDenied):
            small(software, user, "某公司", "50")
    assert not Bidder.objects.exists()


# --- the check ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_check_sizes_the_figures_at_the_medium_floor_in_force(software, buyer):
    employees, revenue = medium_floor()
    at_floor = size_check(software, small(software, buyer, "甲", employees, revenue))
    assert (at_floor.computed, at_floor.supported, at_floor.label) == ("中型企业", False, "不符")
    assert at_floor.steps[0].startswith("行业：软件和信息技术服务业（依据工信部联企业〔2011〕300号")
    assert "为中型企业" in at_floor.steps[-2]
    assert at_floor.steps[-1] == "声明函声明为小型企业，与划型结果（中型企业）不符。"
    below = size_check(software, small(software, buyer, "乙", employees - 1, revenue))
    assert (below.computed, below.supported, below.label) == ("小型企业", True, "相符")
    assert below.as_dict() == {"computed": "小型企业", "supported": True, "steps": below.steps}


@pytest.mark.django_db
def test_the_check_follows_a_threshold_the_administrator_corrected(software, buyer):
    row = SizeThreshold.objects.get(industry="software", band="medium")
    row.employees = 120
    row.save()
    assert size_check(software, small(software, buyer, "甲", 100, 1000)).supported is True


@pytest.mark.django_db
def test_nothing_is_checked_without_an_industry_or_a_claimed_size(make_project, software, buyer):
    plain = make_project()
    b = bid(plain, buyer, "甲", sme_declaration=True, sme_size="small", declared_employees="500")
    assert size_check(plain, b).as_dict() == {"computed": "", "supported": None, "steps": []}
    assert size_check(software, bid(software, buyer, "乙")).label == ""


# --- the price deduction -----------------------------------------------------------------------------


def deduction(project, name):
    return next(line.price for line in services.compute_result(project).lines if line.bidder.name == name)


@pytest.mark.django_db
def test_a_claim_the_figures_do_not_support_earns_no_deduction_and_says_why(software, buyer):
    employees, revenue = medium_floor()
    small(software, buyer, "虚报", employees, revenue)
    small(software, buyer, "属实", employees - 1, revenue)
    withheld, granted = deduction(software, "虚报"), deduction(software, "属实")
    assert (withheld.deduction_pct, withheld.deduction_basis) == (0, "")
    assert withheld.deduction_reason == (
        "声明函所填指标按采购标的所属行业（软件和信息技术服务业）划型为中型企业，与声明的小型企业不符，不予价格扣除"
    )
    assert withheld.evaluated_price == D("100000.00")
    assert (granted.deduction_pct, granted.deduction_basis) == (D("10.00"), "sme")
    assert granted.deduction_reason == (
        "小型企业，已提交中小企业声明函，所填指标按软件和信息技术服务业划型相符：按小微企业扣除 10%"
    )


@pytest.mark.django_db
def test_with_the_rule_switched_off_the_claim_is_deducted_as_before(software, buyer):
    set_rule("sme_size_check", {"required": False})
    employees, revenue = medium_floor()
    small(software, buyer, "虚报", employees, revenue)
    line = deduction(software, "虚报")
    assert (line.deduction_pct, line.deduction_basis) == (D("10.00"), "sme")
    assert "与声明不符（规模核验规则已关闭，按声明扣除）" in line.deduction_reason


@pytest.mark.django_db
def test_a_project_without_an_industry_deducts_exactly_as_before(make_project, buyer):
    p = make_project()
    bid(p, buyer, "小微", sme_declaration=True, sme_size="small", declared_employees="5000")
    line = deduction(p, "小微")
    assert (line.deduction_pct, line.deduction_basis) == (D("10.00"), "sme")
    assert line.deduction_reason == "小型企业，已提交中小企业声明函：按小微企业扣除 10%"


@pytest.mark.django_db
def test_an_industry_set_after_the_bid_leaves_the_claim_unchecked_and_says_so(make_project, buyer):
    p = make_project()
    bid(p, buyer, "早登记", sme_declaration=True, sme_size="micro")
    Project.objects.filter(pk=p.pk).update(sme_industry="software")  # as the admin may do later
    p.refresh_from_db()
    check = size_check(p, Bidder.objects.get(name="早登记"))
    assert (check.label, check.supported, check.missing) == ("缺指标", None, ["从业人员", "营业收入"])
    line = deduction(p, "早登记")
    assert line.deduction_pct == D("10.00")
    assert "声明函缺少从业人员、营业收入，未能核验规模" in line.deduction_reason


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"required": "yes"}, {}, [True]])
def test_a_nonsense_switch_is_refused_in_the_admin(bad):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="规模不符的不予价格扣除"):
        Rule(key="sme_size_check", title="核验", source="测试", value=bad).full_clean()


@pytest.mark.django_db
def test_the_report_names_the_industry_the_check_and_the_reason(software, buyer):
    employees, revenue = medium_floor()
    small(software, buyer, "虚报", employees, revenue)
    text = lines(build_report(software))
    assert any(
        "采购标的所属行业为“软件和信息技术服务业”" in t and "划型为中型或大型企业的不予扣除" in t
        for t in text
    )
    assert any("小型企业（规模核验：不符）" in t for t in text)
    assert any(t.startswith("虚报：声明函所填指标按采购标的所属行业") for t in text)


@pytest.mark.django_db
def test_a_micro_claim_the_figures_make_small_still_earns_the_small_micro_rate_and_says_so(software, buyer):
    # 50 people and 500万元 in software: small (≥ 10 and ≥ 50), not micro; both sizes earn the deduction.
    bid(
        software,
        buyer,
        "微型",
        sme_declaration=True,
        sme_size="micro",
        declared_employees=50,
        declared_revenue=500,
    )
    check = size_check(software, Bidder.objects.get(name="微型"))
    assert (check.computed, check.supported, check.label) == ("小型企业", False, "不符")
    line = deduction(software, "微型")
    assert (line.deduction_pct, line.deduction_basis) == (D("10.00"), "sme")
    assert "所填指标划型为小型企业，与声明不符，但仍属享受扣除的企业规模" in line.deduction_reason
