"""评分与签名 wait for 评标开始时间 and stop once the evaluation is recorded as finished: the page, the API and the
service refuse, name the time and change nothing. Identity checks and the draw come before the start."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import IdentityCheck, Project, Score, ScoreSheet, Status
from fazhi.core.errors import Conflict, PermissionDenied
from fazhi.core.models import AuditEvent
from tests.bidding.helpers import begin_evaluation, give_accounts, score_all, sign_all

API = "/api/v1/bidding"
NOT_YET = "评标尚未开始（评标开始时间 {:%Y-%m-%d %H:%M}），暂不能评分或签名。"


def tomorrow_at_nine() -> dt.datetime:
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)


@pytest.fixture
def ahead(project, buyer):
    """Drawn, with a login for every expert member; the evaluation starts tomorrow at 9:00."""
    committee = services.draw_committee(project=project, actor=buyer, seed="20260723")
    give_accounts(committee)
    Project.objects.filter(pk=project.pk).update(evaluation_start=tomorrow_at_nine())
    project.refresh_from_db()
    return project, committee


def not_yet(project) -> str:
    return NOT_YET.format(timezone.localtime(project.evaluation_start))


def points(criterion) -> str:
    """The same points from every seat: objective items agree and nobody is an outlier."""
    return "8" if criterion.objective else str(criterion.max_points * Decimal("0.8"))


def entries(project) -> list[dict]:
    return [
        {"bidder_id": b.pk, "criterion_id": c.pk, "points": points(c)}
        for b in project.bidders.filter(valid=True)
        for c in project.criteria.all()
    ]


def form(project) -> dict[str, str]:
    """The scoring page's fields, every one filled in."""
    return {
        f"s-{b.pk}-{c.pk}": points(c)
        for b in project.bidders.filter(valid=True)
        for c in project.criteria.all()
    }


def bidding_events() -> int:
    """Audit events about bidding records (a login writes its own)."""
    return AuditEvent.objects.filter(object_type__startswith="bidding.").count()


def seats(committee) -> list:
    return list(committee.members.filter(active=True).order_by("seat"))


def nothing_written(project, events: int) -> None:
    assert not ScoreSheet.objects.exists() and not Score.objects.exists()
    assert bidding_events() == events
    assert Project.objects.get(pk=project.pk).status == Status.DRAWN


# --- before the start ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_refuses_scores_and_a_signature_before_the_start_and_writes_nothing(ahead):
    project, committee = ahead
    member = seats(committee)[0]
    events = bidding_events()
    with pytest.raises(Conflict) as refused:
        services.save_scores(member=member, actor=member.user, entries=entries(project))
    assert refused.value.message == not_yet(project)
    assert refused.value.message.startswith(
        f"评标尚未开始（评标开始时间 {tomorrow_at_nine():%Y-%m-%d} 09:00）"
    )
    with pytest.raises(Conflict, match="^评标尚未开始") as refused:
        services.sign_sheet(member=member, actor=member.user)
    assert refused.value.message == not_yet(project)
    nothing_written(project, events)


@pytest.mark.django_db
def test_the_page_says_so_and_a_post_saves_nothing(login, ahead):
    project, committee = ahead
    member = seats(committee)[0]
    client = login(member.user)
    url = f"/bidding/projects/{project.pk}/score/"
    events = bidding_events()
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and not_yet(project) in html
    assert "保存并签名确认" not in html and html.count('class="score-card"') == 3
    assert 'inputmode="decimal" step="0.01"' in html and " disabled>" in html
    assert "签名前须处理的事项" not in html
    for extra in ({}, {"sign": "1"}):
        refused = client.post(url, {**form(project), **extra})
        html = refused.content.decode()
        assert refused.status_code == 400 and f"未保存：{not_yet(project)}" in html
        assert "已签名确认评分表" not in html and "评分已保存" not in html
    nothing_written(project, events)


@pytest.mark.django_db
def test_the_api_refuses_with_the_message_and_reading_the_sheet_creates_none(client, token_for, ahead):
    project, committee = ahead
    member = seats(committee)[0]
    headers = token_for(member.user)
    events = bidding_events()
    sheet = client.get(f"{API}/members/{member.pk}/sheet", headers=headers)
    assert sheet.status_code == 200
    assert sheet.json()["signed"] is False and sheet.json()["scores"] == []
    assert sheet.json()["site"] == member.site.name
    put = client.put(
        f"{API}/members/{member.pk}/sheet",
        {"entries": entries(project)},
        content_type="application/json",
        headers=headers,
    )
    assert put.status_code == 409 and put.json()["detail"] == not_yet(project)
    sign = client.post(f"{API}/members/{member.pk}/sign", headers=headers)
    assert sign.status_code == 409 and sign.json()["detail"] == not_yet(project)
    nothing_written(project, events)


@pytest.mark.django_db
def test_identity_checks_and_a_replacement_draw_still_come_before_the_start(buyer, ahead):
    project, committee = ahead
    first, second = seats(committee)[:2]
    services.record_identity_check(
        project=project, actor=buyer, member_id=first.pk, method="face_and_id_card", result="passed"
    )
    assert IdentityCheck.objects.get().member == first
    new = services.replace_member(member=second, actor=buyer, reason="临时有事")
    assert new.seat == second.seat and new.active


# --- a start moved after the scores (records made or times corrected otherwise) -----------------------------


