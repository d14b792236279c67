"""The exams app's Excel downloads (results, 应考尽考名单, 法律专业人员): one response shape for pages and API.
Text goes into their sheets through `fazhi.core.spreadsheets` (`safe_row`, `sheet_text`), which drops the
control characters openpyxl refuses.
"""

from __future__ import annotations

from django.http import HttpResponse

from fazhi.core.uploads import XLSX


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """`data` as an .xlsx attachment; the exams app's file names are plain ASCII (dates and ids)."""
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
