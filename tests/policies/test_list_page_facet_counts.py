"""The facet counts beside the policy list count what the list shows once the value is chosen: each group
of reposts once, and only the matches that hold enough of the query under that filter. The search API
still counts every matched copy (it does not fold reposts)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from fazhi.policies import importer, selectors
from fazhi.policies.models import Policy
from fazhi.search import build
from tests.policies.test_duplicates import NOTICE, OTHER, REPOST

API = "/api/v1/policies/search"
FIELD_OF = {label: field for field, label in selectors.FACET_LABELS.items()}


def _total(page: str) -> int:
    return int(re.search(r"共 (\d+) 项", page).group(1))


def _facets(page: str) -> list[tuple[str, str, int]]:
    """(field, value, count) of every facet value the page lists."""
    aside = page.split('<aside class="facets"')[1].split("</aside>")[0]
    found = []
    for group in aside.split("<h3>")[1:]:
        field = FIELD_OF[group.split("</h3>")[0]]
        for value, count in re.findall(
            r'<li><a href="[^"]*"[^>]*>(?:<strong><span aria-hidden="true">✓ </span><span class="sr-only">已选：</span>)?([^<]+?)(?:</strong>)?</a> <span class="muted">\((\d+)\)',
            group,
        ):
            found.append((field, unescape(value), int(count)))
    return found


def _disagreements(client, params: dict[str, str]) -> tuple[list[tuple[str, str, int, int]], int]:
    """Each facet value of the page whose count differs from the total of the list filtered by that value
    alone (the other filters kept), and how many values were compared."""
    page = client.get("/policies/", params).content.decode()
    facets = _facets(page)
    wrong = []
    for field, value, count in facets:
        listed = _total(client.get("/policies/?" + urlencode({**params, field: value})).content.decode())
        if listed != count:
            wrong.append((field, value, count, listed))
    return wrong, len(facets)


@pytest.fixture
def shared_policies(db):
    """The 599 shared policies, imported and indexed as `make run` does (reposts grouped)."""
    if not importer.default_path().exists():
        pytest.skip("shared policy data not present")
    importer.import_policies()
    build.rebuild("policies")


@pytest.mark.realdata
def test_every_facet_value_of_a_real_query_counts_the_list_it_leads_to(client, shared_policies):
    """房租减免 on the shared data folds reposts (共 25 项（另有 2 篇…）) and cuts weak matches; each value of
    every facet group is followed and its count compared with the total of the list it leads to: with the
    expired policies hidden (the default) and shown, with a facet group in use (its other values count as if
    chosen alone), a status chosen and sorted by date, and without a query (every policy, reposts folded)."""
    query = "房租减免"
    page = client.get("/policies/", {"q": query}).content.decode()
    assert re.search(r"共 \d+ 项（另有 [1-9]\d* 篇内容相同或相近的转载已合并到同组条目中显示）", page)
    # The API (every match, every copy) counts more under some values: the page does not repeat its counts.
    shown = {(f, v): n for f, v, n in _facets(page)}
    api = client.get(API, {"q": query, "status": "有效,即将到期"}).json()["facets"]
    assert any(api[f].get(v, 0) > n for (f, v), n in shown.items())
    compared = 0
    for params in (
        {"q": query},
        {"q": query, "show_inactive": "1"},
        {"q": query, "level": "省"},
        {"q": query, "sort": "date", "status": "有效"},
        {},
    ):
        wrong, n = _disagreements(client, params)
        assert wrong == [], params
        assert n >= 10, params
        compared += n
    assert compared >= 100


@pytest.fixture
def copies_apart(make_policy):
    """A notice (national) and its repost by a city (市), and an unrelated policy; indexed."""
    made = {
        "notice": make_policy(title="关于支持中小微企业共渡难关的通知", level="国家", full_text=NOTICE),
        "repost": make_policy(title="我市转发支持中小微企业共渡难关的通知", level="市", full_text=REPOST),
        "other": make_policy(title="研发费用加计扣除公告", level="市", full_text=OTHER),
    }
    build.rebuild("policies")
    return made


def test_a_group_counts_under_a_value_any_member_carries(client, copies_apart):
    """The list shows the notice for the group; 市 is carried by its repost only. Choosing 市 lists the repost
    (the group's member carrying it), so 市 counts the group: counting only the member the unfiltered list
    shows would say 0 and lead to a list of 1."""
    query = "中小微企业房租减免"
    page = client.get("/policies/", {"q": query}).content.decode()
    assert _total(page) == 1 and copies_apart["notice"].title in page
    counts = {(f, v): n for f, v, n in _facets(page)}
    assert counts[("level", "国家")] == 1 and counts[("level", "市")] == 1
    chosen = client.get("/policies/", {"q": query, "level": "市"}).content.decode()
    assert _total(chosen) == 1 and copies_apart["repost"].title in chosen
    # The group counts once under a value both members carry.
    assert counts[("status", "有效")] == 1
    # The API counts every match (the weak one too) and both copies.
    api = client.get(API, {"q": query}).json()
    assert api["total"] == 3 and api["facets"]["status"]["有效"] == 3


def test_a_group_counts_once_when_every_policy_is_listed(client, copies_apart):
    page = client.get("/policies/").content.decode()
    assert _total(page) == 2
    counts = {(f, v): n for f, v, n in _facets(page)}
    assert counts[("status", "有效")] == 2  # the group and the other policy
    assert counts[("level", "市")] == 2 and counts[("level", "国家")] == 1
    wrong, _ = _disagreements(client, {})
    assert wrong == []


def test_a_chosen_value_stays_listed_to_be_taken_off_even_when_it_lists_nothing(client, copies_apart):
    page = client.get("/policies/", {"q": "中小微企业房租减免", "level": "区"}).content.decode()
    assert _total(page) == 0
    assert re.search(
        r'aria-current="true"><strong><span aria-hidden="true">✓ </span><span class="sr-only">已选：</span>区</strong></a> <span class="muted">\(0\)',
        page,
    )


def test_the_total_counts_the_entry_when_a_kept_copy_holds_the_query_only_in_its_title(client, make_policy):
    """Both copies hold the query (one in its title only), so both are kept; only the one whose text holds
    it is found. The list shows that one, and the total and the counts say 1 (they said 0: the copy found
    nowhere was taken for a folded repost)."""
    found = make_policy(title="关于住房公积金缓缴的通知", full_text=NOTICE + "住房公积金缓缴。")
    titled = make_policy(title="关于住房公积金缓缴的通知（转载）", full_text=NOTICE)
    build.rebuild("policies")
    assert Policy.objects.get(pk=titled.pk).duplicate_of_id == found.pk  # one group
    page = client.get("/policies/", {"q": "住房公积金缓缴"}).content.decode()
    assert page.count("<h3><a href=") == 1 and f'<h3><a href="{found.get_absolute_url()}">' in page
    assert _total(page) == 1
    assert {(f, v): n for f, v, n in _facets(page)}[("status", "有效")] == 1
