"""Supervisors read everything and can only remark; outsiders and anonymous users are refused."""

import io

import pytest

from fazhi.performance import excel
from fazhi.performance.models import CongressSubmission, KeyEvaluation, Project, Publication, Remark

JSON = "application/json"


def _api_writes(p):
    """Every write endpoint of the performance API, with a plausible body."""
    u = p.unit_id
    return [
        ("post", "/api/v1/performance/units", {"name": "区卫健委", "code": "wjw"}),
        (
            "post",
            "/api/v1/performance/projects",
            {"unit_id": u, "year": 2026, "code": "X-1", "name": "新项目"},
        ),
        ("put", f"/api/v1/performance/projects/{p.pk}/target", {"annual_goal": "改", "indicators": []}),
        ("post", f"/api/v1/performance/projects/{p.pk}/target/transition", {"action": "submit"}),
        ("post", f"/api/v1/performance/projects/{p.pk}/target/transition", {"action": "approve"}),
        (
            "post",
            f"/api/v1/performance/projects/{p.pk}/target/transition",
            {"action": "return", "comment": "x"},
        ),
        ("put", f"/api/v1/performance/projects/{p.pk}/evaluation", {"achievement": "x", "results": []}),
        ("post", f"/api/v1/performance/projects/{p.pk}/evaluation/transition", {"action": "submit"}),
        ("post", f"/api/v1/performance/projects/{p.pk}/evaluation/transition", {"action": "approve"}),
        ("post", f"/api/v1/performance/projects/{p.pk}/evaluation/transition", {"action": "unknown"}),
        ("post", f"/api/v1/performance/projects/{p.pk}/key-evaluations", {"score": 90, "findings": "x"}),
        ("post", f"/api/v1/performance/projects/{p.pk}/key-evaluations", {"score": "abc", "findings": ""}),
        ("put", f"/api/v1/performance/publications/{u}/2026", {"budget_approved_on": "2026-02-01"}),
        ("post", f"/api/v1/performance/publications/{u}/2026/publish", {}),
        (
            "put",
            f"/api/v1/performance/publications/{u}/2026/final-accounts",
            {"final_accounts_approved_on": "2027-07-01"},
        ),
        ("post", f"/api/v1/performance/publications/{u}/2026/final-accounts/publish", {}),
        ("put", f"/api/v1/performance/congress-submissions/{u}/2026", {"submitted_on": "2025-12-18"}),
    ]


def _page_writes(p):
    xlsx = excel.export_project(p)
    return [
        (f"/performance/manage/projects/{p.pk}/target/", {"rows": "0", "annual_goal": "改"}),
        (f"/performance/manage/projects/{p.pk}/evaluation/", {"achievement": "改"}),
        (f"/performance/manage/projects/{p.pk}/target/transition/", {"action": "submit"}),
        (f"/performance/manage/projects/{p.pk}/target/transition/", {"action": "approve"}),
        (f"/performance/manage/projects/{p.pk}/evaluation/transition/", {"action": "return", "comment": "x"}),
        (f"/performance/manage/projects/{p.pk}/key-evaluations/", {"score": "90", "findings": "x"}),
        (f"/performance/manage/projects/{p.pk}/import/", {"kind": "target", "file": io.BytesIO(xlsx)}),
        (
            f"/performance/manage/units/{p.unit_id}/action/",
            {"action": "project", "year": "2026", "code": "Y", "name": "Y"},
        ),
        (
            f"/performance/manage/units/{p.unit_id}/action/",
            {"action": "approval", "year": "2026", "approved_on": "2026-02-01"},
        ),
        (f"/performance/manage/units/{p.unit_id}/action/", {"action": "publish", "year": "2026"}),
        (
            f"/performance/manage/units/{p.unit_id}/action/",
            {"action": "final_approval", "year": "2026", "final_approved_on": "2027-07-01"},
        ),
        (f"/performance/manage/units/{p.unit_id}/action/", {"action": "final_publish", "year": "2026"}),
        (
            f"/performance/manage/units/{p.unit_id}/action/",
            {"action": "congress", "year": "2026", "submitted_on": "2025-12-18"},
        ),
    ]


def _state(p):
    p = Project.objects.get(pk=p.pk)
    ev = getattr(p, "self_evaluation", None)
    return (
        Project.objects.count(),
        p.target.status,
        p.target.annual_goal,
        list(p.target.indicators.values_list("name", "target_value", "weight")),
        ev.status if ev else None,
        ev.achievement if ev else None,
        KeyEvaluation.objects.count(),
        list(Publication.objects.values()),
        CongressSubmission.objects.count(),
    )


@pytest.mark.django_db
def test_the_supervisor_gets_403_on_every_api_write(evaluated_project, supervisor, token_for):
    from django.test import Client

    client, headers = Client(), token_for(supervisor)
    before = _state(evaluated_project)
    for method, url, body in _api_writes(evaluated_project):
        r = getattr(client, method)(url, body, content_type=JSON, headers=headers)
        assert r.status_code == 403, (method, url, r.status_code, r.content)
        assert (
            "监督方" in r.json()["detail"]
            or "财政局" in r.json()["detail"]
            or "填报人员" in r.json()["detail"]
        )
    assert _state(evaluated_project) == before


