"""Bidding fixtures: a host site (汉阳) and an assisting site (九江), each with its own pool of experts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import ExpertPool, Site
from tests.bidding.helpers import add_experts, begin_evaluation, give_accounts, serial


@pytest.fixture
def sites(db):
    host = Site.objects.create(name="武汉市汉阳区公共资源交易中心", region="武汉市汉阳区")
    jiujiang = Site.objects.create(name="九江市公共资源交易中心", region="九江市")
    return host, jiujiang


@pytest.fixture
def pools(sites):
    host, jiujiang = sites
    return (
        ExpertPool.objects.create(name="汉阳区评标专家库", region="武汉市汉阳区", site=host),
        ExpertPool.objects.create(name="九江市评标专家库", region="九江市", site=jiujiang),
    )


@pytest.fixture
def make_project(buyer, sites):
    """make_project(**overrides) → a 综合评分法 goods project: 5 experts, 3 at the host site, 2 at 九江; its
    evaluation (and the names' release) starts tomorrow: a project to be scored calls begin_evaluation."""
    host, jiujiang = sites

    def _make(**kw):
        start = timezone.now() + dt.timedelta(days=1)
        args = dict(
            actor=buyer,
            code=f"HY-2026-{next(serial):03d}",
            name="汉阳区智慧校园设备采购",
            purchaser="武汉市汉阳区教育局",
            budget="3000000",
            category="goods",
            method="open_tender",
            evaluation_method="comprehensive",
            committee_size=5,
            host_site_id=host.pk,
            assist_site_ids=[jiujiang.pk],
            quotas=[
                {"site_id": host.pk, "specialty": "信息技术", "count": 3},
                {"site_id": jiujiang.pk, "specialty": "信息技术", "count": 2},
            ],
            criteria=[
                {"name": "技术方案", "max_points": "40", "objective": False},
                {"name": "售后服务", "max_points": "20", "objective": False},
                {"name": "资质证书", "max_points": "10", "objective": True},
            ],
            price_weight="30",
            sme_policy="deduction",
            sme_deduction_pct="10",
            evaluation_start=start,
            names_reveal_at=start,
        )
        args.update(kw)
        return services.create_project(**args)

    return _make


@pytest.fixture
def project(make_project, pools, buyer):
    """A project with three bidders and enough experts in both pools."""
    host_pool, jj_pool = pools
    add_experts(host_pool, 6)
    add_experts(jj_pool, 4)
    p = make_project()
    services.add_bidder(
        project=p,
        actor=buyer,
        name="甲科技有限公司",
        bid_price="100000",
        sme_declaration=True,
        sme_size="small",
    )
    services.add_bidder(project=p, actor=buyer, name="乙信息股份公司", bid_price="95000")
    services.add_bidder(project=p, actor=buyer, name="丙电子有限公司", bid_price="90000")
    return p


@pytest.fixture
def drawn(project, buyer):
    """The project with its committee drawn and a login for every expert member, its evaluation begun an hour
    ago (drawn while the start was ahead, then the day came): the members may score and sign. A test of a
    project still ahead of its start uses `project` and draws itself."""
    committee = services.draw_committee(project=project, actor=buyer, seed="20260723")
    give_accounts(committee)
    begin_evaluation(project)
    return project, committee
