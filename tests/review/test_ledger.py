"""应审尽审台账: rows, filters, statistics per year and unit, Excel; who may read it."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from fazhi.review import ledger, services
from fazhi.review.models import Draft


@pytest.fixture
def book(clerk, reviewer, director, make_draft):
    """Three drafts: one approved (预算科), one rejected (预算科), one overdue in review (采购办)."""
    a = make_draft("in_review", title="甲")
    services.transition(user=reviewer, draft_id=a.pk, action="approve", comment="同意")
    b = make_draft("in_review", title="乙")
    services.transition(user=director, draft_id=b.pk, action="reject", comment="无上位法依据")
    c = make_draft("drafting", title="丙", normative=False)
    Draft.objects.filter(pk=c.pk).update(unit="采购办")
    services.transition(user=clerk, draft_id=c.pk, action="submit")
    # Submitted ten days ago: past its 5-working-day deadline.
    past = timezone.now() - dt.timedelta(days=10)
    Draft.objects.filter(pk=c.pk).update(
        round_submitted_at=past, review_deadline=timezone.localdate() - dt.timedelta(days=3)
    )
    return a, b, c


def test_rows_carry_type_unit_state_outcome_and_overdue(book):
    rows = {r.title: r for r in ledger.rows()}
    assert rows["甲"].outcome == "审查通过" and rows["甲"].state == "审查通过" and not rows["甲"].overdue
    assert rows["乙"].outcome == "不予通过"
    assert rows["丙"].overdue and rows["丙"].unit == "采购办" and rows["丙"].days_in_review >= 5
    assert rows["丙"].doc_type_label == "合同"


def test_filters(book):
    f = ledger.parse_filters
    assert [r.title for r in ledger.rows(f(unit="采购办"))] == ["丙"]
    assert [r.title for r in ledger.rows(f(overdue="true"))] == ["丙"]
    assert {r.title for r in ledger.rows(f(state="审查通过"))} == {"甲"}
    assert {r.title for r in ledger.rows(f(doc_type="normative"))} == {"甲", "乙"}
    assert ledger.rows(f(year=timezone.localdate().year - 1)) == []


def test_bad_filters_are_refused_with_the_parameter_named(reviewer, token_for):
    r = Client().get("/api/v1/review/ledger?year=abc", headers=token_for(reviewer))
    assert r.status_code == 400 and "年份" in r.json()["detail"]
    r = Client().get("/api/v1/review/ledger?state=unknown", headers=token_for(reviewer))
    assert r.status_code == 400 and "状态" in r.json()["detail"]


def test_statistics_per_year_and_unit(book):
    stats = {s.unit: s for s in ledger.statistics(ledger.rows())}
    year = timezone.localdate().year
    budget = stats["预算科"]
    assert (budget.year, budget.count, budget.decided, budget.passed, budget.pass_rate) == (
        year,
        2,
        2,
        1,
        0.5,
    )
    assert budget.average_days is not None and budget.overdue == 0
    purchase = stats["采购办"]
    assert (purchase.count, purchase.decided, purchase.pass_rate, purchase.overdue) == (1, 0, None, 1)


def test_the_json_ledger_and_its_excel_export(book, supervisor, token_for):
    headers = token_for(supervisor)
    body = Client().get("/api/v1/review/ledger?unit=预算科", headers=headers).json()
    assert body["count"] == 2 and {i["title"] for i in body["items"]} == {"甲", "乙"}
    assert body["statistics"][0]["pass_rate"] == 0.5
    r = Client().get("/api/v1/review/ledger.xlsx", headers=headers)
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = wb["台账"]
    assert sheet.cell(1, 2).value == "文稿标题"
    titles = {sheet.cell(row, 2).value for row in range(2, sheet.max_row + 1)}
    assert titles == {"甲", "乙", "丙"}
    assert wb["统计"].max_row == 3  # header + two units


def test_drafters_and_outsiders_cannot_read_the_ledger(clerk, outsider, login):
    for user in (clerk, outsider):
        assert login(user).get("/review/ledger/").status_code == 403
        assert login(user).get("/review/ledger.xlsx").status_code == 403


def test_the_ledger_page_for_the_supervisor(book, supervisor, login):
    html = login(supervisor).get("/review/ledger/?unit=采购办").content.decode()
    assert "丙" in html and "甲" not in html
    r = login(supervisor).get("/review/ledger.xlsx?year=20xx")
    assert r.status_code == 400
