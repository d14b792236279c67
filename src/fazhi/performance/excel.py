"""Excel in the familiar 绩效目标表 / 绩效自评表 layouts: export, blank template and import.

The sheets have label rows (项目编码, 项目名称, …) in column A and an indicator table under a header
row whose first cell is 一级指标. Import reads the same layout back, so export → import round-trips.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from fazhi.core.errors import ValidationFailed
from fazhi.core.spreadsheets import (
    as_text,
    cell_text,
    merged_reader,
    open_workbook,
    sheet_text,
    workbook_bytes,
)
from fazhi.performance import rules, selectors, services
from fazhi.performance.models import PerformanceTarget, Project, SelfEvaluation

TARGET_SHEET = "绩效目标表"
EVALUATION_SHEET = "绩效自评表"
TARGET_HEADER = ["一级指标", "二级指标", "三级指标", "指标方向", "目标值", "计量单位", "分值"]
EVALUATION_HEADER = [
    "一级指标", "二级指标", "三级指标", "指标方向", "年度指标值", "计量单位", "实际完成值",
    "分值", "得分", "计分说明", "偏差原因分析", "改进措施",
]  # fmt: skip

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def _ensure_styles(wb: Workbook) -> None:
    """Named styles, registered once per workbook (setting fonts cell by cell is slow in openpyxl)."""
    if "perf_cell" in wb.named_styles:
        return
    styles = [
        NamedStyle("perf_title", font=Font(bold=True, size=14), alignment=Alignment(horizontal="center")),
        NamedStyle("perf_center", alignment=Alignment(horizontal="center")),
        NamedStyle("perf_label", font=Font(bold=True)),
        NamedStyle("perf_wrap", alignment=Alignment(wrap_text=True, vertical="top")),
        NamedStyle(
            "perf_head",
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="DDE6F0"),
            border=_BORDER,
            alignment=Alignment(horizontal="center", wrap_text=True),
        ),
        NamedStyle("perf_cell", border=_BORDER, alignment=Alignment(wrap_text=True, vertical="top")),
    ]
    for style in styles:
        wb.add_named_style(style)


MAX_ROWS = 2000
# Amounts (万元) and scores as the published tables print them: two decimals, amounts with thousands
# separators.
MONEY = "#,##0.00"
SCORE = "0.00"


def _title(ws: Worksheet, text: str, year: int, width: int) -> None:
    _ensure_styles(ws.parent)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1, text).style = "perf_title"
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(2, 1, f"（{year}年度）").style = "perf_center"


def _label_rows(
    ws: Worksheet, project: Project, width: int, extra: list[tuple[str, Any]], *, executed: bool = True
) -> int:
    """The label rows above a table; `executed`: False leaves out the 全年执行数 (not yet published)."""
    rows: list[tuple[str, Any]] = [
        ("项目编码", project.code),
        ("项目名称", project.name),
        ("主管部门", project.department),
        ("实施单位", project.unit.name),
    ]
    r = 3
    for label, value in rows:
        ws.cell(r, 1, label).style = "perf_label"
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=width)
        _put(ws, r, 2, value)
        r += 1
    ws.cell(r, 1, "项目资金（万元）").style = "perf_label"
    amounts = [("年初预算数", project.budget_initial), ("全年预算数", project.budget_full_year)]
    if executed:
        amounts.append(("全年执行数", project.executed))
    for i, (label, value) in enumerate(amounts):
        ws.cell(r, 2 + i * 2, label)
        ws.cell(r, 3 + i * 2, float(value)).number_format = MONEY
    r += 1
    for label, value in extra:
        ws.cell(r, 1, label).style = "perf_label"
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=width)
        _put(ws, r, 2, value, "perf_wrap")
        r += 1
    return r


def _put(ws: Worksheet, row: int, column: int, value: Any, style: str | None = None) -> Any:
    """Write the bureau's text into a cell: control characters openpyxl refuses are dropped (`sheet_text`;
    `ws.cell` checks at assignment) and text that could read as a formula is held as text. The style is
    set first: a named style set afterwards would reset the quote prefix."""
    cell = ws.cell(row, column, sheet_text(value))
    if style:
        cell.style = style
    return as_text(cell)


def _header(ws: Worksheet, row: int, header: list[str]) -> None:
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row, c, text)
        cell.style = "perf_head"


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w


def write_target_sheet(
    ws: Worksheet, project: Project, target: PerformanceTarget | None, *, executed: bool = True
) -> None:
    width = len(TARGET_HEADER)
    _title(ws, "项目支出绩效目标表", project.year, width)
    r = _label_rows(
        ws, project, width, [("年度总体目标", target.annual_goal if target else "")], executed=executed
    )
    _header(ws, r, TARGET_HEADER)
    for ind in target.indicators.all() if target else []:
        r += 1
        values = [ind.level1, ind.level2, ind.name, rules.DIRECTION_LABELS[ind.direction], ind.target_value,
                  ind.unit, float(ind.weight)]  # fmt: skip
        for c, v in enumerate(values, start=1):
            _put(ws, r, c, v, "perf_cell")
    _widths(ws, [18, 14, 28, 10, 14, 10, 8])


def write_evaluation_sheet(
    ws: Worksheet,
    project: Project,
    evaluation: SelfEvaluation | None,
    target: PerformanceTarget | None,
    config: rules.Config | None = None,
) -> None:
    """The 绩效自评表 sheet; `config`: the rules in force if already read (for a table never scored)."""
    width = len(EVALUATION_HEADER)
    _title(ws, "项目支出绩效自评表", project.year, width)
    extra: list[tuple[str, Any]] = [
        ("年度总体目标", target.annual_goal if target else ""),
        ("实际完成情况", evaluation.achievement if evaluation else ""),
    ]
    r = _label_rows(ws, project, width, extra)
    if evaluation is not None:
        ws.cell(r, 1, "预算执行率").style = "perf_label"
        ws.cell(r, 2, f"{evaluation.execution_rate}%")
        ws.cell(r, 3, "分值")  # the one it was scored with, not the rules in force now
        ws.cell(r, 4, float(selectors.execution_weight(evaluation, config))).number_format = SCORE
        ws.cell(r, 5, "得分")
        ws.cell(r, 6, float(evaluation.execution_score)).number_format = SCORE
        _put(ws, r, 7, evaluation.execution_rule)
        r += 1
    _header(ws, r, EVALUATION_HEADER)
    results = {res.indicator_id: res for res in evaluation.results.all()} if evaluation else {}
    for ind in target.indicators.all() if target else []:
        r += 1
        res = results.get(ind.pk)
        values = [
            ind.level1, ind.level2, ind.name, rules.DIRECTION_LABELS[ind.direction], ind.target_value, ind.unit,
            res.actual_value if res else "", float(ind.weight), float(res.score) if res else None,
            res.explanation if res else "", res.deviation_reason if res else "", res.improvement if res else "",
        ]  # fmt: skip
        for c, v in enumerate(values, start=1):
            _put(ws, r, c, v, "perf_cell")
        ws.cell(r, 9).number_format = SCORE
    if evaluation is not None and evaluation.scored_at:
        r += 1
        ws.cell(r, 1, "总分").style = "perf_label"
        ws.cell(r, 2, float(evaluation.total_score)).number_format = SCORE
        ws.cell(r, 3, "等级").style = "perf_label"
        ws.cell(r, 4, evaluation.grade)
        _put(ws, r, 5, evaluation.grade_rule)
    _widths(ws, [18, 14, 28, 10, 12, 10, 12, 8, 8, 40, 30, 30])


def export_project(project: Project) -> bytes:
    """One workbook with the project's 绩效目标表 and 绩效自评表 sheets (also the fill-in template)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = TARGET_SHEET
    target = PerformanceTarget.objects.filter(project=project).first()
    write_target_sheet(ws, project, target)
    evaluation = SelfEvaluation.objects.filter(project=project).first()
    write_evaluation_sheet(wb.create_sheet(EVALUATION_SHEET), project, evaluation, target)
    return workbook_bytes(wb)


