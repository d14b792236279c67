"""The /api/v1/bidding/ endpoints: token auth, role checks, the whole flow through JSON."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.bidding.models import Expert, Project
from tests.bidding.helpers import score_all

API = "/api/v1/bidding"


def project_payload(sites, **kw):
    host, jj = sites
    start = (timezone.now() + dt.timedelta(days=1)).isoformat()
    data = {
        "code": "API-001",
        "name": "接口测试项目",
        "purchaser": "汉阳区某局",
        "budget": "800000",
        "category": "services",
        "method": "competitive_consultation",
        "evaluation_method": "comprehensive",
        "price_weight": "10",
        "committee_size": 5,
        "host_site_id": host.pk,
        "assist_site_ids": [jj.pk],
        "quotas": [
            {"site_id": host.pk, "specialty": "信息技术", "count": 3},
            {"site_id": jj.pk, "specialty": "信息技术", "count": 2},
        ],
        "criteria": [{"name": "服务方案", "max_points": "90", "objective": False}],
        "evaluation_start": start,
        "names_reveal_at": start,
    }
    data.update(kw)
    return data


@pytest.mark.django_db
def test_anonymous_and_outsiders_are_refused(client, outsider, token_for, project):
    assert client.get(f"{API}/projects").status_code == 401
    headers = token_for(outsider)
    assert client.get(f"{API}/projects", headers=headers).json() == []
    assert client.get(f"{API}/projects/{project.pk}", headers=headers).status_code == 403
    assert (
        client.post(
            f"{API}/projects/{project.pk}/draw", {}, content_type="application/json", headers=headers
        ).status_code
        == 403
    )
    assert client.get(f"{API}/pools", headers=headers).status_code == 403
    assert client.get(f"{API}/projects/{project.pk}/result", headers=headers).status_code == 403


@pytest.mark.django_db
def test_a_buyer_creates_a_project_and_a_bad_one_gets_a_chinese_reason(client, buyer, token_for, sites):
    headers = token_for(buyer)
    r = client.post(
        f"{API}/projects", project_payload(sites), content_type="application/json", headers=headers
    )
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "draft" and r.json()["criteria"][0]["name"] == "服务方案"
    # A tender of 1500万元 needs 7 (87号令第四十七条); a 磋商 of the same size may have 5 (214号第十四条).
    bad = project_payload(sites, code="API-002", budget="15000000", method="open_tender")
    r = client.post(f"{API}/projects", bad, content_type="application/json", headers=headers)
    assert r.status_code == 400 and "不少于 7 人" in r.json()["detail"]
    assert not Project.objects.filter(code="API-002").exists()


@pytest.mark.django_db
def test_the_supervisor_reads_but_cannot_draw(client, supervisor, token_for, project):
    headers = token_for(supervisor)
    assert client.get(f"{API}/projects/{project.pk}", headers=headers).status_code == 200
    r = client.post(f"{API}/projects/{project.pk}/draw", {}, content_type="application/json", headers=headers)
    assert r.status_code == 403 and "采购办" in r.json()["detail"]


@pytest.mark.django_db
def test_names_stay_hidden_until_the_reveal_time(client, buyer, token_for, project):
    headers = token_for(buyer)
    Project.objects.filter(pk=project.pk).update(names_reveal_at=timezone.now() + dt.timedelta(hours=2))
    r = client.post(f"{API}/projects/{project.pk}/draw", {}, content_type="application/json", headers=headers)
    assert r.status_code == 201
    body = r.json()
    assert body["draws"][0]["seed"].isdigit() and body["draws"][0]["reproducible"]
    names = set(Expert.objects.values_list("name", flat=True))
    assert all(m["name"] not in names for m in body["members"])
    Project.objects.filter(pk=project.pk).update(names_reveal_at=timezone.now() - dt.timedelta(minutes=1))
    members = client.get(f"{API}/projects/{project.pk}/committees", headers=headers).json()[0]["members"]
    assert all(m["name"] in names for m in members)


@pytest.mark.django_db
def test_an_expert_scores_and_signs_only_their_own_sheet_through_the_api(client, token_for, drawn):
    project, committee = drawn
    a, b = committee.members.order_by("seat")[:2]
    headers = token_for(a.user)
    assert client.get(f"{API}/members/{b.pk}/sheet", headers=headers).status_code == 403
    crit = project.criteria.get(name="售后服务")
    bidder = project.bidders.first()
    r = client.put(
        f"{API}/members/{a.pk}/sheet",
        {"entries": [{"bidder_id": bidder.pk, "criterion_id": crit.pk, "points": "25"}]},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and "超出范围" in r.json()["detail"]
    score_all(project, committee)
    sheet = client.get(f"{API}/members/{a.pk}/sheet", headers=headers).json()
    assert sheet["problems"] == [] and len(sheet["scores"]) == 9
    r = client.post(f"{API}/members/{a.pk}/sign", headers=headers)
    assert r.status_code == 200 and r.json()["signed"] and len(r.json()["sign_hash"]) == 64
    # An expert is not a reader: the interim result is not theirs to see.
    assert client.get(f"{API}/projects/{project.pk}/result", headers=headers).status_code == 403


@pytest.mark.django_db
def test_result_report_and_verification_for_staff(client, buyer, token_for, drawn):
    from tests.bidding.helpers import sign_all

    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    headers = token_for(buyer)
    r = client.post(f"{API}/projects/{project.pk}/finish", headers=headers)
    assert r.status_code == 200 and r.json()["complete"]
    # 甲 (small, 100,000 − 10%) and 丙 (90,000) both get 30.00 + 56 = 86.00; the tie goes to the lower
    # 投标报价 (丙), per the configured tie rule; 乙 has 28.42 + 56.
    lines = [(line["rank"], line["bidder"], line["total"]) for line in r.json()["lines"]]
    assert lines == [
        (1, "丙电子有限公司", "86.00"),
        (2, "甲科技有限公司", "86.00"),
        (3, "乙信息股份公司", "84.42"),
    ]
    report = client.get(f"{API}/projects/{project.pk}/report.docx", headers=headers)
    assert report.status_code == 200 and report.content[:2] == b"PK"
    v = client.get(f"{API}/projects/{project.pk}/verify", headers=headers).json()
    assert v == {"ok": True, "sheets_checked": 5, "draws_checked": 1, "problems": []}


@pytest.mark.django_db
def test_the_rules_endpoint_names_each_source(client, supervisor, token_for):
    rules = client.get(f"{API}/rules", headers=token_for(supervisor)).json()
    by_key = {r["key"]: r for r in rules}
    assert "第四十七条" in by_key["committee_size"]["source"]
    assert "第九条" in by_key["conflict_grounds"]["source"]


@pytest.mark.django_db
def test_operation_ids_stay_those_of_the_single_api_module(client):
    # The endpoints live in several modules of fazhi.bidding.api; clients generated from the description keep
    # their method names (fazhi.api.FazhiAPI reads each module's OPENAPI_MODULE).
    spec = client.get("/api/v1/openapi.json").json()
    ops = {
        (path, method): op["operationId"]
        for path, methods in spec["paths"].items()
        if path.startswith(API)
        for method, op in methods.items()
    }
    assert ops[(f"{API}/projects", "post")] == "fazhi_bidding_api_create_project"
    assert ops[(f"{API}/projects/{{project_id}}/archives", "post")] == "fazhi_bidding_api_add_av_archive"
    assert ops[(f"{API}/members/{{member_id}}/sheet", "put")] == "fazhi_bidding_api_put_sheet"
    assert all(op.startswith("fazhi_bidding_api_") and op.count("_api_") == 1 for op in ops.values())
