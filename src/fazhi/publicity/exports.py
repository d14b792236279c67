"""Excel export of a year's 普法责任清单 overview (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fazhi.core.spreadsheets import safe_row
from fazhi.publicity.selectors import Overview


def overview_workbook(ov: Overview) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{ov.year}年完成情况"
    ws.append([f"{ov.year}年度普法责任清单完成情况（谁执法谁普法）"])
    ws["A1"].font = Font(bold=True, size=14)
    header = [
        "责任部门",
        "事项数",
        "已完成",
        "进行中",
        "未开始",
        "逾期未完成",
        "完成率",
        "活动场次",
        "受众人次",
    ]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in ov.rows:
        c = row.completion
        ws.append(safe_row(ws,
            [row.responsibility_list.department, c.total, c.done, c.in_progress, c.planned, c.overdue,
             (c.rate / 100) if c.rate is not None else None, row.activities, row.audience]
        ))  # fmt: skip
    t = ov.totals
    ws.append(["合计", t.total, t.done, t.in_progress, t.planned, t.overdue,
               (t.rate / 100) if t.rate is not None else None, ov.activities, ov.audience])  # fmt: skip
    for r in ws.iter_rows(min_row=3, min_col=7, max_col=7):
        r[0].number_format = "0.0%"
    ws.column_dimensions["A"].width = 28

    items = wb.create_sheet("清单事项明细")
    items.append(
        [
            "责任部门",
            "宣传的法律法规",
            "宣传对象",
            "计划活动",
            "计划完成日期",
            "完成情况",
            "完成日期",
            "已登记活动",
        ]
    )
    for cell in items[1]:
        cell.font = Font(bold=True)
    for row in ov.rows:
        for item in row.responsibility_list.items.all():
            items.append(safe_row(items,
                [row.responsibility_list.department, item.law_title, item.audiences, item.planned_activity,
                 item.planned_date, item.get_status_display(), item.completed_at, len(item.activities.all())]
            ))  # fmt: skip
    for col, width in zip("ABCDEFGH", (24, 30, 24, 30, 14, 10, 14, 10), strict=True):
        items.column_dimensions[col].width = width
    for r in items.iter_rows(min_row=2):
        for cell in r:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
