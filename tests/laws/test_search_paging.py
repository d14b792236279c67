"""Deep paging in the article search: the API refuses it in Chinese, the page shows its last page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fazhi.core import paging
from fazhi.core.errors import ValidationFailed
from fazhi.laws import search as law_search
from fazhi.laws.search import search_articles

DEEP = "最多只能翻到第 10000 条结果，请缩小检索范围。"


def api(**params):
    return Client().get("/api/v1/laws/search", params)


def test_a_deep_offset_is_a_400_in_chinese(small_library):
    for params in ({"offset": 99999999999999}, {"offset": 9995, "limit": 10}, {"offset": 9901, "limit": 500}):
        resp = api(q="预算", **params)
        assert resp.status_code == 400, params
        assert resp.json()["detail"] == DEEP
    assert api(q="预算", offset=9990, limit=10).status_code == 200


def test_limits_and_negative_offsets_are_refused_in_chinese(small_library):
    for limit in (0, -1):
        resp = api(q="预算", limit=limit)
        assert resp.status_code == 400
        assert resp.json()["detail"] == "limit 须为 1–100 的整数（超过 100 按 100 返回）。"
    resp = api(q="预算", offset=-1)
    assert resp.status_code == 400 and resp.json()["detail"] == "offset 不能为负数。"


def test_search_articles_refuses_a_window_the_index_would_have_to_allocate(small_library, monkeypatch):
    monkeypatch.setattr(law_search.adapter.index, "search", lambda *a, **k: pytest.fail("index asked"))
    with pytest.raises(ValidationFailed, match="最多只能翻到第 10000 条结果"):
        search_articles(q="预算", limit=10, offset=99999999999999)


def _pager(html: str) -> tuple[int, int] | None:
    found = re.search(r"第 (\d+) / (\d+) 页", html)
    return (int(found.group(1)), int(found.group(2))) if found else None


def test_a_page_past_the_last_shows_the_last_page(small_library):
    first = Client().get("/laws/search", {"q": "预算"}).content.decode()
    pager = _pager(first)
    assert pager is not None and pager[0] == 1 and pager[1] >= 2
    last = pager[1]
    for raw in ("99999999999999", str(last + 1), "9" * 5000):
        html = Client().get("/laws/search", {"q": "预算", "page": raw}).content.decode()
        assert _pager(html) == (last, last), raw
        assert 'rel="next"' not in html and 'rel="prev"' in html
        assert "没有找到相关条文" not in html
    for raw in ("abc", "-2", "0"):
        html = Client().get("/laws/search", {"q": "预算", "page": raw}).content.decode()
        assert _pager(html) == (1, last), raw


def test_the_search_page_stops_at_the_result_cap(small_library, monkeypatch):
    monkeypatch.setattr(paging, "MAX_RESULTS", 40)
    html = Client().get("/laws/search", {"q": "预算", "page": "7"}).content.decode()
    assert _pager(html) == (2, 2)
    assert "最多只能翻到第 40 条结果，请缩小检索范围。" in html
