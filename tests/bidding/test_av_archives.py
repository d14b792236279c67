"""音视频存档: once the evaluation has begun, 采购办 records where each site's two-way audio/video recording
is archived and when it ran (once per site); the project page and the evaluation report show it."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from fazhi.bidding import services
from fazhi.bidding.models import AvArchive, Site
from fazhi.bidding.report import build_report
from fazhi.core.docx_text import lines
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent
from tests.bidding.helpers import score_all

API = "/api/v1/bidding"
NOW = timezone.now()
START, END = NOW - dt.timedelta(hours=3), NOW - dt.timedelta(hours=1)


@pytest.fixture
def evaluating(drawn):
    """The project with every member's scores saved (评标中)."""
    project, committee = drawn
    score_all(project, committee)
    project.refresh_from_db()
    return project


def archive(project, actor, site, reference="AV-2026-0012", started_at=START, ended_at=END):
    return services.record_av_archive(
        project=project,
        actor=actor,
        site_id=site.pk,
        reference=reference,
        started_at=started_at,
        ended_at=ended_at,
    )


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@pytest.mark.django_db
def test_an_archive_is_recorded_per_site_and_audited(buyer, evaluating, sites):
    done = archive(evaluating, buyer, sites[1], reference="九江中心存储 /av/2026/0012")
    assert (done.site, done.started_at, done.ended_at, done.recorded_by) == (sites[1], START, END, buyer)
    event = AuditEvent.objects.get(object_type="bidding.Project", comment__startswith="音视频存档")
    assert event.action == "record" and event.actor == buyer
    assert event.comment == f"音视频存档已登记：{sites[1].name}（副场），九江中心存储 /av/2026/0012"


@pytest.mark.django_db
def test_nothing_is_archived_before_the_evaluation_begins(buyer, project, sites):
    services.draw_committee(project=project, actor=buyer)  # drawn; the evaluation starts tomorrow
    project.refresh_from_db()
    with pytest.raises(
        Conflict, match="项目当前状态为“已抽取专家”，评标开始（专家开始评分）后才能登记音视频存档"
    ):
        archive(project, buyer, sites[0])
    assert not AvArchive.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reference": "  "}, "请填写音视频存档编号或存储位置"),
        ({"reference": "长" * 301}, "存档编号或存储位置不能超过 300 个字"),
        ({"ended_at": START}, "录制结束时间（.*）须晚于开始时间"),
        ({"ended_at": NOW + dt.timedelta(hours=2)}, "录制结束时间（.*）不能晚于当前时间"),
        (
            {"started_at": NOW - dt.timedelta(days=3)},
            "录制开始时间（.*）不能早于评标委员会组建时间（.*）前一天",
        ),
    ],
)
def test_bad_input_is_refused_and_records_nothing(buyer, evaluating, sites, change, message):
    with pytest.raises(ValidationFailed, match=message):
        archive(evaluating, buyer, sites[0], **change)
    assert not AvArchive.objects.exists()


@pytest.mark.django_db
def test_only_the_projects_own_sites_and_each_once(buyer, evaluating, sites):
    stranger = Site.objects.create(name="南昌市公共资源交易中心", region="南昌市")
    with pytest.raises(ValidationFailed, match="存档场地须为本项目的主场或副场"):
        archive(evaluating, buyer, stranger)
    archive(evaluating, buyer, sites[0])
    with pytest.raises(Conflict, match=f"{sites[0].name}的音视频存档已登记（AV-2026-0012），不能重复登记"):
        archive(evaluating, buyer, sites[0], reference="AV-2026-0099")
    assert list(AvArchive.objects.values_list("reference", flat=True)) == ["AV-2026-0012"]


@pytest.mark.django_db
def test_only_procurement_staff_record_archives(supervisor, outsider, evaluating, sites):
    expert = evaluating.committees.get().members.first().user
    for user in (supervisor, outsider, expert):
        with pytest.raises(PermissionDenied, match="只有采购办经办人员"):
            archive(evaluating, user, sites[0])
    assert not AvArchive.objects.exists()


# --- the evaluation report -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_has_an_archive_section_with_every_site_and_still_opens(buyer, evaluating, sites):
    # A recording that ended before the evaluation began (an hour ago, as the fixture has it): the row points
    # to 核查提示.
    began, ended = (evaluating.evaluation_start - dt.timedelta(hours=h) for h in (3, 1))
    archive(evaluating, buyer, sites[0], started_at=began, ended_at=ended)
    data = build_report(evaluating)
    document = Document(io.BytesIO(data))  # python-docx opens it
    assert all(len(table.rows) > 1 for table in document.tables)
    text = lines(data)
    assert "六、音视频存档" in text  # no outage: the section after 五 is 六
    assert (
        f"{sites[0].name}（主场） | AV-2026-0012 | {local(began)} 至 {local(ended)}（见“核查提示”）" in text
    )
    assert f"{sites[1].name}（副场） | 未登记 | —" in text


