"""Case library: writing through services, publishing, search facets, article links, permissions."""

from __future__ import annotations

import json

import pytest

from fazhi.cases import selectors, services
from fazhi.cases.models import Case, CaseStatus
from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.laws.models import Article
from fazhi.search import outbox


def test_an_editor_creates_a_draft_with_its_applied_article_linked(make_case):
    case = make_case(publish=False)
    assert case.status == CaseStatus.DRAFT
    applied = selectors.applied_articles(case)
    assert [(a.law_title, a.label) for a in applied] == [("中华人民共和国政府采购法实施条例", "第二十条")]
    assert applied[0].article.version.is_latest


def test_it_refuses_an_outsider_and_a_supervisor_as_case_authors(outsider, supervisor, procurement_law):
    for user in (outsider, supervisor):
        with pytest.raises(PermissionDenied):
            services.create_case(user=user, data={"title": "x", "category": "其他"})
    assert not Case.objects.exists()


def test_it_explains_an_unknown_law_or_article_and_writes_nothing(clerk, procurement_law):
    with pytest.raises(ValidationFailed, match="法规库中没有《预算法》"):
        services.create_case(
            user=clerk,
            data={"title": "x", "category": "其他"},
            articles=[{"law": "预算法", "article": "第十四条"}],
        )
    with pytest.raises(ValidationFailed, match="没有第九百条"):
        services.create_case(
            user=clerk,
            data={"title": "x", "category": "其他"},
            articles=[{"law": "政府采购法实施条例", "article": "第九百条"}],
        )
    with pytest.raises(ValidationFailed, match="类别"):
        services.create_case(user=clerk, data={"title": "x", "category": "杂项"})
    assert not Case.objects.exists()


def test_publishing_needs_facts_or_a_decision(clerk, make_case):
    case = make_case(publish=False, facts="", decision="")
    with pytest.raises(ValidationFailed, match="基本案情"):
        services.publish_case(user=clerk, case_id=case.pk)


def test_the_article_page_lists_cases_that_applied_any_version_of_the_article(make_case, procurement_law):
    published = make_case("甲案")
    make_case("草稿案", publish=False)
    current = Article.objects.get(law=procurement_law, number=20, version__is_latest=True)
    old = Article.objects.get(law=procurement_law, number=20, version__is_latest=False)
    other = Article.objects.get(law=procurement_law, number=9, version__is_latest=True)
    assert selectors.cases_for_article(current) == [published]
    assert selectors.cases_for_article(old) == [published]
    assert selectors.cases_for_article(other) == []


def test_the_case_page_shows_the_article_inline_with_a_link_to_its_permalink(
    client, make_case, procurement_law
):
    case = make_case()
    article = Article.objects.get(law=procurement_law, number=20, version__is_latest=True)
    page = client.get(case.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "以特定行政区域或者特定行业的业绩" in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert "<h2>基本案情</h2>" in html


def test_a_draft_is_hidden_from_the_public_but_shown_to_editors(client, login, clerk, make_case):
    case = make_case(publish=False)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert login(clerk).get(case.get_absolute_url()).status_code == 200


def test_search_finds_published_cases_with_category_tag_and_year_facets(client, make_case):
    make_case("某单位招标文件排斥外地企业", tags="差别待遇、本地化")
    make_case(
        "供应商提供虚假中小企业声明函", category="行政处罚", tags="中小企业声明函", source_date="2023-04-18"
    )
    make_case("未发布的案例", publish=False)
    found = selectors.search_cases(text="排斥外地")
    assert [h.case.title for h in found.hits] == ["某单位招标文件排斥外地企业"]
    ranked = selectors.search_cases(text="外地企业")
    assert ranked.hits[0].case.title == "某单位招标文件排斥外地企业"
    everything = selectors.search_cases()
    assert everything.total == 2
    assert dict((v, c) for v, c, _ in everything.facets["category"]) == {"政府采购": 1, "行政处罚": 1}
    assert dict((v, c) for v, c, _ in everything.facets["year"]) == {"2025": 1, "2023": 1}
    filtered = selectors.search_cases(filters={"tags": ["中小企业声明函"]})
    assert [h.case.title for h in filtered.hits] == ["供应商提供虚假中小企业声明函"]
    page = client.get("/cases/", {"category": "行政处罚"})
    assert "供应商提供虚假中小企业声明函" in page.content.decode()
    assert "某单位招标文件排斥外地企业" not in page.content.decode()


def test_unpublishing_removes_a_case_from_search(clerk, make_case):
    case = make_case("将被撤回的案例")
    assert selectors.search_cases(text="撤回").total == 1
    services.unpublish_case(user=clerk, case_id=case.pk)
    outbox.process()
    assert selectors.search_cases(text="撤回").total == 0


def test_the_api_lets_editors_write_and_refuses_anonymous_and_outsiders(
    client, clerk, outsider, token_for, procurement_law
):
    body = {
        "title": "接口新建的案例",
        "category": "政府采购",
        "facts": "事实 <script>alert(1)</script>",
        "articles": [{"law": "政府采购法实施条例", "article": "第二十条"}],
    }
    assert client.post("/api/v1/cases/", json.dumps(body), content_type="application/json").status_code == 401
    refused = client.post(
        "/api/v1/cases/", json.dumps(body), content_type="application/json", headers=token_for(outsider)
    )
    assert refused.status_code == 403
    assert "法规科" in refused.json()["detail"]
    created = client.post(
        "/api/v1/cases/", json.dumps(body), content_type="application/json", headers=token_for(clerk)
    )
    assert created.status_code == 201
    case_id = created.json()["id"]
    assert "<script" not in created.json()["sections"]["facts"]
    assert client.get(f"/api/v1/cases/{case_id}").status_code == 404  # still a draft
    assert client.post(f"/api/v1/cases/{case_id}/publish", headers=token_for(outsider)).status_code == 403
    assert client.post(f"/api/v1/cases/{case_id}/publish", headers=token_for(clerk)).status_code == 200
    detail = client.get(f"/api/v1/cases/{case_id}").json()
    assert detail["articles"][0]["label"] == "第二十条"
    outbox.process()
    listed = client.get("/api/v1/cases/", {"q": "接口"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == case_id


def test_the_markdown_preview_is_for_editors_only(client, login, clerk, outsider):
    assert client.post("/cases/markdown-preview/", {"text": "**a**"}).status_code == 302
    assert login(outsider).post("/cases/markdown-preview/", {"text": "**a**"}).status_code == 403
    out = login(clerk).post("/cases/markdown-preview/", {"text": "**粗体** <script>x</script>"}).json()
    assert "<strong>粗体</strong>" in out["html"] and "<script" not in out["html"]


def test_the_admin_refuses_staff_without_an_editor_role(login, director, sysadmin):
    assert login(director).get("/admin/cases/case/").status_code == 403
    assert login(sysadmin).get("/admin/cases/case/add/").status_code == 200


def test_the_admin_publish_action_names_each_refused_case_and_counts_the_rest(login, sysadmin, make_case):
    ready = make_case("甲案", publish=False)
    empty = make_case("空案", publish=False, facts="", decision="")
    response = login(sysadmin).post(
        "/admin/cases/case/", {"action": "publish", "_selected_action": [ready.pk, empty.pk]}, follow=True
    )
    ready.refresh_from_db()
    empty.refresh_from_db()
    assert (ready.status, empty.status) == (CaseStatus.PUBLISHED, CaseStatus.DRAFT)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["《空案》：发布前请至少填写“基本案情”或“处理结果”。", "已发布 1 个案例。"]
