"""A time typed without a zone (“2026-12-07T10:00:00” or “2026-12-07 10:10”) is local time (settings.TIME_ZONE)
wherever the bidding API or a page takes one: it is stored as that local time, never refused with a 500."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone

from fazhi.bidding.models import AvArchive, IdentityCheck, Incident, Project
from fazhi.bidding.services.common import aware
from fazhi.core.errors import ValidationFailed
from tests.bidding.helpers import score_all

API = "/api/v1/bidding"
LOCAL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]  # the ISO form and the one people type


def local_minute(**delta) -> dt.datetime:
    """Local wall-clock time now plus `delta`, to the minute, with no zone (as a user types it)."""
    moment = timezone.localtime() + dt.timedelta(**delta)
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def as_local(naive: dt.datetime) -> dt.datetime:
    return naive.replace(tzinfo=LOCAL)


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", headers=headers)


@pytest.fixture
def evaluating(drawn):
    project, committee = drawn
    score_all(project, committee)
    project.refresh_from_db()
    return project


def test_a_naive_time_is_local_time_and_an_aware_one_is_kept():
    assert aware(dt.datetime(2026, 12, 7, 10, 0)) == dt.datetime(2026, 12, 7, 10, 0, tzinfo=LOCAL)
    utc = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
    assert aware(utc) is utc
    assert aware(None) is None


def test_a_time_that_cannot_be_stored_is_refused_in_chinese():
    with pytest.raises(ValidationFailed, match="故障开始时间“0001-01-01 00:00”超出可登记的时间范围"):
        aware(dt.datetime(1, 1, 1), "故障开始时间")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_incident_and_its_end_given_without_a_zone_are_stored_as_local_time(
    client, buyer, token_for, drawn, sites, fmt
):
    project, _ = drawn
    headers = token_for(buyer)
    started = local_minute(hours=-2)
    r = post(
        client,
        f"{API}/projects/{project.pk}/incidents",
        {"site_id": sites[0].pk, "started_at": started.strftime(fmt), "description": "主场网络中断"},
        headers,
    )
    assert r.status_code == 201, r.content
    incident = Incident.objects.get(pk=r.json()["id"])
    assert incident.started_at == as_local(started)
    ended = local_minute(hours=-1)
    r = post(client, f"{API}/incidents/{incident.pk}/end", {"ended_at": ended.strftime(fmt)}, headers)
    assert r.status_code == 200, r.content
    incident.refresh_from_db()
    assert incident.ended_at == as_local(ended)


@pytest.mark.django_db
def test_an_incident_with_both_times_without_a_zone_is_recorded(client, buyer, token_for, drawn, sites):
    project, _ = drawn
    started, ended = local_minute(hours=-3), local_minute(hours=-2)
    r = post(
        client,
        f"{API}/projects/{project.pk}/incidents",
        {
            "site_id": sites[1].pk,
            "started_at": started.isoformat(),
            "ended_at": ended.isoformat(),
            "description": "副场视频中断",
        },
        token_for(buyer),
    )
    assert r.status_code == 201, r.content
    incident = Incident.objects.get(pk=r.json()["id"])
    assert (incident.started_at, incident.ended_at) == (as_local(started), as_local(ended))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_identity_check_time_without_a_zone_is_local_time(client, buyer, token_for, drawn, fmt):
    project, committee = drawn
    member = committee.members.order_by("seat").first()
    checked = local_minute(minutes=2)  # the committee was formed a moment ago; a check may not precede it
    r = post(
        client,
        f"{API}/projects/{project.pk}/identity-checks",
        {"member_id": member.pk, "method": "face", "result": "passed", "checked_at": checked.strftime(fmt)},
        token_for(buyer),
    )
    assert r.status_code == 201, r.content
    assert IdentityCheck.objects.get(pk=r.json()["id"]).checked_at == as_local(checked)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_archive_and_its_correction_without_a_zone_are_local_time(
    client, buyer, token_for, evaluating, sites, fmt
):
    project, headers = evaluating, token_for(buyer)
    started, ended = local_minute(hours=-3), local_minute(hours=-1)
    r = post(
        client,
        f"{API}/projects/{project.pk}/archives",
        {
            "site_id": sites[0].pk,
            "reference": "AV-2026-0012",
            "started_at": started.strftime(fmt),
            "ended_at": ended.strftime(fmt),
        },
        headers,
    )
    assert r.status_code == 201, r.content
    archive = AvArchive.objects.get(pk=r.json()["id"])
    assert (archive.started_at, archive.ended_at) == (as_local(started), as_local(ended))
    corrected = local_minute(hours=-2)
    r = post(
        client,
        f"{API}/projects/{project.pk}/archives/{archive.pk}/corrections",
        {"started_at": corrected.strftime(fmt), "reason": "登记时录入错误，已按录像核对"},
        headers,
    )
    assert r.status_code == 201, r.content
    archive.refresh_from_db()
    assert (archive.started_at, archive.ended_at) == (as_local(corrected), as_local(ended))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_project_created_with_times_without_a_zone_keeps_them_as_local_time(
    client, buyer, token_for, sites, fmt
):
    from tests.bidding.test_api import project_payload

    start = local_minute(days=2).replace(hour=9, minute=30)
    reveal = start.replace(hour=8)
    payload = project_payload(
        sites, evaluation_start=start.strftime(fmt), names_reveal_at=reveal.strftime(fmt)
    )
    r = post(client, f"{API}/projects", payload, token_for(buyer))
    assert r.status_code == 201, r.content
    project = Project.objects.get(pk=r.json()["id"])
    assert (project.evaluation_start, project.names_reveal_at) == (as_local(start), as_local(reveal))


@pytest.mark.django_db
def test_an_api_time_beyond_the_storable_range_gets_a_chinese_reason(client, buyer, token_for, drawn, sites):
    project, _ = drawn
    r = post(
        client,
        f"{API}/projects/{project.pk}/incidents",
        {"site_id": sites[0].pk, "started_at": "0001-01-01T00:00:00", "description": "主场网络中断"},
        token_for(buyer),
    )
    assert r.status_code == 400 and "超出可登记的时间范围" in r.json()["detail"]
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_the_page_form_takes_a_time_typed_with_a_space(login, buyer, drawn, sites):
    project, _ = drawn
    started = local_minute(hours=-1)
    r = login(buyer).post(
        f"/bidding/projects/{project.pk}/incident/",
        {"site_id": sites[0].pk, "started_at": started.strftime("%Y-%m-%d %H:%M"), "description": "主场断电"},
    )
    assert r.status_code in (200, 302)
    assert Incident.objects.get().started_at == as_local(started)
