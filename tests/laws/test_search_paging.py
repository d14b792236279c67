"""Deep paging in the article search: the API refuses it in Chinese, the page shows its last page; the
header, the pager and the API say how many of the matches can be shown."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fazhi.core import paging
from fazhi.core.errors import ValidationFailed
from fazhi.laws import search as law_search
from fazhi.laws.search import search_articles

from .test_ranking import library, trained  # noqa: F401  (the re-ranker's tiny library and model)

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


# The learned re-ranker orders only its candidates (the first `depth` BM25 matches, the predicted laws'
# and chapters' articles): on the real library 政府采购 matches 34,766 articles and about 1,260 can be
# shown. Here the tiny library's model reads 2 candidates of the 7 articles these words match, and a
# page holds one hit.
MANY = "用人单位 劳动者 机动车 储蓄机构"


@pytest.fixture
def two_candidates(trained, monkeypatch):  # noqa: F811
    from fazhi.laws import views
    from fazhi.laws.ranking.model import get_model

    params = get_model().params
    for name, value in (("depth", 2), ("law_candidates", 0), ("chapter_candidates", 0)):
        monkeypatch.setitem(params, name, value)
    monkeypatch.setattr(views, "SEARCH_PAGE_SIZE", 1)
    results = search_articles(q=MANY, limit=10)
    assert (results.total, results.shown, len(results.hits)) == (7, 2, 2)
    return results


def test_the_header_says_how_many_of_the_matches_can_be_shown(two_candidates):
    html = Client().get("/laws/search", {"q": MANY}).content.decode()
    assert "找到 7 条相关条文，显示最相关的 2 条" in html
    assert _pager(html) == (1, 2) and 'rel="next"' in html
    assert "最多只能翻到第 2 条结果，请缩小检索范围。" in html


def test_the_last_page_the_pager_offers_has_results(two_candidates):
    html = Client().get("/laws/search", {"q": MANY, "page": "2"}).content.decode()
    assert _pager(html) == (2, 2) and 'rel="next"' not in html
    assert html.count('<h2 class="h3">') == 1 and "没有找到相关条文" not in html
    assert "超出了可显示的范围" not in html


def test_a_page_past_the_shown_results_shows_the_last_page_with_a_notice(two_candidates):
    for raw in ("3", "7", "500"):
        html = Client().get("/laws/search", {"q": MANY, "page": raw}).content.decode()
        assert _pager(html) == (2, 2), raw
        assert html.count('<h2 class="h3">') == 1 and "没有找到相关条文" not in html
        assert "所要的页超出了可显示的范围（最多 2 页），这里显示的是最后一页。" in html
        assert "找到 7 条相关条文，显示最相关的 2 条" in html


def test_the_api_reports_the_shown_total_and_an_offset_past_it_is_an_empty_page(two_candidates):
    first = api(q=MANY, limit=1).json()
    assert (first["total"], first["shown_total"], len(first["results"])) == (7, 2, 1)
    last = api(q=MANY, offset=1, limit=10).json()
    assert (last["total"], last["shown_total"], len(last["results"])) == (7, 2, 1)
    for offset in (2, 6, 7):
        resp = api(q=MANY, offset=offset, limit=1)
        assert resp.status_code == 200, offset
        assert (resp.json()["shown_total"], resp.json()["results"]) == (2, [])


def test_without_the_re_ranker_every_match_is_shown(small_library):
    found = api(q="预算", limit=5).json()
    assert found["shown_total"] == found["total"] > 5
    html = Client().get("/laws/search", {"q": "预算"}).content.decode()
    assert f"找到 {found['total']:,} 条相关条文（" in html and "显示最相关" not in html
    assert "最多只能翻到" not in html
    past = api(q="预算", offset=found["total"], limit=5)
    assert past.status_code == 200 and past.json()["results"] == []  # past every match: just the end


def test_large_counts_are_written_with_thousands_separators(db, monkeypatch):
    from fazhi.laws import views

    found = law_search.ArticleResults(query="政府采购", total=34766, took_ms=1.0, hits=[], shown=1264)
    monkeypatch.setattr(views, "search_articles", lambda **kwargs: found)
    html = Client().get("/laws/search", {"q": "政府采购"}).content.decode()
    assert "找到 34,766 条相关条文，显示最相关的 1,264 条" in html
    assert _pager(html) == (1, 64)
