"""The policy list's facets show the filters actually applied: a bad filter in the address is reported and
dropped (the good ones still apply), and a filter given as a code is marked on its facet value."""

from __future__ import annotations

import re
from html import unescape


def _listed(page: str) -> int:
    return int(re.search(r"共 (\d+) 项", page).group(1))


def _chosen(page: str) -> list[str]:
    return re.findall(
        r'<strong><span aria-hidden="true">✓ </span><span class="sr-only">已选：</span>([^<]+)</strong>', page
    )


def test_a_bad_filter_is_dropped_and_the_good_one_still_applies_and_is_marked(client, policies):
    page = client.get("/policies/", {"level": "省", "year": "abc"}).content.decode()
    assert "年份“abc”无效" in page
    # 省 is marked chosen, so the list is filtered by it (before: marked ✓ while every policy was listed).
    assert _chosen(page) == ["省"] and _listed(page) == 1
    assert "关于减免小微企业房租的通知" in page and "援企稳岗补贴实施办法" not in page
    # The bad value is not carried on by the facet links, the sort links or the search box.
    links = [unescape(h) for h in re.findall(r'href="(\?[^"]*)"', page)]
    assert links and not any("year=abc" in h for h in links)
    assert 'name="year" value="abc"' not in page


def test_a_filter_given_as_a_code_or_a_list_is_marked_on_its_facet_and_can_be_removed(client, policies):
    page = client.get("/policies/", {"level": "national"}).content.decode()
    assert _chosen(page) == ["国家"] and _listed(page) == 2
    remove = unescape(
        re.search(
            r'<a href="(\?[^"]*)" aria-current="true"><strong><span aria-hidden="true">✓ </span><span class="sr-only">已选：</span>国家',
            page,
        ).group(1)
    )
    assert "level=" not in remove
    assert _listed(client.get("/policies/" + remove).content.decode()) == 3  # the expired one stays hidden

    page = client.get("/policies/", {"level": "国家,省"}).content.decode()
    assert sorted(_chosen(page)) == ["国家", "省"] and _listed(page) == 3
