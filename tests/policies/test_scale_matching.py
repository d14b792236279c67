"""政策体检 at scale: the fast eligible-pairs search agrees with evaluating every pair; the match API
loads its candidates in one query."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.policies import eligibility, matching
from fazhi.policies.models import EnterpriseProfile, Level, Policy

TODAY = dt.date(2026, 3, 1)
REGIONS = [
    "北京市朝阳区",
    "北京市",
    "北京",
    "上海市浦东新区",
    "广州市天河区",
    "广东省广州市天河区",
    "南京市",
    "",
]
POLICY_REGIONS = [[], ["北京市"], ["北京市朝阳区"], ["广东省"], ["上海市", "广东省广州市"], ["江苏省"]]
ISSUERS = ["财政部", "北京市财政局", "中国人民银行成都分行", "人力资源社会保障部"]
TAGS = ["高新技术企业", "专精特新", "外贸企业"]
INDUSTRIES = ["software", "catering", "industry", "retail", "other"]


def _maybe(rng: random.Random, value: object) -> object:
    return value if rng.random() < 0.4 else None


def random_profiles(rng: random.Random, n: int) -> list[EnterpriseProfile]:
    profiles = []
    for i in range(n):
        profiles.append(
            EnterpriseProfile(
                pk=i + 1,
                name=f"企业{i}",
                industry=rng.choice(INDUSTRIES),
                industry_section=rng.choice(["", "", "I", "C", "H"]),
                region=rng.choice(REGIONS),
                established_on=_maybe(rng, TODAY - dt.timedelta(days=rng.randrange(4000))),
                employees=_maybe(rng, rng.randint(1, 500)),
                revenue=_maybe(rng, Decimal(rng.randint(10, 20000))),
                tags=rng.sample(TAGS, rng.randint(0, 2)),
                size=rng.choice(["", "小型", "微型", "中型"]),
            )
        )
    return profiles


def random_policies(rng: random.Random, n: int) -> list[Policy]:
    policies = []
    for i in range(n):
        end = _maybe(rng, TODAY + dt.timedelta(days=rng.randint(-30, 30)))
        policies.append(
            Policy(
                pk=i + 1,
                title=f"政策{i}",
                issuer=rng.choice(ISSUERS),
                level=rng.choice([Level.NATIONAL, Level.PROVINCIAL, Level.CITY, ""]),
                industries=rng.sample(["I", "C", "H", "F"], rng.randint(0, 2)),
                sizes=rng.sample(["小型", "微型", "中型"], rng.randint(0, 2)),
                regions=rng.choice(POLICY_REGIONS),
                required_tags=rng.sample(TAGS, rng.choice([0, 0, 1])),
                min_years_established=_maybe(rng, rng.randint(1, 5)),
                employees_min=_maybe(rng, rng.randint(1, 50)),
                employees_max=_maybe(rng, rng.randint(100, 400)),
                revenue_min=_maybe(rng, Decimal(rng.randint(10, 500))),
                revenue_max=_maybe(rng, Decimal(rng.randint(1000, 20000))),
                apply_end=end,
                apply_start=_maybe(rng, TODAY + dt.timedelta(days=rng.randint(-20, 10))) if end else None,
                measures_end=_maybe(rng, TODAY + dt.timedelta(days=rng.randint(-60, 60))),
            )
        )
    return policies


def every_pair(profiles, policies, today):
    return [
        (pr.pk, po.pk, r.met)
        for pr in profiles
        for po in policies
        if (r := matching.evaluate(po, pr, today=today)).eligible
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("today", [TODAY, TODAY + dt.timedelta(days=20), dt.date(2030, 1, 1)])
def test_the_fast_search_finds_exactly_the_pairs_that_evaluating_every_pair_finds(seed, today):
    rng = random.Random(seed)
    profiles, policies = random_profiles(rng, 150), random_policies(rng, 120)
    fast = [
        (pr.pk, po.pk, met) for pr, po, met in eligibility.eligible_pairs(profiles, policies, today=today)
    ]
    slow = every_pair(profiles, policies, today)
    assert fast == slow
    if today == TODAY:
        assert len(slow) > 20  # the generated data has eligible pairs to find


def test_a_region_written_without_its_province_or_too_coarsely_is_never_a_full_match():
    policy = Policy(pk=1, title="朝阳区政策", level=Level.DISTRICT, regions=["北京市朝阳区"], sizes=["小型"])
    coarse = EnterpriseProfile(pk=1, name="甲", industry="software", region="北京市", size="小型")
    within = EnterpriseProfile(pk=2, name="乙", industry="software", region="北京市朝阳区", size="小型")
    elsewhere = EnterpriseProfile(pk=3, name="丙", industry="software", region="北京市海淀区", size="小型")
    pairs = eligibility.eligible_pairs([coarse, within, elsewhere], [policy], today=TODAY)
    assert [(pr.name, po.title) for pr, po, _ in pairs] == [("乙", "朝阳区政策")]
    assert pairs[0][2] == [
        "适用于小型企业，企业为小型企业。",
        "适用地区为北京市朝阳区，企业位于北京市朝阳区。",
    ]


def test_a_national_policy_issued_by_a_local_office_is_not_called_a_match():
    local = Policy(pk=1, title="通知", issuer="北京市财政局", level=Level.NATIONAL, sizes=["小型"])
    national = Policy(pk=2, title="通知", issuer="财政部", level=Level.NATIONAL, sizes=["小型"])
    profile = EnterpriseProfile(pk=1, name="甲", industry="software", region="北京市朝阳区", size="小型")
    pairs = eligibility.eligible_pairs([profile], [local, national], today=TODAY)
    assert [po.pk for _, po, _ in pairs] == [2]


def test_the_match_api_reads_its_candidate_policies_in_one_query(client, policies):
    profile = {
        "name": "某餐饮公司",
        "industry": "catering",
        "region": "北京市",
        "employees": 20,
        "revenue": 300,
    }
    with CaptureQueriesContext(connection) as queries:
        resp = client.post("/api/v1/policies/match", {"profile": profile}, content_type="application/json")
    assert resp.status_code == 200
    body = resp.json()
    assert [r["title"] for r in body["results"]][0] == "关于减免小微企业房租的通知"
    assert body["results"][0]["eligible"] is True
    policy_queries = [q["sql"] for q in queries.captured_queries if "policies_policy" in q["sql"]]
    assert len(policy_queries) == 1
    assert '"full_text"' not in policy_queries[0]  # the large texts stay in the database
