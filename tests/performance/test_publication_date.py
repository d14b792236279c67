"""预决算公开 dates: the bureau enters the day a disclosure actually went public (default today), so an action
recorded a few days late still yields the right 20-day figure; a date in the future or before the approval
(批复) it is measured from is refused with a Chinese message and changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.performance import services
from fazhi.performance.models import PerformanceTarget, Publication, SelfEvaluation, Status
from tests.performance.conftest import actual_inputs

JSON = "application/json"
BUDGET_APPROVED = dt.date(2026, 2, 1)  # due 20 days later, on 2026-02-21
FINAL_APPROVED = dt.date(2027, 7, 1)  # due on 2027-07-21


@pytest.fixture
def approved(evaluated_project, director, unit, today):
    """The budget approved on 2026-02-01, its tables approved and not yet public; it is now 2027-08-31."""
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=BUDGET_APPROVED)
    return evaluated_project


def _publication(unit):
    return Publication.objects.get(unit=unit, year=2026)


def _nothing_published(unit):
    pub = _publication(unit)
    return (
        pub.published_on is None
        and pub.published_by is None
        and not PerformanceTarget.objects.filter(status=Status.PUBLISHED).exists()
        and not AuditEvent.objects.filter(action="publish").exists()
    )


# --- services ------------------------------------------------------------------------------------


def test_a_publication_recorded_late_keeps_the_day_it_went_public(approved, director, unit, today):
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 20))
    pub = _publication(unit)
    assert pub.published_on == dt.date(2026, 2, 20) and pub.published_by == director
    event = AuditEvent.objects.get(action="publish")
    assert event.after["published_on"] == "2026-02-20" and event.after["recorded_on"] == "2027-08-31"
    assert event.after["overdue_days"] == 0
    assert "在批复后 20 日期限内" in event.comment


def test_without_a_date_the_publication_is_today(approved, director, unit, today):
    services.publish(actor=director, unit=unit, year=2026)
    assert _publication(unit).published_on == today
    assert AuditEvent.objects.get(action="publish").after["published_on"] == "2027-08-31"


def test_a_later_batch_is_published_on_the_day_typed_for_it(approved_project, clerk, director, unit, today):
    """Tables approved after the first publication go public on their own day; the year's first
    publication date (the one the 20-day deadline is measured by) stays as it was."""
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=BUDGET_APPROVED)
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 20))
    target = PerformanceTarget.objects.get(project=approved_project)
    assert timezone.localtime(target.published_at).date() == dt.date(2026, 2, 20)
    services.save_self_evaluation(
        actor=clerk,
        project=approved_project,
        achievement="资助学生 450 人。",
        actuals=actual_inputs(approved_project),
    )
    services.transition(actor=clerk, project=approved_project, kind="evaluation", action="submit")
    services.transition(actor=director, project=approved_project, kind="evaluation", action="approve")
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2027, 3, 10))
    evaluation = SelfEvaluation.objects.get(project=approved_project)
    assert evaluation.status == Status.PUBLISHED
    assert timezone.localtime(evaluation.published_at).date() == dt.date(2027, 3, 10)
    assert _publication(unit).published_on == dt.date(2026, 2, 20)
    first, later = AuditEvent.objects.filter(action="publish").order_by("pk")
    assert first.after["batch_published_on"] == "2026-02-20"
    assert later.after["published_on"] == "2026-02-20"
    assert later.after["batch_published_on"] == "2027-03-10"
    assert later.after["recorded_on"] == "2027-08-31"


def test_a_later_batch_dated_before_the_first_publication_changes_nothing(
    approved_project, clerk, director, unit, today
):
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=BUDGET_APPROVED)
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 3, 1))
    services.save_self_evaluation(
        actor=clerk,
        project=approved_project,
        achievement="资助学生 450 人。",
        actuals=actual_inputs(approved_project),
    )
    services.transition(actor=clerk, project=approved_project, kind="evaluation", action="submit")
    services.transition(actor=director, project=approved_project, kind="evaluation", action="approve")
    events = AuditEvent.objects.filter(action="publish").count()
    with pytest.raises(ValidationFailed) as refused:
        services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 15))
    assert refused.value.message.startswith(
        "本批公开日期（2026年2月15日）不能早于本年度首次公开的日期（2026年3月1日）"
    )
    assert SelfEvaluation.objects.get(project=approved_project).status == Status.APPROVED
    assert AuditEvent.objects.filter(action="publish").count() == events
    assert _publication(unit).published_on == dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("published_on", "error"),
    [
        (
            dt.date(2026, 1, 31),
            "公开日期（2026年1月31日）不能早于预算批复日期（2026年2月1日）：公开期限从批复日起算。",
        ),
        (
            dt.date(2027, 9, 1),
            "公开日期（2027年9月1日）不能晚于今天（2027年8月31日），请填写实际公开的日期。",
        ),
    ],
)
def test_a_budget_publication_date_out_of_range_changes_nothing(
    approved, director, unit, today, published_on, error
):
    with pytest.raises(ValidationFailed) as refused:
        services.publish(actor=director, unit=unit, year=2026, published_on=published_on)
    assert refused.value.message == error
    assert _nothing_published(unit)


def test_the_approval_day_itself_is_accepted(approved, director, unit, today):
    services.publish(actor=director, unit=unit, year=2026, published_on=BUDGET_APPROVED)
    assert _publication(unit).published_on == BUDGET_APPROVED


def test_a_late_final_accounts_publication_is_recorded_with_its_own_date(approved, director, unit, today):
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 10))
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=FINAL_APPROVED)
    services.publish_final_accounts(actor=director, unit=unit, year=2026, published_on=dt.date(2027, 7, 15))
    assert _publication(unit).final_accounts_published_on == dt.date(2027, 7, 15)
    event = AuditEvent.objects.filter(action="publish").order_by("pk").last()
    assert event.after["final_accounts_published_on"] == "2027-07-15"
    assert event.after["recorded_on"] == "2027-08-31" and event.after["overdue_days"] == 0


# --- API -----------------------------------------------------------------------------------------


def test_a_caller_sending_no_body_still_publishes_today(approved, director, unit, client, token_for, today):
    # As `curl -X POST` or `requests.post(url)` send it: no content type, an empty body.
    r = client.generic(
        "POST", f"/api/v1/performance/publications/{unit.pk}/2026/publish", headers=token_for(director)
    )
    assert r.status_code == 200, r.content
    assert r.json()["published_on"] == "2027-08-31"


def test_a_final_accounts_caller_sending_no_body_still_publishes_today(
    approved, director, unit, client, token_for, today
):
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 10))
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=FINAL_APPROVED)
    r = client.generic(
        "POST",
        f"/api/v1/performance/publications/{unit.pk}/2026/final-accounts/publish",
        headers=token_for(director),
    )
    assert r.status_code == 200, r.content
    assert r.json()["final_accounts_published_on"] == "2027-08-31"


def test_a_json_caller_with_an_empty_body_still_publishes_today(
    approved, director, unit, client, token_for, today
):
    url = f"/api/v1/performance/publications/{unit.pk}/2026/publish"
    r = client.generic("POST", url, b"", content_type=JSON, headers=token_for(director))
    assert r.status_code == 200, r.content
    assert r.json()["published_on"] == "2027-08-31"


def test_a_null_date_means_today(approved, director, unit, client, token_for, today):
    url = f"/api/v1/performance/publications/{unit.pk}/2026/publish"
    r = client.post(url, {"published_on": None}, content_type=JSON, headers=token_for(director))
    assert r.status_code == 200 and r.json()["published_on"] == "2027-08-31"


def test_the_api_takes_the_day_it_went_public(approved, director, unit, client, token_for, today):
    r = client.post(
        f"/api/v1/performance/publications/{unit.pk}/2026/publish",
        {"published_on": "2026-02-25"},
        content_type=JSON,
        headers=token_for(director),
    )
    assert r.status_code == 200
    assert r.json()["published_on"] == "2026-02-25" and r.json()["overdue_days"] == 4


@pytest.mark.parametrize(
    ("published_on", "status", "detail"),
    [
        ("2026-01-20", 400, "公开日期（2026年1月20日）不能早于预算批复日期（2026年2月1日）"),
        ("2027-09-01", 400, "公开日期（2027年9月1日）不能晚于今天（2027年8月31日）"),
    ],
)
def test_the_api_refuses_a_date_out_of_range_and_changes_nothing(
    approved, director, unit, client, token_for, today, published_on, status, detail
):
    r = client.post(
        f"/api/v1/performance/publications/{unit.pk}/2026/publish",
        {"published_on": published_on},
        content_type=JSON,
        headers=token_for(director),
    )
    assert r.status_code == status and r.json()["detail"].startswith(detail)
    assert _nothing_published(unit)


# --- page ----------------------------------------------------------------------------------------


def test_the_publish_forms_default_to_today(approved, director, login, unit, today):
    html = login(director).get(f"/performance/manage/units/{unit.pk}/").content.decode()
    assert 'name="published_on" value="2027-08-31" max="2027-08-31"' in html
    assert 'name="final_published_on" value="2027-08-31" max="2027-08-31"' in html


def test_the_page_records_a_late_publication_with_its_date(approved, director, login, unit, today):
    url = f"/performance/manage/units/{unit.pk}/action/"
    r = login(director).post(
        url, {"action": "publish", "year": "2026", "published_on": "2026-02-18"}, follow=True
    )
    assert "已公开（本批公开日期 2026年2月18日）。" in r.content.decode()
    assert _publication(unit).published_on == dt.date(2026, 2, 18)


def test_the_page_refuses_a_future_date_keeping_what_was_typed(approved, director, login, unit, today):
    url = f"/performance/manage/units/{unit.pk}/action/"
    r = login(director).post(url, {"action": "publish", "year": "2026", "published_on": "2027-09-03"})
    html = r.content.decode()
    assert "公开日期（2027年9月3日）不能晚于今天（2027年8月31日）" in html
    assert 'name="published_on" value="2027-09-03"' in html
    assert _nothing_published(unit)
