"""应审尽审台账 page by page: 50 drafts a page, statistics and Excel over every draft; the indexes the
newest-first lists use."""

from __future__ import annotations

import io
import re

import openpyxl
from django.db import connection

from fazhi.review.models import Draft
from fazhi.review.views.ledger import PAGE_SIZE

URL = "/review/ledger/"


def _drafts(clerk, count: int, unit: str = "预算科") -> None:
    Draft.objects.bulk_create(
        Draft(title=f"{unit}文稿{i:03d}", doc_type="contract", unit=unit, drafter=clerk) for i in range(count)
    )


def _listed(page: str) -> list[str]:
    return re.findall(r'<a href="/review/drafts/\d+/">([^<]+)</a>', page)


def test_the_ledger_shows_one_page_of_drafts_and_counts_them_all(login, clerk, reviewer):
    _drafts(clerk, PAGE_SIZE * 2 + 7)
    client = login(reviewer)
    first = client.get(URL).content.decode()
    assert len(_listed(first)) == PAGE_SIZE
    assert f"台账（{PAGE_SIZE * 2 + 7} 件）" in first
    assert "第 1 / 3 页" in first and 'rel="next"' in first and 'rel="prev"' not in first
    # The statistics count every draft, not the page shown.
    assert re.search(rf"<td>预算科</td><td>{PAGE_SIZE * 2 + 7}</td>", first)
    last = client.get(URL, {"page": 3}).content.decode()
    assert len(_listed(last)) == 7 and "第 3 / 3 页" in last
    pages = [_listed(client.get(URL, {"page": n}).content.decode()) for n in (1, 2, 3)]
    assert len({t for p in pages for t in p}) == PAGE_SIZE * 2 + 7  # no draft shown twice or skipped


def test_unreadable_and_too_deep_page_numbers_show_a_page(login, clerk, reviewer):
    _drafts(clerk, PAGE_SIZE + 1)
    client = login(reviewer)
    for raw, expected in (("abc", 1), ("0", 1), ("-3", 1), ("99999999999999999999999", 2)):
        resp = client.get(URL, {"page": raw})
        assert resp.status_code == 200, raw
        assert f"第 {expected} / 2 页" in resp.content.decode(), raw


def test_the_pager_keeps_the_filters_and_excel_has_every_filtered_draft(login, clerk, reviewer):
    _drafts(clerk, PAGE_SIZE + 5, unit="采购办")
    _drafts(clerk, 3, unit="预算科")
    client = login(reviewer)
    page = client.get(URL, {"unit": "采购办", "page": 2}).content.decode()
    assert "台账（55 件）" in page and len(_listed(page)) == 5
    assert 'href="?unit=%E9%87%87%E8%B4%AD%E5%8A%9E&amp;page=1"' in page
    assert "page=2&amp;page" not in page
    # The export link exports what the page is filtered to (without the page number).
    assert 'href="/review/ledger.xlsx?unit=%E9%87%87%E8%B4%AD%E5%8A%9E"' in page
    xlsx = client.get("/review/ledger.xlsx", {"unit": "采购办", "page": 2})
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.max_row - 1 == PAGE_SIZE + 5


def test_people_outside_the_ledger_roles_are_refused(login, clerk, outsider):
    _drafts(clerk, 2)
    assert login(outsider).get(URL).status_code == 403
    assert login(clerk).get(URL, {"page": 2}).status_code == 403


def test_the_draft_table_has_the_newest_first_indexes(db):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Draft._meta.db_table)
    indexes = {name: c["columns"] for name, c in found.items() if c["index"]}
    assert indexes["review_draft_created_idx"] == ["created_at"]
    assert indexes["review_draft_drafter_idx"] == ["drafter_id", "created_at"]
    orders = {name: c.get("orders") for name, c in found.items() if name.startswith("review_draft_")}
    assert orders["review_draft_created_idx"] == ["DESC"]
    assert orders["review_draft_drafter_idx"] == ["ASC", "DESC"]
