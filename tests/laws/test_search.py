"""Article search: filters, phrases, the API contract, bad input and the CLI (a small real index)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from fazhi.core.errors import ValidationFailed
from fazhi.laws.models import Law
from fazhi.laws.search import parse_filters, search_articles

RESULT_KEYS = {"law_id", "law_title", "article_label", "article_no", "snippet", "score", "status", "url"}


def api(**params):
    return Client().get("/api/v1/laws/search", params)


def test_it_finds_the_article_on_publishing_budgets(small_library):
    results = search_articles(q="预算批准后多少日内向社会公开", limit=5)
    top = [(h.article.law_title, h.article.label) for h in results.hits]
    assert ("中华人民共和国预算法", "第十四条") in top
    assert "<mark>" in results.hits[0].snippet


def test_only_in_force_texts_are_searched_by_default(small_library):
    transport = Law.objects.get(title="中华人民共和国道路运输条例")
    default = search_articles(q="道路运输经营", limit=100, filters=parse_filters(law=str(transport.pk)))
    assert default.hits and {h.article.status for h in default.hits} == {"in_force"}
    everything = search_articles(
        q="道路运输经营", limit=100, filters=parse_filters(law=str(transport.pk), status="all")
    )
    assert {h.article.status for h in everything.hits} == {"in_force", "amended"}
    amended = search_articles(q="道路运输经营", limit=100, filters=parse_filters(status="已修改"))
    assert {h.article.status for h in amended.hits} == {"amended"}


def test_level_and_region_filters_narrow_the_results(small_library):
    judicial = search_articles(q="借贷 利息", limit=50, filters=parse_filters(level="司法解释"))
    assert judicial.hits
    assert {h.article.law_title for h in judicial.hits} == {
        "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"
    }
    local = search_articles(q="口岸", limit=50, filters=parse_filters(region="上海市"))
    assert local.hits and {h.article.law_title for h in local.hits} == {"上海口岸服务条例"}


def test_a_quoted_phrase_must_appear_in_every_result(small_library):
    results = search_articles(q="“向社会公开”", limit=50)
    assert results.hits
    assert all("向社会公开" in h.article.text for h in results.hits)
    loose = search_articles(q="社会 公开", limit=100)
    assert loose.total > results.total


def test_unknown_filter_values_are_refused_in_chinese(small_library):
    with pytest.raises(ValidationFailed, match="效力级别"):
        parse_filters(level="火星法")
    with pytest.raises(ValidationFailed, match="效力状态"):
        parse_filters(status="半有效")


def test_the_api_returns_exactly_the_documented_fields(small_library):
    response = api(q="预算公开", limit=3)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"query", "total", "shown_total", "took_ms", "results"}
    assert body["query"] == "预算公开" and body["total"] >= body["shown_total"] >= len(body["results"]) > 0
    assert len(body["results"]) <= 3
    for hit in body["results"]:
        assert set(hit) == RESULT_KEYS
        assert hit["status"] == "有效"
        assert hit["url"].startswith(f"/laws/{hit['law_id']}/articles/")
    budget = next(h for h in api(q="预算 向社会公开", limit=10).json()["results"] if h["article_no"] == "14")
    assert budget["law_title"] == "中华人民共和国预算法" and budget["article_label"] == "第十四条"


def test_the_api_filters_by_law_and_status(small_library):
    transport = Law.objects.get(title="中华人民共和国道路运输条例")
    only = api(q="道路运输", law=transport.pk, limit=100).json()["results"]
    assert only and {h["law_id"] for h in only} == {transport.pk}
    with_old = api(q="道路运输", law=transport.pk, status="all", limit=100).json()["results"]
    assert {h["status"] for h in with_old} == {"有效", "已修改"}
    assert (
        api(q="道路运输", include_inactive=1, limit=100).json()["total"]
        == api(q="道路运输", status="all", limit=100).json()["total"]
    )


def test_an_empty_query_is_a_400_with_a_chinese_message(small_library):
    for q in ("", "   "):
        response = api(q=q)
        assert response.status_code == 400
        assert response.json()["detail"] == "请输入要检索的内容。"
    assert api(q="预算", limit=0).status_code == 400
    assert len(api(q="预算", limit=500).json()["results"]) <= 100


ODD_QUERIES = [
    "预算" * 500,
    "🙂😡 预算？！",
    "ｐｒｏｃｕｒｅｍｅｎｔ　預算公開　１２３",
    "政府採購的質疑期限是多少？",
    "'; DROP TABLE laws_law; --",
    "<script>alert(1)</script> 预算",
    '《》〈〉“”""()（）【】',
    "AND OR NOT * ? ~ : ^ [ ] { }",
]


def test_odd_queries_never_fail_or_inject(small_library):
    for q in ODD_QUERIES:
        _check_odd_query(q)


def _check_odd_query(q: str) -> None:
    response = api(q=q, limit=10)
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == q.strip()[:1000]  # echoed as data, never as markup
    for hit in body["results"]:
        assert set(hit) == RESULT_KEYS
        assert "<script" not in hit["snippet"]
    page = Client().get("/laws/search", {"q": q})
    assert page.status_code == 200
    assert "<script>alert" not in page.content.decode()


def test_traditional_characters_find_simplified_texts(small_library):
    simplified = api(q="预算公开", limit=5).json()["results"]
    traditional = api(q="預算公開", limit=5).json()["results"]
    assert [h["url"] for h in traditional] == [h["url"] for h in simplified]


def test_the_cli_prints_ranked_articles(small_library):
    out = io.StringIO()
    call_command("search_laws", "预算 向社会公开", "--limit", "3", stdout=out)
    text = out.getvalue()
    assert text.startswith("共 ") and "中华人民共和国预算法" in text
    assert "<mark>" not in text
