"""Excel exports: every figure of the dashboard, and the list behind one figure (masked per role)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Font

from fazhi.core.spreadsheets import safe_row
from fazhi.reports import figures as figs
from fazhi.reports import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FIGURE_HEADERS = [
    "板块",
    "指标",
    "数值",
    "单位",
    "数据来源",
    "依据记录数",
    "说明",
    "明细链接",
    "上年数值",
    "与上年比较",
]


def _bold(sheet: Any) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _link(cell: Any) -> None:
    """A drill-down path as a link that opens from Excel: absolute with the site address when one is
    configured (FAZHI_SITE_URL), else left as the path (it is still what to open on the site)."""
    path = cell.value
    site = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if isinstance(path, str) and path.startswith("/") and site.startswith(("http://", "https://")):
        cell.value = site + path
        cell.hyperlink = site + path
        cell.style = "Hyperlink"


def _shown(fig: figs.Figure | None) -> Any:
    if fig is None:
        return ""
    return fig.value if fig.value is not None else fig.display


def figures_xlsx(collected: figs.Collected) -> bytes:
    ctx = collected.ctx
    wb = Workbook()
    sheet = wb.active
    sheet.title = "指标"
    sheet.append(FIGURE_HEADERS)
    for fig in collected.figures:
        sheet.append(
            safe_row(
                sheet,
                [
                    fig.section,
                    fig.label,
                    _shown(fig),
                    fig.unit,
                    fig.source_description,
                    fig.basis_count,
                    fig.note,
                    fig.drilldown_url,
                    _shown(fig.previous),
                    fig.comparison,
                ],
            )
        )
    _bold(sheet)
    for row in sheet.iter_rows(min_row=2, min_col=8, max_col=8):
        _link(row[0])
    for col, width in zip("ABCDEFGHIJ", (16, 40, 10, 8, 60, 12, 30, 50, 10, 30), strict=True):
        sheet.column_dimensions[col].width = width
    about = wb.create_sheet("说明")
    about.append(["年度", ctx.year])
    about.append(safe_row(about, ["单位", ctx.unit]))
    about.append(["生成日期", ctx.today.isoformat()])
    about.append(["统计截至", ctx.year_end.isoformat()])
    if collected.unavailable:
        about.append(["暂不可用的板块", "、".join(collected.unavailable)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def records_xlsx(figure: figs.Figure, user: Any) -> bytes:
    columns = selectors.visible_columns(figure, user)
    wb = Workbook()
    sheet = wb.active
    sheet.title = "明细"
    sheet.append([c.label for c in columns])
    for row in selectors.visible_rows(figure, user):
        sheet.append(safe_row(sheet, [row.get(c.key, "") for c in columns]))
    _bold(sheet)
    about = wb.create_sheet("说明")
    about.append(["指标", figure.label])
    about.append(["数值", figure.display])
    about.append(["数据来源", figure.source_description])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
