"""Text that starts like a formula (= + - @, tab, CR) is written to .xlsx exports as text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fazhi.core.spreadsheets import as_text, safe_row

RISKY = ['=HYPERLINK("http://evil.example/","点击")', "+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


def _reload(wb: Workbook):
    buf = io.BytesIO()
    wb.save(buf)
    return load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]


@pytest.mark.parametrize("write_only", [False, True])
def test_risky_text_is_kept_as_text_and_other_values_are_untouched(write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet() if write_only else wb.active
    bold = WriteOnlyCell(ws, value="标题")
    bold.font = Font(bold=True)
    ws.append(safe_row(ws, [bold, *RISKY, None, 5, dt.date(2026, 1, 5), "普通文字"]))
    row = list(_reload(wb)[1])
    assert row[0].value == "标题" and row[0].font.b
    for cell, text in zip(row[1:7], RISKY, strict=True):
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    assert row[7].value is None and row[8].value == 5 and row[9].value == dt.datetime(2026, 1, 5)
    assert row[10].value == "普通文字" and not row[10].quotePrefix and not row[8].font.b


def test_a_cell_written_directly_is_kept_as_text():
    wb = Workbook()
    ws = wb.active
    as_text(ws.cell(1, 1, "=1+1"))
    ws.cell(1, 2, "=SUM(1,2)")  # a formula the code itself writes stays a formula
    row = _reload(wb)[1]
    assert (row[0].value, row[0].data_type) == ("=1+1", "s")
    assert row[1].data_type == "f"
