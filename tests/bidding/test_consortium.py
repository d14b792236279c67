"""Price deduction for consortia and for large/medium firms subcontracting to small/micro firms (财库〔2020〕46号
第九条, rates raised by 财库〔2022〕19号): 4–6% when the small/micro share is at least 30%, never on top of the
small/micro rate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.bidding import services
from fazhi.bidding.models import Bidder, Project
from fazhi.bidding.report import build_report
from fazhi.core.docx_text import lines
from fazhi.core.errors import PermissionDenied, ValidationFailed

API = "/api/v1/bidding"
D = Decimal


@pytest.fixture
def consortium_project(make_project, pools, buyer):
    """A goods tender deducting 10% for small/micro firms and 5% for consortia and subcontracting."""
    from tests.bidding.helpers import add_experts

    add_experts(pools[0], 6)
    add_experts(pools[1], 4)
    project = make_project(consortium_deduction_pct="5")
    project.refresh_from_db()  # as a page or the API reads it: 5.00
    return project


def bid(project, buyer, name, price, **kw):
    return services.add_bidder(project=project, actor=buyer, name=name, bid_price=price, **kw)


@pytest.mark.django_db
def test_each_bidder_gets_the_rate_its_participation_earns_and_the_reason(consortium_project, buyer):
    p = consortium_project
    bid(p, buyer, "小微独立", "100000", sme_declaration=True, sme_size="small")
    bid(p, buyer, "联合体达标", "100000", participation="consortium", small_share_pct="30")
    bid(p, buyer, "分包不足", "100000", participation="subcontract", small_share_pct="29.99")
    bid(p, buyer, "中型独立", "100000", sme_declaration=True, sme_size="medium")
    bid(
        p,
        buyer,
        "小微联合体",
        "100000",
        sme_declaration=True,
        sme_size="micro",
        participation="consortium",
        small_share_pct="100",
    )
    lines_ = {line.bidder.name: line.price for line in services.compute_result(p).lines}
    assert {n: (x.deduction_pct, x.deduction_basis) for n, x in lines_.items()} == {
        "小微独立": (D("10.00"), "sme"),
        "联合体达标": (D("5.00"), "consortium"),
        "分包不足": (D("0.00"), ""),
        "中型独立": (D("0.00"), ""),
        "小微联合体": (D("10.00"), "sme"),  # one rate only: the small/micro one
    }
    assert "小微企业合同份额 30%（不低于 30%）：扣除 5%" in lines_["联合体达标"].deduction_reason
    assert "小微企业合同份额 29.99% 低于 30%，不扣除" in lines_["分包不足"].deduction_reason
    assert "中型企业不享受" in lines_["中型独立"].deduction_reason
    # 100,000 × 95% = 95,000; base 90,000 (the small/micro bids): 90000/95000×30 = 28.42
    assert lines_["联合体达标"].evaluated_price == D("95000.00") and lines_["联合体达标"].price_score == D(
        "28.42"
    )
    assert lines_["分包不足"].price_score == D("27.00")


@pytest.mark.django_db
def test_a_project_without_a_consortium_rate_deducts_nothing_and_says_why(make_project, buyer):
    p = make_project()  # 10% for small/micro firms, no consortium rate
    bid(p, buyer, "联合体", "100000", participation="consortium", small_share_pct="60")
    line = services.compute_result(p).lines[0].price
    assert line.deduction_pct == 0 and "本项目未设置联合体或分包的价格扣除" in line.deduction_reason


@pytest.mark.django_db
def test_without_the_small_micro_policy_nobody_gets_a_deduction(make_project, buyer):
    p = make_project(sme_policy="none", sme_deduction_pct="0")
    bid(p, buyer, "小微", "100000", sme_declaration=True, sme_size="small")
    line = services.compute_result(p).lines[0].price
    assert line.deduction_pct == 0 and line.deduction_reason == "本项目未实行小微企业价格扣除"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"consortium_deduction_pct": "3.99"},
            "货物项目联合体或大中型企业分包给小微企业的价格扣除比例.*4%—6%.*19号",
        ),
        ({"consortium_deduction_pct": "6.5"}, "4%—6%"),
        ({"consortium_deduction_pct": "4.001"}, "最多保留 2 位小数"),
        ({"consortium_deduction_pct": "五"}, "不是有效的数字"),
        (
            {"consortium_deduction_pct": "5", "sme_policy": "none", "sme_deduction_pct": "0"},
            "只有选择“小微企业价格扣除”时才能设置联合体或分包",
        ),
    ],
)
def test_a_consortium_rate_outside_the_rule_is_refused(make_project, kw, message):
    with pytest.raises(ValidationFailed, match=message):
        make_project(code="BAD-1", **kw)
    assert not Project.objects.filter(code="BAD-1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("pct", ["0", "4", "6"])
def test_a_consortium_rate_within_the_range_or_zero_is_kept(make_project, pct):
    assert make_project(consortium_deduction_pct=pct).consortium_deduction_pct == D(pct)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"participation": "joint"}, "投标形式“joint”无效"),
        ({"participation": "consortium", "small_share_pct": "100.01"}, "应在 0 到 100 之间"),
        ({"participation": "consortium", "small_share_pct": "-1"}, "应在 0 到 100 之间"),
        ({"participation": "consortium", "small_share_pct": "30.001"}, "最多保留 2 位小数"),
        ({"participation": "subcontract", "small_share_pct": "三成"}, "不是有效的数字"),
        ({"small_share_pct": "30"}, "独立投标的无须填写小微企业合同份额"),
    ],
)
def test_a_bad_participation_or_share_is_refused_and_nothing_is_stored(
    consortium_project, buyer, kw, message
):
    with pytest.raises(ValidationFailed, match=message):
        bid(consortium_project, buyer, "某公司", "100000", **kw)
    assert not Bidder.objects.filter(project=consortium_project).exists()


@pytest.mark.django_db
def test_outsiders_and_supervisors_cannot_register_a_consortium(consortium_project, outsider, supervisor):
    for user in (outsider, supervisor):
        with pytest.raises(PermissionDenied):
            bid(
                consortium_project, user, "联合体", "100000", participation="consortium", small_share_pct="40"
            )
    assert not Bidder.objects.exists()


@pytest.mark.django_db
def test_the_api_takes_the_new_fields_and_explains_each_rate(
    client, buyer, outsider, token_for, consortium_project
):
    p, headers = consortium_project, token_for(buyer)
    body = {"name": "联合体甲", "bid_price": "200000", "participation": "consortium", "small_share_pct": "45"}
    assert (
        client.post(
            f"{API}/projects/{p.pk}/bidders",
            body,
            content_type="application/json",
            headers=token_for(outsider),
        ).status_code
        == 403
    )
    r = client.post(f"{API}/projects/{p.pk}/bidders", body, content_type="application/json", headers=headers)
    assert r.status_code == 201, r.json()
    assert r.json()["participation"] == "consortium" and D(r.json()["small_share_pct"]) == 45
    bad = {**body, "name": "联合体乙", "small_share_pct": "120"}
    r = client.post(f"{API}/projects/{p.pk}/bidders", bad, content_type="application/json", headers=headers)
    assert r.status_code == 400 and "0 到 100" in r.json()["detail"]
    project = client.get(f"{API}/projects/{p.pk}", headers=headers).json()
    assert D(project["consortium_deduction_pct"]) == 5
    line = client.get(f"{API}/projects/{p.pk}/result", headers=headers).json()["lines"][0]
    assert line["deduction_basis"] == "consortium" and D(line["deduction_pct"]) == 5
    assert "联合体投标，小微企业合同份额 45%（不低于 30%）：扣除 5%" in line["deduction_reason"]


@pytest.mark.django_db
def test_the_page_registers_a_subcontracting_bidder_and_shows_the_reason(login, buyer, consortium_project):
    p, client = consortium_project, login(buyer)
    form = {"name": "分包乙", "bid_price": "100000", "participation": "subcontract", "small_share_pct": "35"}
    r = client.post(f"/bidding/projects/{p.pk}/add-bidder/", form, follow=True)
    page = r.content.decode()
    assert "已登记投标人“分包乙”" in page
    assert "大中型企业分包给小微企业（小微企业合同份额 35.00%）" in page
    assert "小微企业合同份额 35%（不低于 30%）：扣除 5%" in page
    r = client.post(
        f"/bidding/projects/{p.pk}/add-bidder/", {**form, "name": "分包丙", "small_share_pct": "abc"}
    )
    assert (
        r.status_code == 400
        and "不是有效的数字" in r.content.decode()
        and 'value="abc"' in r.content.decode()
    )


@pytest.mark.django_db
def test_the_report_names_each_rate_and_its_reason(consortium_project, buyer):
    p = consortium_project
    bid(p, buyer, "小微独立", "100000", sme_declaration=True, sme_size="small")
    bid(p, buyer, "联合体达标", "100000", participation="consortium", small_share_pct="50")
    text = lines(build_report(p))
    assert any(
        "联合体投标或大中型企业分包给小微企业，且小微企业合同份额不低于 30% 的，其报价扣除 5.00%" in t
        for t in text
    )
    assert (
        "联合体达标 | 100,000.00 | 未提交 | 联合体投标（小微企业份额 50.00%） | 5.00%（联合体或分包） | 95,000.00 | 28.42"
        in text
    )
    assert "小微独立：小型企业，已提交中小企业声明函：按小微企业扣除 10%。" in text
