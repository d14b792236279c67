"""惠企政策 match figures with many profiles: the same pairs as evaluating every profile against every
policy in force, read in a fixed number of queries however many profiles there are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.reports import figures as figs
from fazhi.reports.figures import policies as policy_figures
from tests.reports.conftest import THIS, TODAY, early

pytestmark = pytest.mark.django_db


def make_profiles(n: int, start: int = 0) -> None:
    from fazhi.policies.models import EnterpriseProfile

    get_user_model().objects.bulk_create(
        [get_user_model()(username=f"scale-ent-{i}") for i in range(start, start + n)]
    )
    users = get_user_model().objects.filter(username__startswith="scale-ent-", enterprise_profile=None)
    sections = ["I", "C", "H", ""]
    regions = ["北京市朝阳区", "北京市", "上海市浦东新区", ""]
    EnterpriseProfile.objects.bulk_create(
        EnterpriseProfile(
            owner=u,
            name=f"企业{u.pk}",
            industry="software" if k % 2 else "industry",
            industry_section=sections[k % 4],
            region=regions[(k // 2) % 4],
            size=["小型", "微型", "中型"][k % 3],
            employees=10 + 7 * k,
            revenue=Decimal(100 + 50 * k),
            established_on=dt.date(2015, 1, 1) + dt.timedelta(days=97 * k),
            tags=["高新技术企业"] if k % 5 == 0 else [],
        )
        for k, u in enumerate(users.order_by("pk"))
    )


def make_policies() -> None:
    from fazhi.policies.models import Policy, Status

    rows = [
        dict(title="软件企业政策", level="national", issuer="工业和信息化部", industries=["I"]),
        dict(title="北京小微企业房租", level="provincial", regions=["北京市"], sizes=["小型", "微型"]),
        dict(
            title="朝阳区高新企业奖励",
            level="district",
            regions=["北京市朝阳区"],
            required_tags=["高新技术企业"],
        ),
        dict(title="制造业稳岗", level="national", industries=["C"], employees_min=30, employees_max=200),
        dict(title="营收门槛", level="national", revenue_min=Decimal(500), min_years_established=3),
        dict(title="申报已截止", level="national", industries=["I"], apply_end=TODAY - dt.timedelta(days=1)),
        dict(
            title="尚未开始申报",
            level="national",
            industries=["I"],
            apply_start=TODAY + dt.timedelta(days=3),
            apply_end=TODAY + dt.timedelta(days=20),
        ),
        dict(title="地区不明", level="city", industries=["I"]),
        dict(title="已失效的软件政策", level="national", industries=["I"], status=Status.EXPIRED),
        dict(title="未列明条件", level="national"),
    ]
    for k, row in enumerate(rows):
        Policy.objects.create(published_date=early(1 + k % 3), **row)


def every_pair(today):
    from fazhi.policies import matching
    from fazhi.policies.models import EnterpriseProfile, Policy, Status

    policies = list(Policy.objects.filter(status__in=[Status.VALID, Status.EXPIRING]).order_by("pk"))
    return [
        (pr.name, po.title, r.met)
        for pr in EnterpriseProfile.objects.order_by("pk")
        for po in policies
        if (r := matching.evaluate(po, pr, today=today)).eligible
    ]


def test_the_report_lists_the_same_pairs_as_evaluating_every_profile_against_every_policy():
    make_profiles(60)
    make_policies()
    expected = every_pair(TODAY)
    found = figs.collect(figs.Context(year=THIS, today=TODAY)).by_key()
    rows = found["policies.matches"].rows()
    assert [(r["enterprise"], r["policy"], r["met"]) for r in rows] == [
        (name, title, "；".join(met)) for name, title, met in expected
    ]
    titles = {title for _, title, _ in expected}
    assert {"软件企业政策", "北京小微企业房租", "朝阳区高新企业奖励", "制造业稳岗", "营收门槛"} <= titles
    assert not titles & {"申报已截止", "尚未开始申报", "地区不明", "已失效的软件政策", "未列明条件"}
    assert found["policies.matched_enterprises"].value == len({name for name, _, _ in expected})


def test_the_pairs_are_read_in_the_same_number_of_queries_for_ten_or_a_hundred_profiles():
    make_policies()
    make_profiles(10)
    with CaptureQueriesContext(connection) as few:
        small = policy_figures.eligible_pairs(TODAY)
    make_profiles(90, start=10)
    with CaptureQueriesContext(connection) as many:
        large = policy_figures.eligible_pairs(TODAY)
    assert len(large) > len(small) > 0
    assert len(many.captured_queries) == len(few.captured_queries) == 2
    # Only what matching reads is loaded: the policies' full texts stay in the database.
    assert all('"full_text"' not in q["sql"] for q in many.captured_queries)
