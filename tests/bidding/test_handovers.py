"""副场移交: each assisting site hands its records over to the host within 5 working days of the day the
evaluation ended (rule `handover_deadline`, the platform's working-day calendar); 采购办 records the day and
what was handed over, the page shows due and overdue, and a daily reminder goes out once per state."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import Handover, Project, Rule, Site
from fazhi.bidding.services.handovers import handover_due, remind_handovers
from fazhi.core import periodic
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent, CalendarDay, Message
from tests.bidding.helpers import score_all, sign_all
from tests.days import Days, resolve, today

API = "/api/v1/bidding"
# A Monday four weeks back: the evaluation ended on it, so every date in these tests is in the past.
MONDAY = today() - dt.timedelta(days=today().weekday() + 28)
THURSDAY = MONDAY + dt.timedelta(days=3)
DUE = MONDAY + dt.timedelta(days=7)  # Tuesday to Friday and the next Monday are the 5 working days
RULE = "发改办法规〔2025〕807号"


@pytest.fixture
def finished(drawn, buyer):
    """The project whose evaluation ended on MONDAY (10:00 local time); 九江 is its one assisting site."""
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    services.finish_evaluation(project=project, actor=buyer)
    at = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(10)))
    Project.objects.filter(pk=project.pk).update(evaluation_finished_at=at)
    project.refresh_from_db()
    return project


def hand_over(project, actor, site, on=THURSDAY, contents="签到表、身份核验记录、评分表原件、音视频存档光盘"):
    return services.record_handover(
        project=project, actor=actor, site_id=site.pk, handed_over_on=on, contents=contents
    )


def jiujiang(project):
    return next(r for r in handover_due(project) if r.site.name.startswith("九江"))


# --- the deadline ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_handover_is_due_five_working_days_after_the_evaluation_ended(buyer, finished, sites):
    row = jiujiang(finished)
    assert (row.due, row.overdue, row.handover, row.working_days) == (DUE, True, None, 5)
    assert row.source == RULE
    done = hand_over(finished, buyer, sites[1])
    assert (done.handed_over_on, done.recorded_by) == (THURSDAY, buyer)
    row = jiujiang(finished)
    assert row.handover == done and not row.overdue
    event = AuditEvent.objects.get(object_type="bidding.Project", comment__startswith="副场移交")
    assert event.action == "record" and event.actor == buyer
    assert event.after["due"] == DUE.isoformat() and event.after["overdue"] is False
    assert event.comment == f"副场移交已登记：{sites[1].name}于 {THURSDAY:%Y-%m-%d} 移交（{RULE}）"


@pytest.mark.django_db
def test_no_due_date_before_the_evaluation_ends(drawn):
    project, _ = drawn
    row = jiujiang(project)
    assert (row.due, row.overdue) == (None, False)


@pytest.mark.django_db
def test_the_deadline_skips_the_holidays_of_the_platform_calendar(finished):
    CalendarDay.objects.create(
        date=MONDAY + dt.timedelta(days=1), kind=CalendarDay.Kind.HOLIDAY, name="测试假日"
    )
    assert jiujiang(finished).due == DUE + dt.timedelta(days=1)


@pytest.mark.django_db
def test_the_working_days_are_an_admin_rule(finished):
    Rule.objects.create(
        key="handover_deadline", title="副场移交", value={"working_days": 3}, source="本地规定"
    )
    row = jiujiang(finished)
    assert (row.due, row.source) == (THURSDAY, "本地规定")


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [-1, 61, "5", True, None])
def test_a_handover_rule_with_a_bad_working_day_count_is_refused(bad):
    with pytest.raises(ValidationError, match="working_days"):
        Rule(key="handover_deadline", title="期限", source="测试", value={"working_days": bad}).full_clean()


@pytest.mark.django_db
def test_a_late_handover_is_recorded_as_late(buyer, finished, sites):
    late = DUE + dt.timedelta(days=1)
    hand_over(finished, buyer, sites[1], on=late)
    assert jiujiang(finished).overdue
    event = AuditEvent.objects.get(object_type="bidding.Project", comment__startswith="副场移交")
    assert event.after["overdue"] is True and f"超过期限 {DUE:%Y-%m-%d}" in event.comment


# --- the rules of recording -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_handover_before_the_evaluation_ends(buyer, drawn, sites):
    project, _ = drawn
    with pytest.raises(Conflict, match="项目当前状态为“已抽取专家”，评标结束后才能登记副场移交"):
        hand_over(project, buyer, sites[1], on=today())
    assert not Handover.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"on": MONDAY - dt.timedelta(days=1)}, "移交日期（.*）不能早于评标结束的日期"),
        ({"on": Days(1)}, "移交日期（.*）不能晚于今天"),
        ({"contents": "  "}, "请填写移交内容"),
        ({"contents": "长" * 1001}, "移交内容不能超过 1,000 个字（当前 1,001 个字）"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(buyer, finished, sites, change, message):
    change = resolve(change)
    with pytest.raises(ValidationFailed, match=message):
        hand_over(finished, buyer, sites[1], **change)
    assert not Handover.objects.exists()
    assert not AuditEvent.objects.filter(comment__startswith="副场移交").exists()


@pytest.mark.django_db
def test_only_an_assisting_site_of_the_project_hands_over_and_each_once(buyer, finished, sites):
    with pytest.raises(ValidationFailed, match="主场是接收方，无需登记移交"):
        hand_over(finished, buyer, sites[0])
    stranger = Site.objects.create(name="南昌市公共资源交易中心", region="南昌市")
    with pytest.raises(ValidationFailed, match="移交场地须为本项目的副场"):
        hand_over(finished, buyer, stranger)
    hand_over(finished, buyer, sites[1])
    with pytest.raises(Conflict, match=f"{sites[1].name}已登记移交（{THURSDAY:%Y-%m-%d}），不能重复登记"):
        hand_over(finished, buyer, sites[1], on=today())
    assert list(Handover.objects.values_list("handed_over_on", flat=True)) == [THURSDAY]


@pytest.mark.django_db
def test_only_procurement_staff_record_handovers(supervisor, outsider, finished, sites):
    expert = finished.committees.get().members.first().user
    for user in (supervisor, outsider, expert):
        with pytest.raises(PermissionDenied, match="只有采购办经办人员"):
            hand_over(finished, user, sites[1])
    assert not Handover.objects.exists()


# --- the project page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_overdue_handover_and_the_buyer_records_it(login, buyer, finished, sites):
    client = login(buyer)
    url = f"/bidding/projects/{finished.pk}/"
    page = client.get(url).content.decode()
    assert f'{sites[1].name}：{DUE:%Y-%m-%d} <strong class="error">已逾期</strong>' in page
    assert 'name="handed_over_on"' in page and f"副场移交：{RULE}" in page
    r = client.post(
        f"{url}handover/",
        {
            "site_id": sites[1].pk,
            "handed_over_on": (DUE + dt.timedelta(days=2)).isoformat(),
            "contents": "评分表原件",
        },
        follow=True,
    )
    page = r.content.decode()
    assert f"已登记{sites[1].name}的资料移交（已超过期限 {DUE:%Y-%m-%d}）。" in page
    assert "评分表原件" in page and f"{url}handover/" not in page  # nothing left to hand over


@pytest.mark.django_db
def test_before_the_end_the_page_says_when_the_handover_will_be_due(login, buyer, drawn, sites):
    project, _ = drawn
    page = login(buyer).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert f"{sites[1].name}：评标结束后 5 个工作日" in page and 'name="handed_over_on"' not in page


@pytest.mark.django_db
def test_a_bad_date_on_the_page_gets_a_message_and_keeps_the_input(login, buyer, finished, sites):
    early = (MONDAY - dt.timedelta(days=1)).isoformat()
    r = login(buyer).post(
        f"/bidding/projects/{finished.pk}/handover/",
        {"site_id": sites[1].pk, "handed_over_on": early, "contents": "签到表"},
    )
    page = r.content.decode()
    assert r.status_code == 400 and "不能早于评标结束的日期" in page
    assert f'value="{early}"' in page and ">签到表</textarea>" in page
    assert not Handover.objects.exists()


@pytest.mark.django_db
def test_outsiders_supervisors_and_experts_are_refused_on_the_page(
    client, login, outsider, supervisor, finished, sites
):
    expert = finished.committees.get().members.first().user
    url = f"/bidding/projects/{finished.pk}/handover/"
    form = {"site_id": sites[1].pk, "handed_over_on": THURSDAY.isoformat(), "contents": "签到表"}
    for user in (outsider, supervisor, expert):
        assert login(user).post(url, form).status_code == 403
    assert "/accounts/login/" in client.post(url, form)["Location"]
    page = login(supervisor).get(f"/bidding/projects/{finished.pk}/").content.decode()
    assert "副场移交" in page and 'name="handed_over_on"' not in page
    assert not Handover.objects.exists()


# --- the API ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_lists_every_assisting_site_and_records_a_handover(
    client, buyer, supervisor, token_for, finished, sites
):
    base = f"{API}/projects/{finished.pk}/handovers"
    [row] = client.get(base, headers=token_for(supervisor)).json()
    assert (row["site"], row["due"], row["overdue"], row["handed_over"]) == (
        sites[1].name,
        DUE.isoformat(),
        True,
        False,
    )
    body = {"site_id": sites[1].pk, "handed_over_on": THURSDAY.isoformat(), "contents": "签到表"}
    r = client.post(
        base, {**body, "site_id": sites[0].pk}, content_type="application/json", headers=token_for(buyer)
    )
    assert r.status_code == 400 and "主场是接收方" in r.json()["detail"]
    r = client.post(base, body, content_type="application/json", headers=token_for(buyer))
    assert r.status_code == 201
    assert (r.json()["handed_over_on"], r.json()["overdue"], r.json()["recorded_by"]) == (
        THURSDAY.isoformat(),
        False,
        "buyer1",
    )


@pytest.mark.django_db
def test_the_api_refuses_outsiders_supervisors_experts_and_anonymous(
    client, outsider, supervisor, token_for, finished, sites
):
    expert = finished.committees.get().members.first().user
    base = f"{API}/projects/{finished.pk}/handovers"
    body = {"site_id": sites[1].pk, "handed_over_on": THURSDAY.isoformat(), "contents": "签到表"}
    assert client.get(base).status_code == 401
    assert client.post(base, body, content_type="application/json").status_code == 401
    for user in (outsider, supervisor, expert):
        assert (
            client.post(base, body, content_type="application/json", headers=token_for(user)).status_code
            == 403
        )
    assert client.get(base, headers=token_for(expert)).status_code == 403
    assert not Handover.objects.exists()


# --- the daily reminder ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_site_not_handed_over_reminds_procurement_staff_once_per_state(buyer, finished, sites):
    assert "bidding.handovers" in {job.name for job in periodic.jobs()}
    assert remind_handovers(DUE - dt.timedelta(days=2)) == 0  # not yet
    assert remind_handovers(DUE - dt.timedelta(days=1)) == 1
    soon = Message.objects.get(recipient=buyer)
    assert soon.title == f"副场移交期限即将到期：{finished.name}（{sites[1].name}）"
    assert remind_handovers(DUE - dt.timedelta(days=1)) == 0  # once
    assert remind_handovers(DUE + dt.timedelta(days=1)) == 1
    late = Message.objects.get(recipient=buyer, title__startswith="副场移交期限已逾期")
    assert f"应于 {DUE:%Y-%m-%d} 前将评标资料移交主场（{RULE}）" in late.body
    assert late.url == f"/bidding/projects/{finished.pk}/"
    hand_over(finished, buyer, sites[1], on=today())
    Message.objects.all().delete()
    assert remind_handovers(DUE + dt.timedelta(days=5)) == 0  # handed over: nothing to remind


@pytest.mark.django_db
def test_a_project_without_assisting_sites_is_never_reminded(buyer, finished):
    finished.assist_sites.clear()
    assert handover_due(finished) == []
    assert remind_handovers(DUE + dt.timedelta(days=1)) == 0
