"""决算 disclosure: approval date → publication date → 20-day due date → on time or overdue, beside the budget's."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.models import AuditEvent, Message
from fazhi.performance import selectors, services
from fazhi.performance.models import Publication, SelfEvaluation, Status
from tests.performance.conftest import actual_inputs

JSON = "application/json"
APPROVED = dt.date(2027, 7, 1)  # the 2026 final accounts; due 20 days later, on 2027-07-21


def _final(unit):
    pub = Publication.objects.get(unit=unit, year=2026)
    return (pub.final_accounts_approved_on, pub.final_accounts_published_on, pub.final_accounts_published_by)


def _budget(unit):
    pub = Publication.objects.get(unit=unit, year=2026)
    return (pub.budget_approved_on, pub.published_on, pub.published_by, pub.note)


# --- services ------------------------------------------------------------------------------------


def test_final_accounts_published_in_time_record_both_dates_and_the_deadline(
    published_project, director, unit, today
):
    budget = _budget(unit)
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    pub = services.publish_final_accounts(
        actor=director, unit=unit, year=2026, published_on=dt.date(2027, 7, 21)
    )
    status = selectors.final_accounts_status(pub)
    assert status.deadline == dt.date(2027, 7, 21) and status.overdue_days == 0
    assert status.message == "决算已于 2027年7月21日 公开，在批复后 20 日期限内。"
    assert _final(unit) == (APPROVED, dt.date(2027, 7, 21), director)
    assert _budget(unit) == budget  # the budget's record is untouched
    event = AuditEvent.objects.filter(action="publish").order_by("-seq").first()
    assert event.after["final_accounts_published_on"] == "2027-07-21" and event.after["overdue_days"] == 0


def test_late_final_accounts_are_flagged_with_the_days_over(published_project, director, unit, today):
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    pub = services.publish_final_accounts(
        actor=director, unit=unit, year=2026, published_on=dt.date(2027, 7, 25)
    )
    status = selectors.final_accounts_status(pub)
    assert status.overdue_days == 4
    assert status.message == (
        "决算公开日期 2027年7月25日 晚于决算批复（2027年7月1日）后 20 日的公开期限 2027年7月21日，超期 4 日。"
    )


def test_an_unpublished_year_counts_the_days_left_then_the_days_over(
    published_project, director, unit, today
):
    pub = services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    soon = selectors.final_accounts_status(pub, today=dt.date(2027, 7, 18))
    assert soon.message == "决算尚未公开：须于 2027年7月21日 前公开（还剩 3 日）。"
    late = selectors.final_accounts_status(pub, today=dt.date(2027, 7, 24))
    assert late.overdue_days == 3 and "决算尚未公开：已超过决算批复（2027年7月1日）" in late.message
    assert selectors.final_accounts_status(Publication(budget_approved_on=APPROVED)) is None


def test_final_accounts_publish_the_self_evaluations_approved_since_the_budget(
    approved_project, clerk, director, unit, today
):
    # The budget went public with the target table; the self-evaluation is approved after the year ends.
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 1))
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 10))
    p = approved_project
    services.save_self_evaluation(actor=clerk, project=p, achievement="完成", actuals=actual_inputs(p))
    services.transition(actor=clerk, project=p, kind="evaluation", action="submit")
    services.transition(actor=director, project=p, kind="evaluation", action="approve")
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    services.publish_final_accounts(actor=director, unit=unit, year=2026, published_on=dt.date(2027, 7, 10))
    assert SelfEvaluation.objects.get(project=p).status == Status.PUBLISHED
    event = AuditEvent.objects.filter(action="publish").order_by("-seq").first()
    assert event.after["evaluations"] == 1 and event.after["targets"] == 0


def test_final_accounts_without_any_results_are_refused(approved_project, director, unit, today):
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 1))
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 10))
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    with pytest.raises(Conflict, match="决算须连同绩效自评或重点绩效评价结果公开"):
        services.publish_final_accounts(actor=director, unit=unit, year=2026)
    assert _final(unit) == (APPROVED, None, None)


@pytest.mark.parametrize(
    ("published_on", "error"),
    [
        (
            dt.date(2027, 6, 30),
            "决算公开日期（2027年6月30日）不能早于决算批复日期（2027年7月1日）：公开期限从批复日起算。",
        ),
        (
            dt.date(2027, 9, 1),
            "决算公开日期（2027年9月1日）不能晚于今天（2027年8月31日），请填写实际公开的日期。",
        ),
    ],
)
def test_a_final_accounts_publication_date_out_of_order_changes_nothing(
    published_project, director, unit, today, published_on, error
):
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    with pytest.raises(ValidationFailed) as exc:
        services.publish_final_accounts(actor=director, unit=unit, year=2026, published_on=published_on)
    assert exc.value.message == error
    assert _final(unit) == (APPROVED, None, None)


def test_final_accounts_wait_for_their_approval_and_for_the_budget(evaluated_project, director, unit, today):
    with pytest.raises(Conflict, match="请先登记区教育局2026年度预算批复日期，再登记决算批复日期"):
        services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 1))
    with pytest.raises(Conflict, match="请先登记区教育局2026年度决算批复日期，再公开决算"):
        services.publish_final_accounts(actor=director, unit=unit, year=2026)
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    with pytest.raises(Conflict, match="区教育局2026年度预算绩效信息尚未公开：请先公开预算，再公开决算"):
        services.publish_final_accounts(actor=director, unit=unit, year=2026)
    assert _final(unit) == (APPROVED, None, None)
    assert SelfEvaluation.objects.get(project=evaluated_project).status == Status.APPROVED


@pytest.mark.parametrize(
    ("approved_on", "error"),
    [
        (
            dt.date(2026, 12, 20),
            "决算批复日期 2026年12月20日 与预算年度 2026 不符：2026 年度决算在年度结束后批复",
        ),
        (dt.date(2029, 1, 5), "应在 2027 年或 2028 年"),
        (dt.date(2027, 9, 1), "决算批复日期不能晚于今天。"),
        ("2027-07-01", "决算批复日期格式不正确"),
    ],
)
def test_an_implausible_final_accounts_approval_date_changes_nothing(
    published_project, director, unit, today, approved_on, error
):
    with pytest.raises(ValidationFailed, match=error):
        services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=approved_on)
    assert _final(unit) == (None, None, None)


def test_the_approval_cannot_move_after_the_publication(published_project, director, unit, today):
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    services.publish_final_accounts(actor=director, unit=unit, year=2026, published_on=dt.date(2027, 7, 10))
    with pytest.raises(ValidationFailed, match="已于 2027年7月10日 公开，决算批复日期不能晚于公开日期"):
        services.set_final_accounts_approval(
            actor=director, unit=unit, year=2026, approved_on=dt.date(2027, 7, 11)
        )
    services.set_final_accounts_approval(
        actor=director, unit=unit, year=2026, approved_on=dt.date(2027, 7, 2)
    )
    assert _final(unit)[:2] == (dt.date(2027, 7, 2), dt.date(2027, 7, 10))


def test_publishing_again_with_nothing_new_is_refused_and_keeps_the_date(
    published_project, director, unit, today
):
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    services.publish_final_accounts(actor=director, unit=unit, year=2026, published_on=dt.date(2027, 7, 10))
    with pytest.raises(Conflict, match="决算已于 2027年7月10日 公开，没有新的"):
        services.publish_final_accounts(
            actor=director, unit=unit, year=2026, published_on=dt.date(2027, 8, 1)
        )
    assert _final(unit)[1] == dt.date(2027, 7, 10)


def test_unpublished_final_accounts_remind_the_leaders_once_per_stage(
    published_project, director, unit, today
):
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    assert services.remind_disclosure_deadlines(today=dt.date(2027, 7, 10)) == 0
    assert services.remind_disclosure_deadlines(today=dt.date(2027, 7, 17)) == 1
    assert services.remind_disclosure_deadlines(today=dt.date(2027, 7, 18)) == 0  # deduplicated
    assert services.remind_disclosure_deadlines(today=dt.date(2027, 7, 22)) == 1
    reminders = Message.objects.filter(recipient=director, title__contains="公开期限").order_by("pk")
    titles = list(reminders.values_list("title", flat=True))
    assert titles == [
        "区教育局2026年度决算及绩效信息即将到达公开期限",
        "区教育局2026年度决算及绩效信息已超过公开期限",
    ]
    services.publish_final_accounts(actor=director, unit=unit, year=2026, published_on=dt.date(2027, 7, 23))
    assert services.remind_disclosure_deadlines(today=dt.date(2027, 8, 30)) == 0  # published: nothing more


# --- pages ---------------------------------------------------------------------------------------


def test_the_bureau_records_and_publishes_final_accounts_from_the_unit_page(
    published_project, director, login, unit, today
):
    client = login(director)
    url = f"/performance/manage/units/{unit.pk}/action/"
    r = client.post(
        url,
        {"action": "final_approval", "year": "２０２６", "final_approved_on": "２０２７－０７－０１"},
        follow=True,
    )
    assert "决算批复日期已登记" in r.content.decode()
    html = client.get(f"/performance/manage/units/{unit.pk}/").content.decode()
    assert "<td>决算</td><td>2027-07-01</td><td>未公开</td>" in html
    assert "决算尚未公开：已超过决算批复（2027年7月1日）后 20 日的公开期限 2027年7月21日 41 日。" in html
    r = client.post(
        url, {"action": "final_publish", "year": "2026", "final_published_on": "2027-07-20"}, follow=True
    )
    html = r.content.decode()
    assert (
        "决算已公开（本批公开日期 2027年7月20日）。决算已于 2027年7月20日 公开，在批复后 20 日期限内。"
        in html
    )
    assert "<td>预算</td><td>2026-02-01</td>" in html  # the budget's row stays beside it
    assert _final(unit)[:2] == (APPROVED, dt.date(2027, 7, 20))


def test_a_bad_date_on_the_unit_page_changes_nothing_and_keeps_what_was_typed(
    published_project, director, login, unit, today
):
    client = login(director)
    url = f"/performance/manage/units/{unit.pk}/action/"
    r = client.post(url, {"action": "final_approval", "year": "2026", "final_approved_on": "2027-02-30"})
    assert r.status_code == 200 and "决算批复日期格式不正确，应为 YYYY-MM-DD。" in r.content.decode()
    r = client.post(url, {"action": "final_approval", "year": "2026", "final_approved_on": "2027-09-01"})
    assert "决算批复日期不能晚于今天。" in r.content.decode() and 'value="2027-09-01"' in r.content.decode()
    assert _final(unit) == (None, None, None)
    client.post(url, {"action": "final_approval", "year": "2026", "final_approved_on": "2027-07-01"})
    r = client.post(url, {"action": "final_publish", "year": "2026", "final_published_on": "2027-06-30"})
    assert "决算公开日期（2027年6月30日）不能早于决算批复日期（2027年7月1日）" in r.content.decode()
    r = client.post(url, {"action": "final_publish", "year": "2026", "final_published_on": "2027/13/01"})
    assert "决算公开日期格式不正确" in r.content.decode()
    assert _final(unit) == (APPROVED, None, None)


# --- public page, downloads and API --------------------------------------------------------------


def test_the_public_page_list_docx_and_api_show_both_disclosures(
    published_project, director, unit, client, today
):
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    services.publish_final_accounts(actor=director, unit=unit, year=2026, published_on=dt.date(2027, 7, 25))
    html = client.get("/performance/disclosure/jyj/2026/").content.decode()
    assert "公开日期：<strong>2026年2月10日</strong>" in html
    assert "决算批复日期：2027年7月1日；决算公开日期：<strong>2027年7月25日</strong>" in html
    assert "决算超期公开：" in html and "超期 4 日" in html
    listing = client.get("/performance/").content.decode()
    assert "2026-02-10" in listing and "2027-07-01" in listing and "2027-07-25" in listing
    doc = Document(io.BytesIO(client.get("/performance/disclosure/jyj/2026/download.docx").content))
    assert any(
        p.text.startswith("决算批复日期：2027年7月1日；决算公开日期：2027年7月25日。") for p in doc.paragraphs
    )
    body = client.get("/api/v1/performance/public/disclosures/jyj/2026").json()["publication"]
    assert body["published_on"] == "2026-02-10" and body["final_accounts_published_on"] == "2027-07-25"
    assert body["final_accounts_deadline"] == "2027-07-21" and body["final_accounts_overdue_days"] == 4
    [row] = client.get("/api/v1/performance/public/disclosures").json()
    assert row["final_accounts_approved_on"] == "2027-07-01"


def test_unpublished_final_accounts_stay_off_the_public_side(
    published_project, director, unit, client, token_for, today
):
    services.set_final_accounts_approval(actor=director, unit=unit, year=2026, approved_on=APPROVED)
    html = client.get("/performance/disclosure/jyj/2026/").content.decode()
    assert "决算批复日期" not in html
    assert "决算尚未公开" in client.get("/performance/").content.decode()
    public = client.get("/api/v1/performance/public/disclosures/jyj/2026").json()["publication"]
    assert public["final_accounts_approved_on"] is None and public["final_accounts_message"] == ""
    [internal] = client.get("/api/v1/performance/publications", headers=token_for(director)).json()
    assert (
        internal["final_accounts_approved_on"] == "2027-07-01"
        and internal["final_accounts_overdue_days"] == 41
    )


def test_the_bureau_runs_final_accounts_over_the_api(
    published_project, director, unit, client, token_for, today
):
    boss = token_for(director)
    base = f"/api/v1/performance/publications/{unit.pk}/2026/final-accounts"
    r = client.put(base, {"final_accounts_approved_on": "2026-12-31"}, content_type=JSON, headers=boss)
    assert r.status_code == 400 and "年度结束后批复" in r.json()["detail"]
    r = client.put(
        base, {"final_accounts_approved_on": "２０２７－０７－０１"}, content_type=JSON, headers=boss
    )
    assert r.status_code == 200 and r.json()["final_accounts_deadline"] == "2027-07-21"
    assert r.json()["budget_approved_on"] == "2026-02-01" and r.json()["published_on"] == "2026-02-10"
    r = client.post(f"{base}/publish", {"published_on": "2027-06-01"}, content_type=JSON, headers=boss)
    assert r.status_code == 400 and r.json()["detail"].startswith(
        "决算公开日期（2027年6月1日）不能早于决算批复日期（2027年7月1日）"
    )
    r = client.post(f"{base}/publish", {"published_on": "2027-07-24"}, content_type=JSON, headers=boss)
    assert r.status_code == 200 and r.json()["final_accounts_overdue_days"] == 3
    assert "超期 3 日" in r.json()["final_accounts_message"]
    r = client.post(f"{base}/publish", {}, content_type=JSON, headers=boss)
    assert r.status_code == 409 and "没有新的" in r.json()["detail"]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/performance/publications/{unit_id}/{year}/final-accounts/publish" in paths


@pytest.mark.django_db
def test_the_budget_approval_date_is_not_in_the_future_nor_after_publication(
    director, unit, evaluated_project
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="晚于今天"):
        services.set_budget_approval(actor=director, unit=unit, year=tomorrow.year, approved_on=tomorrow)
    assert not Publication.objects.exists()
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 1))
    services.publish(actor=director, unit=unit, year=2026, published_on=dt.date(2026, 2, 10))
    with pytest.raises(ValidationFailed, match="不能晚于公开日期"):
        services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 11))
    assert Publication.objects.get(unit=unit, year=2026).budget_approved_on == dt.date(2026, 2, 1)
    services.set_budget_approval(actor=director, unit=unit, year=2026, approved_on=dt.date(2026, 2, 5))
    assert Publication.objects.get(unit=unit, year=2026).budget_approved_on == dt.date(2026, 2, 5)
