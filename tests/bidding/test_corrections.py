"""更正: 采购办 corrects a recorded contract day, audio/video archive or 副场移交 with a reason; the first
entry's checks apply to the new value, the old and new values and the reason go to the audit chain and to the
project's correction history, and a "correction" that changes nothing is refused."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.bidding import services
from fazhi.bidding.models import AvArchive, Correction, Handover, Project
from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent
from tests.bidding.helpers import score_all, set_rule, sign_all
from tests.days import Days, resolve, today

API = "/api/v1/bidding"
# A Monday four weeks back: the evaluation ended and the winner was confirmed on it, so every day is past.
MONDAY = today() - dt.timedelta(days=today().weekday() + 28)
WEDNESDAY, THURSDAY, FRIDAY = (MONDAY + dt.timedelta(days=n) for n in (2, 3, 4))
PUBLISH_DUE = MONDAY + dt.timedelta(days=7)  # signed on THURSDAY: Friday and Monday are the 2 working days
HANDOVER_DUE = MONDAY + dt.timedelta(days=7)  # 5 working days after MONDAY
NOW = timezone.now()
START, END = NOW - dt.timedelta(hours=3, seconds=17), NOW - dt.timedelta(hours=1, seconds=41)
REASON = "登记时录入错误，已按原始凭证核对"


@pytest.fixture
def confirmed(drawn, buyer):
    """Evaluation ended and winner confirmed on MONDAY (10:00 local time); nothing recorded yet.

    The rule av_archive_required is switched off here: these tests record (and correct) the archives
    themselves, after the report."""
    set_rule("av_archive_required", {"required": False})
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    result = services.finish_evaluation(project=project, actor=buyer)
    services.submit_report(project=project, actor=buyer)
    services.confirm_winner(project=project, actor=buyer, bidder_id=result.lines[0].bidder.pk)
    at = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(10)))
    Project.objects.filter(pk=project.pk).update(evaluation_finished_at=at, winner_confirmed_at=at)
    project.refresh_from_db()
    return project


@pytest.fixture
def recorded(confirmed, buyer, sites):
    """Contract signed THURSDAY and published FRIDAY, the host site's archive, 九江's handover on THURSDAY."""
    services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    services.record_contract_published(project=confirmed, actor=buyer, published_on=FRIDAY)
    archive = services.record_av_archive(
        project=confirmed,
        actor=buyer,
        site_id=sites[0].pk,
        reference="AV-2026-0012",
        started_at=START,
        ended_at=END,
    )
    handover = services.record_handover(
        project=confirmed, actor=buyer, site_id=sites[1].pk, handed_over_on=THURSDAY, contents="签到表"
    )
    confirmed.refresh_from_db()
    return confirmed, archive, handover


def corrected(project):
    return AuditEvent.objects.filter(object_id=str(project.pk), action="correct")


def unchanged(project, archive, handover):
    """Nothing was corrected: the recorded values stand, and neither history nor audit chain has a correction."""
    project.refresh_from_db()
    assert (project.contract_signed_on, project.contract_published_on) == (THURSDAY, FRIDAY)
    assert AvArchive.objects.values_list("reference", "started_at", "ended_at").get(pk=archive.pk) == (
        "AV-2026-0012",
        START,
        END,
    )
    assert Handover.objects.values_list("handed_over_on", "contents").get(pk=handover.pk) == (
        THURSDAY,
        "签到表",
    )
    assert not Correction.objects.exists() and not corrected(project).exists()


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- the contract days ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_signing_day_is_corrected_with_the_old_and_new_day_and_the_reason(buyer, recorded):
    project, _, _ = recorded
    correction = services.correct_contract(project=project, actor=buyer, signed_on=WEDNESDAY, reason=REASON)
    project.refresh_from_db()
    assert (project.contract_signed_on, project.contract_published_on) == (WEDNESDAY, FRIDAY)
    assert (correction.subject, correction.site, correction.reason, correction.corrected_by) == (
        "contract",
        None,
        REASON,
        buyer,
    )
    assert correction.changes == [
        {
            "field": "contract_signed_on",
            "label": "合同签订日期",
            "before": f"{THURSDAY:%Y-%m-%d}",
            "after": f"{WEDNESDAY:%Y-%m-%d}",
        }
    ]
    event = corrected(project).get()
    assert event.seq == correction.audit_seq and event.actor == buyer
    assert event.before == {"contract_signed_on": THURSDAY.isoformat()}
    assert event.after["contract_signed_on"] == WEDNESDAY.isoformat() and event.after["reason"] == REASON
    due = MONDAY + dt.timedelta(days=4)  # signed on Wednesday: Thursday and Friday
    assert event.after["publish_due"] == due.isoformat() and event.after["overdue"] is False
    assert event.comment == (
        f"更正政府采购合同：合同签订日期 {THURSDAY:%Y-%m-%d} → {WEDNESDAY:%Y-%m-%d}，"
        f"公告期限为 {due:%Y-%m-%d}。原因：{REASON}"
    )


@pytest.mark.django_db
def test_a_publication_corrected_past_its_due_day_is_recorded_as_late(buyer, recorded):
    project, _, _ = recorded
    late = PUBLISH_DUE + dt.timedelta(days=1)
    services.correct_contract(project=project, actor=buyer, published_on=late, reason=REASON)
    event = corrected(project).get()
    assert event.after["overdue"] is True and "（已逾期）" in event.comment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signed_on": MONDAY - dt.timedelta(days=1)}, "合同签订日期（.*）不能早于确定中标人的日期"),
        ({"signed_on": Days(1)}, "合同签订日期（.*）不能晚于今天"),
        # Signing corrected to after the recorded publication: the pair is checked, not only the new day.
        ({"signed_on": PUBLISH_DUE}, "合同公告日期（.*）不能早于合同签订日期"),
        ({"published_on": WEDNESDAY}, "合同公告日期（.*）不能早于合同签订日期"),
        ({"published_on": Days(1)}, "合同公告日期（.*）不能晚于今天"),
        ({"signed_on": THURSDAY, "published_on": FRIDAY}, "与原登记内容相同，无需更正"),
        ({}, "与原登记内容相同"),
        ({"signed_on": WEDNESDAY, "reason": "  "}, "请填写更正原因"),
        ({"signed_on": WEDNESDAY, "reason": "长" * 501}, "更正原因不能超过 500 个字"),
    ],
)
def test_a_bad_contract_correction_is_refused_and_changes_nothing(buyer, recorded, change, message):
    change = resolve(change)
    project, archive, handover = recorded
    with pytest.raises(ValidationFailed, match=message):
        services.correct_contract(project=project, actor=buyer, **{"reason": REASON, **change})
    unchanged(project, archive, handover)


@pytest.mark.django_db
def test_only_a_recorded_contract_day_is_corrected(buyer, confirmed):
    with pytest.raises(Conflict, match="尚未登记合同签订日期，没有可更正的内容"):
        services.correct_contract(project=confirmed, actor=buyer, signed_on=WEDNESDAY, reason=REASON)
    services.record_contract_signed(project=confirmed, actor=buyer, signed_on=THURSDAY)
    with pytest.raises(Conflict, match="尚未登记合同公告日期，不能更正；请直接登记"):
        services.correct_contract(project=confirmed, actor=buyer, published_on=FRIDAY, reason=REASON)
    confirmed.refresh_from_db()
    assert confirmed.contract_published_on is None and not Correction.objects.exists()


# --- the audio/video archive ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_archive_is_corrected_and_only_what_changed_is_listed(buyer, recorded, sites):
    project, archive, _ = recorded
    later = START + dt.timedelta(minutes=30)
    correction = services.correct_av_archive(
        project=project,
        actor=buyer,
        archive_id=archive.pk,
        reference=" AV-2026-0021 ",
        started_at=later,
        ended_at=END,  # as recorded: not a change
        reason=REASON,
    )
    archive.refresh_from_db()
    assert (archive.reference, archive.started_at, archive.ended_at) == ("AV-2026-0021", later, END)
    assert correction.site == sites[0]
    assert [(c["label"], c["before"], c["after"]) for c in correction.changes] == [
        ("存档编号或存储位置", "AV-2026-0012", "AV-2026-0021"),
        ("录制开始时间", local(START).replace("T", " "), local(later).replace("T", " ")),
    ]
    event = corrected(project).get()
    assert event.after["av_archive"] == archive.pk and event.after["reference"] == "AV-2026-0021"
    assert event.comment.startswith(
        f"更正音视频存档（{sites[0].name}）：存档编号或存储位置 AV-2026-0012 → AV-2026-0021"
    )


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
        ({"reference": "AV-2026-0012", "started_at": START}, "与原登记内容相同"),
        ({"reference": "AV-9", "reason": ""}, "请填写更正原因"),
    ],
)
def test_a_bad_archive_correction_is_refused_and_changes_nothing(buyer, recorded, change, message):
    project, archive, handover = recorded
    with pytest.raises(ValidationFailed, match=message):
        services.correct_av_archive(
            project=project, actor=buyer, archive_id=archive.pk, **{"reason": REASON, **change}
        )
    unchanged(project, archive, handover)


@pytest.mark.django_db
def test_an_archive_of_another_project_is_not_found(buyer, recorded, make_project, sites):
    project, archive, handover = recorded
    other = make_project(name="另一个项目")
    theirs = AvArchive.objects.create(
        project=other, site=sites[0], reference="AV-X", started_at=START, ended_at=END
    )
    with pytest.raises(NotFound, match=f"本项目没有该音视频存档记录（编号 {theirs.pk}）"):
        services.correct_av_archive(
            project=project, actor=buyer, archive_id=theirs.pk, reference="AV-Y", reason=REASON
        )
    assert AvArchive.objects.get(pk=theirs.pk).reference == "AV-X"
    unchanged(project, archive, handover)


# --- the 副场移交 ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_handover_corrected_past_its_due_day_is_recorded_as_late(buyer, recorded, sites):
    project, _, handover = recorded
    late = HANDOVER_DUE + dt.timedelta(days=1)
    correction = services.correct_handover(
        project=project,
        actor=buyer,
        handover_id=handover.pk,
        handed_over_on=late,
        contents="签到表、评分表原件",
        reason=REASON,
    )
    handover.refresh_from_db()
    assert (handover.handed_over_on, handover.contents) == (late, "签到表、评分表原件")
    assert [c["field"] for c in correction.changes] == ["handed_over_on", "contents"]
    event = corrected(project).get()
    assert event.after["overdue"] is True and event.after["due"] == HANDOVER_DUE.isoformat()
    assert f"移交日期 {THURSDAY:%Y-%m-%d} → {late:%Y-%m-%d}" in event.comment
    assert f"，超过期限 {HANDOVER_DUE:%Y-%m-%d}。原因：{REASON}" in event.comment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"handed_over_on": MONDAY - dt.timedelta(days=1)}, "移交日期（.*）不能早于评标结束的日期"),
        ({"handed_over_on": Days(1)}, "移交日期（.*）不能晚于今天"),
        ({"contents": " "}, "请填写移交内容"),
        ({"contents": "长" * 1001}, "移交内容不能超过 1,000 个字（当前 1,001 个字）"),
        ({"handed_over_on": THURSDAY, "contents": "签到表"}, "与原登记内容相同"),
        ({"contents": "评分表", "reason": "\n"}, "请填写更正原因"),
    ],
)
def test_a_bad_handover_correction_is_refused_and_changes_nothing(buyer, recorded, change, message):
    change = resolve(change)
    project, archive, handover = recorded
    with pytest.raises(ValidationFailed, match=message):
        services.correct_handover(
            project=project, actor=buyer, handover_id=handover.pk, **{"reason": REASON, **change}
        )
    unchanged(project, archive, handover)


@pytest.mark.django_db
def test_only_procurement_staff_correct(supervisor, outsider, recorded):
    project, archive, handover = recorded
    expert = project.committees.get().members.first().user
    for user in (supervisor, outsider, expert):
        with pytest.raises(PermissionDenied, match="只有采购办经办人员"):
            services.correct_contract(project=project, actor=user, signed_on=WEDNESDAY, reason=REASON)
        with pytest.raises(PermissionDenied, match="只有采购办经办人员"):
            services.correct_av_archive(
                project=project, actor=user, archive_id=archive.pk, reference="AV-9", reason=REASON
            )
        with pytest.raises(PermissionDenied, match="只有采购办经办人员"):
            services.correct_handover(
                project=project, actor=user, handover_id=handover.pk, contents="评分表", reason=REASON
            )
    unchanged(project, archive, handover)


# --- the project page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buyer_corrects_the_contract_on_the_page_and_sees_the_history(login, buyer, recorded):
    project, _, _ = recorded
    client = login(buyer)
    url = f"/bidding/projects/{project.pk}/"
    page = client.get(url).content.decode()
    assert f"{url}contract-correction/" in page and f'value="{THURSDAY:%Y-%m-%d}"' in page
    assert 'id="h-corrections"' not in page  # nothing corrected yet: no history section
    form = {"signed_on": WEDNESDAY.isoformat(), "published_on": FRIDAY.isoformat(), "reason": REASON}
    page = client.post(f"{url}contract-correction/", form, follow=True).content.decode()
    assert "已更正政府采购合同的合同签订日期，更正记录已保存。" in page
    assert f"合同签订日期：{THURSDAY:%Y-%m-%d} → {WEDNESDAY:%Y-%m-%d}" in page
    assert REASON in page and "buyer1" in page and 'id="h-corrections"' in page
    project.refresh_from_db()
    assert project.contract_signed_on == WEDNESDAY


@pytest.mark.django_db
def test_a_refused_correction_on_the_page_keeps_the_input_and_changes_nothing(login, buyer, recorded):
    project, archive, handover = recorded
    client = login(buyer)
    url = f"/bidding/projects/{project.pk}/contract-correction/"
    form = {"signed_on": THURSDAY.isoformat(), "published_on": FRIDAY.isoformat(), "reason": REASON}
    r = client.post(url, form)
    assert r.status_code == 400 and "与原登记内容相同，无需更正" in r.content.decode()
    early = (MONDAY - dt.timedelta(days=1)).isoformat()
    r = client.post(url, {**form, "signed_on": early, "reason": "核对合同原件"})
    page = r.content.decode()
    assert r.status_code == 400 and "不能早于确定中标人的日期" in page
    assert f'value="{early}"' in page and 'value="核对合同原件"' in page
    r = client.post(url, {**form, "signed_on": WEDNESDAY.isoformat(), "reason": ""})
    assert r.status_code == 400 and "请填写更正原因" in r.content.decode()
    unchanged(project, archive, handover)


@pytest.mark.django_db
def test_an_archive_time_left_as_shown_is_not_a_change(login, buyer, recorded, sites):
    """The form shows times to the minute; the recorded ones have seconds, which must not count as corrected."""
    project, archive, _ = recorded
    client = login(buyer)
    url = f"/bidding/projects/{project.pk}/"
    page = client.get(url).content.decode()
    assert f'value="{local(START)}"' in page and f"{url}av-archive-correction/" in page
    form = {
        "archive_id": archive.pk,
        "reference": "AV-2026-0021",
        "started_at": local(START),
        "ended_at": local(END),
        "reason": REASON,
    }
    page = client.post(f"{url}av-archive-correction/", form, follow=True).content.decode()
    assert f"已更正音视频存档（{sites[0].name}）的存档编号或存储位置，更正记录已保存。" in page
    archive.refresh_from_db()
    assert (archive.reference, archive.started_at, archive.ended_at) == ("AV-2026-0021", START, END)
    r = client.post(f"{url}av-archive-correction/", {**form, "ended_at": local(START), "reason": "核对"})
    page = r.content.decode()
    assert r.status_code == 400 and "须晚于开始时间" in page and 'value="核对"' in page


@pytest.mark.django_db
def test_the_buyer_corrects_a_handover_on_the_page(login, buyer, recorded, sites):
    project, _, handover = recorded
    client = login(buyer)
    url = f"/bidding/projects/{project.pk}/"
    form = {
        "handover_id": handover.pk,
        "handed_over_on": FRIDAY.isoformat(),
        "contents": "签到表",
        "reason": REASON,
    }
    page = client.post(f"{url}handover-correction/", form, follow=True).content.decode()
    assert f"已更正副场移交（{sites[1].name}）的移交日期，更正记录已保存。" in page
    assert f"移交日期：{THURSDAY:%Y-%m-%d} → {FRIDAY:%Y-%m-%d}" in page
    r = client.post(f"{url}handover-correction/", {**form, "handover_id": 999999})
    assert r.status_code == 404 and "本项目没有该副场移交记录" in r.content.decode()


@pytest.mark.django_db
def test_outsiders_supervisors_and_experts_are_refused_on_the_page(
    client, login, buyer, outsider, supervisor, recorded
):
    project, archive, handover = recorded
    expert = project.committees.get().members.first().user
    url = f"/bidding/projects/{project.pk}/"
    forms = {
        "contract-correction": {"signed_on": WEDNESDAY.isoformat(), "reason": REASON},
        "av-archive-correction": {"archive_id": archive.pk, "reference": "AV-9", "reason": REASON},
        "handover-correction": {"handover_id": handover.pk, "contents": "评分表", "reason": REASON},
    }
    for action, form in forms.items():
        for user in (outsider, supervisor, expert):
            assert login(user).post(f"{url}{action}/", form).status_code == 403
        assert "/accounts/login/" in client.post(f"{url}{action}/", form)["Location"]
    unchanged(project, archive, handover)
    services.correct_contract(project=project, actor=buyer, signed_on=WEDNESDAY, reason=REASON)
    page = login(supervisor).get(url).content.decode()
    assert 'id="h-corrections"' in page and REASON in page  # the supervisor reads the history
    assert "-correction/" not in page  # but has no correction form


@pytest.mark.django_db
def test_the_purchaser_sees_the_contract_corrections_only(login, buyer, recorded, django_user_model):
    project, archive, _ = recorded
    purchaser = django_user_model.objects.create_user("purchaser1", password="x-pass-2026")
    Project.objects.filter(pk=project.pk).update(purchaser_user=purchaser)
    services.correct_contract(project=project, actor=buyer, signed_on=WEDNESDAY, reason="签订日期有误")
    services.correct_av_archive(
        project=project, actor=buyer, archive_id=archive.pk, reference="AV-9", reason="存档编号有误"
    )
    page = login(purchaser).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert "签订日期有误" in page and "存档编号有误" not in page
    page = login(buyer).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert "签订日期有误" in page and "存档编号有误" in page


# --- the API ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_corrects_each_record_and_lists_the_history(client, buyer, supervisor, token_for, recorded):
    project, archive, handover = recorded
    base = f"{API}/projects/{project.pk}"
    headers = token_for(buyer)
    r = client.post(
        f"{base}/contract/corrections",
        {"published_on": PUBLISH_DUE.isoformat(), "reason": REASON},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 201
    body = r.json()
    assert (body["subject"], body["subject_label"], body["site"], body["corrected_by"]) == (
        "contract",
        "政府采购合同",
        None,
        "buyer1",
    )
    assert body["changes"] == [
        {
            "field": "contract_published_on",
            "label": "合同公告日期",
            "before": FRIDAY.isoformat(),
            "after": PUBLISH_DUE.isoformat(),
        }
    ]
    [row] = client.get(f"{base}/handovers", headers=headers).json()
    assert row["id"] == handover.pk
    r = client.post(
        f"{base}/handovers/{row['id']}/corrections",
        {"contents": "签到表、评分表原件", "reason": REASON},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 201 and r.json()["changes"][0]["after"] == "签到表、评分表原件"
    r = client.post(
        f"{base}/archives/{archive.pk}/corrections",
        {"reference": "AV-2026-0021", "ended_at": END.isoformat(), "reason": REASON},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 201 and [c["field"] for c in r.json()["changes"]] == ["reference"]
    history = client.get(f"{base}/corrections", headers=token_for(supervisor)).json()
    assert [c["subject"] for c in history] == ["contract", "handover", "av_archive"]
    assert all(c["reason"] == REASON and c["audit_seq"] for c in history)


@pytest.mark.django_db
def test_the_api_refuses_a_bad_correction_in_chinese_and_changes_nothing(client, buyer, token_for, recorded):
    project, archive, handover = recorded
    base = f"{API}/projects/{project.pk}"
    headers = token_for(buyer)
    r = client.post(
        f"{base}/contract/corrections",
        {"signed_on": WEDNESDAY.isoformat()},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and "请填写更正原因" in r.json()["detail"]
    r = client.post(
        f"{base}/archives/{archive.pk}/corrections",
        {"reference": "AV-2026-0012", "reason": REASON},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and "与原登记内容相同" in r.json()["detail"]
    r = client.post(
        f"{base}/handovers/{handover.pk}/corrections",
        {"handed_over_on": (today() + dt.timedelta(days=1)).isoformat(), "reason": REASON},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and "不能晚于今天" in r.json()["detail"]
    r = client.post(
        f"{base}/archives/999999/corrections",
        {"reference": "AV-9", "reason": REASON},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 404 and "本项目没有该音视频存档记录" in r.json()["detail"]
    unchanged(project, archive, handover)


@pytest.mark.django_db
def test_the_api_refuses_outsiders_supervisors_experts_and_anonymous(
    client, outsider, supervisor, token_for, recorded
):
    project, archive, handover = recorded
    expert = project.committees.get().members.first().user
    base = f"{API}/projects/{project.pk}"
    calls = [
        (f"{base}/contract/corrections", {"signed_on": WEDNESDAY.isoformat(), "reason": REASON}),
        (f"{base}/archives/{archive.pk}/corrections", {"reference": "AV-9", "reason": REASON}),
        (f"{base}/handovers/{handover.pk}/corrections", {"contents": "评分表", "reason": REASON}),
    ]
    for url, body in calls:
        assert client.post(url, body, content_type="application/json").status_code == 401
        for user in (outsider, supervisor, expert):
            r = client.post(url, body, content_type="application/json", headers=token_for(user))
            assert r.status_code == 403
    assert client.get(f"{base}/corrections", headers=token_for(outsider)).status_code == 403
    unchanged(project, archive, handover)
