"""The portal home page and the grouped site search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from fazhi.cases import portal
from fazhi.publicity.models import Campaign, Post, PostStatus


def test_the_home_page_shows_search_latest_cases_posts_campaign_and_quizzes(client, make_case):
    make_case("最新的典型案例")
    Post.objects.create(
        title="宪法宣传周活动", body="<p>正文</p>", status=PostStatus.PUBLISHED, published_at=timezone.now()
    )
    Post.objects.create(title="未发布的草稿", body="<p>正文</p>")
    soon = timezone.localdate() + dt.timedelta(days=10)
    Campaign.objects.create(
        name="测试宣传日", slug="test-day", month=soon.month, day=soon.day, theme="测试主题"
    )
    html = client.get("/").content.decode()
    assert 'role="search"' in html and '<label for="q"' in html
    assert "最新的典型案例" in html
    assert "宪法宣传周活动" in html and "未发布的草稿" not in html
    assert "测试宣传日" in html and "10 天后" in html
    assert 'href="/exams/"' in html
    assert '<main id="main"' in html


def test_site_search_groups_results_and_tolerates_a_missing_index(client, make_case, monkeypatch):
    make_case("某单位招标文件排斥外地企业")
    monkeypatch.setattr(
        portal, "SEARCH_GROUPS", [("no-such-index", "不存在的库", "/x/"), *portal.SEARCH_GROUPS]
    )
    groups = {g.index: g for g in portal.site_search("外地企业")}
    assert groups["no-such-index"].available is False
    assert groups["cases"].total == 1
    assert groups["cases"].hits[0].url.startswith("/cases/")
    assert "<mark>" in groups["cases"].hits[0].snippet or groups["cases"].hits[0].title
    page = client.get("/cases/search/", {"q": "外地企业"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "以案释法" in html and "某单位招标文件排斥外地企业" in html


def test_the_site_search_api_returns_groups(client, make_case):
    make_case("某单位招标文件排斥外地企业")
    groups = client.get("/api/v1/cases/site-search", {"q": "排斥外地"}).json()
    cases = next(g for g in groups if g["index"] == "cases")
    assert cases["total"] == 1 and cases["hits"][0]["title"] == "某单位招标文件排斥外地企业"


def test_an_empty_query_shows_the_search_form_only(client):
    page = client.get("/cases/search/")
    assert page.status_code == 200
    assert "请输入要查找的内容" in page.content.decode()


def test_policies_closing_soon_come_soonest_first_without_expired_ones(db):
    from django.apps import apps

    try:
        policy = apps.get_model("policies", "Policy")
        policy._meta.get_field("apply_end")
    except (LookupError, FieldDoesNotExist):
        pytest.skip("惠企政策模型尚未提供申报截止日期字段")
    today = timezone.localdate()
    policy.objects.create(title="十天后截止", apply_end=today + dt.timedelta(days=10))
    policy.objects.create(title="明天截止", apply_end=today + dt.timedelta(days=1))
    policy.objects.create(title="已经截止", apply_end=today - dt.timedelta(days=1))
    policy.objects.create(title="已废止", apply_end=today + dt.timedelta(days=2), status="repealed")
    items = portal.policies_closing_soon()
    assert [(p.title, p.days_left) for p in items] == [("明天截止", 1), ("十天后截止", 10)]


def test_the_site_search_counts_what_the_case_page_it_links_to_shows(client, make_case):
    make_case("某单位招标文件排斥外地企业")
    make_case("外地供应商被要求设立分公司", facts="要求外地企业在本地设立分公司。")
    make_case("未发布的外地企业案例", publish=False)
    group = next(g for g in portal.site_search("外地企业") if g.index == "cases")
    assert group.total == 2 and len(group.hits) == 2
    page = client.get("/cases/", {"q": "外地企业"}).content.decode()
    assert "共 2 件" in page
    assert all("未发布" not in h.title for h in group.hits)
