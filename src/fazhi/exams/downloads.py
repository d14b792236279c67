"""The exams app's Excel downloads (results, 应考尽考名单, 法律专业人员): one response shape for pages and API,
and one way to put text into a sheet.

Text reaches a sheet from people (a name, a question, the department typed into a filter), and openpyxl
refuses a workbook holding control characters (IllegalCharacterError, a 500 for the user): every sheet
title and every row of these exports goes through `sheet_text` / `sheet_row`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from fazhi.core.spreadsheets import safe_row
from fazhi.core.uploads import XLSX

# Excel's rules for a sheet name: none of these characters, at most 31 characters, not empty.
TITLE_FORBIDDEN_RE = re.compile(r"[\[\]:*?/\\]")
TITLE_MAX = 31


def sheet_text(value: Any, *, title: bool = False) -> Any:
    """`value` as openpyxl accepts it: control characters dropped from text; as a sheet title (`title=True`)
    also the characters []:*?/\\ , cut to 31 characters, and "Sheet" if nothing is left. Other values
    (numbers, dates, None) are returned unchanged."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if title:
        text = TITLE_FORBIDDEN_RE.sub("", text).strip()[:TITLE_MAX] or "Sheet"
    return text


def sheet_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for `ws.append`: each text through `sheet_text`, then kept from being read as a formula
    (`fazhi.core.spreadsheets.safe_row`)."""
    return safe_row(ws, [sheet_text(v) for v in values])


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """`data` as an .xlsx attachment; the exams app's file names are plain ASCII (dates and ids)."""
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
