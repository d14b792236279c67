"""「被引用」: an article page lists the articles whose text cites it (in-force texts first), from a citation
index built at import time, incremental and idempotent; the page costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.core.numerals import int_to_cn
from fazhi.laws import citation_index, services
from fazhi.laws.models import Article, ArticleCitation, CitationScan, Law, Level, Status

from .conftest import LAWS, shared_records, write_jsonl
from .test_article_versions import version
from .test_queries_pages import make_law

LABOUR = "中华人民共和国劳动合同法"
LABOUR_RULES = "中华人民共和国劳动合同法实施条例"


def test_the_labour_contract_law_article_47_lists_the_implementing_rules_that_cite_it(db, tmp_path):
    records = shared_records([(LAWS, LABOUR, 1), (LAWS, LABOUR_RULES, 1)])
    services.import_laws(path=write_jsonl(tmp_path / "labour.jsonl", records))  # builds the index
    law = Law.objects.get(title=LABOUR)
    rules = Law.objects.get(title=LABOUR_RULES)
    html = Client().get(f"/laws/{law.pk}/articles/47/").content.decode()
    assert "被引用" in html
    assert f'href="/laws/{rules.pk}/articles/6/">{LABOUR_RULES} 第六条</a>' in html
    assert f'href="/laws/{rules.pk}/articles/22/">{LABOUR_RULES} 第二十二条</a>' in html
    # 本法第四十七条 in the law itself (第八十七条) counts as well.
    assert f'href="/laws/{law.pk}/articles/87/">{LABOUR} 第八十七条</a>' in html


@pytest.fixture
def cited(db):
    target = make_law("中华人民共和国测试法", range(1, 6))
    in_force = make_law(
        "乙测试条例",
        [1, 2],
        level=Level.ADMIN_REGULATION,
        texts={
            1: "依照测试法第三条的规定办理。",
            2: "违反《中华人民共和国测试法》第三条、第四条的，依法处理。",
        },
    )
    repealed = make_law(
        "甲测试办法", [1], level=Level.LAW, status=Status.REPEALED, texts={1: "按照《测试法》第三条执行。"}
    )
    citation_index.sync()
    return target, in_force, repealed


def test_in_force_texts_come_first_and_each_citing_article_once(cited):
    target, in_force, repealed = cited
    html = Client().get(f"/laws/{target.pk}/articles/3/").content.decode()
    assert "被引用（3 条）" in html
    first = html.index("乙测试条例 第一条")
    second = html.index("乙测试条例 第二条")
    old = html.index("甲测试办法 第一条")
    assert first < old and second < old  # 有效 before 已废止
    four = Client().get(f"/laws/{target.pk}/articles/4/").content.decode()
    assert "乙测试条例 第二条" in four and "乙测试条例 第一条" not in four  # each article of a list
    five = Client().get(f"/laws/{target.pk}/articles/5/").content.decode()
    assert "法规库中暂无引用本条的条文" in five


def test_the_list_is_limited_and_links_to_the_full_list(cited, monkeypatch):
    from fazhi.laws import views

    target, _, _ = cited
    monkeypatch.setattr(views, "CITED_BY_LIMIT", 2)
    html = Client().get(f"/laws/{target.pk}/articles/3/").content.decode()
    section = html[html.index('id="cited-by-title"') : html.index('id="cases-title"')]
    assert section.count("<li>") == 2
    assert f'href="/laws/{target.pk}/articles/3/cited-by/">查看全部 3 条' in html
    full = Client().get(f"/laws/{target.pk}/articles/3/cited-by/")
    assert full.status_code == 200
    body = full.content.decode()
    assert "共 3 条" in body and "甲测试办法 第一条" in body and "乙测试条例 第二条" in body
    missing = Client().get(f"/laws/{target.pk}/articles/99/cited-by/")
    assert missing.status_code == 404 and "这部法规的当前版本中没有这一条" in missing.content.decode()


def test_the_index_is_idempotent_and_incremental(cited):
    rows = set(
        ArticleCitation.objects.values_list("citing_id", "cited_law_id", "cited_number", "cited_suffix")
    )
    again = citation_index.sync()
    assert again.scanned == 0 and again.citations == 0
    assert (
        set(ArticleCitation.objects.values_list("citing_id", "cited_law_id", "cited_number", "cited_suffix"))
        == rows
    )
    rebuilt = citation_index.sync(rebuild=True)
    assert rebuilt.scanned == CitationScan.objects.count() and rebuilt.citations == len(rows)
    later = make_law("丙测试规定", [1], level=Level.ADMIN_REGULATION, texts={1: "依照测试法第五条办理。"})
    added = citation_index.sync()
    assert added.scanned == 1 and added.citations == 1
    target = cited[0]
    html = Client().get(f"/laws/{target.pk}/articles/5/").content.decode()
    assert f'href="/laws/{later.pk}/articles/1/"' in html


def test_a_new_version_replaces_the_old_versions_citations(cited, reviewer):
    target, in_force, _ = cited
    services.add_law_from_text(
        user=reviewer,
        title="乙测试条例",
        level=Level.ADMIN_REGULATION,
        text="第一条 依照测试法第五条的规定办理。",
        publish_date=None,
        status=Status.IN_FORCE,
    )
    three = Client().get(f"/laws/{target.pk}/articles/3/").content.decode()
    assert "乙测试条例" not in three  # the old version's citations are gone
    five = Client().get(f"/laws/{target.pk}/articles/5/").content.decode()
    assert "乙测试条例 第一条" in five


def test_a_law_added_later_gets_the_citations_that_named_it_before(cited, reviewer):
    make_law("丁测试细则", [1], level=Level.ADMIN_REGULATION, texts={1: "依照《新设测试法》第二条办理。"})
    citation_index.sync()
    assert ArticleCitation.objects.filter(cited_law=None, cited_norm="新设测试法").count() == 1
    version = services.add_law_from_text(
        user=reviewer,
        title="新设测试法",
        level=Level.LAW,
        text="第一条 为了测试，制定本法。\n第二条 本法自公布之日起施行。",
        publish_date=None,
        status=Status.IN_FORCE,
    )
    html = Client().get(f"/laws/{version.law_id}/articles/2/").content.decode()
    assert "丁测试细则 第一条" in html


def test_an_old_version_page_lists_no_citations(cited):
    target, _, _ = cited
    old = version(target, [3], latest=False, status=Status.AMENDED, published=dt.date(2000, 1, 1))
    html = Client().get(f"/laws/{target.pk}/articles/3/", {"version": old.pk}).content.decode()
    assert "被引用" not in html


def queries(url):
    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_article_page_costs_the_same_queries_however_many_cite_it(cited):
    target, _, _ = cited
    few = queries(f"/laws/{target.pk}/articles/3/")
    texts = {i: f"依照测试法第{int_to_cn(1)}条办理。" for i in range(1, 31)}
    make_law("戊测试条例", range(1, 31), level=Level.ADMIN_REGULATION, texts=texts)
    citation_index.sync()
    assert (
        Article.objects.filter(citations_made__cited_law=target, citations_made__cited_number=1).count() == 30
    )
    assert queries(f"/laws/{target.pk}/articles/1/") == few