@pytest.mark.django_db
def test_the_supervisor_gets_403_on_every_page_write(evaluated_project, supervisor, login):
    client = login(supervisor)
    before = _state(evaluated_project)
    for url, data in _page_writes(evaluated_project):
        r = client.post(url, data)
        assert r.status_code == 403, (url, r.status_code)
        assert "不能修改" in r.content.decode() or "只有" in r.content.decode()
    assert client.get(f"/performance/manage/projects/{evaluated_project.pk}/target/").status_code == 403
    assert _state(evaluated_project) == before


@pytest.mark.django_db
def test_the_supervisor_reads_every_unit_and_can_remark(evaluated_project, supervisor, login, token_for):
    client = login(supervisor)
    page = client.get(f"/performance/manage/projects/{evaluated_project.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "资助学生人数" in html and "变更记录" in html and "提交留言" in html
    assert 'value="submit"' not in html and 'value="approve"' not in html and "导入" not in html
    assert client.get("/performance/manage/").status_code == 200
    assert client.get(f"/performance/manage/projects/{evaluated_project.pk}/export.xlsx").status_code == 200
    r = client.post(
        f"/performance/manage/units/{evaluated_project.unit_id}/remark/",
        {"body": "请补充说明", "project": evaluated_project.pk},
    )
    assert r.status_code == 302 and Remark.objects.filter(body="请补充说明", author=supervisor).exists()
    r = client.get("/api/v1/performance/dashboard", headers=token_for(supervisor))
    assert r.status_code == 200 and r.json()[0]["project"] == "学生资助项目"


@pytest.mark.django_db
def test_another_units_member_cannot_see_or_change_the_project(
    evaluated_project, login, token_for, enterprise
):
    from fazhi.performance.models import BudgetUnit

    other = BudgetUnit.objects.create(name="区卫健委", code="wjw")
    other.members.add(enterprise)
    client = login(enterprise)
    assert client.get(f"/performance/manage/projects/{evaluated_project.pk}/").status_code == 403
    r = client.get(
        f"/api/v1/performance/projects/{evaluated_project.pk}/target", headers=token_for(enterprise)
    )
    assert r.status_code == 403
    assert client.get("/api/v1/performance/projects").json() == []


INTERNAL_PAGES = [
    "/performance/manage/",
    "/performance/manage/units/{u}/",
    "/performance/manage/projects/{p}/",
    "/performance/manage/projects/{p}/target/",
    "/performance/manage/projects/{p}/evaluation/",
    "/performance/manage/projects/{p}/export.xlsx",
]


@pytest.mark.django_db
def test_outsiders_are_refused_on_internal_pages(evaluated_project, outsider, login, client):
    fill = {"u": evaluated_project.unit_id, "p": evaluated_project.pk}
    for url in INTERNAL_PAGES:
        url = url.format(**fill)
        assert login(outsider).get(url).status_code == 403, url
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], url
    r = login(outsider).post(f"/performance/manage/units/{evaluated_project.unit_id}/remark/", {"body": "x"})
    assert r.status_code == 403 and not Remark.objects.exists()


@pytest.mark.django_db
def test_outsiders_and_anonymous_are_refused_by_the_internal_api(
    evaluated_project, outsider, token_for, client
):
    for url in [
        "/api/v1/performance/units",
        "/api/v1/performance/projects",
        "/api/v1/performance/dashboard",
        f"/api/v1/performance/projects/{evaluated_project.pk}/evaluation",
        "/api/v1/performance/publications",
    ]:
        assert client.get(url).status_code == 401, url
        assert client.get(url, headers=token_for(outsider)).status_code == 403, url
    r = client.post("/api/v1/performance/remarks", {"unit_id": evaluated_project.unit_id, "body": "x"},
                    content_type=JSON, headers=token_for(outsider))  # fmt: skip
    assert r.status_code == 403


@pytest.mark.django_db
def test_unpublished_tables_never_reach_the_public(evaluated_project, client):
    assert client.get("/performance/disclosure/jyj/2026/").status_code == 404
    assert client.get("/api/v1/performance/public/disclosures/jyj/2026").status_code == 404
    assert "学生资助项目" not in client.get("/performance/").content.decode()


@pytest.mark.django_db
def test_the_supervisor_sees_the_unit_history_and_remarks(published_project, supervisor, login):
    client = login(supervisor)
    client.post(f"/performance/manage/units/{published_project.unit_id}/remark/", {"body": "公开及时"})
    html = client.get(f"/performance/manage/units/{published_project.unit_id}/").content.decode()
    assert "公开及时" in html and "变更记录" in html and "公开" in html and "clerk" in html
    assert 'value="publish"' not in html
