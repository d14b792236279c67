"""Search API and list page: fields, facet counts, filters, synonyms, expired policies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.policies import index
from fazhi.policies.api import PolicySearchOut
from fazhi.search import build


def test_the_search_api_returns_the_documented_fields(client, policies):
    resp = client.get("/api/v1/policies/search", {"q": "房租减免", "limit": 5})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"query", "total", "took_ms", "facets", "results"}
    first = body["results"][0]
    assert set(first) == {
        "policy_id",
        "external_id",
        "title",
        "issuer",
        "doc_number",
        "status",
        "snippet",
        "score",
        "url",
        "duplicate_of",
        "duplicates",
    }
    assert first["title"] == "关于减免小微企业房租的通知"
    assert "<mark>房租</mark>" in first["snippet"]
    # The view returns its JSON directly (no second validation pass): it must still be a valid PolicySearchOut,
    # field types included, and the documented schema must still be PolicySearchOut.
    assert resp["Content-Type"].startswith("application/json")
    checked = PolicySearchOut.model_validate(body)
    assert checked.model_dump(mode="json", exclude_unset=True) == body  # "explain" only for staff
    schema = client.get("/api/v1/openapi.json").json()
    ok = schema["paths"]["/api/v1/policies/search"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/PolicySearchOut")


def test_facet_counts_match_the_documents(client, policies):
    body = client.get("/api/v1/policies/search", {"q": ""}).json()
    assert body["total"] == 4
    facets = body["facets"]
    assert facets["level"] == {"国家": 2, "省": 1, "市": 1}
    assert facets["theme"]["房租减免"] == 2
    assert facets["status"] == {"有效": 3, "已失效": 1}
    assert facets["industry"] == {"住宿和餐饮业": 1, "批发和零售业": 1, "制造业": 1}


def test_filters_accept_labels_and_codes(client, policies):
    by_label = client.get("/api/v1/policies/search", {"level": "国家"}).json()
    by_code = client.get("/api/v1/policies/search", {"level": "national"}).json()
    assert by_label["total"] == by_code["total"] == 2
    assert client.get("/api/v1/policies/search", {"industry": "C"}).json()["total"] == 1
    assert client.get("/api/v1/policies/search", {"status": "有效", "theme": "房租减免"}).json()["total"] == 1


def test_a_bad_filter_value_gets_a_chinese_message(client, policies):
    resp = client.get("/api/v1/policies/search", {"size": "巨型"})
    assert resp.status_code == 400
    assert "企业规模" in resp.json()["detail"]


def test_synonyms_bridge_the_words_enterprises_use(client, policies):
    # The policy says 补贴; the enterprise types 补助.
    titles = [r["title"] for r in client.get("/api/v1/policies/search", {"q": "稳岗补助"}).json()["results"]]
    assert titles[0] == "援企稳岗补贴实施办法"
    aq = index.analyze("贷款贴息")
    assert ("贴息", 0.5) in aq.expansions or "贴息" in aq.words


def test_every_synonym_group_of_the_issue_reaches_texts_that_use_only_the_other_word(client, make_policy):
    made = {
        "免征": make_policy(title="关于免征部分行政事业性收费的通知", full_text="对受影响企业免征登记费。"),
        "小微": make_policy(title="支持小微企业发展若干措施", full_text="对小微企业给予扶持。"),
        "援企稳岗": make_policy(title="援企稳岗十条", full_text="实施援企稳岗政策。"),
    }
    build.rebuild("policies")

    def ids(q: str) -> list[int]:
        return [r["policy_id"] for r in client.get("/api/v1/policies/search", {"q": q}).json()["results"]]

    assert made["免征"].pk in ids("减免登记费")
    assert made["小微"].pk in ids("小型微型企业扶持")  # 小型微型 is cut into 小型 / 微型 by the tokenizer
    assert made["援企稳岗"].pk in ids("稳岗")
    snippet = client.get("/api/v1/policies/search", {"q": "减免登记费"}).json()["results"][0]["snippet"]
    assert "<mark>免征" in snippet  # adjacent highlighted words are merged into one mark


def test_the_api_does_not_hide_expired_policies_but_marks_them(client, policies):
    results = client.get("/api/v1/policies/search", {"q": "租金补助"}).json()["results"]
    old = next(r for r in results if r["title"] == "已经到期的租金补助办法")
    assert old["status"] == "已失效"


def test_the_list_page_hides_expired_policies_unless_asked(client, policies):
    page = client.get("/policies/", {"q": "租金补助"}).content.decode()
    assert "已经到期的租金补助办法" not in page
    shown = client.get("/policies/", {"q": "租金补助", "show_inactive": "1"}).content.decode()
    assert "【已失效】已经到期的租金补助办法" in shown


def test_the_list_page_sorts_by_closing_date_and_drops_closed_windows(client, policies, make_policy):
    make_policy(title="申报已截止的补助", apply_end="2020-01-31", full_text="补助")
    make_policy(
        title="三天后截止的补助",
        apply_end=(timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        full_text="补助",
    )
    make_policy(title="今天截止的补助", apply_end=timezone.localdate().isoformat(), full_text="补助")
    from fazhi.search import build

    build.rebuild("policies")
    page = client.get("/policies/", {"sort": "closing"}).content.decode()
    # Open windows only, the soonest deadline first (a window closing today is still open).
    assert (
        page.index("今天截止的补助")
        < page.index("三天后截止的补助")
        < page.index("疫情防控重点保障企业贷款贴息")
    )
    assert "申报已截止的补助" not in page
    # Policies without an application window are not "closing soon" (they used to be listed, in id order).
    assert "援企稳岗补贴实施办法" not in page and "关于减免小微企业房租的通知" not in page
    assert "共 3 项" in page and "未注明申报期的政策不在此列" in page


def test_the_policy_page_has_a_summary_and_related_policies(client, policies):
    rent = policies["rent"]
    page = client.get(f"/policies/{rent.pk}/").content.decode()
    assert "惠及对象" in page and "支持方式与标准" in page and "咨询电话" in page
    assert "相关政策" in page


def test_an_unknown_policy_is_a_404(client, db):
    assert client.get("/policies/999999/").status_code == 404
    assert client.get("/api/v1/policies/999999").status_code == 404


def test_a_quoted_measure_name_is_searched_not_dropped(client, make_policy, policies):
    # Enterprises quote the name of a measure for emphasis; the quoted words must rank the policy.
    make_policy(
        title="餐饮门店推行无接触服务",
        full_text="全市餐饮门店推行“无接触点餐”服务，顾客通过手机点餐、支付、取餐。",
        published_date="2020-02-17",
    )
    from fazhi.search import build

    build.rebuild(index.INDEX)
    aq = index.analyze("什么是“无接触点餐”？")
    assert "点餐" in "".join(aq.words) and "点餐" in aq.bigrams
    results = client.get("/api/v1/policies/search", {"q": "什么是“无接触点餐”？"}).json()["results"]
    assert results and results[0]["title"] == "餐饮门店推行无接触服务"


def test_explain_is_shown_to_staff_only(client, policies, login, reviewer, sysadmin, outsider, token_for):
    """?explain=1: staff see why each policy ranked where it did; the public and other accounts do not."""
    params = {"q": "小微企业房租减免", "explain": 1}
    for plain in (
        client.get("/api/v1/policies/search", params),
        login(outsider).get("/api/v1/policies/search", params),
    ):
        body = plain.json()
        assert body["results"] and "explain" not in body
        assert all("explain" not in r for r in body["results"])

    for staff in (
        login(reviewer).get("/api/v1/policies/search", params),
        client.get("/api/v1/policies/search", params, headers=token_for(reviewer)),
        client.get(
            "/api/v1/policies/search", params, headers=token_for(sysadmin)
        ),  # 系统管理员, not is_staff
    ):
        body = staff.json()
        PolicySearchOut.model_validate(body)
        assert "房租" in body["explain"]["words"] and body["explain"]["weights"]
        first = body["results"][0]
        assert first["title"] == "关于减免小微企业房租的通知"
        why = first["explain"]
        assert why["stage"] == "re-ranked" and why["first_stage_rank"] >= 1
        # The score is the sum of the features' contributions, and it is the score the result carries.
        assert sum(f["contribution"] for f in why["features"].values()) == pytest.approx(
            why["score"], abs=1e-3
        )
        assert why["score"] == pytest.approx(first["score"], abs=1e-3)
        assert why["features"]["coverage"]["value"] > 0


def test_explain_without_relevance_says_how_the_list_was_sorted(client, policies, login, reviewer):
    body = login(reviewer).get("/api/v1/policies/search", {"q": "", "explain": 1}).json()
    assert all(r["explain"]["stage"] == "sorted by published" for r in body["results"])


def test_a_cited_document_number_puts_that_policy_first(client, make_policy):
    cited = make_policy(
        title="北京市人民政府办公厅关于应对疫情促进中小微企业发展的若干措施",
        doc_number="京政办发〔2020〕7号",
        full_text="京政办发〔2020〕7号 为减轻疫情对中小微企业的影响，制定以下措施。",
    )
    for i in range(3):
        make_policy(
            title=f"京政办发文件汇编第{i}辑",
            doc_number=f"京政办发〔2020〕{10 + i}号",
            full_text="京政办发〔2020〕7号 京政办发〔2020〕7号 汇编收录京政办发〔2020〕各号文件。",
        )
    build.rebuild("policies")
    for q in (
        "京政办发〔2020〕7号",
        "京政办发[2020]7号",
        "京政办发2020年7号",
        "京政办发〔2020〕7号规定了哪些措施",
    ):
        results = client.get("/api/v1/policies/search", {"q": q}).json()["results"]
        assert results[0]["policy_id"] == cited.pk, q
    assert index.cited_policies("京政办发〔2020〕8号") == []


def test_the_policy_api_gives_the_interpretation_links_and_attachments(
    client, make_policy, sysadmin, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.policies.models import PolicyAttachment

    settings.MEDIA_ROOT = tmp_path
    policy = make_policy(
        title="稳岗补贴实施办法",
        industries="C、H",
        source_url="https://example.gov.cn/a.html",
        interpretation="解读文字",
    )
    reading = make_policy(title="《稳岗补贴实施办法》政策解读")
    reading.interpretation_of = policy
    reading.save()
    PolicyAttachment.objects.create(
        policy=policy,
        title="申报表",
        file=SimpleUploadedFile("申报表.pdf", b"%PDF-1.7\n", content_type="application/pdf"),
    )
    body = client.get(f"/api/v1/policies/{policy.pk}").json()
    assert body["industry_names"] == ["制造业", "住宿和餐饮业"]
    assert (body["source_url"], body["interpretation"]) == ("https://example.gov.cn/a.html", "解读文字")
    assert body["interpretations"] == [reading.pk]
    assert client.get(f"/api/v1/policies/{reading.pk}").json()["interpretation_of"] == policy.pk
    attachment = PolicyAttachment.objects.get(policy=policy)
    assert body["attachments"] == [{"title": "申报表", "url": f"/policies/attachments/{attachment.pk}/"}]


def test_a_pasted_title_puts_that_policy_first(client, make_policy):
    wanted = make_policy(title="关于支持小微企业稳岗的通知", full_text="对小微企业给予稳岗补贴。")
    make_policy(
        title="稳岗补贴汇编",
        full_text="关于支持小微企业稳岗的通知 关于支持小微企业稳岗的通知 小微企业稳岗通知 支持小微企业稳岗的通知全文",
    )
    build.rebuild("policies")
    for q in ("关于支持小微企业稳岗的通知", "《关于支持小微企业稳岗的通知》"):
        assert (
            client.get("/api/v1/policies/search", {"q": q}).json()["results"][0]["policy_id"] == wanted.pk
        ), q


def test_the_list_keeps_the_other_values_of_a_chosen_group_so_they_can_be_added(client, policies):
    page = client.get("/policies/", {"level": "省"}).content.decode()
    facets = page[page.index('<aside class="facets"') : page.index("</aside>")]
    assert (
        '<span aria-hidden="true">✓ </span><span class="sr-only">已选：</span>省' in facets
        and ">国家</a>" in facets
    )  # 国家 is still offered, with its own count
    both = client.get("/policies/", {"level": ["省", "国家"]}).content.decode()
    assert "关于减免小微企业房租的通知" in both and "援企稳岗补贴实施办法" in both


def test_who_benefits_is_joined_without_a_leading_separator(client, make_policy):
    only_places = make_policy(title="交通企业补助", industries="G", regions="四川省内江市")
    page = client.get(f"/policies/{only_places.pk}/").content.decode()
    assert "<dd>行业：交通运输、仓储和邮政业；地区：四川省内江市</dd>" in page
    nothing = make_policy(title="未注明对象的通知")
    assert "<dt>惠及对象</dt>\n    <dd>未注明</dd>" in client.get(f"/policies/{nothing.pk}/").content.decode()
    rent = make_policy(
        title="房租减免", beneficiaries="承租国有房产的企业", sizes="小型、微型", regions="北京市"
    )
    assert (
        "<dd>承租国有房产的企业；小型、微型企业；地区：北京市</dd>"
        in client.get(f"/policies/{rent.pk}/").content.decode()
    )


def test_the_site_search_counts_what_the_policy_page_it_links_to_shows(client, policies):
    from fazhi.cases import portal

    for q in ("补贴", "补助", "租金"):
        group = next(g for g in portal.site_search(q) if g.index == "policies")
        page = client.get("/policies/", {"q": q}).content.decode()
        assert f"共 {group.total} 项" in page, q
    # 补助 finds 援企稳岗补贴 through the synonym group and leaves the expired 租金补助办法 out, as the page does.
    group = next(g for g in portal.site_search("补助") if g.index == "policies")
    assert "援企稳岗补贴实施办法" in [h.title for h in group.hits]
    assert "已经到期的租金补助办法" not in [h.title for h in group.hits]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("关于印发《援企稳岗办法》的通知（2020年2月26日）", "通知"),
        ("北京市人民政府关于应对疫情影响促进中小微企业持续健康发展的若干措施", "措施"),
        ("国家税务总局发布《新冠肺炎疫情防控税收优惠政策指引》", "指引、指南"),
        ("通告（第7号）", "通告"),
        ("财政部 税务总局关于支持疫情防控有关税收政策的公告", "公告"),
        ("援企稳岗补贴实施办法", "办法"),
        ("《关于支持小微企业的若干政策》政策解读", "政策解读"),
        ("国家发展改革委有关负责人就稳岗政策答记者问", "政策解读"),
        ("好消息！房租减免了！", "其他"),
        ("", "其他"),
    ],
)
def test_the_document_type_is_read_from_the_end_of_the_title(title, kind):
    from fazhi.policies.extract import doc_kind

    assert doc_kind(title) == kind


def test_the_document_type_facet_and_filter(client, policies):
    body = client.get("/api/v1/policies/search", {"q": ""}).json()
    assert body["facets"]["doc_type"] == {"通知": 1, "办法": 2, "其他": 1}
    only = client.get("/api/v1/policies/search", {"q": "", "doc_type": "办法", "status": "有效"}).json()
    assert [r["title"] for r in only["results"]] == ["援企稳岗补贴实施办法"]
    resp = client.get("/api/v1/policies/search", {"doc_type": "报告"})
    assert resp.status_code == 400 and "文种“报告”无效" in resp.json()["detail"]
    page = client.get("/policies/", {"doc_type": "通知"}).content.decode()
    assert "文种" in page and "关于减免小微企业房租的通知" in page and "援企稳岗补贴实施办法" not in page
    detail = client.get(policies["rent"].get_absolute_url()).content.decode()
    assert " · 通知" in detail
