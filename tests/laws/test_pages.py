"""Pages: the list with facets, the law page (TOC, anchors, versions, citations), diff, article permalink."""

from __future__ import annotations

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
