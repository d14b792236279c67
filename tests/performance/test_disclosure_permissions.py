"""Only the bureau records 决算 approval and publication and 报送人大; everyone else is refused and nothing changes.

The year is ready for each write (budget published, final accounts approved), so a refusal can only be
the caller's role.
"""

import datetime as dt

import pytest

from fazhi.performance import services
from fazhi.performance.models import CongressSubmission, Project, Publication

JSON = "application/json"
pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def ready(published_project, director, unit):
    services.set_final_accounts_approval(
        actor=director, unit=unit, year=2026, approved_on=dt.date(2027, 7, 1)
    )
    return published_project


def _api_writes(unit_id):
    base = f"/api/v1/performance/publications/{unit_id}/2026/final-accounts"
    return [
        ("put", base, {"final_accounts_approved_on": "2027-07-02"}),
        ("post", f"{base}/publish", {"published_on": "2027-07-10"}),
        ("put", f"/api/v1/performance/congress-submissions/{unit_id}/2026", {"submitted_on": "2025-12-18"}),
    ]


def _page_writes(unit_id):
    url = f"/performance/manage/units/{unit_id}/action/"
    return [
        (url, {"action": "final_approval", "year": "2026", "final_approved_on": "2027-07-02"}),
        (url, {"action": "final_publish", "year": "2026", "final_published_on": "2027-07-10"}),
        (url, {"action": "congress", "year": "2026", "submitted_on": "2025-12-18", "congress_note": "x"}),
    ]


def _state(project):
    return (
        list(Publication.objects.values()),
        list(CongressSubmission.objects.values()),
        Project.objects.get(pk=project.pk).target.status,
        Project.objects.get(pk=project.pk).self_evaluation.status,
    )


def test_the_supervisor_reads_the_disclosures_but_every_write_is_refused(
    ready, supervisor, login, token_for, client
):
    before = _state(ready)
    headers = token_for(supervisor)
    for method, url, body in _api_writes(ready.unit_id):
        r = getattr(client, method)(url, body, content_type=JSON, headers=headers)
        assert r.status_code == 403, (url, r.content)
        assert r.json()["detail"] == "监督方账号只能查看和留言，不能修改绩效信息。"
    browser = login(supervisor)
    for url, data in _page_writes(ready.unit_id):
        r = browser.post(url, data)
        assert r.status_code == 403 and "监督方账号只能查看和留言" in r.content.decode()
    assert _state(ready) == before
    [pub] = client.get("/api/v1/performance/publications", headers=headers).json()
    assert pub["final_accounts_approved_on"] == "2027-07-01"
    assert client.get("/api/v1/performance/congress-submissions", headers=headers).status_code == 200
    html = browser.get(f"/performance/manage/units/{ready.unit_id}/").content.decode()
    assert "<td>决算</td><td>2027-07-01</td>" in html and 'value="final_publish"' not in html


def test_the_units_own_clerk_cannot_record_its_disclosure(ready, clerk, login, token_for, client):
    before = _state(ready)
    for method, url, body in _api_writes(ready.unit_id):
        r = getattr(client, method)(url, body, content_type=JSON, headers=token_for(clerk))
        assert r.status_code == 403 and r.json()["detail"].startswith(
            "只有财政局（分管领导或系统管理员）可以"
        ), url
    for url, data in _page_writes(ready.unit_id):
        assert login(clerk).post(url, data).status_code == 403, data
    assert _state(ready) == before


def test_an_outsider_is_refused_and_anonymous_users_must_log_in(ready, outsider, login, token_for, client):
    before = _state(ready)
    for method, url, body in _api_writes(ready.unit_id):
        assert getattr(client, method)(url, body, content_type=JSON).status_code == 401, url
        r = getattr(client, method)(url, body, content_type=JSON, headers=token_for(outsider))
        assert r.status_code == 403, url
    for url, data in _page_writes(ready.unit_id):
        assert login(outsider).post(url, data).status_code == 403, data
        r = client.post(url, data)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get("/api/v1/performance/congress-submissions").status_code == 401
    assert (
        client.get("/api/v1/performance/congress-submissions", headers=token_for(outsider)).status_code == 403
    )
    assert _state(ready) == before


def test_the_system_administrator_records_them_like_the_leader(ready, sysadmin, token_for, client):
    for method, url, body in _api_writes(ready.unit_id):
        r = getattr(client, method)(url, body, content_type=JSON, headers=token_for(sysadmin))
        assert r.status_code == 200, (url, r.content)
    pub = Publication.objects.get()
    assert (pub.final_accounts_approved_on, pub.final_accounts_published_on) == (
        dt.date(2027, 7, 2),
        dt.date(2027, 7, 10),
    )
    assert pub.final_accounts_published_by == sysadmin
    assert CongressSubmission.objects.get().recorded_by == sysadmin