@pytest.mark.django_db
def test_a_start_moved_later_than_the_scores_stops_signing_and_finishing(drawn, buyer):
    project, committee = drawn
    score_all(project, committee)
    member = seats(committee)[0]
    saved = sorted(Score.objects.values_list("pk", "points"))
    Project.objects.filter(pk=project.pk).update(evaluation_start=tomorrow_at_nine())
    project.refresh_from_db()
    events = bidding_events()
    with pytest.raises(Conflict) as refused:
        services.sign_sheet(member=member, actor=member.user)
    assert refused.value.message == not_yet(project)
    with pytest.raises(Conflict, match="^评标尚未开始"):
        services.save_scores(member=member, actor=member.user, entries=[])
    assert not ScoreSheet.objects.filter(signed_at__isnull=False).exists()
    assert sorted(Score.objects.values_list("pk", "points")) == saved
    assert bidding_events() == events
    # Signed in time, then the start moved after the signatures: the evaluation cannot be finished before it.
    begin_evaluation(project)
    sign_all(committee)
    Project.objects.filter(pk=project.pk).update(evaluation_start=tomorrow_at_nine())
    events = bidding_events()
    with pytest.raises(Conflict) as refused:
        services.finish_evaluation(project=project, actor=buyer)
    assert refused.value.message == (
        f"评标尚未开始（评标开始时间 {tomorrow_at_nine():%Y-%m-%d %H:%M}），不能结束评标。"
    )
    project.refresh_from_db()
    assert project.status == Status.EVALUATING and project.evaluation_finished_at is None
    assert bidding_events() == events


# --- from the start until the end ------------------------------------------------------------------------


@pytest.mark.django_db
def test_from_the_start_the_page_the_api_and_the_service_accept(login, client, token_for, buyer, ahead):
    project, committee = ahead
    begin_evaluation(project)
    one, two, three, *others = seats(committee)
    url = f"/bidding/projects/{project.pk}/score/"
    saved = login(one.user).post(url, form(project), follow=True)
    assert "评分已保存。" in saved.content.decode()
    headers = token_for(two.user)
    put = client.put(
        f"{API}/members/{two.pk}/sheet",
        {"entries": entries(project)},
        content_type="application/json",
        headers=headers,
    )
    assert put.status_code == 200, put.json()
    for member in (three, *others):
        services.save_scores(member=member, actor=member.user, entries=entries(project))
    assert Project.objects.get(pk=project.pk).status == Status.EVALUATING
    signed = login(one.user).post(url, {**form(project), "sign": "1"}, follow=True)
    assert "已签名确认评分表" in signed.content.decode()
    assert client.post(f"{API}/members/{two.pk}/sign", headers=headers).json()["signed"] is True
    for member in (three, *others):
        services.sign_sheet(member=member, actor=member.user)
    assert ScoreSheet.objects.filter(signed_at__isnull=False).count() == 5
    assert services.finish_evaluation(project=project, actor=buyer).complete


@pytest.mark.django_db
def test_after_the_end_no_score_is_changed_or_signed(login, client, token_for, buyer, drawn):
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    services.finish_evaluation(project=project, actor=buyer)
    project.refresh_from_db()
    ended = f"评标已于 {timezone.localtime(project.evaluation_finished_at):%Y-%m-%d %H:%M} 结束，不能再评分或签名。"
    member = seats(committee)[0]
    saved = sorted(Score.objects.values_list("pk", "points"))
    events = bidding_events()
    with pytest.raises(Conflict) as refused:
        services.save_scores(member=member, actor=member.user, entries=entries(project))
    assert refused.value.message == ended
    with pytest.raises(Conflict, match="^评标已于"):
        services.sign_sheet(member=member, actor=member.user)
    put = client.put(
        f"{API}/members/{member.pk}/sheet",
        {"entries": entries(project)},
        content_type="application/json",
        headers=token_for(member.user),
    )
    assert put.status_code == 409 and put.json()["detail"] == ended
    page = login(member.user).get(f"/bidding/projects/{project.pk}/score/").content.decode()
    assert "签名确认，评分表不可再修改" in page and "保存并签名确认" not in page
    assert sorted(Score.objects.values_list("pk", "points")) == saved
    assert bidding_events() == events


# --- permissions are as before ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_outsider_or_another_member_is_refused_as_before_whatever_the_time(
    login, client, token_for, outsider, ahead
):
    project, committee = ahead
    member, other = seats(committee)[:2]
    url = f"/bidding/projects/{project.pk}/score/"
    for _moment in ("before the start", "after the start"):
        page = login(outsider).post(url, form(project))
        assert (
            page.status_code == 403
            and "您不是本项目当前评标委员会的成员，不能评分。" in page.content.decode()
        )
        put = client.put(
            f"{API}/members/{member.pk}/sheet",
            {"entries": entries(project)},
            content_type="application/json",
            headers=token_for(outsider),
        )
        assert put.status_code == 403
        for actor in (outsider, other.user):
            with pytest.raises(PermissionDenied, match="只能填写本人的评分表"):
                services.save_scores(member=member, actor=actor, entries=entries(project))
            with pytest.raises(PermissionDenied, match="只能填写本人的评分表"):
                services.sign_sheet(member=member, actor=actor)
        assert not ScoreSheet.objects.exists()
        begin_evaluation(project)
