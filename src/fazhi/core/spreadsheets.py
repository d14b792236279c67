"""Spreadsheets: safe cells for .xlsx exports, and one way to read .xlsx uploads (see below).

Exports: text people typed is written as text, never as a formula.

openpyxl stores any string starting with "=" as a formula, so a title like =HYPERLINK("http://evil/", "点击")
becomes a live link (or worse) when the export is opened in Excel/WPS. Values starting with = + - @, a tab
or a carriage return are written as plain text cells (with Excel's "quote prefix", so editing the cell
later keeps it text). Every export uses `safe_row` for `append` and `as_text` for `ws.cell(...)`.
Text also reaches a sheet with control characters (a name, a filter typed by the user), which openpyxl
refuses (IllegalCharacterError): `safe_row` drops them (`sheet_text`), and `sheet_text(..., title=True)`
makes a sheet title of any text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fazhi.core.errors import ValidationFailed

RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(RISKY_PREFIXES)


def as_text(cell: Any) -> Any:
    """Keep a cell whose value could be read as a formula as plain text; returns the cell."""
    if is_risky(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


# Excel's rules for a sheet name: none of these characters, at most 31 characters, not empty.
TITLE_FORBIDDEN_RE = re.compile(r"[\[\]:*?/\\]")
TITLE_MAX = 31


def sheet_text(value: Any, *, title: bool = False) -> Any:
    """`value` as openpyxl accepts it: control characters dropped from text; as a sheet title (`title=True`)
    also the characters []:*?/\\ , cut to 31 characters, and "Sheet" if nothing is left. Other values
    (numbers, dates, None, cells) are returned unchanged."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if title:
        text = TITLE_FORBIDDEN_RE.sub("", text).strip()[:TITLE_MAX] or "Sheet"
    return text


def safe_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """`values` ready for `ws.append(...)` (normal or write-only sheets): control characters dropped from
    text (`sheet_text`), risky text held as text.

    When a row has risky text, each of its values becomes a cell of its own (write-only sheets reuse the
    previous cell object for a plain value that follows a cell, which would carry its style along)."""
    row = [sheet_text(v) for v in values]
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


# --- reading uploads -------------------------------------------------------------------------------
#
# Every .xlsx import opens the upload with `open_workbook` (one set of checks and messages), picks the
# sheet with `data_sheet` (never a hidden one) and reads cells with `cell_text` / `cell_date`, which
# turn what Excel and WPS store into what the user sees: 12.0 → "12", 0.95 in a percent cell → "95%",
# a date cell → "2026-01-05", the 15 significant digits Excel shows instead of binary noise.

