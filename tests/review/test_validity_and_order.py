"""Normative documents: the order of the procedure steps around the 合法性审核, 有效期评估 and automatic expiry."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.core.dates import add_years
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent, Message
from fazhi.review import reminders, services, validity
from fazhi.review.models import Draft, ProcedureRecord, ProcedureStep, State, Transition, ValidityEvaluation

TODAY = timezone.localdate
ONE_DAY = dt.timedelta(days=1)


def _approved(make_draft, clerk, reviewer) -> Draft:
    draft = make_draft()
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    return services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")


def _approved_days_ago(draft: Draft, days: int) -> dt.date:
    approved = TODAY() - dt.timedelta(days=days)
    at = timezone.make_aware(dt.datetime.combine(approved, dt.time(10)))
    Draft.objects.filter(pk=draft.pk).update(decided_at=at)
    draft.refresh_from_db()
    return approved


def _in_force(make_draft, *, valid_until: dt.date, published_on: dt.date | None = None) -> Draft:
    draft = make_draft(state=State.PUBLISHED)
    Draft.objects.filter(pk=draft.pk).update(
        published_on=published_on or TODAY() - dt.timedelta(days=4 * 365), valid_until=valid_until
    )
    draft.refresh_from_db()
    return draft


# The order: 征求意见 and 评估论证 before the 合法性审核, 集体审议 after it


def test_a_deliberation_held_before_the_review_passed_blocks_publication(make_draft, clerk, reviewer):
    draft = _approved(make_draft, clerk, reviewer)
    draft.procedures.filter(step=ProcedureStep.DELIBERATION).update(date=dt.date(2026, 1, 5))
    approved = _approved_days_ago(draft, 3)
    with pytest.raises(Conflict) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")
    assert err.value.status == 409
    assert "集体审议应在合法性审核通过之后进行" in err.value.message
    assert f"{approved.year}年{approved.month}月{approved.day}日审查通过" in err.value.message
    draft.refresh_from_db()
    assert draft.state == State.APPROVED and draft.published_on is None
    assert not Transition.objects.filter(draft=draft, action="publish").exists()

    # A deliberation after the approval is recorded; the earlier one stays in the record and publishing works.
    services.add_procedure(
        user=clerk, draft_id=draft.pk, step="集体审议", date=TODAY(), summary="局党组会议审议通过"
    )
    published = services.transition(user=clerk, draft_id=draft.pk, action="publish", comment="印发")
    assert published.state == State.PUBLISHED
    assert draft.procedures.filter(step=ProcedureStep.DELIBERATION).count() == 2


def test_a_consultation_only_after_the_review_passed_blocks_publication(make_draft, clerk, reviewer):
    draft = _approved(make_draft, clerk, reviewer)
    _approved_days_ago(draft, 10)
    draft.procedures.filter(step=ProcedureStep.CONSULTATION).update(date=TODAY() - dt.timedelta(days=2))
    assert services.procedure_order_problems(draft)[0].startswith("征求意见应在合法性审核之前完成")
    with pytest.raises(Conflict) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="publish")
    assert "征求意见应在合法性审核之前完成" in err.value.message
    assert Draft.objects.get(pk=draft.pk).state == State.APPROVED


def test_after_approval_a_step_out_of_order_is_refused_when_recorded(make_draft, clerk, reviewer):
    draft = _approved(make_draft, clerk, reviewer)
    _approved_days_ago(draft, 10)
    before = ProcedureRecord.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.add_procedure(
            user=clerk, draft_id=draft.pk, step="评估论证", date=TODAY(), summary="补做评估"
        )
    assert "评估论证应在合法性审核之前完成" in err.value.message and "应重新送审" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        services.add_procedure(
            user=clerk,
            draft_id=draft.pk,
            step="集体审议",
            date=TODAY() - dt.timedelta(days=20),
            summary="局务会",
        )
    assert "不能早于审查通过之日" in err.value.message
    assert ProcedureRecord.objects.count() == before
    # On the day of the approval or later it is in its place.
    services.add_procedure(
        user=clerk, draft_id=draft.pk, step="集体审议", date=TODAY() - dt.timedelta(days=10), summary="局务会"
    )
    assert ProcedureRecord.objects.count() == before + 1


def test_the_draft_page_shows_the_order_problem(make_draft, clerk, reviewer, login):
    draft = _approved(make_draft, clerk, reviewer)
    draft.procedures.filter(step=ProcedureStep.DELIBERATION).update(date=dt.date(2026, 1, 5))
    _approved_days_ago(draft, 3)
    page = login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "集体审议应在合法性审核通过之后进行" in page
    assert "征求意见、评估论证 → 合法性审核 → 集体审议" in page
    api = login(clerk).get(f"/api/v1/review/drafts/{draft.pk}").json()
    assert api["procedure_order_problems"] and "集体审议" in api["procedure_order_problems"][0]


# 有效期评估


def test_continue_moves_the_end_date_within_the_rule(make_draft, reviewer, clerk):
    old_end = TODAY() + dt.timedelta(days=60)
    draft = _in_force(make_draft, valid_until=old_end)
    events = AuditEvent.objects.count()
    new_end = TODAY() + dt.timedelta(days=3 * 365)
    record = validity.evaluate(
        user=reviewer,
        draft_id=draft.pk,
        outcome="继续施行",
        evaluated_on=TODAY(),
        summary="实施效果良好，仍需施行",
        valid_until=new_end,
    )
    draft.refresh_from_db()
    assert draft.valid_until == new_end and draft.state == State.PUBLISHED
    assert (record.valid_until_before, record.valid_until_after) == (old_end, new_end)
    event = AuditEvent.objects.filter(action="validity_evaluation").get()
    assert event.before["valid_until"] == str(old_end) and event.after["valid_until"] == str(new_end)
    assert AuditEvent.objects.count() > events
    assert Message.objects.filter(recipient=clerk, title__contains="有效期评估：继续施行").exists()


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (None, "请填写新的有效期截止日期"),
        ("same", "应晚于原有效期截止日期"),
        ("too_far", "一般不超过 5 年"),
    ],
)
def test_continue_with_a_bad_end_date_changes_nothing(make_draft, reviewer, valid_until, expected):
    old_end = TODAY() + dt.timedelta(days=60)
    draft = _in_force(make_draft, valid_until=old_end)
    value = {
        None: None,
        "same": old_end,
        "too_far": add_years(TODAY(), 5) + dt.timedelta(days=1),
    }[valid_until]
    with pytest.raises(ValidationFailed) as err:
        validity.evaluate(
            user=reviewer,
            draft_id=draft.pk,
            outcome="continue",
            evaluated_on=TODAY(),
            summary="评估",
            valid_until=value,
        )
    assert expected in err.value.message
    draft.refresh_from_db()
    assert draft.valid_until == old_end
    assert not ValidityEvaluation.objects.exists()


def test_a_lapsed_document_cannot_be_continued(make_draft, director):
    draft = _in_force(make_draft, valid_until=TODAY() - dt.timedelta(days=1))
    with pytest.raises(Conflict) as err:
        validity.evaluate(
            user=director,
            draft_id=draft.pk,
            outcome="继续施行",
            evaluated_on=TODAY(),
            summary="评估",
            valid_until=TODAY() + dt.timedelta(days=100),
        )
    assert "届满" in err.value.message and "重新起草" in err.value.message
    assert not ValidityEvaluation.objects.exists()


def test_repeal_expires_the_document_and_amend_keeps_it(make_draft, reviewer):
    end = TODAY() + dt.timedelta(days=30)
    repealed = _in_force(make_draft, valid_until=end)
    validity.evaluate(
        user=reviewer, draft_id=repealed.pk, outcome="宣布失效", evaluated_on=TODAY(), summary="上位法已修改"
    )
    repealed.refresh_from_db()
    assert repealed.state == State.EXPIRED and repealed.expired_on == TODAY()
    last = repealed.transitions.order_by("-pk").first()
    assert last.action == "expire" and last.actor == reviewer and "上位法已修改" in last.comment

    amended = _in_force(make_draft, valid_until=end)
    with pytest.raises(ValidationFailed):
        validity.evaluate(
            user=reviewer,
            draft_id=amended.pk,
            outcome="amend",
            evaluated_on=TODAY(),
            summary="需修改",
            valid_until=end + dt.timedelta(days=10),
        )
    validity.evaluate(
        user=reviewer, draft_id=amended.pk, outcome="amend", evaluated_on=TODAY(), summary="需修改"
    )
    amended.refresh_from_db()
    assert amended.state == State.PUBLISHED and amended.valid_until == end


def test_evaluation_refusals_change_nothing(make_draft, reviewer, clerk, outsider):
    end = TODAY() + dt.timedelta(days=30)
    draft = _in_force(make_draft, valid_until=end, published_on=TODAY() - dt.timedelta(days=10))
    args = {"draft_id": draft.pk, "outcome": "amend", "summary": "评估"}
    with pytest.raises(PermissionDenied):
        validity.evaluate(user=clerk, evaluated_on=TODAY(), **args)  # the drafter does not decide it
    with pytest.raises(PermissionDenied):
        validity.evaluate(user=outsider, evaluated_on=TODAY(), **args)
    with pytest.raises(ValidationFailed) as err:
        validity.evaluate(user=reviewer, evaluated_on=TODAY() + dt.timedelta(days=1), **args)
    assert "不能晚于今天" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        validity.evaluate(user=reviewer, evaluated_on=TODAY() - dt.timedelta(days=11), **args)
    assert "不能早于文件公布日期" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        validity.evaluate(user=reviewer, evaluated_on=TODAY(), **{**args, "outcome": "延期"})
    assert "评估结论“延期”无效" in err.value.message
    with pytest.raises(ValidationFailed):
        validity.evaluate(user=reviewer, evaluated_on=TODAY(), **{**args, "summary": "  "})
    drafting = make_draft()
    with pytest.raises(Conflict) as err:
        validity.evaluate(user=reviewer, evaluated_on=TODAY(), **{**args, "draft_id": drafting.pk})
    assert "只有已发布或已备案的文件" in err.value.message
    contract = make_draft(state=State.PUBLISHED, normative=False)
    with pytest.raises(Conflict) as err:
        validity.evaluate(user=reviewer, evaluated_on=TODAY(), **{**args, "draft_id": contract.pk})
    assert "只有行政规范性文件" in err.value.message
    assert not ValidityEvaluation.objects.exists()
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.valid_until == end


def test_the_api_records_an_evaluation_and_refuses_outsiders(
    make_draft, reviewer, supervisor, outsider, token_for
):
    draft = _in_force(make_draft, valid_until=TODAY() + dt.timedelta(days=30))
    url = f"/api/v1/review/drafts/{draft.pk}/validity-evaluations"
    body = {
        "outcome": "继续施行",
        "evaluated_on": TODAY().isoformat(),
        "summary": "继续施行",
        "valid_until": (TODAY() + dt.timedelta(days=700)).isoformat(),
    }
    client = Client()
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 401
    for person in (outsider, supervisor):
        r = client.post(url, json.dumps(body), content_type="application/json", headers=token_for(person))
        assert r.status_code == 403, r.content
        assert r.json()["detail"]
    assert not ValidityEvaluation.objects.exists()
    r = client.post(url, json.dumps(body), content_type="application/json", headers=token_for(reviewer))
    assert r.status_code == 201, r.content
    assert r.json()["valid_until"] == body["valid_until"] and r.json()["state_label"] == "已发布"
    detail = client.get(f"/api/v1/review/drafts/{draft.pk}", headers=token_for(reviewer)).json()
    assert detail["validity_evaluations"][0]["outcome"] == "继续施行"
    assert detail["valid_until"] == body["valid_until"]


def test_the_page_form_records_and_keeps_what_was_typed_when_refused(make_draft, reviewer, clerk, login):
    draft = _in_force(make_draft, valid_until=TODAY() + dt.timedelta(days=30))
    reviewer_page = login(reviewer).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'action="/review/drafts/%d/validity/"' % draft.pk in reviewer_page
    assert f'name="evaluated_on" type="date" required value="{TODAY().isoformat()}"' in reviewer_page
    assert "validity/" not in login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    client = login(reviewer)
    r = client.post(
        f"/review/drafts/{draft.pk}/validity/",
        {"outcome": "continue", "evaluated_on": "2026-13-01", "summary": "实施良好，拟继续施行"},
    )
    assert r.status_code == 302
    page = client.get(f"/review/drafts/{draft.pk}/").content.decode()
    assert "请按 年-月-日 填写评估日期" in page and "实施良好，拟继续施行" in page
    r = client.post(
        f"/review/drafts/{draft.pk}/validity/",
        {
            "outcome": "continue",
            "evaluated_on": TODAY().isoformat(),
            "summary": "实施良好",
            "valid_until": "",
        },
    )
    page = client.get(r["Location"]).content.decode()
    assert "请填写新的有效期截止日期" in page
    assert not ValidityEvaluation.objects.exists()
    new_end = TODAY() + dt.timedelta(days=400)
    client.post(
        f"/review/drafts/{draft.pk}/validity/",
        {
            "outcome": "continue",
            "evaluated_on": TODAY().isoformat(),
            "summary": "实施良好",
            "valid_until": new_end.isoformat(),
        },
    )
    assert Draft.objects.get(pk=draft.pk).valid_until == new_end
    assert login(clerk).post(f"/review/drafts/{draft.pk}/validity/", {"outcome": "amend"}).status_code in (
        302,
        403,
    )
    assert ValidityEvaluation.objects.count() == 1


def test_the_page_refuses_outsiders(make_draft, outsider, supervisor, login):
    draft = _in_force(make_draft, valid_until=TODAY() + dt.timedelta(days=30))
    data = {"outcome": "repeal", "evaluated_on": TODAY().isoformat(), "summary": "废止"}
    assert Client().post(f"/review/drafts/{draft.pk}/validity/", data).status_code == 302  # to the login
    assert login(outsider).post(f"/review/drafts/{draft.pk}/validity/", data).status_code == 403
    login(supervisor).post(f"/review/drafts/{draft.pk}/validity/", data)
    assert Draft.objects.get(pk=draft.pk).state == State.PUBLISHED
    assert not ValidityEvaluation.objects.exists()


# The end of the validity period


def test_a_document_expires_the_day_after_its_period_ends(make_draft, clerk, reviewer, login):
    lapsed = _in_force(make_draft, valid_until=TODAY() - dt.timedelta(days=1))
    filed = _in_force(make_draft, valid_until=TODAY() - dt.timedelta(days=40))
    Draft.objects.filter(pk=filed.pk).update(state=State.FILED)
    current = _in_force(make_draft, valid_until=TODAY())
    assert validity.expire_lapsed() == 2
    for draft, end in ((lapsed, TODAY() - dt.timedelta(days=1)), (filed, TODAY() - dt.timedelta(days=40))):
        draft.refresh_from_db()
        assert draft.state == State.EXPIRED and draft.expired_on == end + dt.timedelta(days=1)
        step = draft.transitions.get(action="expire")
        assert step.actor is None and "届满，自动失效" in step.comment
        assert AuditEvent.objects.filter(action="transition", object_id=str(draft.pk)).exists()
    assert Draft.objects.get(pk=current.pk).state == State.PUBLISHED
    assert Message.objects.filter(recipient=clerk, title__startswith="规范性文件已失效").count() == 2
    assert Message.objects.filter(recipient=reviewer, title__startswith="规范性文件已失效").count() == 2
    assert validity.expire_lapsed() == 0  # a second run finds nothing
    page = login(clerk).get(f"/review/drafts/{lapsed.pk}/").content.decode()
    assert "系统（自动）" in page
    history = login(clerk).get(f"/api/v1/review/drafts/{lapsed.pk}").json()["history"]
    assert history[-1]["actor"] == "系统（自动）"


def test_an_extended_document_does_not_expire(make_draft, reviewer):
    draft = _in_force(make_draft, valid_until=TODAY() + dt.timedelta(days=10))
    validity.evaluate(
        user=reviewer,
        draft_id=draft.pk,
        outcome="continue",
        evaluated_on=TODAY(),
        summary="继续施行",
        valid_until=TODAY() + dt.timedelta(days=800),
    )
    assert validity.expire_lapsed(TODAY() + dt.timedelta(days=30)) == 0
    assert validity.expire_lapsed(TODAY() + dt.timedelta(days=801)) == 1


def test_the_filing_reminder_does_not_state_a_fixed_number_of_days(make_draft, clerk):
    draft = make_draft(state=State.PUBLISHED)
    Draft.objects.filter(pk=draft.pk).update(
        published_on=TODAY() - dt.timedelta(days=40), filing_deadline=TODAY() - dt.timedelta(days=10)
    )
    reminders.send_reminders()
    body = Message.objects.get(recipient=clerk, title__startswith="备案已超期").body
    assert "已超期 10 日" in body and "15 日" not in body


# The validity period a document states


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # N years from the publication day as the first day: the last day is the day before the anniversary.
        ("本办法自印发之日起施行，有效期3年。", lambda day: add_years(day, 3) - ONE_DAY),
        ("本通知自印发之日起施行，有效期三年。", lambda day: add_years(day, 3) - ONE_DAY),
        ("本办法有效期至2027年12月31日。", lambda day: dt.date(2027, 12, 31)),
        (
            "本办法自印发之日起施行，有效期10年。",
            lambda day: add_years(day, 5) - ONE_DAY,
        ),  # not beyond the type's 5
        ("本办法自印发之日起施行。", lambda day: add_years(day, 5) - ONE_DAY),
        ("有效期至2020年1月1日。", lambda day: add_years(day, 5) - ONE_DAY),  # a date already past is a typo
    ],
)
def test_publication_takes_a_shorter_validity_the_text_states(make_draft, clerk, reviewer, text, expected):
    from .conftest import add_version

    draft = make_draft()
    add_version(
        draft, clerk, text=f"关于规范财政专项资金管理的办法\n第一条 为规范管理，制定本办法。\n第二条 {text}"
    )
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    services.transition(user=reviewer, draft_id=draft.pk, action="approve", comment="同意")
    published = services.transition(user=clerk, draft_id=draft.pk, action="publish")
    assert published.valid_until == expected(published.published_on)
