"""Query counts of the bidding lists: they must not grow with the number of projects (no N+1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Committee, Incident, Project, ScoreSheet, Status

API = "/api/v1/bidding"


def add_projects(make_project, buyer, count):
    """`count` projects with two bidders each; some reported (with deadlines), some under evaluation with a
    committee and an outage past the limit."""
    host_site = None
    first = Project.objects.count()
    for i in range(first, first + count):
        p = make_project(name=f"批量项目{i}")
        host_site = host_site or p.host_site
        for name, price in (("甲公司", "100000"), ("乙公司", "90000")):
            services.add_bidder(project=p, actor=buyer, name=f"{name}{i}", bid_price=price)
        if i % 3 == 2:  # evaluated and reported: both deadlines are computed on the working-day calendar
            Project.objects.filter(pk=p.pk).update(
                status=Status.REPORTED,
                evaluation_finished_at=timezone.now() - dt.timedelta(days=3),
                report_submitted_at=timezone.now() - dt.timedelta(days=1),
            )
        elif i % 2:
            Project.objects.filter(pk=p.pk).update(status=Status.EVALUATING)
            committee = Committee.objects.create(project=p, number=1, formed_at=timezone.now())
            Incident.objects.create(
                project=p,
                committee=committee,
                site=host_site,
                started_at=timezone.now() - dt.timedelta(hours=5),
                description="主场网络中断",
            )


def count_queries(client, url, headers=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
def test_the_project_api_reads_a_fixed_number_of_queries_however_many_projects(
    client, buyer, token_for, make_project
):
    headers = token_for(buyer)
    client.get(f"{API}/projects", headers=headers)  # the token's first use is recorded (one UPDATE)
    add_projects(make_project, buyer, 2)
    few, r = count_queries(client, f"{API}/projects", headers)
    assert len(r.json()) == 2
    add_projects(make_project, buyer, 10)
    many, r = count_queries(client, f"{API}/projects", headers)
    body = r.json()
    assert len(body) == 12
    assert few == many
    # The prefetched rows are the right ones: bidders, criteria and the outage past the limit.
    by_name = {p["name"]: p for p in body}
    assert [b["name"] for b in by_name["批量项目3"]["bidders"]] == ["甲公司3", "乙公司3"]
    assert len(by_name["批量项目3"]["criteria"]) == 3
    assert by_name["批量项目3"]["assist_sites"] == ["九江市公共资源交易中心"]
    assert by_name["批量项目3"]["new_committee_needed"] is True
    assert by_name["批量项目4"]["new_committee_needed"] is False


@pytest.mark.django_db
def test_the_project_api_pages_with_limit_and_offset(client, buyer, token_for, make_project):
    headers = token_for(buyer)
    add_projects(make_project, buyer, 5)
    everything = client.get(f"{API}/projects", headers=headers)
    assert everything["X-Total-Count"] == "5"
    ids = [p["id"] for p in everything.json()]
    first = client.get(f"{API}/projects?limit=2", headers=headers).json()
    rest = client.get(f"{API}/projects?limit=2&offset=2", headers=headers).json()
    last = client.get(f"{API}/projects?limit=2&offset=4", headers=headers)
    assert [p["id"] for p in first + rest + last.json()] == ids
    assert last["X-Total-Count"] == "5"
    # A limit above the maximum is cut to it (as in the search APIs), not refused.
    assert [p["id"] for p in client.get(f"{API}/projects?limit=100000", headers=headers).json()] == ids


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["limit=0", "limit=-3", "offset=-1"])
def test_a_bad_page_window_is_refused_in_chinese(client, buyer, token_for, make_project, query):
    add_projects(make_project, buyer, 1)
    r = client.get(f"{API}/projects?{query}", headers=token_for(buyer))
    assert r.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"])


@pytest.mark.django_db
def test_outsiders_still_see_no_projects_in_the_paged_api(client, buyer, outsider, token_for, make_project):
    add_projects(make_project, buyer, 3)
    r = client.get(f"{API}/projects?limit=2", headers=token_for(outsider))
    assert r.json() == []
    assert r["X-Total-Count"] == "0"


@pytest.mark.django_db
def test_the_project_page_reads_a_fixed_number_of_queries_however_many_projects(login, buyer, make_project):
    client = login(buyer)
    add_projects(make_project, buyer, 2)
    few, r = count_queries(client, reverse("bidding:index"))
    assert "批量项目1" in r.content.decode()
    add_projects(make_project, buyer, 10)
    many, r = count_queries(client, reverse("bidding:index"))
    assert "批量项目11" in r.content.decode()
    assert few == many


@pytest.mark.django_db
def test_the_score_sheet_admin_list_reads_a_fixed_number_of_queries(
    login, drawn, sysadmin, django_user_model
):
    project, committee = drawn
    admin_user = django_user_model.objects.create_superuser("root", "root@example.com", "x-pass-2026")
    client = login(admin_user)
    members = list(committee.members.order_by("seat"))
    ScoreSheet.objects.create(member=members[0], site=members[0].site)
    few, r = count_queries(client, "/admin/bidding/scoresheet/")
    assert members[0].display_name in r.content.decode()
    for m in members[1:]:
        ScoreSheet.objects.create(member=m, site=m.site)
    many, r = count_queries(client, "/admin/bidding/scoresheet/")
    assert members[-1].display_name in r.content.decode()
    assert few == many
