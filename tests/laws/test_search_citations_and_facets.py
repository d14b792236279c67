"""Law search: a cited article comes first (audit M3); the 效力级别 counts add up to the total and each
is the total its link gives (audit M2), with and without the learned re-ranker."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fazhi.laws.models import Article, Law, LawVersion, Level
from fazhi.laws.search import parse_filters, search_articles

from .test_ranking import library, trained  # noqa: F401  (the re-ranker's tiny library and model)


def _first(q: str, **filters: str) -> tuple[str, str]:
    hit = search_articles(q=q, limit=5, filters=parse_filters(**filters)).hits[0]
    return hit.article.law_title, hit.article.label


@pytest.mark.parametrize(
    ("q", "title", "label"),
    [
        ("预算法第十条", "中华人民共和国预算法", "第十条"),
        ("预算法 第10条", "中华人民共和国预算法", "第十条"),
        ("《中华人民共和国预算法》第十条", "中华人民共和国预算法", "第十条"),
        ("《预算法》第二十七条", "中华人民共和国预算法", "第二十七条"),
        ("政府采购法第二十二条", "中华人民共和国政府采购法", "第二十二条"),
        ("预算法实施条例第十条", "中华人民共和国预算法实施条例", "第十条"),
        ("请问政府采购法第二十二条规定了什么", "中华人民共和国政府采购法", "第二十二条"),
    ],
)
def test_a_law_name_with_an_article_number_puts_that_article_first(small_library, q, title, label):
    assert _first(q) == (title, label)


def test_the_cited_article_is_first_on_the_page_and_in_the_api_and_counted(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    api = Client().get("/api/v1/laws/search", {"q": "预算法第十条", "limit": 100}).json()
    assert api["results"][0]["url"] == f"/laws/{budget.pk}/articles/10/"
    assert [r["url"] for r in api["results"]].count(f"/laws/{budget.pk}/articles/10/") == 1
    html = Client().get("/laws/search", {"q": "预算法第十条"}).content.decode()
    assert html.index(f'href="/laws/{budget.pk}/articles/10/"') == html.index(
        'href="/laws/', html.index("<ol")
    )


def test_a_citation_respects_the_filters(small_library):
    # Filtered out by level: the statute's article is not pinned into 行政法规 results.
    title, _ = _first("预算法第十条", level="administrative_regulation")
    assert title != "中华人民共和国预算法"
    # A number the law does not have pins nothing and fails nothing.
    assert search_articles(q="预算法第九百九十九条", limit=5).total >= 0


def test_a_short_name_shared_by_the_parts_of_a_code_finds_the_part_holding_the_article(small_library):
    from fazhi.search import build

    law = Law.objects.create(
        title="中华人民共和国民法典·合同编", short_name="民法典 合同编", norm_title="民法典", level=Level.LAW
    )
    text = "第五百条 当事人在订立合同过程中有下列情形之一，造成对方损失的，应当承担赔偿责任。"
    version = LawVersion.objects.create(law=law, text=text, text_hash="civil")
    Article.objects.create(version=version, law=law, number=500, label="第五百条", ordinal=1, text=text[5:])
    # Another part whose words match the question better: a word match must not beat the citation.
    general = Law.objects.create(
        title="中华人民共和国民法典·总则", short_name="民法典 总则", norm_title="民法典", level=Level.LAW
    )
    other = "民法典第五百条规定的情形，依照民法典第五百条处理。"
    general_version = LawVersion.objects.create(law=general, text=other, text_hash="general")
    Article.objects.create(
        version=general_version, law=general, number=1, label="第一条", ordinal=1, text=other
    )
    build.rebuild("laws")
    assert _first("民法典第五百条") == ("中华人民共和国民法典·合同编", "第五百条")


def _facet_total_consistency(q: str) -> int:
    page = search_articles(q=q, limit=20, facets=True)
    levels = page.facets["level"]
    assert sum(levels.values()) == page.total > 0
    for level, n in levels.items():
        narrowed = search_articles(q=q, limit=20, facets=True, filters=parse_filters(level=level))
        assert narrowed.total == n and narrowed.facets["level"] == {level: n}
    return page.total


@pytest.mark.parametrize("q", ["预算 公开", "采购", "预算法第十条", "“预算”"])
def test_level_counts_add_up_and_match_the_filtered_total(small_library, q):
    _facet_total_consistency(q)


def test_level_counts_add_up_with_the_re_ranker_too(trained):  # noqa: F811
    from fazhi.laws.ranking.hooks import active_model
    from fazhi.search import build

    Law.objects.filter(short_name="储蓄管理条例").update(level=Level.ADMIN_REGULATION)
    build.rebuild("laws")
    assert active_model() is not None
    # 老板不给钱 matches the savings rules by its words; the overtime article comes from the learned
    # chapter model without matching a word, and must be counted all the same.
    total = _facet_total_consistency("老板不给钱")
    ranked = search_articles(q="老板不给钱", limit=100)
    assert len(ranked.hits) <= total
    html = Client().get("/laws/search", {"q": "老板不给钱"}).content.decode()
    shown = int(re.search(r"找到 (\d+) 条", html).group(1))
    counts = [int(n) for n in re.findall(r"（(\d+)）</a>", html)]
    assert shown == total == sum(counts)


def test_a_cited_article_comes_first_with_the_re_ranker(trained):  # noqa: F811
    signals = trained[("道路交通安全法", 2)]
    hits = search_articles(q="老板不给钱 劳动合同法第二条", limit=10).hits
    assert hits[0].article.pk == trained[("劳动合同法", 2)]
    hits = search_articles(q="道路交通安全法第二条", limit=10).hits
    assert hits[0].article.pk == signals
    assert [h.article.pk for h in hits].count(signals) == 1


def test_the_site_search_counts_what_the_law_search_page_shows(small_library):
    from fazhi.cases import portal

    for q in ("预算", "政府采购", "预算法第十条"):
        group = next(g for g in portal.site_search(q) if g.index == "laws")
        page = Client().get("/laws/search", {"q": q}).content.decode()
        assert f"找到 {group.total} 条相关条文" in page, q
    first = next(g for g in portal.site_search("预算法第十条") if g.index == "laws").hits[0]
    assert first.title == "中华人民共和国预算法第十条"


def test_the_site_search_shows_the_law_group_first_for_a_cited_article(small_library):
    from fazhi.cases import portal

    cited = portal.site_search("预算法第十条")
    assert cited[0].index == "laws" and cited[0].exact
    assert cited[0].hits[0].title == "中华人民共和国预算法第十条"
    plain = portal.site_search("预算")
    assert [g.index for g in plain][:2] == ["policies", "laws"] and not any(g.exact for g in plain)