@pytest.mark.django_db
def test_after_an_outage_section_the_archive_section_is_numbered_next(buyer, evaluating, sites):
    services.record_incident(
        project=evaluating,
        actor=buyer,
        site_id=sites[1].pk,
        started_at=START,
        ended_at=END,
        description="网络中断",
    )
    text = lines(build_report(evaluating))
    assert text.index("六、评标过程异常情况") < text.index("七、音视频存档")


# --- the page and the API ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buyer_records_an_archive_on_the_page(login, buyer, evaluating, sites):
    client = login(buyer)
    url = f"/bidding/projects/{evaluating.pk}/"
    page = client.get(url).content.decode()
    assert "音视频存档" in page and 'name="reference"' in page
    form = {
        "site_id": sites[1].pk,
        "reference": "AV-JJ-7",
        "started_at": timezone.localtime(START).strftime("%Y-%m-%dT%H:%M"),
        "ended_at": timezone.localtime(END).strftime("%Y-%m-%dT%H:%M"),
    }
    page = client.post(f"{url}av-archive/", form, follow=True).content.decode()
    assert f"已登记{sites[1].name}的音视频存档。" in page and "AV-JJ-7" in page
    r = client.post(f"{url}av-archive/", {**form, "reference": "AV-JJ-8"})
    page = r.content.decode()
    assert r.status_code == 409 and "不能重复登记" in page
    assert AvArchive.objects.get().reference == "AV-JJ-7"


@pytest.mark.django_db
def test_a_bad_archive_on_the_page_keeps_the_input(login, buyer, evaluating, sites):
    r = login(buyer).post(
        f"/bidding/projects/{evaluating.pk}/av-archive/",
        {
            "site_id": sites[0].pk,
            "reference": "AV-1",
            "started_at": "2026-07-23T10:00",
            "ended_at": "2026-07-23T09:00",
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and "须晚于开始时间" in page and 'value="AV-1"' in page
    assert not AvArchive.objects.exists()


@pytest.mark.django_db
def test_outsiders_supervisors_and_experts_are_refused_on_the_page(
    client, login, outsider, supervisor, evaluating, sites
):
    expert = evaluating.committees.get().members.first().user
    url = f"/bidding/projects/{evaluating.pk}/av-archive/"
    form = {
        "site_id": sites[0].pk,
        "reference": "AV-1",
        "started_at": "2026-07-23T09:00",
        "ended_at": "2026-07-23T10:00",
    }
    for user in (outsider, supervisor, expert):
        assert login(user).post(url, form).status_code == 403
    assert "/accounts/login/" in client.post(url, form)["Location"]
    page = login(supervisor).get(f"/bidding/projects/{evaluating.pk}/").content.decode()
    assert "音视频存档" in page and 'name="reference"' not in page
    assert not AvArchive.objects.exists()


@pytest.mark.django_db
def test_the_api_records_and_lists_archives(
    client, buyer, supervisor, outsider, token_for, evaluating, sites
):
    base = f"{API}/projects/{evaluating.pk}/archives"
    body = {
        "site_id": sites[0].pk,
        "reference": "AV-9",
        "started_at": START.isoformat(),
        "ended_at": END.isoformat(),
    }
    assert client.post(base, body, content_type="application/json").status_code == 401
    for user in (outsider, supervisor):
        assert (
            client.post(base, body, content_type="application/json", headers=token_for(user)).status_code
            == 403
        )
    r = client.post(base, body, content_type="application/json", headers=token_for(buyer))
    assert r.status_code == 201
    assert (r.json()["site"], r.json()["role"], r.json()["recorded_by"]) == (sites[0].name, "主场", "buyer1")
    r = client.post(
        base,
        {**body, "ended_at": START.isoformat()},
        content_type="application/json",
        headers=token_for(buyer),
    )
    assert r.status_code == 400 and "须晚于开始时间" in r.json()["detail"]
    assert [a["reference"] for a in client.get(base, headers=token_for(supervisor)).json()] == ["AV-9"]
    assert client.get(base, headers=token_for(outsider)).status_code == 403
