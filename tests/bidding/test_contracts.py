"""政府采购合同: signed once the winner is confirmed, published within 2 working days of signing (实施条例
第五十条); recorded by 采购办 on the page and through the API, audited, reminded daily when due or late."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Project, Rule, Status
from fazhi.bidding.services.contracts import contract_deadline, remind_contracts
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent, CalendarDay, Message
from tests.bidding.helpers import archive_all, score_all, sign_all
from tests.days import Days, resolve, today

API = "/api/v1/bidding"
# A Monday four weeks back: the winner is confirmed on it, so every date in these tests is in the past.
MONDAY = today() - dt.timedelta(days=today().weekday() + 28)
THURSDAY = MONDAY + dt.timedelta(days=3)


@pytest.fixture
def confirmed(drawn, buyer):
    """The project with its winner confirmed on MONDAY (10:00 local time)."""
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    result = services.finish_evaluation(project=project, actor=buyer)
    archive_all(project, buyer)
    services.submit_report(project=project, actor=buyer)
    services.confirm_winner(project=project, actor=buyer, bidder_id=result.lines[0].bidder.pk)
    at = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(10)))
    Project.objects.filter(pk=project.pk).update(winner_confirmed_at=at)
    project.refresh_from_db()
    return project


def contract_events(project):
    return AuditEvent.objects.filter(
        object_type="bidding.Project", object_id=str(project.pk), comment__startswith="合同"
    )


# --- the deadline ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_contract_signed_on_thursday_is_due_for_publication_on_monday(buyer, confirmed):
    project = services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    d = contract_deadline(project)
    assert project.contract_signed_on == THURSDAY
    assert d.publish_due == MONDAY + dt.timedelta(days=7)  # Friday and Monday are the 2 working days
    assert d.overdue and "第五十条" in d.source  # not published, and the due day has passed
    project = services.record_contract_published(project=project, actor=buyer, published_on=d.publish_due)
    assert project.contract_published_on == d.publish_due and not contract_deadline(project).overdue
    assert project.status == Status.CONFIRMED
    signed, published = contract_events(project).order_by("seq")
    assert signed.action == "transition" and signed.actor == buyer
    assert signed.after["contract_signed_on"] == THURSDAY.isoformat()
    assert f"应于 {d.publish_due:%Y-%m-%d} 前公告" in signed.comment
    assert published.after == {
        "contract_published_on": d.publish_due.isoformat(),
        "publish_due": d.publish_due.isoformat(),
        "overdue": False,
    }


@pytest.mark.django_db
def test_the_publication_deadline_skips_the_holidays_of_the_platform_calendar(buyer, confirmed):
    CalendarDay.objects.create(
        date=THURSDAY + dt.timedelta(days=1), kind=CalendarDay.Kind.HOLIDAY, name="测试假日"
    )
    project = services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    assert contract_deadline(project).publish_due == MONDAY + dt.timedelta(days=8)  # the Tuesday


@pytest.mark.django_db
def test_a_late_publication_is_recorded_as_late(buyer, confirmed):
    services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    late = MONDAY + dt.timedelta(days=8)
    project = services.record_contract_published(project=confirmed, actor=buyer, published_on=late)
    assert contract_deadline(project).overdue
    event = contract_events(project).order_by("-seq").first()
    assert event.after["overdue"] is True
    assert f"超过期限 {MONDAY + dt.timedelta(days=7):%Y-%m-%d}" in event.comment


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [-1, 61, "2", True, None])
def test_a_contract_rule_with_a_bad_working_day_count_is_refused(bad):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="publish_working_days"):
        Rule(
            key="contract_deadline", title="期限", source="测试", value={"publish_working_days": bad}
        ).full_clean()


# --- the rules of recording -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_contract_before_the_winner_is_confirmed(buyer, drawn):
    project, _ = drawn
    with pytest.raises(Conflict, match="项目当前状态为“已抽取专家”，确定中标人后才能登记合同"):
        services.record_contract_signed(project=project, actor=buyer, signed_on=today())
    project.refresh_from_db()
    assert project.contract_signed_on is None and not contract_events(project).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signed", "published", "error", "message"),
    [
        (MONDAY - dt.timedelta(days=1), None, ValidationFailed, "合同签订日期（.*）不能早于确定中标人的日期"),
        (Days(1), None, ValidationFailed, "合同签订日期（.*）不能晚于今天"),
        (
            THURSDAY,
            THURSDAY - dt.timedelta(days=1),
            ValidationFailed,
            "合同公告日期（.*）不能早于合同签订日期",
        ),
        (THURSDAY, Days(1), ValidationFailed, "合同公告日期（.*）不能晚于今天"),
        (None, THURSDAY, Conflict, "请先登记合同签订日期"),
    ],
)
def test_bad_dates_are_refused_and_change_nothing(buyer, confirmed, signed, published, error, message):
    signed, published = resolve((signed, published))
    if published is not None and signed is not None:
        services.record_contract_signed(project=confirmed, actor=buyer, signed_on=signed)
        with pytest.raises(error, match=message):
            services.record_contract_published(project=confirmed, actor=buyer, published_on=published)
    elif published is not None:
        with pytest.raises(error, match=message):
            services.record_contract_published(project=confirmed, actor=buyer, published_on=published)
    else:
        with pytest.raises(error, match=message):
            services.record_contract_signed(project=confirmed, actor=buyer, signed_on=signed)
    events = contract_events(confirmed).count()
    project = Project.objects.get(pk=confirmed.pk)
    assert project.contract_published_on is None
    assert project.contract_signed_on == (signed if published is not None else None)
    assert events == (1 if project.contract_signed_on else 0)


@pytest.mark.django_db
def test_each_date_is_recorded_once(buyer, confirmed):
    services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    with pytest.raises(Conflict, match="已登记合同签订日期（.*），不能重复登记"):
        services.record_contract_signed(project=confirmed, actor=buyer, signed_on=today())
    services.record_contract_published(project=confirmed, actor=buyer, published_on=THURSDAY)
    with pytest.raises(Conflict, match="已登记合同公告日期"):
        services.record_contract_published(project=confirmed, actor=buyer, published_on=today())
    project = Project.objects.get(pk=confirmed.pk)
    assert (project.contract_signed_on, project.contract_published_on) == (THURSDAY, THURSDAY)


@pytest.mark.django_db
def test_only_procurement_staff_record_the_contract(supervisor, outsider, confirmed):
    expert = confirmed.committees.get().members.first().user
    for user in (supervisor, outsider, expert):
        with pytest.raises(PermissionDenied, match="只有采购办经办人员"):
            services.record_contract_signed(project=confirmed, actor=user, signed_on=THURSDAY)
    confirmed.refresh_from_db()
    assert confirmed.contract_signed_on is None


# --- the project page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buyer_records_both_dates_on_the_page_and_sees_the_deadline(login, buyer, confirmed):
    client = login(buyer)
    url = f"/bidding/projects/{confirmed.pk}/"
    page = client.get(url).content.decode()
    assert "政府采购合同" in page and "合同签订后 2 个工作日" in page and 'name="signed_on"' in page
    r = client.post(f"{url}contract-signed/", {"signed_on": THURSDAY.isoformat()}, follow=True)
    page = r.content.decode()
    due = MONDAY + dt.timedelta(days=7)
    assert f"已登记合同签订日期，请于 {due:%Y-%m-%d} 前公告合同。" in page
    assert f'{due:%Y-%m-%d} <strong class="error">已逾期</strong>' in page  # not published yet
    # The entry form for the signing day is gone (the page offers its correction instead).
    assert f"{url}contract-published/" in page and f"{url}contract-signed/" not in page
    r = client.post(f"{url}contract-published/", {"published_on": due.isoformat()}, follow=True)
    page = r.content.decode()
    assert "已登记合同公告日期。" in page and "已逾期" not in page
    assert f"{url}contract-published/" not in page and f"{url}contract-correction/" in page
    index = client.get("/bidding/").content.decode()
    assert "合同公告" not in index  # published: nothing left due in the list


@pytest.mark.django_db
def test_a_bad_date_on_the_page_gets_a_message_and_keeps_the_input(login, buyer, confirmed):
    client = login(buyer)
    url = f"/bidding/projects/{confirmed.pk}/contract-signed/"
    r = client.post(url, {"signed_on": "2026-02-30"})
    assert r.status_code == 400 and "合同签订日期“2026-02-30”不是有效的日期" in r.content.decode()
    early = (MONDAY - dt.timedelta(days=1)).isoformat()
    r = client.post(url, {"signed_on": early})
    page = r.content.decode()
    assert r.status_code == 400 and "不能早于确定中标人的日期" in page and f'value="{early}"' in page
    confirmed.refresh_from_db()
    assert confirmed.contract_signed_on is None


@pytest.mark.django_db
def test_an_unpublished_contract_past_its_due_date_shows_in_the_project_list(login, buyer, confirmed):
    services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    index = login(buyer).get("/bidding/").content.decode()
    assert f'合同公告 {MONDAY + dt.timedelta(days=7):%Y-%m-%d} <strong class="error">已逾期</strong>' in index


@pytest.mark.django_db
def test_outsiders_and_supervisors_are_refused_on_the_page(login, outsider, supervisor, confirmed):
    for user in (outsider, supervisor):
        for action, field in (("contract-signed", "signed_on"), ("contract-published", "published_on")):
            r = login(user).post(f"/bidding/projects/{confirmed.pk}/{action}/", {field: THURSDAY.isoformat()})
            assert r.status_code == 403
    page = login(supervisor).get(f"/bidding/projects/{confirmed.pk}/").content.decode()
    assert "政府采购合同" in page and 'name="signed_on"' not in page
    confirmed.refresh_from_db()
    assert confirmed.contract_signed_on is None and confirmed.contract_published_on is None


# --- the API ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_records_and_reads_the_contract(client, buyer, token_for, confirmed):
    headers = token_for(buyer)
    base = f"{API}/projects/{confirmed.pk}/contract"
    body = client.get(base, headers=headers).json()
    assert body["signed_on"] is None and body["publish_due"] is None and not body["overdue"]
    r = client.post(
        f"{base}/signed",
        {"signed_on": THURSDAY.isoformat()},
        content_type="application/json",
        headers=headers,
    )
    due = MONDAY + dt.timedelta(days=7)
    assert r.status_code == 200
    assert r.json()["publish_due"] == due.isoformat() and r.json()["overdue"] is True
    r = client.post(
        f"{base}/published",
        {"published_on": (THURSDAY - dt.timedelta(days=1)).isoformat()},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and "不能早于合同签订日期" in r.json()["detail"]
    r = client.post(
        f"{base}/published",
        {"published_on": due.isoformat()},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["published_on"] == due.isoformat() and not r.json()["overdue"]
    assert client.get(base, headers=headers).json()["winner"] == confirmed.winner.name


@pytest.mark.django_db
def test_the_api_refuses_a_contract_before_the_winner(client, buyer, token_for, drawn):
    project, _ = drawn
    r = client.post(
        f"{API}/projects/{project.pk}/contract/signed",
        {"signed_on": today().isoformat()},
        content_type="application/json",
        headers=token_for(buyer),
    )
    assert r.status_code == 409 and "确定中标人后才能登记合同" in r.json()["detail"]


@pytest.mark.django_db
def test_outsiders_and_supervisors_are_refused_by_the_api(client, outsider, supervisor, token_for, confirmed):
    base = f"{API}/projects/{confirmed.pk}/contract"
    assert client.get(base, headers=token_for(outsider)).status_code == 403
    for user in (outsider, supervisor):
        r = client.post(
            f"{base}/signed",
            {"signed_on": THURSDAY.isoformat()},
            content_type="application/json",
            headers=token_for(user),
        )
        assert r.status_code == 403
    confirmed.refresh_from_db()
    assert confirmed.contract_signed_on is None


# --- the daily reminder ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_contract_not_published_reminds_staff_and_the_purchaser_once(buyer, confirmed, django_user_model):
    purchaser = django_user_model.objects.create_user("purchaser1", password="x-pass-2026")
    Project.objects.filter(pk=confirmed.pk).update(purchaser_user=purchaser)
    services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    due = MONDAY + dt.timedelta(days=7)
    assert remind_contracts(due - dt.timedelta(days=2)) == 0  # not yet
    assert remind_contracts(due - dt.timedelta(days=1)) == 2
    assert Message.objects.filter(recipient=purchaser, title__startswith="合同公告期限即将到期").exists()
    assert remind_contracts(due - dt.timedelta(days=1)) == 0  # once
    assert remind_contracts(due + dt.timedelta(days=1)) == 2
    late = Message.objects.get(recipient=buyer, title__startswith="合同公告期限已逾期")
    assert f"应于 {due:%Y-%m-%d} 前公告" in late.body and late.url == f"/bidding/projects/{confirmed.pk}/"
    services.record_contract_published(project=confirmed, actor=buyer, published_on=today())
    Message.objects.all().delete()
    assert remind_contracts(due + dt.timedelta(days=5)) == 0  # published: nothing to remind
