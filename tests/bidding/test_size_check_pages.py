"""规模核验 in the API, on the pages and in the admin: the project's industry, the 声明函 figures, the badge with
its steps, and lists that read the size thresholds once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.bidding import services
from fazhi.bidding.admin import BidderForm, ProjectForm
from fazhi.bidding.models import Bidder, Project
from fazhi.policies import sizing
from tests.bidding.test_api import project_payload

API = "/api/v1/bidding"
D = Decimal


@pytest.fixture
def software(make_project):
    return make_project(sme_industry="software")


def figures(name, employees="100", revenue="1000", **kw):
    """A bidder's form: a 声明函 claiming 小型企业; by default at the shipped 中型 floor of software."""
    return {
        "name": name,
        "bid_price": "100000",
        "sme_declaration": True,
        "sme_size": "small",
        "declared_employees": employees,
        "declared_revenue": revenue,
        **kw,
    }


@pytest.mark.django_db
def test_the_api_creates_a_project_with_an_industry_and_refuses_an_unknown_one(
    client, buyer, token_for, sites
):
    headers = token_for(buyer)
    r = client.post(
        f"{API}/projects",
        project_payload(sites, code="API-IND", sme_industry="xxx"),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and r.json()["detail"] == "未知的行业“xxx”，请从列表中选择。"
    assert not Project.objects.filter(code="API-IND").exists()
    r = client.post(
        f"{API}/projects",
        project_payload(sites, sme_industry="software"),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 201
    assert (r.json()["sme_industry"], r.json()["sme_industry_name"]) == ("software", "软件和信息技术服务业")
    plain = client.post(
        f"{API}/projects",
        project_payload(sites, code="API-2"),
        content_type="application/json",
        headers=headers,
    ).json()
    assert (plain["sme_industry"], plain["sme_industry_name"]) == ("", "")


@pytest.mark.django_db
def test_the_api_takes_the_figures_and_shows_the_check(
    client, buyer, outsider, supervisor, token_for, software
):
    p, headers = software, token_for(buyer)
    url = f"{API}/projects/{p.pk}/bidders"
    for other in (outsider, supervisor):
        r = client.post(url, figures("甲"), content_type="application/json", headers=token_for(other))
        assert r.status_code == 403
    assert not Bidder.objects.exists()
    r = client.post(url, figures("乙", revenue=None), content_type="application/json", headers=headers)
    assert r.status_code == 400 and "须填写声明函中的营业收入（万元）" in r.json()["detail"]
    r = client.post(url, figures("丙", employees=-1), content_type="application/json", headers=headers)
    assert r.status_code == 400 and "从业人员（人）不能为负数" in r.json()["detail"]
    assert not Bidder.objects.exists()
    r = client.post(url, figures("甲"), content_type="application/json", headers=headers)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["declared_employees"] == 100 and D(body["declared_revenue"]) == 1000
    assert body["declared_assets"] is None
    check = body["size_check"]
    assert set(check) == {"computed", "supported", "steps"}
    assert (check["computed"], check["supported"]) == ("中型企业", False)
    assert check["steps"][-1] == "声明函声明为小型企业，与划型结果（中型企业）不符。"
    project = client.get(f"{API}/projects/{p.pk}", headers=headers).json()
    assert project["bidders"][0]["size_check"] == check
    r = client.post(
        f"{API}/bidders/{body['id']}/validity",
        {"valid": True},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["size_check"] == check
    line = client.get(f"{API}/projects/{p.pk}/result", headers=headers).json()["lines"][0]
    assert D(line["deduction_pct"]) == 0 and line["deduction_basis"] == ""
    assert "划型为中型企业，与声明的小型企业不符，不予价格扣除" in line["deduction_reason"]


@pytest.mark.django_db
def test_a_bidder_with_nothing_to_check_shows_an_empty_check(client, buyer, token_for, make_project):
    p = make_project()
    r = client.post(
        f"{API}/projects/{p.pk}/bidders",
        {"name": "甲", "bid_price": "1000"},
        content_type="application/json",
        headers=token_for(buyer),
    )
    assert r.json()["size_check"] == {"computed": "", "supported": None, "steps": []}


@pytest.mark.django_db
def test_the_project_list_reads_the_thresholds_once_however_many_bidders(
    client, buyer, token_for, make_project
):
    headers = token_for(buyer)
    client.get(f"{API}/projects", headers=headers)  # the token's first use is recorded (one UPDATE)

    def add(count):
        for _ in range(count):
            p = make_project(sme_industry="software")
            services.add_bidder(project=p, actor=buyer, **figures("甲"))
            services.add_bidder(project=p, actor=buyer, **figures("乙", employees="99"))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(f"{API}/projects", headers=headers).json()
        return len(ctx.captured_queries), body

    add(2)
    few, _ = queries()
    add(6)
    many, body = queries()
    assert few == many and len(body) == 8
    assert [b["size_check"]["supported"] for b in body[0]["bidders"]] == [False, True]


@pytest.mark.django_db
def test_the_form_offers_the_industries_and_the_page_shows_the_industry(login, buyer, software):
    client = login(buyer)
    form = client.get("/bidding/projects/new/").content.decode()
    assert '<select id="f-industry" name="sme_industry">' in form
    for ind in sizing.industries().values():
        assert ind.name in form
    assert len(sizing.industries()) == 16
    page = client.get(f"/bidding/projects/{software.pk}/").content.decode()
    assert '采购标的所属行业</th><td colspan="3">软件和信息技术服务业' in page


@pytest.mark.django_db
def test_the_form_refuses_an_unknown_industry(login, buyer, sites, pools):
    host, jj = sites
    form = {
        "code": "PAGE-IND",
        "name": "页面项目",
        "purchaser": "汉阳区某局",
        "budget": "2000000",
        "category": "goods",
        "method": "open_tender",
        "evaluation_method": "lowest_price",
        "committee_size": "5",
        "host_site_id": str(host.pk),
        "assist_site_ids": [str(jj.pk)],
        "quotas": f"{host.name} | 信息技术 | 3\n{jj.name} | 信息技术 | 2",
        "evaluation_start": "2099-01-01T09:00",
        "names_reveal_at": "2099-01-01T09:00",
        "sme_industry": "mining",
    }
    client = login(buyer)
    r = client.post("/bidding/projects/new/", form)
    assert r.status_code == 400 and "未知的行业“mining”，请从列表中选择。" in r.content.decode()
    r = client.post("/bidding/projects/new/", {**form, "sme_industry": "industry"})
    assert r.status_code == 302 and Project.objects.get(code="PAGE-IND").sme_industry == "industry"


@pytest.mark.django_db
def test_the_page_registers_figures_and_shows_the_badge_with_its_steps(login, buyer, outsider, software):
    p, client = software, login(buyer)
    url = f"/bidding/projects/{p.pk}/add-bidder/"
    r = client.post(url, {**figures("甲", revenue=""), "sme_declaration": "1"})
    page = r.content.decode()
    assert r.status_code == 400 and "须填写声明函中的营业收入（万元）" in page and 'value="100"' in page
    assert login(outsider).post(url, {**figures("甲"), "sme_declaration": "1"}).status_code == 403
    assert not Bidder.objects.exists()
    r = client.post(url, {**figures("甲"), "sme_declaration": "1"}, follow=True)
    page = r.content.decode()
    assert "已登记投标人“甲”" in page
    assert "从业人员 100 人 营业收入 1000 万元" in page
    assert "规模核验：不符</span>（划型为中型企业）" in page
    assert "<li>声明函声明为小型企业，与划型结果（中型企业）不符。</li>" in page
    assert "与声明的小型企业不符，不予价格扣除" in page  # the price breakdown
    client.post(url, {**figures("乙", employees="99"), "sme_declaration": "1"})
    assert "规模核验：相符" in client.get(f"/bidding/projects/{p.pk}/").content.decode()


@pytest.mark.django_db
def test_the_admin_forms_check_the_industry_and_the_figures(software):
    form = ProjectForm(instance=software)
    assert ("software", "软件和信息技术服务业") in form.fields["sme_industry"].widget.choices
    form.cleaned_data = {"sme_industry": "xxx"}
    with pytest.raises(Exception, match="未知的行业“xxx”"):
        form.clean_sme_industry()
    data = {
        "project": software.pk,
        "name": "后台登记",
        "bid_price": "1000",
        "sme_declaration": "on",
        "sme_size": "small",
        "participation": "independent",
        "small_share_pct": "0",
        "valid": "on",
        "declared_employees": "50",
    }
    bidder = BidderForm(data=data, instance=Bidder(project=software))
    assert not bidder.is_valid() and "须填写声明函中的营业收入（万元）" in str(bidder.errors)
    bidder = BidderForm(data={**data, "declared_revenue": "-1"}, instance=Bidder(project=software))
    assert not bidder.is_valid() and "declared_revenue" in bidder.errors
    bidder = BidderForm(data={**data, "declared_revenue": "500"}, instance=Bidder(project=software))
    assert bidder.is_valid(), bidder.errors
