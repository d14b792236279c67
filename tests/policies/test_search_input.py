"""Search input the API and the list page must refuse or bound: deep paging, limits, unknown filter values,
and the 申报截止临近 sort (only open application windows)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone

from fazhi.core import paging
from fazhi.policies import index, views
from fazhi.search import build

API = "/api/v1/policies/search"
DEEP = "最多只能翻到第 10000 条结果，请缩小检索范围。"


# --- deep paging and limits -----------------------------------------------------------------
def test_a_deep_offset_is_a_400_and_never_reaches_the_index(client, policies, monkeypatch):
    asked: list[tuple[int, int]] = []
    real = index.search

    def spy(*args, **kw):
        asked.append((kw.get("offset", 0), kw.get("limit", 20)))
        return real(*args, **kw)

    monkeypatch.setattr(index, "search", spy)
    for params in ({"offset": 99999999999999}, {"offset": 9990, "limit": 20}, {"offset": 9901, "limit": 100}):
        resp = client.get(API, {"q": "", **params})
        assert resp.status_code == 400, params
        assert resp.json()["detail"] == DEEP
    assert asked == []
    # The last window that fits is served (empty here: four policies).
    ok = client.get(API, {"q": "", "offset": 9900, "limit": 100})
    assert ok.status_code == 200 and ok.json()["results"] == [] and ok.json()["total"] == 4


def test_a_limit_below_one_or_a_negative_offset_is_a_400(client, policies):
    for limit in (0, -1):
        resp = client.get(API, {"q": "补贴", "limit": limit})
        assert resp.status_code == 400
        assert resp.json()["detail"] == "limit 须为 1–100 的整数（超过 100 按 100 返回）。"
    resp = client.get(API, {"q": "补贴", "offset": -1})
    assert resp.status_code == 400 and resp.json()["detail"] == "offset 不能为负数。"
    # Above 100 the limit is cut to 100, as documented (and as the laws API does).
    assert client.get(API, {"q": "", "limit": 500}).status_code == 200


def test_the_laws_and_policies_apis_treat_limits_alike(client, policies):
    laws = client.get("/api/v1/laws/search", {"q": "预算", "limit": 0})
    mine = client.get(API, {"q": "预算", "limit": 0})
    assert laws.status_code == mine.status_code == 400
    assert laws.json()["detail"] == mine.json()["detail"]


def test_an_unknown_sort_is_a_400(client, policies):
    resp = client.get(API, {"sort": "cheapest"})
    assert resp.status_code == 400
    assert resp.json()["detail"].startswith("排序方式“cheapest”无效，可选：relevance（相关度）")
    assert client.get(API, {"sort": ""}).status_code == 200


@pytest.fixture
def two_pages(policies, monkeypatch):
    """The list page with 2 policies a page: three active policies make two pages."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)


def _pager(page: str) -> str:
    found = re.search(r"第 (\d+) / (\d+) 页", page)
    return found.group(0) if found else ""


def test_a_page_past_the_last_shows_the_last_page(client, two_pages):
    for raw in ("99999999999999", "3", "9" * 5000):
        page = client.get("/policies/", {"page": raw})
        assert page.status_code == 200
        html = page.content.decode()
        assert _pager(html) == "第 2 / 2 页", raw
        assert html.count('<li>\n          <h3><a href="/policies/') == 1  # the last page's one policy
        assert 'rel="prev"' in html and 'rel="next"' not in html


def test_a_non_numeric_or_negative_page_is_page_one(client, two_pages):
    for raw in ("abc", "", "-3", "0", "1.5"):
        html = client.get("/policies/", {"page": raw}).content.decode()
        assert _pager(html) == "第 1 / 2 页", raw


def test_the_list_page_stops_at_the_result_cap(client, two_pages, monkeypatch):
    monkeypatch.setattr(paging, "MAX_RESULTS", 2)
    asked: list[int] = []
    real = index.search

    def spy(*args, **kw):
        asked.append(kw["offset"] + kw["limit"])
        return real(*args, **kw)

    monkeypatch.setattr(index, "search", spy)
    html = client.get("/policies/", {"page": "99999999999999"}).content.decode()
    assert "第 1 / 1 页" not in html and 'rel="next"' not in html  # one reachable page: no pager
    assert "最多只能翻到第 2 条结果，请缩小检索范围。" in html
    assert max(asked) <= 2


