"""The project list flags what is overdue — a 副场移交 not made, a signed contract not published — on the page and
in the API, with a 只看逾期 filter, in a fixed number of queries however many projects."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Handover, Project, Status
from tests.bidding.helpers import archive_all, score_all, sign_all
from tests.days import today

API = "/api/v1/bidding"
MONDAY = today() - dt.timedelta(
    days=today().weekday() + 28
)  # four weeks back: every due day below has passed
THURSDAY = MONDAY + dt.timedelta(days=3)
HANDOVER_DUE = MONDAY + dt.timedelta(days=7)  # 5 working days after MONDAY
PUBLISH_DUE = MONDAY + dt.timedelta(days=7)  # 2 working days after THURSDAY


@pytest.fixture
def confirmed(drawn, buyer):
    """Evaluation ended and winner confirmed on MONDAY; 九江 has not handed over, no contract yet."""
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    result = services.finish_evaluation(project=project, actor=buyer)
    archive_all(project, buyer)
    services.submit_report(project=project, actor=buyer)
    services.confirm_winner(project=project, actor=buyer, bidder_id=result.lines[0].bidder.pk)
    at = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(10)))
    Project.objects.filter(pk=project.pk).update(evaluation_finished_at=at, winner_confirmed_at=at)
    project.refresh_from_db()
    return project


def late_handover(site):
    return f'副场移交（{site.name}）{HANDOVER_DUE:%Y-%m-%d} <strong class="error">已逾期</strong>'


@pytest.mark.django_db
def test_the_list_flags_an_overdue_handover_and_the_filter_shows_only_late_projects(
    login, buyer, confirmed, make_project, sites
):
    fresh = make_project(name="尚未评标的项目")
    client = login(buyer)
    page = client.get("/bidding/").content.decode()
    assert late_handover(sites[1]) in page and "只看逾期" in page and fresh.name in page
    page = client.get("/bidding/?overdue=1").content.decode()
    assert confirmed.name in page and fresh.name not in page and "显示全部" in page
    services.record_handover(
        project=confirmed, actor=buyer, site_id=sites[1].pk, handed_over_on=HANDOVER_DUE, contents="签到表"
    )
    page = client.get("/bidding/").content.decode()
    assert "副场移交" not in page  # handed over: nothing left due
    page = client.get("/bidding/?overdue=1").content.decode()
    assert confirmed.name not in page and "没有逾期事项。" in page


@pytest.mark.django_db
def test_a_late_handover_already_made_is_not_flagged(login, buyer, confirmed, sites):
    services.record_handover(
        project=confirmed,
        actor=buyer,
        site_id=sites[1].pk,
        handed_over_on=HANDOVER_DUE + dt.timedelta(days=1),
        contents="签到表",
    )
    page = login(buyer).get("/bidding/?overdue=1").content.decode()
    assert confirmed.name not in page  # late, but done: the project page keeps the record of it


@pytest.mark.django_db
def test_the_api_flags_and_filters_overdue_projects(client, buyer, token_for, confirmed, make_project, sites):
    headers = token_for(buyer)
    make_project(name="尚未评标的项目")
    by_name = {p["name"]: p for p in client.get(f"{API}/projects", headers=headers).json()}
    row = by_name[confirmed.name]
    assert (row["handovers_overdue"], row["contract_overdue"], row["overdue"]) == (
        [sites[1].name],
        False,
        True,
    )
    assert by_name["尚未评标的项目"]["overdue"] is False
    services.record_handover(
        project=confirmed, actor=buyer, site_id=sites[1].pk, handed_over_on=THURSDAY, contents="签到表"
    )
    services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    r = client.get(f"{API}/projects?overdue=true", headers=headers)
    [row] = r.json()
    assert r["X-Total-Count"] == "1"
    assert (row["name"], row["handovers_overdue"], row["contract_overdue"]) == (confirmed.name, [], True)
    assert row["contract_publish_due"] == PUBLISH_DUE.isoformat()
    assert client.get(f"{API}/projects?overdue=true&offset=1", headers=headers).json() == []
    services.record_contract_published(project=confirmed, actor=buyer, published_on=today())
    r = client.get(f"{API}/projects?overdue=true", headers=headers)
    assert r.json() == [] and r["X-Total-Count"] == "0"
    assert client.get(f"{API}/projects/{confirmed.pk}", headers=headers).json()["overdue"] is False


@pytest.mark.django_db
def test_outsiders_see_no_overdue_projects(client, login, outsider, token_for, confirmed):
    assert login(outsider).get("/bidding/?overdue=1").status_code == 403
    r = client.get(f"{API}/projects?overdue=true", headers=token_for(outsider))
    assert r.json() == [] and r["X-Total-Count"] == "0"


def add_finished(make_project, sites, count):
    """`count` projects whose evaluation ended on MONDAY; every other one has 九江's handover."""
    for i in range(count):
        p = make_project(name=f"已评标项目{Project.objects.count()}")
        at = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(10)))
        Project.objects.filter(pk=p.pk).update(
            status=Status.EVALUATED, evaluation_finished_at=at, contract_signed_on=THURSDAY
        )
        if i % 2:
            Handover.objects.create(project=p, site=sites[1], handed_over_on=THURSDAY, contents="签到表")


def count_queries(client, url, headers=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/bidding/", "/bidding/?overdue=1", f"{API}/projects", f"{API}/projects?overdue=true"]
)
def test_the_flags_cost_a_fixed_number_of_queries_however_many_projects(
    client, buyer, token_for, make_project, sites, url
):
    headers = token_for(buyer)
    client.get(f"{API}/projects", headers=headers)  # the token's first use is recorded (one UPDATE)
    client.force_login(buyer)
    add_finished(make_project, sites, 2)
    few, r = count_queries(client, url, headers)
    add_finished(make_project, sites, 10)
    many, r = count_queries(client, url, headers)
    assert few == many
    if url.startswith(API):
        late = [p for p in r.json() if p["handovers_overdue"]]
        assert len(late) == 6 and all(p["overdue"] for p in r.json())  # every contract is signed, unpublished
    else:
        assert r.content.decode().count("副场移交（") == 6
