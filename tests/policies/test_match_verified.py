"""政策体检 tells conditions an administrator set from conditions read from the text: only the first make
"符合全部条件"; reposted copies show once, the heading counts every match, failures sit in their own section."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

from django.apps import apps

from fazhi.policies import matching, services
from fazhi.policies.models import EnterpriseProfile, Policy
from fazhi.search import build

TODAY = dt.date(2026, 3, 1)
RESTAURANT = {
    "name": "某餐饮公司",
    "industry": "catering",
    "region": "北京市朝阳区",
    "established_on": "2020-05-01",
    "employees": 45,
    "revenue": 800,
}


def restaurant() -> EnterpriseProfile:
    return EnterpriseProfile(
        name="某餐饮公司",
        industry="catering",
        region="北京市朝阳区",
        employees=45,
        revenue=Decimal(800),
        size="小型",
    )


def test_a_full_match_on_inferred_conditions_is_only_a_preliminary_fit_ranked_below_verified_ones():
    inferred = Policy(title="医务人员关爱措施", industries=["H"], level="national", conditions_verified=False)
    verified = Policy(title="餐饮业稳岗措施", industries=["H"], level="national")
    weak, strong = (matching.evaluate(p, restaurant(), today=TODAY) for p in (inferred, verified))
    # `eligible` keeps its meaning (every stated condition met); `verified` says who stated them.
    assert weak.eligible and strong.eligible
    assert (weak.verified, strong.verified) == (False, True)
    assert weak.label == "初步符合（条件由系统从正文识别，待核实）"
    assert strong.label == "符合全部条件"
    assert (strong.group, weak.group) == (0, 1)


def test_imported_conditions_are_inferred_and_an_administrators_edit_verifies_them(sysadmin, make_policy):
    policy = make_policy(title="医务人员关爱措施", industries="H", full_text="医务人员……住宿和餐饮业……")
    assert policy.conditions_verified  # entered by an administrator
    Policy.objects.filter(pk=policy.pk).update(conditions_verified=False)  # as the importer leaves it
    policy.refresh_from_db()
    services.save_policy(actor=sysadmin, policy=policy, values={"title": policy.title, "themes": "稳岗就业"})
    assert not Policy.objects.get(pk=policy.pk).conditions_verified  # a theme is no eligibility condition
    services.save_policy(actor=sysadmin, policy=policy, values={"title": policy.title, "industries": "Q"})
    assert Policy.objects.get(pk=policy.pk).conditions_verified


def test_the_admin_offers_the_verified_box(login, sysadmin, make_policy):
    policy = make_policy(title="某政策", industries="H", level="国家")
    Policy.objects.filter(pk=policy.pk).update(conditions_verified=False)
    page = login(sysadmin).get(f"/admin/policies/policy/{policy.pk}/change/").content.decode()
    assert "适用条件已核实" in page


def test_the_migration_marks_the_imported_policies_inferred(make_policy):
    imported = make_policy(title="导入的政策", industries="H")
    entered = make_policy(title="管理员录入的政策", industries="H")
    Policy.objects.filter(pk=imported.pk).update(facets_extracted=True)
    Policy.objects.filter(pk=entered.pk).update(facets_extracted=False)
    migration = importlib.import_module("fazhi.policies.migrations.0006_conditions_verified_temporary_cue")
    migration.backfill(apps, None)
    flags = dict(Policy.objects.values_list("title", "conditions_verified"))
    assert flags == {"导入的政策": False, "管理员录入的政策": True}


def test_the_importer_marks_conditions_inferred(db, tmp_path):
    from fazhi.policies import importer

    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"docid": "x1", "text": "关于支持餐饮企业的通知 对住宿和餐饮业企业给予补贴。"}\n', encoding="utf-8"
    )
    importer.import_policies(path=path)
    assert Policy.objects.get(external_id="x1").conditions_verified is False


def test_the_match_page_collapses_reposts_counts_every_match_and_lists_failures_apart(
    login, enterprise, make_policy
):
    for days in (3, 1, 2):  # three copies of one notice, the newest (1 day old) should stay
        make_policy(
            title="关于支持餐饮企业稳岗的通知",
            industries="H",
            level="国家",
            published_date=(dt.date(2026, 1, 10) - dt.timedelta(days=days)).isoformat(),
        )
    for n in range(32):
        make_policy(title=f"第{n}号餐饮业措施", industries="H", level="国家")
    make_policy(title="小微企业专享贷款", sizes="微型", level="国家")
    make_policy(title="制造业技改补贴", industries="C", level="国家")
    inferred = make_policy(title="医务人员关爱措施", industries="H", level="国家")
    Policy.objects.filter(pk=inferred.pk).update(conditions_verified=False)
    build.rebuild("policies")
    client = login(enterprise)
    assert client.post("/policies/match/", RESTAURANT).status_code == 302
    page = client.get("/policies/match/").content.decode()
    assert (
        page.count(">关于支持餐饮企业稳岗的通知<") == 1
        and "另有 2 件内容相同或相近的转载（见政策页）" in page
    )
    newest = Policy.objects.filter(title="关于支持餐饮企业稳岗的通知").order_by("-published_date").first()
    assert f'href="/policies/{newest.pk}/">关于支持餐饮企业稳岗的通知<' in page
    assert "匹配的政策（34）" in page  # 1 + 32 + the inferred one; not the 30 shown
    assert "显示其余 4 件匹配的政策" in page
    assert "初步符合（条件由系统从正文识别，待核实）" in page
    assert page.index("第0号餐饮业措施") < page.index("医务人员关爱措施")  # verified fits first
    assert "不符合条件的政策（2）" in page
    failed = page[page.index("不符合条件的政策（2）") :]
    assert "小微企业专享贷款" in failed and "制造业技改补贴" in failed
    assert '<span class="sr-only">未满足：</span> 适用于微型企业，企业为小型企业。' in failed


def test_the_match_api_keeps_its_fields(client, make_policy):
    make_policy(title="餐饮业稳岗措施", industries="H", level="国家")
    build.rebuild("policies")
    resp = client.post(
        "/api/v1/policies/match", {"profile": RESTAURANT}, content_type="application/json"
    ).json()
    row = resp["results"][0]
    assert row["title"] == "餐饮业稳岗措施" and row["eligible"] is True and row["possible"] is True


def test_the_match_api_says_whether_the_conditions_were_verified(client, make_policy):
    make_policy(title="餐饮业稳岗措施", industries="H", level="国家")
    inferred = make_policy(title="医务人员关爱措施", industries="H", level="国家")
    Policy.objects.filter(pk=inferred.pk).update(conditions_verified=False)
    build.rebuild("policies")
    rows = client.post(
        "/api/v1/policies/match", {"profile": RESTAURANT}, content_type="application/json"
    ).json()["results"]
    verified = {r["title"]: (r["eligible"], r["verified"]) for r in rows}
    assert verified["餐饮业稳岗措施"] == (True, True)
    assert verified["医务人员关爱措施"] == (True, False)
    assert [r["title"] for r in rows[:2]] == ["餐饮业稳岗措施", "医务人员关爱措施"]


def test_the_match_page_folds_a_repost_published_under_another_title(login, enterprise, make_policy):
    """A notice reposted by a news site under its own headline is the same text: folded like a same-title copy."""
    text = (
        "为支持餐饮企业稳定岗位，对受疫情影响较大、坚持不裁员或少裁员的餐饮企业，按上年度实际缴纳失业保险费的"
        "50%返还稳岗补贴；符合条件的餐饮企业可向所在地人力资源社会保障部门申请，申请截止日期为今年6月30日。"
    )
    original = make_policy(title="关于支持餐饮企业稳岗的通知", industries="H", level="国家", full_text=text)
    repost = make_policy(
        title="餐饮企业可领稳岗返还", industries="H", level="国家", full_text="转载：" + text
    )
    repost.refresh_from_db()
    assert repost.duplicate_of_id == original.pk
    build.rebuild("policies")
    client = login(enterprise)
    assert client.post("/policies/match/", RESTAURANT).status_code == 302
    page = client.get("/policies/match/").content.decode()
    shown = page.count(">关于支持餐饮企业稳岗的通知<") + page.count(">餐饮企业可领稳岗返还<")
    assert shown == 1 and "另有 1 件内容相同或相近的转载（见政策页）" in page
