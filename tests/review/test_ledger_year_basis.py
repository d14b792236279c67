"""应审尽审台账: the year read as the registration or the publication year, and the dates and rounds it lists."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from fazhi.review import ledger, services
from fazhi.review.models import Draft

from .conftest import add_version

THIS = timezone.localdate().year
LAST = THIS - 1
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _registered_at(draft: Draft, when: dt.datetime) -> None:
    Draft.objects.filter(pk=draft.pk).update(created_at=when)


@pytest.fixture
def book(clerk, reviewer, make_draft):
    """旧: registered last year, reviewed in two rounds, published and filed this year; 新: registered this
    year, not yet submitted."""
    old = make_draft(title="旧")
    services.transition(user=clerk, draft_id=old.pk, action="submit")
    services.transition(user=reviewer, draft_id=old.pk, action="start_review")
    services.transition(user=reviewer, draft_id=old.pk, action="return", comment="请修改")
    add_version(old, clerk, "修改稿\n第一条 本办法自印发之日起施行。")
    services.transition(user=clerk, draft_id=old.pk, action="submit")
    services.transition(user=reviewer, draft_id=old.pk, action="start_review")
    services.transition(user=reviewer, draft_id=old.pk, action="approve", comment="同意")
    services.transition(user=clerk, draft_id=old.pk, action="publish")
    services.transition(user=clerk, draft_id=old.pk, action="file")
    _registered_at(old, dt.datetime(LAST, 6, 1, 9, tzinfo=SHANGHAI))
    new = make_draft(title="新")
    return old, new


def _titles(**params) -> list[str]:
    return [r.title for r in ledger.rows(ledger.parse_filters(**params))]


def test_the_year_is_the_registration_year_unless_the_publication_year_is_asked_for(book):
    assert _titles(year=THIS) == ["新"]  # the existing contract
    assert _titles(year=THIS, year_by="registered") == ["新"]
    assert _titles(year=LAST) == ["旧"]
    assert _titles(year=THIS, year_by="published") == ["旧"]
    assert _titles(year=THIS, year_by="按公布年度") == ["旧"]
    assert _titles(year=LAST, year_by="published") == []


def test_the_registration_year_is_the_local_one(make_draft):
    draft = make_draft(title="元旦零点后登记")
    # 2026-01-01 01:00 in Shanghai is still 2025-12-31 in UTC.
    _registered_at(draft, dt.datetime(THIS, 1, 1, 1, tzinfo=SHANGHAI))
    assert _titles(year=THIS) == ["元旦零点后登记"] and _titles(year=LAST) == []
    assert [s.year for s in ledger.statistics(ledger.rows())] == [THIS]


def test_an_unknown_basis_is_refused_in_chinese(reviewer, login, token_for):
    r = Client().get("/api/v1/review/ledger?year=2026&year_by=signed", headers=token_for(reviewer))
    assert r.status_code == 400 and "年度口径" in r.json()["detail"] and "按公布年度" in r.json()["detail"]
    assert (
        Client().get("/api/v1/review/ledger.xlsx?year_by=x", headers=token_for(reviewer)).status_code == 400
    )
    page = login(reviewer).get("/review/ledger/?year_by=x")
    assert page.status_code == 400 and "年度口径" in page.content.decode()
    assert login(reviewer).get("/review/ledger.xlsx?year_by=x").status_code == 400


def test_the_api_keeps_its_fields_and_adds_the_dates_and_rounds(book, supervisor, token_for):
    old, _ = book
    body = Client().get(f"/api/v1/review/ledger?year={THIS}&year_by=published", headers=token_for(supervisor))
    assert body.status_code == 200
    data = body.json()
    assert (data["count"], data["year_by"], data["year_by_label"]) == (1, "published", "按公布年度")
    item = data["items"][0]
    old.refresh_from_db()
    today = timezone.localdate().isoformat()
    assert item["created_on"] == f"{LAST}-06-01" and item["submitted_on"] == today
    assert item["decided_on"] == today and item["published_on"] == today and item["filed_on"] == today
    assert item["review_rounds"] == 2 and item["outcome"] == "审查通过"
    for field in ("review_deadline", "days_in_review", "filing_deadline", "valid_until", "doc_number"):
        assert field in item
    assert [(s["year"], s["count"]) for s in data["statistics"]] == [(THIS, 1)]
    plain = Client().get("/api/v1/review/ledger", headers=token_for(supervisor)).json()
    assert plain["year_by"] == "registered" and {s["year"] for s in plain["statistics"]} == {THIS, LAST}


def test_statistics_by_publication_put_the_unpublished_apart(book):
    stats = ledger.statistics(ledger.rows(), year_by="published")
    assert [(s.year, s.count) for s in stats] == [(THIS, 1), (None, 1)]


def test_the_excel_has_the_dates_as_dates_and_says_which_year(book, reviewer, token_for):
    r = Client().get(f"/api/v1/review/ledger.xlsx?year={THIS}&year_by=published", headers=token_for(reviewer))
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = wb["台账"]
    headers = [c.value for c in sheet[1]]
    for label in ("送审日期", "审查结论日期", "公布日期", "备案日期", "审查轮次", "登记日期"):
        assert label in headers
    row = {label: cell for label, cell in zip(headers, sheet[2], strict=True)}
    today = timezone.localdate()
    for label in ("送审日期", "审查结论日期", "公布日期", "备案日期"):
        cell = row[label]
        assert cell.is_date and cell.value.date() == today and cell.number_format == "yyyy-mm-dd"
    assert row["登记日期"].value.date() == dt.date(LAST, 6, 1)
    assert row["审查轮次"].value == 2 and row["审查轮次"].number_format == "General"
    assert row["文稿标题"].value == "旧" and row["重大"].value == "否"
    assert wb["统计"].cell(1, 1).value == "公布年度" and wb["统计"].cell(2, 1).value == THIS

    r = Client().get("/api/v1/review/ledger.xlsx?year_by=published", headers=token_for(reviewer))
    stats = openpyxl.load_workbook(io.BytesIO(r.content))["统计"]
    assert [stats.cell(n, 1).value for n in (2, 3)] == [THIS, "未公布"]
    r = Client().get("/api/v1/review/ledger.xlsx", headers=token_for(reviewer))
    book_ = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book_["统计"].cell(1, 1).value == "登记年度"
    empty = {c.value: c for c in book_["台账"][1]}
    assert "备案日期" in empty


def test_the_page_has_the_basis_next_to_the_year_and_the_new_columns(book, reviewer, clerk, outsider, login):
    html = login(reviewer).get(f"/review/ledger/?year={THIS}&year_by=published").content.decode()
    assert '<option value="published" selected>按公布年度</option>' in html
    assert '<option value="registered">按登记年度</option>' in html
    assert ">旧</a>" in html and ">新</a>" not in html
    for label in ("送审日期", "审查轮次", "审查结论日期", "公布日期", "备案日期", "公布年度"):
        assert label in html
    html = login(reviewer).get(f"/review/ledger/?year={THIS}").content.decode()
    assert ">新</a>" in html and ">旧</a>" not in html and "登记年度" in html
    assert 'href="/review/ledger.xlsx?year=' in html
    for user in (clerk, outsider):
        assert login(user).get("/review/ledger/?year_by=published").status_code == 403
        assert login(user).get("/review/ledger.xlsx?year_by=published").status_code == 403
