"""The ledger export writes typed titles that look like formulas as text."""

from __future__ import annotations

import io

import openpyxl

from fazhi.review import ledger


def test_a_title_that_looks_like_a_formula_is_stored_as_text():
    row = ledger.LedgerRow(
        id=1, title="=HYPERLINK(\"http://evil.example/\",\"打开\")", doc_type="contract", doc_type_label="合同",
        unit="-区财政局", drafter="起草人", is_normative=False, is_major=False, state="起草中", state_code="drafting",
        created_on="2026-01-05", submitted_on=None, review_deadline=None, days_in_review=0, outcome="",
        overdue=False, published_on=None, filing_deadline=None, filed_on=None, valid_until=None,
    )  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(ledger.xlsx([row])))
    cells = {c.value: c for c in wb["台账"][2]}
    assert cells['=HYPERLINK("http://evil.example/","打开")'].data_type == "s"
    assert cells["-区财政局"].data_type == "s"
    stats = {c.value: c for c in wb["统计"][2]}
    assert stats["-区财政局"].data_type == "s"
