"""Pages: the list with facets, the law page (TOC, anchors, versions, citations), diff, article permalink."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.laws.models import Law


def test_the_list_shows_laws_with_facets_and_filters(small_library):
    page = Client().get("/laws/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "中华人民共和国预算法" in html and "效力级别" in html and "制定机关" in html and "公布年份" in html
    assert "共 7 部" not in html  # one row per law (its latest version), not per version
    filtered = Client().get("/laws/", {"level": "local_regulation"}).content.decode()
    assert "上海口岸服务条例" in filtered and "中华人民共和国预算法" not in filtered
    by_year = Client().get("/laws/", {"year": "2018"}).content.decode()
    assert "中华人民共和国预算法" in by_year and "上海口岸服务条例" not in by_year


def test_the_law_page_has_a_toc_anchors_status_basis_and_citation_links(small_library):
    rules = Law.objects.get(title="中华人民共和国预算法实施条例")
    html = Client().get(f"/laws/{rules.pk}/").content.decode()
    assert 'id="art-1"' in html and 'href="#art-1"' in html  # TOC entry → first article of 第一章
    assert "状态依据" in html
    budget = Law.objects.get(title="中华人民共和国预算法")
    # 预算法第X条 inside the implementing regulation links to the law's article page.
    assert f'href="/laws/{budget.pk}/articles/' in html


def test_the_version_switcher_and_diff(small_library):
    transport = Law.objects.get(title="中华人民共和国道路运输条例")
    old, new = transport.versions.order_by("publish_date")
    html = Client().get(f"/laws/{transport.pk}/", {"version": old.pk}).content.decode()
    assert "已修改" in html and f'value="{old.pk}" selected' in html
    diff = Client().get(f"/laws/{transport.pk}/diff", {"a": old.pk, "b": new.pk})
    body = diff.content.decode()
    assert diff.status_code == 200
    assert "处条文有变化" in body and ('class="diff-add"' in body or 'class="diff-del"' in body)
    assert Client().get(f"/laws/{transport.pk}/", {"version": "999999"}).status_code == 404


def test_a_law_with_one_version_has_nothing_to_diff(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    response = Client().get(f"/laws/{budget.pk}/diff")
    assert response.status_code == 404 and "只有一个版本" in response.content.decode()


def test_the_article_permalink_page(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    response = Client().get(f"/laws/{budget.pk}/articles/14/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "第十四条" in html and "相关案例" in html and "下一条：第十五条" in html
    assert Client().get(f"/laws/{budget.pk}/articles/999/").status_code == 404
    assert Client().get("/laws/999999/").status_code == 404


def test_the_search_page_lists_results_with_status_and_links(small_library):
    html = Client().get("/laws/search", {"q": "预算 向社会公开"}).content.decode()
    assert "中华人民共和国预算法 第十四条" in html and "<mark>" in html and "有效" in html
    assert 'href="/laws/' in html
    empty = Client().get("/laws/search").content.decode()
    assert 'name="q"' in empty and "找到" not in empty


DEPUTIES = "中华人民共和国全国人民代表大会和地方各级人民代表大会代表法"


@pytest.fixture
def deputies_law(db, tmp_path):
    from fazhi.laws import services

    from .conftest import LAWS, shared_records, write_jsonl

    records = shared_records([(LAWS, DEPUTIES, 1), (LAWS, DEPUTIES, 2)])
    services.import_laws(path=write_jsonl(tmp_path / "deputies.jsonl", records))
    law = Law.objects.get(title=DEPUTIES)
    old, new = law.versions.order_by("publish_date")
    return law, old, new


def test_the_diff_pairs_renumbered_articles_by_their_text(deputies_law):
    from fazhi.laws import selectors
    from fazhi.laws.rendering import diff_rows

    law, old, new = deputies_law
    rows = diff_rows(selectors.articles_of(old), selectors.articles_of(new))
    rights = old.articles.get(number=3)
    assert rights.text.startswith("代表享有下列权利")
    # The list of rights moved (2025 inserted articles before it): paired with its new number, not deleted.
    row = next(r for r in rows if "代表享有下列权利" in r.left)
    assert row.kind in ("changed", "moved") and "代表享有下列权利" in row.right
    assert row.note.startswith("条文序号由第三条变为第")
    removed = [r for r in rows if r.kind == "removed"]
    added = [r for r in rows if r.kind == "added"]
    # Every old article that still exists is paired: none is shown as deleted.
    assert len(removed) <= 2 and len(added) >= len(selectors.articles_of(new)) - len(
        selectors.articles_of(old)
    )

    html = Client().get(f"/laws/{law.pk}/diff").content.decode()
    assert "条文序号由第三条变为第" in html and "调整了条文序号" in html


def test_choosing_the_newer_version_as_old_swaps_them_with_a_message(deputies_law):
    law, old, new = deputies_law
    response = Client().get(f"/laws/{law.pk}/diff", {"a": new.pk, "b": old.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "已按公布时间对调" in html
    assert f'<option value="{old.pk}" selected>' in html.split('id="diff-b"')[0]  # left = the older one
    same = Client().get(f"/laws/{law.pk}/diff", {"a": new.pk, "b": new.pk}).content.decode()
    assert "同一个版本" in same


def test_an_article_has_one_address_and_other_spellings_redirect_to_it(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    canonical = f"/laws/{budget.pk}/articles/14/"
    for odd in (
        f"/laws/{budget.pk}/articles/14-0/",
        f"/laws/{budget.pk}/articles/014/",
        f"/laws/0{budget.pk}/articles/14/",
    ):
        response = Client().get(odd, {"version": "1"})
        assert response.status_code == 301, odd
        assert response["Location"] == canonical + "?version=1"
    assert Client().get(canonical).status_code == 200
    assert Client().get(f"/laws/{budget.pk}/articles/{'9' * 5000}/").status_code == 404
