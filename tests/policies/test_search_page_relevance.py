"""The list page /policies/?q= leaves out results that hold too little of the query (the API still ranks
and counts every match), points to hidden 已失效 policies that match, and keeps filters and sort in its box."""

from __future__ import annotations

import re
from html import unescape

import pytest

from fazhi.search import build

API = "/api/v1/policies/search"


@pytest.fixture
def corpus(make_policy):
    """Policies that share everyday words with any question, and two on 住房公积金."""
    for n in range(12):
        make_policy(
            title=f"第{n}号复工通知",
            full_text=f"企业复工复产期间，各地要做好第{n}批防疫物资保障工作，确保存在的问题及时解决。",
        )
    made = {
        "fund": make_policy(
            title="关于住房公积金阶段性支持政策的通知",
            full_text="受疫情影响的企业可申请缓缴住房公积金，住房公积金管理中心及时办理。",
        ),
        "old_fund": make_policy(
            title="已到期的住房公积金缓缴办法",
            full_text="住房公积金管理中心对受影响企业办理住房公积金缓缴。",
            effective_to="2020-06-30",
        ),
    }
    build.rebuild("policies")
    return made


def _titles(page: str) -> list[str]:
    return [
        unescape(t) for t in re.findall(r'<h3><a href="/policies/\d+/">(?:【[^】]+】)?([^<]+)</a></h3>', page)
    ]


def test_results_that_hold_little_of_the_query_are_left_out_of_the_page_but_not_the_api(client, corpus):
    page = client.get("/policies/", {"q": "住房公积金管理中心的问题"}).content.decode()
    assert _titles(page) == ["关于住房公积金阶段性支持政策的通知"]
    assert "共 1 项" in page
    api = client.get(API, {"q": "住房公积金管理中心的问题"}).json()
    assert api["total"] > 1  # every match, ranked as before
    assert "关于住房公积金阶段性支持政策的通知" in [r["title"] for r in api["results"][:2]]


def test_the_order_of_the_results_kept_is_the_apis(client, corpus):
    q = "企业复工复产防疫物资保障"
    page = _titles(client.get("/policies/", {"q": q}).content.decode())
    api = [r["title"] for r in client.get(API, {"q": q, "limit": 20, "status": "有效"}).json()["results"]]
    assert page and page == [t for t in api if t in page]
    assert page[:10] == api[:10]


def test_a_hidden_expired_policy_that_matches_is_pointed_to(client, corpus):
    page = client.get("/policies/", {"q": "住房公积金缓缴"}).content.decode()
    assert "另有 1 件已失效政策匹配——" in page
    link = re.search(r'另有 1 件已失效政策匹配——<a href="([^"]+)">显示</a>', page).group(1)
    shown = client.get("/policies/" + unescape(link)).content.decode()
    assert "已到期的住房公积金缓缴办法" in _titles(shown)
    assert "已失效政策匹配" not in shown


def test_the_search_box_keeps_the_filters_and_the_sort_and_offers_to_clear_them(client, policies):
    page = client.get(
        "/policies/", {"q": "房租", "level": "省", "sort": "date", "show_inactive": "1"}
    ).content.decode()
    form = page[page.index('role="search"') : page.index("</form>")]
    assert '<input type="hidden" name="level" value="省">' in form
    assert '<input type="hidden" name="sort" value="date">' in form
    assert '<input type="hidden" name="show_inactive" value="1">' in form
    assert 'name="q"' in form and form.count('name="q"') == 1
    clear = re.search(r'<a href="([^"]*)">清除全部筛选</a>', page).group(1)
    assert unescape(clear) == "?q=%E6%88%BF%E7%A7%9F&sort=date"
    assert "清除全部筛选" not in client.get("/policies/", {"q": "房租"}).content.decode()


@pytest.mark.parametrize("first_read", [1, 2, 3])
@pytest.mark.parametrize("every", [False, True])
def test_reading_the_matches_a_few_at_a_time_keeps_the_same_policies_and_shares(
    corpus, monkeypatch, first_read, every
):
    # relevant() reads FIRST_READ matches, then READ_GROWTH times more while the last one read still holds
    # enough of the query; read from one match up, it must keep what reading every match at once keeps.
    from fazhi.policies import index
    from fazhi.policies.query_analysis import analyze

    kept = []
    for question in ("住房公积金管理中心的问题", "企业复工复产防疫物资", "复工通知"):
        aq = analyze(question)
        whole = index.relevant(aq, None, every=every)
        monkeypatch.setattr(index, "FIRST_READ", first_read)
        monkeypatch.setattr(index, "READ_GROWTH", 2)
        read_in_steps = index.relevant(aq, None, every=every)
        monkeypatch.undo()
        assert whole is not None and read_in_steps is not None
        assert (read_in_steps.ids, read_in_steps.best) == (whole.ids, whole.best)
        assert sorted(read_in_steps.shares) == sorted(whole.shares)
        kept.append(len(whole.shares if every else whole.ids))
    assert max(kept) > first_read * 2  # more than the first two reads: the reading grew at least twice
