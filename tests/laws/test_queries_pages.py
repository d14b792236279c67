"""Query counts of law pages: citations are resolved in one query per kind, not one per citation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.core.numerals import article_label, int_to_cn
from fazhi.laws import citations, selectors
from fazhi.laws.models import Article, Law, LawVersion, Level, Status
from fazhi.laws.rendering import CitationLinker, article_html, article_texts


def make_law(title, numbers, *, region="", level=Level.LAW, status=Status.IN_FORCE, texts=None):
    """A law with one current version whose articles carry `numbers` (texts: number → article text)."""
    law = Law.objects.create(
        title=title, norm_title=citations.normalize_title(title), level=level, region=region
    )
    version = LawVersion.objects.create(law=law, status=status, text=title, text_hash=title)
    for ordinal, number in enumerate(numbers, start=1):
        text = (texts or {}).get(number, f"{title}的第{number}条规定。")
        Article.objects.create(
            version=version,
            law=law,
            number=number,
            label=article_label(number, 0),
            ordinal=ordinal,
            text=text,
            paragraphs=[{"text": text, "items": [f"（一）依照本法第{int_to_cn(1)}条办理；"]}],
        )
    return law


@pytest.fixture
def cited(db):
    """The laws other texts cite: 预算法, the two 民法典 parts, a national and a local 测试法."""
    return {
        "budget": make_law("中华人民共和国预算法", range(1, 41)),
        "general": make_law("中华人民共和国民法典·总则编", range(1, 11)),
        "contracts": make_law("中华人民共和国民法典·合同编", range(463, 471)),
        "national": make_law("中华人民共和国测试法", range(1, 5)),
        "local": make_law("测试法", range(1, 5), region="上海市", level=Level.LOCAL_REGULATION),
    }


def citing_text(i):
    n = int_to_cn(i + 1)
    return (
        f"依照《中华人民共和国预算法》第{n}条、预算法第{int_to_cn(i + 2)}条和《民法典》第一条、"
        f"第四百六十三条，参照《测试法》第二条、《中华人民共和国民法典》第{int_to_cn(463 + i % 8)}条，"
        f"以及《不存在的条例》第三条、《预算法》第九百条、本条例第一条办理。"
    )


def make_citing_law(count, title="某某管理条例"):
    return make_law(
        title,
        range(1, count + 1),
        level=Level.ADMIN_REGULATION,
        texts={i: citing_text(i) for i in range(1, count + 1)},
    )


def queries(url):
    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_law_page_reads_a_fixed_number_of_queries_however_many_citations(cited):
    few_law = make_citing_law(2, "甲管理条例")
    many_law = make_citing_law(30, "乙管理条例")
    few, _ = queries(f"/laws/{few_law.pk}/")
    many, html = queries(f"/laws/{many_law.pk}/")
    assert few == many
    assert many <= 12
    budget, contracts = cited["budget"], cited["contracts"]
    assert f'href="/laws/{budget.pk}/articles/31/"' in html  # 《中华人民共和国预算法》第三十一条
    assert f'href="/laws/{budget.pk}/articles/32/"' in html  # 预算法第三十二条 (no brackets)
    assert f'href="/laws/{contracts.pk}/articles/463/"' in html  # found in the sibling part
    assert 'href="#art-1"' in html  # 本条例第一条 on the same page
    assert "《不存在的条例》第三条" in html and "/articles/900/" not in html


def test_the_article_page_reads_a_fixed_number_of_queries_however_many_citations(cited):
    law = make_citing_law(3)
    busy = Article.objects.get(law=law, number=3)
    busy.text = "".join(citing_text(i) for i in range(10))  # ten times the citations of article 1
    busy.paragraphs = [{"text": busy.text, "items": []}]
    busy.save()
    few, _ = queries(f"/laws/{law.pk}/articles/1/")
    many, html = queries(f"/laws/{law.pk}/articles/3/")
    assert few == many
    for n in range(1, 11):
        assert f'href="/laws/{cited["budget"].pk}/articles/{n}/"' in html


def test_prefetched_links_are_the_same_as_links_resolved_one_at_a_time(cited):
    law = make_citing_law(12)
    articles = selectors.articles_of(selectors.current_version(law))
    one_by_one = CitationLinker(law, articles)
    batched = CitationLinker(law, articles)
    batched.prefetch(t for a in articles for t in article_texts(a))
    for a in articles:
        expected = article_html(a, one_by_one, label_url=a.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            got = article_html(a, batched, label_url=a.get_absolute_url())
        assert got == expected
        assert ctx.captured_queries == []  # everything was resolved by prefetch
    assert expected.count('class="citation"') >= 6


def test_find_laws_chooses_what_find_law_chooses(cited):
    Law.objects.create(title="中华人民共和国某法（2018年修正）", norm_title="某法", level=Level.LAW)
    Law.objects.create(
        title="某某法简称全称", norm_title="某某法简称全称", short_name="简称法", level=Level.LAW
    )
    titles = [
        "中华人民共和国预算法",  # exact
        "预算法",  # normalised title
        "《中华人民共和国民法典》",  # two parts share the normalised title
        "民法典",
        "测试法",  # exact title of the local one
        "中华人民共和国 测试法",  # spaces
        "某法",
        "简称法",  # short name
        "不存在的法",
        "（）",  # normalises to nothing
    ]
    batch = citations.find_laws(titles)
    assert batch == {t: citations.find_law(t) for t in titles}
    assert batch["预算法"] == cited["budget"]
    assert batch["测试法"] == cited["local"]
    assert batch["不存在的法"] is None


def test_find_articles_finds_what_find_article_finds(cited):
    wanted = [
        (cited["budget"], 7, 0),
        (cited["budget"], 900, 0),
        (cited["general"], 463, 0),  # in the sibling part
        (cited["contracts"], 1, 0),
        (cited["general"], 999, 0),
        (cited["national"], 2, 0),
    ]
    batch = citations.find_articles(wanted)
    for law, number, suffix in wanted:
        one = citations.find_article(law, number, suffix)
        got = batch[(law.pk, number, suffix)]
        assert (got.pk if got else None) == (one.pk if one else None)
    assert batch[(cited["general"].pk, 463, 0)].law == cited["contracts"]


def test_current_version_ids_match_current_version(cited):
    law = cited["budget"]
    LawVersion.objects.filter(law=law).update(status=Status.AMENDED, is_latest=False)
    LawVersion.objects.create(
        law=law, status=Status.NOT_YET_IN_FORCE, text="新", text_hash="n", version_index=3
    )
    laws = list(Law.objects.all())
    ids = selectors.current_version_ids(law.pk for law in laws)
    assert ids == {law.pk: selectors.current_version(law).pk for law in laws}


def test_the_article_admin_list_reads_a_fixed_number_of_queries(cited, sysadmin):
    client = Client()
    client.force_login(sysadmin)
    url = "/admin/laws/article/?law__level__exact=local_regulation"
    few, _ = queries_as(client, url)
    make_law("另一部地方测试法", range(1, 30), region="上海市", level=Level.LOCAL_REGULATION)
    many, html = queries_as(client, url)
    assert few == many
    assert "另一部地方测试法" in html
    one = Article.objects.filter(law__title="另一部地方测试法").first()
    detail = client.get(f"/admin/laws/article/{one.pk}/change/").content.decode()
    assert one.text in detail and "另一部地方测试法" in detail


def queries_as(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()
