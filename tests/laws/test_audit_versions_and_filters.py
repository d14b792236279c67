"""Found auditing the law library in a browser: the version a law's page shows is the one the list, the
search links and cited articles use (a hit in an older text opens that text; a law whose newest text is still
尚未生效 is listed as the 有效 law its page shows); a search kept to one law says so and its links keep it; a
chosen list filter is always shown; a law entered by hand names no account to the public."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.laws import services
from fazhi.laws.cited import cited_articles
from fazhi.laws.models import Law, LawVersion, Status
from fazhi.laws.search import parse_filters, search_articles
from fazhi.search import build

OLD_TEXT = "测试版本管理办法\n第一条 为了规范旧称登记簿的保管，制定本办法。\n第二条 本办法自公布之日起施行。"
NEW_TEXT = "测试版本管理办法\n第一条 为了规范档案目录的保管，制定本办法。\n第二条 本办法自公布之日起施行。"


@pytest.fixture
def amended_law(sysadmin):
    """A law in two versions: the first (已修改) reads 旧称登记簿 in 第一条, the current one does not."""
    old = services.add_law_from_text(user=sysadmin, text=OLD_TEXT)
    new = services.add_law_from_text(user=sysadmin, text=NEW_TEXT)
    build.rebuild("laws")
    old.refresh_from_db()
    assert old.status == Status.AMENDED and new.is_latest
    return old.law, old, new


def test_a_search_hit_in_an_older_version_links_to_that_version(amended_law):
    law, old, _ = amended_law
    api = Client().get("/api/v1/laws/search", {"q": "旧称登记簿", "status": "all"}).json()
    hit = next(r for r in api["results"] if r["law_id"] == law.pk)
    assert hit["status"] == "已修改"
    assert hit["url"] == f"/laws/{law.pk}/articles/1/?version={old.pk}"
    page = Client().get("/laws/search", {"q": "旧称登记簿", "status": "all"}).content.decode()
    assert f'href="/laws/{law.pk}/articles/1/?version={old.pk}"' in page
    # The link opens the text the snippet quoted, not the current 第一条.
    opened = Client().get(hit["url"]).content.decode()
    assert "旧称登记簿" in opened and "档案目录" not in opened


def test_a_search_hit_in_the_current_version_keeps_the_plain_address(amended_law):
    law, _, _ = amended_law
    hits = search_articles(q="档案目录", limit=10).hits
    assert [h.article.url for h in hits if h.article.law_id == law.pk] == [f"/laws/{law.pk}/articles/1/"]


@pytest.fixture
def law_with_a_coming_text(sysadmin):
    """A law in force whose newer text, already entered, takes effect later (尚未生效)."""
    current = services.add_law_from_text(user=sysadmin, text=NEW_TEXT)
    coming = services.add_law_from_text(
        user=sysadmin,
        text=NEW_TEXT.replace("档案目录", "电子档案目录"),
        status=Status.NOT_YET_IN_FORCE,
    )
    current.refresh_from_db()
    assert current.status == Status.IN_FORCE and not current.is_latest and coming.is_latest
    build.rebuild("laws")
    return current.law, current, coming


def test_a_law_whose_newest_text_is_not_yet_in_force_is_listed_as_in_force(law_with_a_coming_text):
    law, current, _ = law_with_a_coming_text
    page = Client().get("/laws/", {"q": "测试版本管理办法"})
    assert page.context["page"].paginator.count == 1
    row = page.context["page"].object_list[0]
    assert row.pk == current.pk  # the version the law's page shows
    statuses = {v["label"]: v["count"] for v in page.context["facet_groups"][1]["values"]}
    assert statuses == {"有效": 1}
    assert (
        Client().get("/laws/", {"q": "测试版本管理办法", "status": "有效"}).context["page"].paginator.count
        == 1
    )
    law_page = Client().get(f"/laws/{law.pk}/")
    assert law_page.context["version"].pk == current.pk


def test_a_cited_article_is_taken_from_the_text_in_force(law_with_a_coming_text):
    _, current, coming = law_with_a_coming_text
    found = cited_articles("《测试版本管理办法》第一条")
    assert found == [current.articles.get(number=1).pk]
    assert coming.articles.get(number=1).pk not in found
    # So the search pins it with every status too, and its link is the plain address.
    first = search_articles(
        q="《测试版本管理办法》第一条", limit=5, filters=parse_filters(status="all")
    ).hits[0]
    assert first.article.pk == current.articles.get(number=1).pk
    assert first.article.url == f"/laws/{current.law_id}/articles/1/"


def test_a_search_kept_to_one_law_says_so_and_its_links_keep_it(small_library):
    budget = Law.objects.get(title="中华人民共和国预算法")
    page = Client().get("/laws/search", {"q": "预算 编制", "law": str(budget.pk)})
    html = page.content.decode()
    assert "只在《中华人民共和国预算法》中检索" in html
    assert f'<input type="hidden" name="law" value="{budget.pk}">' in html
    assert {h.article.law_id for h in page.context["results"].hits} == {budget.pk}
    (value, _, count), *others = page.context["level_facets"]
    assert not others and value == "law"
    link = f"?q=%E9%A2%84%E7%AE%97%20%E7%BC%96%E5%88%B6&amp;level=law&amp;law={budget.pk}"
    assert f'href="{link}"' in html
    followed = Client().get("/laws/search", {"q": "预算 编制", "level": "law", "law": str(budget.pk)})
    assert followed.context["results"].total == count
    assert 'href="?q=%E9%A2%84%E7%AE%97+%E7%BC%96%E5%88%B6">在全部法规中检索</a>' in html


def test_a_search_kept_to_an_unknown_law_says_so(small_library):
    html = Client().get("/laws/search", {"q": "预算", "law": "999999"}).content.decode()
    assert "没有找到要在其中检索的法规" in html


def test_a_law_entered_by_hand_names_no_account_to_the_public(sysadmin):
    version = services.add_law_from_text(user=sysadmin, text=NEW_TEXT)
    assert version.status_basis == "由法规库管理人员手工录入，请以官方公布的文本为准"
    for url in (
        f"/laws/{version.law_id}/",
        f"/laws/{version.law_id}/articles/1/",
        f"/api/v1/laws/{version.law_id}",
    ):
        body = Client().get(url).content.decode("unicode_escape" if "api" in url else "utf-8")
        assert "sysadmin" not in body
    given = services.add_law_from_text(user=sysadmin, text=OLD_TEXT, status_basis="财政部令第87号")
    assert given.status_basis == "财政部令第87号"


def test_a_chosen_filter_value_is_always_listed_with_its_count(small_library):
    # 上海口岸服务条例 is the one 地方性法规 of the slice: the 宪法 level has none of its laws.
    page = Client().get("/laws/", {"q": "上海口岸", "level": "宪法"})
    levels = page.context["facet_groups"][0]["values"]
    assert [(v["label"], v["count"]) for v in levels if v["active"]] == [("宪法", 0)]
    year = str(LawVersion.objects.get(law__title="中华人民共和国预算法", is_latest=True).publish_date.year)
    page = Client().get("/laws/", {"year": year, "issuer": "不存在的机关"})
    groups = {g["name"]: g["values"] for g in page.context["facet_groups"]}
    assert [(v["label"], v["count"]) for v in groups["issuer"] if v["active"]] == [("不存在的机关", 0)]
    assert [v["label"] for v in groups["year"] if v["active"]] == [year]
    assert (
        '<span aria-hidden="true">✓ </span><span class="sr-only">已选：</span>不存在的机关'
        in page.content.decode()
    )