def export_disclosure(disclosure: Any) -> bytes:
    """The published tables of a unit's year: one 绩效目标表 and one 绩效自评表 sheet per project."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for i, item in enumerate(disclosure.projects, start=1):
        if item.target is not None:
            write_target_sheet(
                wb.create_sheet(f"{TARGET_SHEET}{i}"),
                item.project,
                item.target,
                executed=item.executed is not None,  # the unit's draft amount is not public
            )
        if item.evaluation is not None:
            write_evaluation_sheet(
                wb.create_sheet(f"{EVALUATION_SHEET}{i}"),
                item.project,
                item.evaluation,
                item.target,
                disclosure.config,
            )
    if not wb.sheetnames:
        wb.create_sheet("说明").cell(1, 1, "本年度尚无已公开的绩效表。")
    return workbook_bytes(wb)


# --- import --------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return cell_text(value)


# The two tables are a few hundred cells; a workbook unpacking to more is not one of them.
MAX_UNPACKED = 20 * 1024 * 1024


def _open(data: bytes) -> Any:
    """The uploaded workbook, read in full (merged cells are part of the layout)."""
    return open_workbook(data, read_only=False, max_unpacked=MAX_UNPACKED)


def _rows(ws: Worksheet, first: int, last: int) -> Any:
    """(row number, [cell text…]) for rows first..last as the user sees them: a merged cell (一级指标
    spanning its indicators, as the familiar tables are drawn) in every row it covers, 95% as "95%"."""
    seen = merged_reader(ws)
    for r, row in enumerate(ws.iter_rows(min_row=first, max_row=last), start=first):
        yield r, [cell_text(seen(c.row, c.column, c.value)) if c.value is None else cell_text(c) for c in row]


def _scan(ws: Worksheet) -> tuple[dict[str, list[Any]], int | None]:
    """Label rows (column A → the rest of the row) and the header row number of the indicator table."""
    labels: dict[str, list[Any]] = {}
    header = None
    for r, row in _rows(ws, 1, min(ws.max_row, 40)):
        first = row[0] if row else ""
        if first == "一级指标":
            header = r
            break
        if first:
            labels[first] = list(row[1:])
    return labels, header


def _check_code(labels: dict[str, list[Any]], project: Project, sheet: str) -> None:
    code = _text((labels.get("项目编码") or [""])[0])
    if code and code != project.code:
        raise ValidationFailed(
            f"{sheet}中的项目编码“{code}”与当前项目“{project.code}”不一致，请确认上传的是本项目的表。"
        )


def _sheet(wb: Any, name: str) -> Worksheet:
    if name not in wb.sheetnames:
        raise ValidationFailed(f"工作簿中没有名为“{name}”的工作表，请使用导出的模板。")
    return wb[name]


def read_target(data: bytes, project: Project) -> tuple[str, list[tuple[str, rules.IndicatorRow]]]:
    """The annual goal and the indicator rows (labelled 第N行) of a 绩效目标表 sheet."""
    ws = _sheet(_open(data), TARGET_SHEET)
    labels, header = _scan(ws)
    if header is None:
        raise ValidationFailed("绩效目标表中找不到以“一级指标”开头的表头行。")
    _check_code(labels, project, TARGET_SHEET)
    goal = _text((labels.get("年度总体目标") or [""])[0])
    rows = []
    for r, row in _rows(ws, header + 1, header + MAX_ROWS):
        cells = (row + [""] * 7)[:7]
        if not any(cells):
            continue
        rows.append((f"绩效目标表第{r}行", rules.IndicatorRow(*cells)))
    return goal, rows


def import_target(*, actor: Any, project: Project, data: bytes) -> PerformanceTarget:
    """Replace the target table from a workbook; any row error rejects the whole file."""
    goal, rows = read_target(data, project)
    return services.save_target(actor=actor, project=project, annual_goal=goal, rows=rows)


def import_evaluation(*, actor: Any, project: Project, data: bytes) -> SelfEvaluation:
    """Actual values, reasons and the amount executed from a 绩效自评表 sheet, matched by indicator name."""
    ws = _sheet(_open(data), EVALUATION_SHEET)
    labels, header = _scan(ws)
    if header is None:
        raise ValidationFailed("绩效自评表中找不到以“一级指标”开头的表头行。")
    _check_code(labels, project, EVALUATION_SHEET)
    target = PerformanceTarget.objects.filter(project=project).first()
    known = {(i.level1, i.level2, i.name): i for i in (target.indicators.all() if target else [])}
    actuals: dict[int, services.ActualInput] = {}
    errors = []
    for r, row in _rows(ws, header + 1, header + MAX_ROWS):
        cells = (row + [""] * 12)[:12]
        if not any(cells) or cells[0] == "总分":
            continue
        ind = known.get((cells[0], cells[1], cells[2]))
        if ind is None:
            errors.append(
                f"绩效自评表第{r}行：指标“{cells[0]}/{cells[1]}/{cells[2]}”不在本项目的绩效目标表中"
            )
            continue
        given = services.ActualInput(cells[6], cells[10], cells[11])
        errors += [f"绩效自评表第{r}行：{p}" for p in services.indicator_note_problems(given)]
        actuals[ind.pk] = given
    funds = labels.get("项目资金（万元）") or []
    executed = _text(funds[5]) if len(funds) > 5 else None
    if errors:
        raise services.TableInvalid(errors)
    achievement = _text((labels.get("实际完成情况") or [""])[0])
    return services.save_self_evaluation(
        actor=actor, project=project, achievement=achievement, actuals=actuals, executed=executed
    )
