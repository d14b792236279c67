"""Case library paging: deep pages are capped, a page past the last shows the last page (list page) or
no items with the right page count (API), and the index is never asked for an unbounded window."""

from __future__ import annotations

import re

import pytest

from fazhi.cases import selectors
from fazhi.core import paging
from fazhi.search import registry


@pytest.fixture
def three_cases(make_case, monkeypatch):
    """Three published cases, one a page."""
    for title in ("案例一排斥外地企业", "案例二排斥外地企业", "案例三排斥外地企业"):
        make_case(title)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)


@pytest.fixture
def asked(monkeypatch):
    """The deepest result (offset + limit) the case index is asked for."""
    seen: list[int] = []
    engine = registry.get(selectors.INDEX).index
    real = engine.search

    def spy(*args, **kw):
        seen.append(kw.get("offset", 0) + kw.get("limit", 10))
        return real(*args, **kw)

    monkeypatch.setattr(engine, "search", spy)
    return seen


def _pager(html: str) -> str:
    found = re.search(r"第 (\d+) / (\d+) 页", html)
    return found.group(0) if found else ""


def test_a_page_past_the_last_shows_the_last_page(client, three_cases, asked):
    for raw in ("99999999999999", "4", "9" * 5000):
        html = client.get("/cases/", {"page": raw}).content.decode()
        assert _pager(html) == "第 3 / 3 页", raw
        assert "没有找到符合条件的案例" not in html
        assert "下一页" not in html and "上一页" in html
    assert max(asked) <= paging.MAX_RESULTS
    for raw in ("abc", "0", "-1"):
        assert _pager(client.get("/cases/", {"page": raw}).content.decode()) == "第 1 / 3 页", raw


def test_the_list_page_stops_at_the_result_cap(client, three_cases, asked, monkeypatch):
    monkeypatch.setattr(paging, "MAX_RESULTS", 2)
    html = client.get("/cases/", {"page": "3"}).content.decode()
    assert _pager(html) == "第 2 / 2 页"
    assert max(asked) <= 2


def test_the_api_gives_an_empty_page_past_the_last_and_refuses_deep_pages(client, three_cases, asked):
    past = client.get("/api/v1/cases/", {"page": 5})
    assert past.status_code == 200
    body = past.json()
    assert body["items"] == [] and body["page"] == 5 and body["pages"] == 3 and body["total"] == 3
    deep = client.get("/api/v1/cases/", {"page": 99999999999999})
    assert deep.status_code == 400
    assert deep.json()["detail"] == "最多只能翻到第 10000 条结果，请缩小检索范围。"
    zero = client.get("/api/v1/cases/", {"page": 0})
    assert zero.status_code == 400 and zero.json()["detail"] == "page 须为不小于 1 的整数。"
    assert max(asked) <= paging.MAX_RESULTS
