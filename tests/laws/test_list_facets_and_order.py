"""The law list: every facet link keeps the title filter and the other facets (and starts again at page 1),
its count is what the link lists; the default order is by 效力层级 then newest, with a sort choice kept in
the URL; with a title filter the order stays by title."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from fazhi.laws.models import Law, LawVersion, Level, Status


def facet_links(html: str) -> list[tuple[str, int]]:
    """(href, count) of every facet value in the sidebar."""
    aside = html[html.index('<aside class="facets"') : html.index("</aside>")]
    found = re.findall(r'<li><a href="([^"]+)"[^>]*>.*?</a> <span class="muted">(\d+)</span></li>', aside)
    return [(unescape(href), int(n)) for href, n in found]


def listed(html: str) -> int:
    return int(re.search(r"共 (\d+) 部", html).group(1))


def titles(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/laws/\d+/">([^<]+)</a>', html)


def test_the_facet_links_keep_the_title_filter_and_their_counts_are_what_they_list(small_library):
    html = Client().get("/laws/", {"q": "预算法"}).content.decode()
    links = facet_links(html)
    assert links, "the sidebar lists facet values"
    for href, count in links:
        assert parse_qs(urlsplit(href).query)["q"] == ["预算法"], href
        assert listed(Client().get("/laws/" + href).content.decode()) == count, href
    # The audit's case: 法律 under the title filter lists the one law, not every law.
    law_link = next(href for href, _ in links if "level=law" in href)
    assert titles(Client().get("/laws/" + law_link).content.decode()) == ["中华人民共和国预算法"]


def test_the_facet_links_keep_every_other_filter_and_the_sort_but_not_the_page(small_library):
    html = (
        Client()
        .get("/laws/", {"level": "administrative_regulation", "year": "2020", "sort": "date", "page": "2"})
        .content.decode()
    )
    for href, _ in facet_links(html):
        query = parse_qs(urlsplit(href).query)
        assert "page" not in query and query["sort"] == ["date"], href
        if "status=" in href:
            assert query["level"] == ["administrative_regulation"] and query["year"] == ["2020"], href
    assert "不限效力级别" in html and "不限公布年份" in html  # an active facet can be lifted alone


def test_an_active_facet_is_marked_and_the_unknown_value_message_stays(small_library):
    html = Client().get("/laws/", {"level": "law", "status": "foo"}).content.decode()
    assert (
        'aria-current="true"><strong><span aria-hidden="true">✓ </span><span class="sr-only">已选：</span>法律</strong>'
        in html
    )
    assert "效力状态“foo”无效" in html


@pytest.fixture
def ordered_library(db):
    """Laws whose titles sort the other way round from their level and date."""

    def law(title, level, date, status=Status.IN_FORCE):
        item = Law.objects.create(title=title, norm_title=title, level=level)
        LawVersion.objects.create(law=item, publish_date=date, status=status, text=title, text_hash=title)

    law("三门峡市城市绿化条例", Level.LOCAL_REGULATION, dt.date(2023, 1, 1))
    law("三门峡市文明行为促进条例", Level.LOCAL_REGULATION, dt.date(2024, 1, 1))
    law("中华人民共和国预算法", Level.LAW, dt.date(2018, 12, 29))
    law("中华人民共和国政府采购法", Level.LAW, dt.date(2014, 8, 31))
    law("中华人民共和国宪法", Level.CONSTITUTION, dt.date(2018, 3, 11))
    law("中华人民共和国预算法实施条例", Level.ADMIN_REGULATION, dt.date(2020, 8, 3))
    law("财政部门监督办法", Level.DEPARTMENT_RULE, None)


def test_the_default_order_is_by_level_then_newest_first(ordered_library):
    assert titles(Client().get("/laws/").content.decode()) == [
        "中华人民共和国宪法",
        "中华人民共和国预算法",
        "中华人民共和国政府采购法",
        "中华人民共和国预算法实施条例",
        "财政部门监督办法",
        "三门峡市文明行为促进条例",
        "三门峡市城市绿化条例",
    ]


def test_the_sort_choice_orders_by_date_or_title_and_stays_in_the_links(ordered_library):
    by_date = Client().get("/laws/", {"sort": "date"}).content.decode()
    assert titles(by_date)[:3] == [
        "三门峡市文明行为促进条例",
        "三门峡市城市绿化条例",
        "中华人民共和国预算法实施条例",
    ]
    assert titles(by_date)[-1] == "财政部门监督办法"  # no date: last
    assert '<strong aria-current="true">按公布日期</strong>' in by_date
    assert all("sort=date" in href for href, _ in facet_links(by_date))
    by_title = titles(Client().get("/laws/", {"sort": "按标题"}).content.decode())
    assert by_title == sorted(by_title)


def test_with_a_title_filter_the_order_stays_by_title(ordered_library):
    html = Client().get("/laws/", {"q": "条例"}).content.decode()
    assert titles(html) == sorted(titles(html)) and len(titles(html)) == 3
    assert '<strong aria-current="true">按标题</strong>' in html


def test_an_unknown_sort_is_ignored_with_a_chinese_message(ordered_library):
    response = Client().get("/laws/", {"sort": "random"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "排序“random”无效" in html and titles(html)[0] == "中华人民共和国宪法"


def test_the_pager_keeps_the_sort(ordered_library, monkeypatch):
    from fazhi.laws import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    html = Client().get("/laws/", {"sort": "date"}).content.decode()
    assert 'href="?sort=date&amp;page=2"' in html
    second = Client().get("/laws/", {"sort": "date", "page": "2"}).content.decode()
    assert titles(second) == ["中华人民共和国预算法实施条例", "中华人民共和国预算法"]


def test_on_a_phone_the_list_offers_a_link_to_the_filters(small_library):
    html = Client().get("/laws/").content.decode()
    assert 'id="facets"' in html and 'href="#facets"' in html and 'class="table-scroll"' in html
