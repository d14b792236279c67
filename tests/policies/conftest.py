"""Policies fixtures: a handful of policies built through the services, indexed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.policies import services
from fazhi.search import build

TODAY = dt.date(2026, 3, 1)


SIZING_TESTS = "tests.policies.test_sizing"  # every boundary of the shipped 300号 table


def pytest_collection_modifyitems(items):
    """test_sizing.py's classifications go through the admin-editable table, so they need the database
    (marked here, at collection, so that the test database is set up even when the file runs alone)."""
    for item in items:
        if getattr(getattr(item, "module", None), "__name__", "") == SIZING_TESTS:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture
def size_table(db):
    """The 300号 thresholds as rows of the admin-editable table. The migration seeds them; a transactional
    test elsewhere on this worker may have flushed them since, so they are put back (idempotent)."""
    services.ensure_thresholds()


@pytest.fixture(autouse=True)
def _sizing_reads_the_table(request):
    if request.module.__name__ == SIZING_TESTS:
        request.getfixturevalue("size_table")


@pytest.fixture
def make_policy(sysadmin):
    def _make(**values):
        values.setdefault("title", "测试政策")
        return services.save_policy(
            actor=sysadmin, values=values, external_id=values.pop("external_id", None)
        )

    return _make


@pytest.fixture
def policies(make_policy):
    """Four policies with different facets; the index is rebuilt afterwards."""
    made = {
        "rent": make_policy(
            title="关于减免小微企业房租的通知",
            issuer="北京市人民政府办公厅",
            level="省",
            themes="房租减免",
            industries="H、F",
            sizes="小型、微型",
            regions="北京市",
            support_types="租金减免",
            full_text="对承租国有房产的中小微企业，免收2月份房租。",
            published_date="2020-02-05",
        ),
        "jobs": make_policy(
            title="援企稳岗补贴实施办法",
            issuer="人力资源社会保障部",
            level="国家",
            themes="稳岗就业",
            support_types="资金奖补",
            full_text="对不裁员或少裁员的企业，返还失业保险费，发放稳岗补贴。",
            published_date="2020-03-01",
        ),
        "loan": make_policy(
            title="疫情防控重点保障企业贷款贴息",
            issuer="财政部",
            level="国家",
            themes="金融支持",
            industries="C",
            support_types="贷款贴息",
            required_tags="高新技术企业",
            min_years_established=2,
            full_text="对重点保障企业的贷款给予财政贴息，贴息比例为50%。",
            published_date="2020-02-10",
            apply_end=(timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        ),
        "old": make_policy(
            title="已经到期的租金补助办法",
            issuer="某市财政局",
            level="市",
            themes="房租减免",
            full_text="对小型微型企业给予租金补助。",
            published_date="2019-01-01",
            effective_to="2020-06-30",
        ),
    }
    build.rebuild("policies")
    return made
