"""报送人大: the bureau records when a unit-year's evaluation results went with the budget to the People's Congress."""

import datetime as dt

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.performance import selectors, services
from fazhi.performance.models import BudgetUnit, CongressSubmission

JSON = "application/json"
pytestmark = pytest.mark.usefixtures(
    "today"
)  # 2027-08-31: the dates below are in the past, 2027-09-01 is not


def _stored():
    return list(
        CongressSubmission.objects.values_list("unit_id", "year", "submitted_on", "note", "recorded_by_id")
    )


def test_the_bureau_records_the_submission_before_the_budget_is_approved(unit, director):
    # The budget goes to the 人大 before it is approved: no budget approval date (no publication) is needed.
    s = services.record_congress_submission(
        actor=director,
        unit=unit,
        year=2026,
        submitted_on=dt.date(2025, 12, 18),
        note="随预算草案报送区人大财经委",
    )
    assert (s.submitted_on, s.note, s.recorded_by) == (
        dt.date(2025, 12, 18),
        "随预算草案报送区人大财经委",
        director,
    )
    assert not unit.publications.exists()
    # Recording it again corrects the same record.
    services.record_congress_submission(
        actor=director, unit=unit, year=2026, submitted_on=dt.date(2025, 12, 19)
    )
    assert _stored() == [(unit.pk, 2026, dt.date(2025, 12, 19), "", director.pk)]
    assert {e.action for e in selectors.unit_history(unit)} >= {"create", "update"}


@pytest.mark.parametrize(
    ("submitted_on", "note", "error"),
    [
        (
            dt.date(2023, 12, 31),
            "",
            "报送人大日期 2023年12月31日 与预算年度 2026 不符，应在 2025 年至 2027 年之间。",
        ),
        (dt.date(2027, 9, 1), "", "报送人大日期不能晚于今天。"),
        ("2025-12-18", "", "报送人大日期格式不正确，应为 YYYY-MM-DD。"),
        (dt.date(2025, 12, 18), "长" * 2001, "报送说明不能超过 2,000 个字（当前 2,001 个字）。"),
    ],
)
def test_an_implausible_submission_is_refused_and_nothing_is_stored(
    unit, director, submitted_on, note, error
):
    with pytest.raises(ValidationFailed) as exc:
        services.record_congress_submission(
            actor=director, unit=unit, year=2026, submitted_on=submitted_on, note=note
        )
    assert exc.value.message == error
    assert _stored() == []


def test_a_refused_correction_keeps_the_recorded_date(unit, director):
    services.record_congress_submission(
        actor=director, unit=unit, year=2026, submitted_on=dt.date(2025, 12, 18)
    )
    with pytest.raises(ValidationFailed):
        services.record_congress_submission(
            actor=director, unit=unit, year=2026, submitted_on=dt.date(2030, 1, 1)
        )
    assert _stored() == [(unit.pk, 2026, dt.date(2025, 12, 18), "", director.pk)]


def test_the_unit_page_shows_the_submission_and_the_bureau_records_it_there(
    unit, director, supervisor, clerk, login
):
    client = login(director)
    url = f"/performance/manage/units/{unit.pk}/action/"
    r = client.post(
        url, {"action": "congress", "year": "2026", "submitted_on": "2026-13-01", "congress_note": "初稿"}
    )
    assert (
        "报送人大日期格式不正确，应为 YYYY-MM-DD。" in r.content.decode()
        and ">初稿</textarea>" in r.content.decode()
    )
    assert _stored() == []
    r = client.post(
        url, {"action": "congress", "year": "2026", "submitted_on": "２０２５－１２－１８", "congress_note": "含自评结果 3 份"},
        follow=True,
    )  # fmt: skip
    assert "报送人大日期已登记。" in r.content.decode()
    for reader in (supervisor, clerk):  # the 监督方 and the unit's own clerk read it
        html = login(reader).get(f"/performance/manage/units/{unit.pk}/").content.decode()
        assert "<h2>报送人大</h2>" in html
        assert '<th scope="row">2026</th><td>2025-12-18</td><td>含自评结果 3 份</td><td>director</td>' in html
        assert 'value="congress"' not in html  # no form for them


def test_the_api_records_and_lists_submissions_for_those_who_may_read_them(
    unit, director, supervisor, clerk, enterprise, client, token_for
):
    other = BudgetUnit.objects.create(name="区卫健委", code="wjw")
    other.members.add(enterprise)
    boss = token_for(director)
    r = client.put(f"/api/v1/performance/congress-submissions/{unit.pk}/2026",
                   {"submitted_on": "2027-12-18"}, content_type=JSON, headers=boss)  # fmt: skip
    assert r.status_code == 400 and r.json()["detail"] == "报送人大日期不能晚于今天。"
    r = client.put(f"/api/v1/performance/congress-submissions/{unit.pk}/2026",
                   {"submitted_on": "2025-12-18", "note": "随预算草案"}, content_type=JSON, headers=boss)  # fmt: skip
    assert r.status_code == 200
    assert r.json() | {"recorded_at": None} == {
        "unit_id": unit.pk, "unit": "区教育局", "unit_code": "jyj", "year": 2026, "submitted_on": "2025-12-18",
        "note": "随预算草案", "recorded_by": "director", "recorded_at": None,
    }  # fmt: skip
    listed = client.get(
        "/api/v1/performance/congress-submissions?year=2026", headers=token_for(supervisor)
    ).json()
    assert [(s["unit_code"], s["submitted_on"]) for s in listed] == [("jyj", "2025-12-18")]
    assert len(client.get("/api/v1/performance/congress-submissions", headers=token_for(clerk)).json()) == 1
    # Another unit's member sees only that unit's records (none here).
    assert client.get("/api/v1/performance/congress-submissions", headers=token_for(enterprise)).json() == []
    assert AuditEvent.objects.filter(object_type="performance.CongressSubmission").exists()