# Cell error values a formula can leave behind (ECMA-376 §18.17.7 "Error values").
ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
# Excel's 1900 date system: serial 1 is 1900-01-01, with the phantom 1900-02-29 (ECMA-376 §18.17.4.1), so
# serials after 60 count from 1899-12-30.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers read as dates only in a plausible range for the bureau's records (1950–2149).
_SERIAL_DATES = range(18264, 91311)
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def open_workbook(
    data: bytes, *, name: str = "", read_only: bool = True, max_unpacked: int | None = None
) -> Any:
    """The workbook of an uploaded .xlsx (cached formula values, not formulas), judged by content;
    ValidationFailed with a Chinese message saying what to do for anything else: an empty file, an old
    .xls/.et, a password-protected workbook, a CSV or text file, a PDF, a Word document, a damaged file,
    or one that would unpack to more than `max_unpacked` bytes (default: uploads.MAX_UNPACKED)."""
    import io
    import zipfile

    from openpyxl import load_workbook

    from fazhi.core import uploads

    who = uploads.called(name)
    save_as = "请上传 Excel（.xlsx）文件：在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（.xlsx）即可。"
    if not data:
        raise ValidationFailed(f"{who}是空文件，请选择填写好的 Excel（.xlsx）文件。")
    if (kind := uploads.ole_kind(data)) is not None:
        raise ValidationFailed(uploads.ole_refusal(kind, name, wanted="xlsx"))
    if data.startswith(b"%PDF"):
        raise ValidationFailed(f"{who}是 PDF 文件，不是 Excel 工作簿。请上传 .xlsx 文件。")
    if not data.startswith(b"PK\x03\x04"):
        if b"\x00" not in data[:4096]:
            raise ValidationFailed(f"{who}是 CSV 或纯文本文件，不是 Excel 工作簿。{save_as}")
        raise ValidationFailed(f"{who}不是 Excel 工作簿（.xlsx）。{save_as}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValidationFailed(f"{who}已损坏，无法打开。{save_as}") from exc
    with zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" not in names:
            found = " Word 文档" if "word/document.xml" in names else "压缩包或其他文件"
            raise ValidationFailed(f"{who}是{found}，不是 Excel 工作簿。请上传 .xlsx 文件。")
        limit = max_unpacked or uploads.MAX_UNPACKED
        if sum(i.file_size for i in zf.infolist()) > limit:
            raise ValidationFailed(
                f"{who}解压后超过 {limit // uploads.MB} MB，系统不予读取。请删除多余的工作表、图片和空白格式后重新上传。"
            )
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or unusual package
        raise ValidationFailed(f"无法读取{who}，文件可能已损坏。{save_as}") from exc


def data_sheet(wb: Any, preferred: str = "") -> Any:
    """The sheet to import: the one named `preferred` if the workbook has it, else the sheet that was
    open when the file was saved, else the first visible one. A hidden sheet (a lookup list, an old
    copy) is never read unless it is the one named."""
    if preferred and preferred in wb.sheetnames:
        return wb[preferred]
    visible = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not visible:
        raise ValidationFailed("工作簿中没有可见的工作表，请在 Excel 中取消隐藏要导入的工作表后重新上传。")
    try:
        active = wb.active
    except (IndexError, AttributeError):
        active = None
    return active if active in visible else visible[0]


def _plain_number(value: float | int | Decimal) -> str:
    if isinstance(value, float):
        value = Decimal(f"{value:.15g}")  # the 15 significant digits Excel shows
    text = format(Decimal(value).normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text


def cell_text(cell: Any) -> str:
    """A cell (or a bare value) as the text the user sees: stripped; whole numbers without ".0";
    a number in a percent-formatted cell as "95%"; dates as 2026-01-05 (with the time if it has one)."""
    value = getattr(cell, "value", cell)
    fmt = getattr(cell, "number_format", "") or ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float | Decimal):
        if "%" in fmt:
            return _plain_number(Decimal(_plain_number(value)) * 100) + "%"
        return _plain_number(value)
    return str(value).strip()


def cell_date(value: Any) -> dt.date | None:
    """A date from what people put in a date column: a date cell, a serial number (a date cell whose
    format was lost), 2025年3月1日, 2025-3-1, 2025/3/1, 2025.3.1, 20250301. None when it is none of these
    (the caller reports the value as it was)."""
    value = getattr(value, "value", value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in _SERIAL_DATES:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        value = _plain_number(value)
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    m = _DATE_TEXT.match(text) or _COMPACT_DATE.match(text)
    if m is None:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def merged_reader(ws: Any) -> Any:
    """A function (row, column, value) → the value the user sees at that cell of a full (not read-only)
    sheet: Excel keeps a merged range's value in its top-left cell only, but shows it in all of them."""
    ranges = [
        (m.min_row, m.max_row, m.min_col, m.max_col, ws.cell(m.min_row, m.min_col).value)
        for m in getattr(ws, "merged_cells", None) or []
    ]

    def seen(row: int, column: int, value: Any) -> Any:
        if value not in (None, ""):
            return value
        for top, bottom, left, right, shown in ranges:
            if top <= row <= bottom and left <= column <= right:
                return shown
        return value

    return seen


def workbook_bytes(wb: Any) -> bytes:
    """The workbook as the bytes of an .xlsx file (for a download)."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
