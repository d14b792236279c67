"""Safe cells for .xlsx exports: text people typed is written as text, never as a formula.

openpyxl stores any string starting with "=" as a formula, so a title like =HYPERLINK("http://evil/", "点击")
becomes a live link (or worse) when the export is opened in Excel/WPS. Values starting with = + - @, a tab
or a carriage return are written as plain text cells (with Excel's "quote prefix", so editing the cell
later keeps it text). Every export uses `safe_row` for `append` and `as_text` for `ws.cell(...)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(RISKY_PREFIXES)


def as_text(cell: Any) -> Any:
    """Keep a cell whose value could be read as a formula as plain text; returns the cell."""
    if is_risky(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """`values` ready for `ws.append(...)` (normal or write-only sheets), risky text held as text.

    When a row has risky text, each of its values becomes a cell of its own (write-only sheets reuse the
    previous cell object for a plain value that follows a cell, which would carry its style along)."""
    row = list(values)
    if not any(is_risky(v.value if isinstance(v, Cell) else v) for v in row):
        return row
    out: list[Any] = []
    for column, value in enumerate(row, 1):
        if value is None:
            out.append(None)
        elif isinstance(value, Cell):
            out.append(as_text(value))
        else:
            out.append(as_text(Cell(ws, row=1, column=column, value=value)))
    return out
