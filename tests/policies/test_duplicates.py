"""内容相同或相近的转载: policies whose texts are the same or nearly so are grouped under the oldest record,
kept grouped as they are imported, edited and deleted, folded on the list page and named elsewhere."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from fazhi.policies import duplicates, excel, importer, index, services
from fazhi.policies.models import Policy
from fazhi.search import build
from tests.policies.test_admin import admin_data
from tests.policies.test_excel import workbook

NOTICE = (
    "为贯彻落实党中央国务院关于统筹推进疫情防控和经济社会发展工作的部署，帮助中小微企业渡过难关，现就有关事项通知如下。"
    "一、对承租国有经营性房产的中小微企业，免收二月份和三月份房租，减半收取四月份至六月份房租。"
    "二、鼓励大型商务楼宇、商场、市场运营方对中小微企业减免租金，具体由双方协商解决。"
    "三、对受疫情影响较大的住宿餐饮、文化旅游、交通运输企业，按规定给予稳岗返还和社保费缓缴支持。"
    "四、金融机构对到期还款困难的中小微企业，可予以展期或续贷，不得盲目抽贷、断贷、压贷。"
    "五、本通知自印发之日起施行，有效期至疫情解除后三个月，各区各部门要抓好贯彻落实。"
)
# The same notice reposted by a news site: one sentence rewritten, an editor's line added.
REPOST = (
    NOTICE.replace("具体由双方协商解决", "减免标准由出租方与承租方协商确定")
    + "（来源：市财政局网站，编辑：王某）"
)
OTHER = (
    "为支持科技型企业加大研发投入，现就企业研究开发费用加计扣除有关事项公告如下。"
    "一、企业开展研发活动中实际发生的研发费用，未形成无形资产计入当期损益的，在按规定据实扣除的基础上，"
    "再按照实际发生额的百分之百在税前加计扣除。二、形成无形资产的，按照无形资产成本的百分之二百在税前摊销。"
    "三、企业应当按照国家财务会计制度要求，对研发支出进行会计处理，并设置辅助账归集研发费用。"
    "四、本公告自发布之日起执行，此前已进行企业所得税处理的不再调整。"
)


def reload(*policies: Policy) -> list[Policy]:
    return [Policy.objects.get(pk=p.pk) for p in policies]


def test_an_exact_copy_under_another_title_is_grouped_under_the_older_record(make_policy):
    original = make_policy(title="关于支持中小微企业共渡难关的通知", full_text=NOTICE)
    copy = make_policy(title="转发：支持中小微企业共渡难关", full_text=NOTICE)
    original, copy = reload(original, copy)
    assert original.duplicate_of is None
    assert copy.duplicate_of == original


def test_a_near_copy_with_changed_sentences_is_grouped(make_policy):
    original = make_policy(title="关于支持中小微企业共渡难关的通知", full_text=NOTICE)
    repost = make_policy(title="我市出台措施为中小微企业减负", full_text=REPOST)
    hashes = [duplicates.shingles(duplicates.fold(t)) for t in (NOTICE, REPOST)]
    assert duplicates.THRESHOLD <= duplicates.jaccard(*hashes) < 1
    assert reload(repost)[0].duplicate_of_id == original.pk


def test_different_texts_and_short_boilerplate_are_not_grouped(make_policy):
    notice = make_policy(title="房租减免通知", full_text=NOTICE)
    other = make_policy(title="研发费用加计扣除公告", full_text=OTHER)
    attached = [make_policy(title=f"申报指南{i}", full_text="详见附件。") for i in range(2)]
    assert all(p.duplicate_of_id is None for p in reload(notice, other, *attached))
    assert duplicates.group_members([(p.pk, None) for p in (notice, other, *attached)]) == {}


def test_the_representative_is_the_oldest_record_and_the_next_one_takes_over_when_it_is_deleted(
    login, sysadmin, make_policy
):
    first, second, third = (make_policy(title=f"转载{i}", full_text=NOTICE) for i in range(3))
    first, second, third = reload(first, second, third)
    assert (second.duplicate_of, third.duplicate_of) == (first, first)
    resp = login(sysadmin).post(f"/admin/policies/policy/{first.pk}/delete/", {"post": "yes"})
    assert resp.status_code == 302
    second, third = reload(second, third)
    assert (second.duplicate_of, third.duplicate_of) == (None, second)


def test_an_edit_of_the_text_regroups(sysadmin, make_policy):
    original = make_policy(title="关于支持中小微企业共渡难关的通知", full_text=NOTICE)
    copy = make_policy(title="转载", full_text=NOTICE)
    services.save_policy(actor=sysadmin, policy=copy, values={"title": "转载", "full_text": OTHER})
    assert reload(copy)[0].duplicate_of is None
    services.save_policy(actor=sysadmin, policy=copy, values={"title": "转载", "full_text": REPOST})
    assert reload(copy)[0].duplicate_of_id == original.pk


def test_an_admin_edit_regroups_and_shows_the_group(login, sysadmin, make_policy):
    original = make_policy(title="关于支持中小微企业共渡难关的通知", full_text=NOTICE)
    other = make_policy(title="研发费用加计扣除公告", full_text=OTHER)
    client = login(sysadmin)
    resp = client.post(
        f"/admin/policies/policy/{other.pk}/change/", admin_data(title="转载", full_text=NOTICE)
    )
    assert resp.status_code == 302
    assert reload(other)[0].duplicate_of_id == original.pk
    page = client.get(f"/admin/policies/policy/{other.pk}/change/").content.decode()
    assert "内容相同或相近的最早收录文件" in page and original.title in page


def test_an_excel_import_groups_its_rows(sysadmin, make_policy):
    original = make_policy(title="关于支持中小微企业共渡难关的通知", full_text=NOTICE)
    data = workbook([{"title": "转载一", "full_text": REPOST}, {"title": "另一份", "full_text": OTHER}])
    assert not excel.import_rows(data, actor=sysadmin).errors
    assert Policy.objects.get(title="转载一").duplicate_of_id == original.pk
    assert Policy.objects.get(title="另一份").duplicate_of_id is None


def test_the_jsonl_import_and_an_index_rebuild_group_every_policy(db, tmp_path, capsys):
    path = tmp_path / "policies.jsonl"
    rows = [("a", "关于支持中小微企业共渡难关的通知\n" + NOTICE), ("b", "转发通知\n" + REPOST), ("c", OTHER)]
    path.write_text("".join(json.dumps({"docid": d, "text": t}) + "\n" for d, t in rows), encoding="utf-8")
    call_command("import_policies", str(path))
    assert "内容相同或相近的转载：1 条" in capsys.readouterr().out
    a, b, c = (Policy.objects.get(external_id=d) for d in "abc")
    assert (b.duplicate_of, c.duplicate_of) == (a, None)
    Policy.objects.update(duplicate_of=None)  # written around the services
    call_command("index_rebuild", "policies", "--quiet-progress")
    assert Policy.objects.get(external_id="b").duplicate_of == a
    assert importer.import_policies(path=path).grouped == 1


@pytest.fixture
def reposted(make_policy):
    """A notice, its repost and its exact copy (newer records), and an unrelated policy; indexed."""
    made = {
        "notice": make_policy(title="关于支持中小微企业共渡难关的通知", full_text=NOTICE),
        "repost": make_policy(title="我市出台措施为中小微企业减负", full_text=REPOST),
        "copy": make_policy(title="转发：支持中小微企业共渡难关", full_text=NOTICE),
        "other": make_policy(title="研发费用加计扣除公告", full_text=OTHER + "减免房租。"),
    }
    build.rebuild("policies")
    return made


def test_the_list_page_shows_a_repost_once_and_links_the_others(client, reposted):
    page = client.get("/policies/", {"q": "中小微企业房租减免"}).content.decode()
    notice, repost, copy = reposted["notice"], reposted["repost"], reposted["copy"]
    shown = [p for p in (notice, repost, copy) if f'<h3><a href="{p.get_absolute_url()}">' in page]
    assert len(shown) == 1  # one entry for the three
    assert "另有 2 篇内容相同或相近的文件：" in page
    others = [p for p in (notice, repost, copy) if p not in shown]
    assert all(f'<a href="{p.get_absolute_url()}">《{p.title}》</a>' in page for p in others)
    assert "共 1 项（另有 2 篇内容相同或相近的转载已合并到同组条目中显示）" in page  # groups are counted


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_group_is_listed_once_across_pages(reposted, sort):
    """Page by page (one result a page), each group of reposts comes once, the totals count groups, and the
    pages together hold every policy found but the left-out copies."""
    query = "中小微企业"
    plain = index.search(query, limit=10, sort=sort)
    first = index.search(query, limit=1, sort=sort, collapse=True)
    pages = [index.search(query, limit=1, offset=k, sort=sort, collapse=True) for k in range(first.total + 1)]
    listed = [p.pk for outcome in pages for p, _ in outcome.hits]
    group = {reposted[k].pk for k in ("notice", "repost", "copy")}
    found = {p.pk for p, _ in plain.hits}
    assert len(found & group) == 3  # all three copies match the query
    assert len(set(listed) & group) == 1 and len(listed) == len(set(listed)) == first.total
    assert first.total == plain.total - 2 and first.collapsed == 2
    assert set(listed) - group == found - group  # nothing else goes missing
    assert not pages[-1].hits  # past the last page: nothing


def test_the_list_page_counts_groups_on_every_page(client, reposted, make_policy):
    """With more results than one page holds, the total and the number of pages count each group once."""
    for n in range(25):
        make_policy(
            title=f"第{n}号中小微企业纾困措施", full_text=f"支持中小微企业共渡难关，第{n}项措施，减免房租。"
        )
    build.rebuild("policies")
    pages = [client.get("/policies/", {"q": "中小微企业", "page": n}).content.decode() for n in (1, 2)]
    notice, repost, copy = reposted["notice"], reposted["repost"], reposted["copy"]
    heads = [
        p
        for page in pages
        for p in (notice, repost, copy)
        if f'<h3><a href="{p.get_absolute_url()}">' in page
    ]
    assert len(heads) == 1
    assert "共 26 项（另有 2 篇内容相同或相近的转载已合并到同组条目中显示）" in pages[0]
    listed = sum(page.count("<h3><a href=") for page in pages)
    assert listed == 26  # the 25 new ones and one entry for the group; the other policy is not found


def test_a_repost_not_among_the_results_is_still_named(client, reposted):
    """The note names the whole group, not only the copies that happened to rank on this page."""
    page = client.get("/policies/", {"q": "市财政局网站编辑"}).content.decode()  # only the repost says this
    repost, notice, copy = reposted["repost"], reposted["notice"], reposted["copy"]
    assert f'<h3><a href="{repost.get_absolute_url()}">' in page
    assert "另有 2 篇内容相同或相近的文件：" in page  # neither of the others is a result of this search
    assert f'<a href="{notice.get_absolute_url()}">《{notice.title}》</a>' in page
    assert f'<a href="{copy.get_absolute_url()}">《{copy.title}》</a>' in page


def test_a_copy_in_force_leads_its_entry_over_an_expired_copy_ranked_higher(client, reposted):
    """Showing expired policies too, an expired copy ranked first must not hide the copy in force behind
    【已失效】: the one in force leads, and the expired one is named with its marker."""
    from fazhi.policies.models import Policy, Status

    notice, repost, copy = reposted["notice"], reposted["repost"], reposted["copy"]
    Policy.objects.filter(pk__in=[notice.pk, repost.pk]).update(
        status=Status.EXPIRED, status_reason="测试：已废止"
    )
    build.rebuild("policies")
    page = client.get("/policies/", {"q": "中小微企业房租减免", "show_inactive": "1"}).content.decode()
    heads = [p for p in (notice, repost, copy) if f'<h3><a href="{p.get_absolute_url()}">' in page]
    assert heads == [copy]
    assert f'<a href="{notice.get_absolute_url()}">【已失效】《{notice.title}》</a>' in page


def test_the_policy_page_lists_the_other_publications(client, reposted):
    page = client.get(reposted["repost"].get_absolute_url()).content.decode()
    assert "内容相同或相近的其他发布" in page
    assert reposted["notice"].title in page and reposted["copy"].title in page
    alone = client.get(reposted["other"].get_absolute_url()).content.decode()
    assert "内容相同或相近的其他发布" not in alone


def test_the_search_api_keeps_its_results_and_names_the_groups(client, reposted):
    query = "中小微企业房租减免"
    body = client.get("/api/v1/policies/search", {"q": query, "limit": 10}).json()
    ranked = index.search(query, limit=10)
    assert [r["policy_id"] for r in body["results"]] == [p.pk for p, _ in ranked.hits]
    assert body["total"] == ranked.total
    by_id = {r["policy_id"]: r for r in body["results"]}
    notice, repost, copy = (reposted[k].pk for k in ("notice", "repost", "copy"))
    assert by_id[notice]["duplicate_of"] is None
    assert by_id[notice]["duplicates"] == [repost, copy]
    assert (by_id[repost]["duplicate_of"], by_id[repost]["duplicates"]) == (notice, [notice, copy])
    assert by_id[reposted["other"].pk]["duplicates"] == []


def test_an_outsider_cannot_reach_the_policy_admin(login, outsider, reposted):
    client = login(outsider)
    notice = reposted["notice"]
    for url in (f"/admin/policies/policy/{notice.pk}/change/", f"/admin/policies/policy/{notice.pk}/delete/"):
        assert client.get(url).status_code == 302  # to the admin login
    client.post(f"/admin/policies/policy/{notice.pk}/delete/", {"post": "yes"})
    client.post(f"/admin/policies/policy/{notice.pk}/change/", admin_data(title="改", full_text=OTHER))
    assert reload(notice)[0].title == notice.title
    assert Policy.objects.get(pk=reposted["repost"].pk).duplicate_of_id == notice.pk
