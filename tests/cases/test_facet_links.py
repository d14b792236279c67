"""The case list's filters (audit in a browser): every count is what its link lists; a chosen value stays
listed to be cleared, also when nothing matches; an unusable category or year is ignored with a message."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from django.test import Client


@pytest.fixture
def library(make_case):
    make_case("某单位招标文件排斥外地企业", tags="差别待遇、典型案例", source_date="2025-12-04")
    make_case(
        "供应商提供虚假中小企业声明函",
        category="行政处罚",
        tags="中小企业声明函、典型案例",
        source_date="2023-04-18",
    )
    make_case("政府采购投诉处理决定", tags="投诉处理", source_date="2024-09-20")
    make_case("政府信息公开答复逾期", category="政府信息公开", tags="典型案例", source_date="2024-03-01")


def _listed(query: str) -> int:
    page = Client().get("/cases/?" + query)
    assert page.status_code == 200
    return page.context["found"].total


@pytest.mark.parametrize(
    "start",
    [
        "",
        "category=政府采购",
        "tags=典型案例",
        "tags=典型案例&tags=差别待遇",
        "year=2024",
        "category=政府采购&year=2024",
    ],
)
def test_every_count_is_what_its_link_lists(library, start):
    page = Client().get("/cases/?" + start)
    checked = 0
    for facet in page.context["facets"]:
        for entry in facet["entries"]:
            if entry["active"]:
                assert entry["count"] == page.context["found"].total
                continue
            assert _listed(entry["query"]) == entry["count"], (facet["name"], entry["value"])
            checked += 1
    assert checked


def test_choosing_a_category_keeps_the_other_categories_to_switch_to(library):
    page = Client().get("/cases/", {"category": "政府采购"})
    categories = {e["value"]: e for e in page.context["facets"][0]["entries"]}
    assert {v: e["count"] for v, e in categories.items()} == {"政府采购": 2, "政府信息公开": 1, "行政处罚": 1}
    assert parse_qs(categories["行政处罚"]["query"]) == {"category": ["行政处罚"]}  # replaces, never adds


def test_chosen_tags_narrow_the_list(library):
    both = Client().get("/cases/", {"tags": ["典型案例", "差别待遇"]}).context["found"]
    assert [h.case.title for h in both.hits] == ["某单位招标文件排斥外地企业"]
    api = Client().get("/api/v1/cases/", {"tags": ["典型案例", "差别待遇"]}).json()
    assert api["total"] == 1


def test_a_chosen_value_nothing_matches_stays_listed_to_be_cleared(library):
    page = Client().get("/cases/", {"q": "排斥外地", "year": "2023"})
    assert page.context["found"].total == 0
    years = {e["value"]: e for e in next(f for f in page.context["facets"] if f["name"] == "year")["entries"]}
    assert years["2023"]["active"] and years["2023"]["count"] == 0
    assert parse_qs(years["2023"]["query"]) == {"q": ["排斥外地"]}
    assert (
        '<span aria-hidden="true">✓ </span><span class="sr-only">已选：</span>2023' in page.content.decode()
    )


def test_an_unknown_category_or_year_is_ignored_with_a_message(library):
    page = Client().get("/cases/", {"category": "不存在的类别", "year": "二〇二四"})
    html = page.content.decode()
    assert page.context["found"].total == 4
    assert "类别“不存在的类别”无效，可选：政府采购、政府信息公开" in html
    assert "年份“二〇二四”无效，应为四位数字年份" in html
    assert "不存在的类别" not in page.context["pager_query"]
    by_code = Client().get("/cases/", {"category": "penalty"}).context["found"]
    assert [h.case.title for h in by_code.hits] == ["供应商提供虚假中小企业声明函"]


def test_the_api_refuses_an_unknown_category_or_year_in_chinese(library):
    r = Client().get("/api/v1/cases/", {"category": "bogus"})
    assert r.status_code == 400
    assert "类别“bogus”无效" in r.json()["detail"]
    r = Client().get("/api/v1/cases/", {"year": "24"})
    assert r.status_code == 400
    assert "年份“24”无效" in r.json()["detail"]
    assert Client().get("/api/v1/cases/", {"category": "政府采购"}).json()["total"] == 2