# --- filters ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("industry", "Z", "行业“Z”无效，请填写国民经济行业分类门类的代码或名称（如 C 或 制造业）。"),
        ("industry", "制造", "行业“制造”无效"),
        ("theme", "不存在", "主题“不存在”无效，可选：疫情防控、复工复产"),
        ("year", "abcd", "年份“abcd”无效，应为四位数字年份，如 2020。"),
        ("year", "20201", "年份“20201”无效"),
        (
            "support_type",
            "xx",
            "支持方式“xx”无效，可选：资金奖补、税费减免、贷款贴息、租金减免、社保缓减、人才、其他。",
        ),
        ("issuer", "机" * 201, "发文机关筛选值过长（最多 200 个字符）。"),
    ],
)
def test_an_unknown_filter_value_is_a_400_in_chinese(client, policies, param, value, message):
    resp = client.get(API, {param: value})
    assert resp.status_code == 400
    assert resp.json()["detail"].startswith(message)
    page = client.get("/policies/", {param: value}).content.decode()
    assert unescape(message) in unescape(page)


@pytest.mark.parametrize(
    ("param", "value", "total"),
    [
        ("industry", "C", 1),
        ("industry", "c", 1),
        ("industry", "住宿和餐饮业", 1),
        ("support_type", "loan_subsidy", 1),
        ("support_type", "贷款贴息", 1),
        ("year", "2020", 3),
        ("year", "2031", 0),  # a well-formed year with no policy is not an error
        ("theme", "房租减免", 2),
        ("theme", "税费优惠", 0),  # a theme the import recognises, carried by no policy yet
    ],
)
def test_known_filter_values_and_codes_are_accepted(client, policies, param, value, total):
    resp = client.get(API, {param: value})
    assert resp.status_code == 200
    assert resp.json()["total"] == total


def test_a_theme_an_administrator_added_is_accepted_once_indexed(client, policies, make_policy):
    assert client.get(API, {"theme": "首店经济"}).status_code == 400
    make_policy(title="首店经济扶持办法", themes="首店经济", full_text="对首店给予奖励。")
    build.rebuild(index.INDEX)
    resp = client.get(API, {"theme": "首店经济"})
    assert resp.status_code == 200 and resp.json()["total"] == 1


def test_every_facet_link_of_the_list_page_works(client, policies):
    for params in ({}, {"show_inactive": "1"}):
        html = client.get("/policies/", params).content.decode()
        aside = html[html.index('<aside class="facets"') : html.index("</aside>")]
        links = [unescape(h) for h in re.findall(r'<li><a href="([^"]+)"', aside)]
        assert len(links) >= 15  # every facet group has values
        for link in links:
            page = client.get("/policies/" + link)
            assert page.status_code == 200, link
            body = page.content.decode()
            assert 'role="alert"' not in body, link
            assert "没有找到符合条件的政策" not in body, link


def test_every_facet_value_of_the_api_filters_to_its_count(client, policies):
    facets = client.get(API, {"q": ""}).json()["facets"]
    checked = 0
    for field, values in facets.items():
        for value, count in values.items():
            resp = client.get(API, {"q": "", field: value})
            assert resp.status_code == 200, (field, value)
            assert resp.json()["total"] == count, (field, value)
            checked += 1
    assert checked >= 15


# --- 申报截止临近 ---------------------------------------------------------------------------
def test_closing_soon_lists_only_open_windows_soonest_first(client, policies, make_policy):
    today = timezone.localdate()
    make_policy(title="已截止", apply_end=(today - dt.timedelta(days=1)).isoformat())
    make_policy(title="今天截止", apply_end=today.isoformat())
    make_policy(title="五天后截止", apply_end=(today + dt.timedelta(days=5)).isoformat())
    build.rebuild(index.INDEX)
    body = client.get(API, {"sort": "closing", "limit": 100}).json()
    titles = [r["title"] for r in body["results"]]
    assert titles == ["今天截止", "五天后截止", "疫情防控重点保障企业贷款贴息"]
    assert body["total"] == 3


def test_a_policy_without_a_window_is_not_indexed_as_open_forever(policies):
    doc = index.policy_document(policies["jobs"])
    assert doc["apply_end"] is None
    assert index.policy_document(policies["loan"])["apply_end"] == int(
        policies["loan"].apply_end.strftime("%Y%m%d")
    )


def test_an_index_built_before_the_fix_still_leaves_policies_without_a_window_out(policies):
    # Indexes built before the fix hold 99991231 for "no window": closing-soon must not list them.
    adapter = index.adapter
    jobs = policies["jobs"]
    with adapter.index.writer(heap_size=15_000_000, num_threads=1) as writer:
        adapter.index.upsert(
            writer, adapter.doc_id(jobs), {**adapter.to_document(jobs), "apply_end": 99991231}
        )
    titles = [p.title for p, _ in index.search("", sort="closing", limit=10).hits]
    assert titles == ["疫情防控重点保障企业贷款贴息"]


@pytest.mark.parametrize("q", ["😀😀", "。，！", "*", "\\", "\u3000"])
def test_a_query_with_nothing_searchable_finds_nothing_rather_than_everything(client, policies, q):
    body = client.get("/api/v1/policies/search", {"q": q}).json()
    if q.strip():
        assert (body["total"], body["results"]) == (0, [])
    else:  # a full-width space alone is an empty query: the whole list
        assert body["total"] == len(policies)
