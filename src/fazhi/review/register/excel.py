"""发文登记簿 in Excel: the blank template, the import (all rows or none) and the export.

The sheet 发文登记 has a heading row naming the COLUMNS (any order; 发文字号 and 免审理由 may be left out) and one
document a row, as an OA system's 发文登记簿 export usually reads. The import checks every row as a single
entry is checked (`services.clean`) and lists each bad one by its row number; one bad row imports nothing.
A row whose 文号 is registered already updates that entry (an export imported again changes nothing) —
unless that entry is linked to a review under another title, which is a bad row (the import would put another
document in place of the reviewed one); a row without 文号 updates the entry with the same title, unit and
issue day; the others are new entries, linked to the draft of their 文号 (or of their exact title and unit
when they have none) unless that draft covers another entry already. The result names the entries it
updated. The export writes the same columns first, so it can be imported back; its dates are date cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from fazhi.core import audit, spreadsheets
from fazhi.core.errors import Conflict, DomainError, ValidationFailed
from fazhi.review.models import DocType, IssuedDocument, RegisterSource
from fazhi.review.register import selectors, services

SHEET = "发文登记"
COLUMNS = ["发文字号", "文件标题", "发文单位", "印发日期", "文书类型", "免审理由"]
REQUIRED_COLUMNS = ["文件标题", "发文单位", "印发日期", "文书类型"]
KEYS = ["doc_number", "title", "unit", "issued_on", "doc_type", "exempt_reason"]
MAX_ROWS = 5000
MAX_UNPACKED = 32 * 1024 * 1024


class ImportInvalid(ValidationFailed):
    """Rows failed validation; `errors` holds (row number, message) for each."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = sorted(errors)
        shown = "；".join(f"第{n}行：{m}" for n, m in self.errors[:20])
        more = f"；另有 {len(self.errors) - 20} 行有误" if len(self.errors) > 20 else ""
        super().__init__(f"共 {len(self.errors)} 行有误，未导入任何数据。{shown}{more}")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0  # rows linked to a draft (new or existing links)
    missed: list[str] = field(default_factory=list)  # 漏审: titles of the imported documents without review
    updated_items: list[str] = field(default_factory=list)  # the entries changed: 文号 《title》

    @property
    def message(self) -> str:
        """导入完成：新增 …，更新 …（which ones），未变 …"""
        text = f"导入完成：新增 {self.created} 件，更新 {self.updated} 件"
        if self.updated_items:
            shown = "、".join(self.updated_items[:20])
            more = f"等 {len(self.updated_items)} 件" if len(self.updated_items) > 20 else ""
            text += f"（{shown}{more}）"
        return f"{text}，未变 {self.unchanged} 件；关联审查记录 {self.linked} 件。"


def _bold(ws: Any, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, 1):
        ws.cell(row, column, label).font = Font(bold=True)


def template() -> bytes:
    """The blank workbook to fill in: the 发文登记 sheet with its heading row, and 填写说明."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    _bold(ws, 1, COLUMNS)
    for column, width in enumerate([22, 48, 18, 14, 16, 30], 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
    # The 文号 and date columns as text / dates, so Excel does not turn 2026-03-01 or a 文号 into a number.
    for row in range(2, 502):
        ws.cell(row, 1).number_format = "@"
        ws.cell(row, 4).number_format = "yyyy-mm-dd"
    notes = wb.create_sheet("填写说明")
    lines = [
        "发文登记簿导入说明",
        "1. 在“发文登记”工作表第 2 行起逐行填写本单位印发的每一份文件，第 1 行表头不要修改。",
        "2. 发文字号：如 阳财规〔2026〕1号，年份可用〔〕、[] 或 () 括起；没有文号的文件可不填。同一文号只能登记一次。",
        "3. 文件标题、发文单位、印发日期、文书类型必填；印发日期写成 年-月-日（如 2026-03-01），不能晚于今天。",
        "4. 文书类型填写以下之一：" + "、".join(label for _, label in DocType.choices) + "。",
        "5. 免审理由：须经合法性审查的类型，经认定无须审查的（如内部事务性文件），写明理由；其余不填。",
        "6. 任何一行有误时整个文件不予导入，页面会列出每个有误的行号和原因，改正后重新上传即可。",
        "7. 已登记的文号再次导入时按本次内容更新；系统按发文字号（无文号的按标题和发文单位）自动关联审查记录。",
    ]
    for row, line in enumerate(lines, 1):
        notes.cell(row, 1, line)
    notes["A1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 110
    return spreadsheets.workbook_bytes(wb)


DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _date_cell(ws: Any, value: str | None, *, with_time: bool = False) -> Cell:
    """A date (or date and minute) cell shown as in the ledger export; empty when there is no date."""
    if not value:
        return WriteOnlyCell(ws, value="")
    if with_time:
        cell = WriteOnlyCell(ws, value=dt.datetime.strptime(value, "%Y-%m-%d %H:%M"))
        cell.number_format = DATETIME_FORMAT
    else:
        cell = WriteOnlyCell(ws, value=dt.date.fromisoformat(value))
        cell.number_format = DATE_FORMAT
    return cell


def export(rows: list[selectors.RegisterRow]) -> bytes:
    """The register rows (as filtered) with their status and the review that covered them; 印发日期, 审查结论日期
    and 登记时间 as date cells. Every value is a cell of its own: a write-only sheet would carry a date cell's
    number format on to a plain value that follows it."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    extra = [
        "状态",
        "关联送审文稿编号",
        "关联送审文稿",
        "审查结论",
        "审查结论日期",
        "登记方式",
        "登记人",
        "登记时间",
    ]
    header = [*COLUMNS, *extra]
    for column, width in enumerate([22, 48, 18, 14, 16, 30, 16, 14, 40, 12, 14, 14, 12, 18], 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.append(spreadsheets.safe_row(ws, header))
    for r in rows:
        values = [
            r.doc_number,
            r.title,
            r.unit,
            _date_cell(ws, r.issued_on),
            r.doc_type_label,
            r.exempt_reason,
            r.status_label,
            r.draft_id or "",
            r.draft_title,
            r.outcome,
            _date_cell(ws, r.decided_on),
            r.source,
            r.registered_by,
            _date_cell(ws, r.registered_at, with_time=True),
        ]
        cells = [
            v if isinstance(v, Cell) else WriteOnlyCell(ws, value=spreadsheets.sheet_text(v)) for v in values
        ]
        ws.append(spreadsheets.safe_row(ws, cells))
    return spreadsheets.workbook_bytes(wb)


def read(data: bytes, *, name: str = "") -> list[tuple[int, dict[str, Any]]]:
    """(row number, {key: cell value}) of every non-empty row under the heading row."""
    wb = spreadsheets.open_workbook(data, name=name, read_only=False, max_unpacked=MAX_UNPACKED)
    ws = spreadsheets.data_sheet(wb, SHEET)
    seen = spreadsheets.merged_reader(ws)
    table = []
    for number, cells in enumerate(ws.iter_rows(), start=1):
        if number > MAX_ROWS + 1:
            raise ValidationFailed(f"一次最多导入 {MAX_ROWS} 件文件，请拆分文件后分批导入。")
        table.append([seen(c.row, c.column, c.value) if hasattr(c, "row") else c.value for c in cells])
    wb.close()
    heading = [spreadsheets.cell_text(c) for c in table[0]] if table else []
    missing = [c for c in REQUIRED_COLUMNS if c not in heading]
    if missing:
        raise ValidationFailed(
            f"第 1 行应为表头，缺少列：{'、'.join(missing)}（完整表头：{'、'.join(COLUMNS)}）。请使用下载的模板。"
        )
    index = {key: heading.index(label) for key, label in zip(KEYS, COLUMNS, strict=True) if label in heading}
    out = []
    for number, row in enumerate(table[1:], start=2):
        values = {key: row[i] if i < len(row) else None for key, i in index.items()}
        if all(spreadsheets.cell_text(v) == "" for v in values.values()):
            continue
        out.append((number, values))
    if not out:
        raise ValidationFailed("文件中没有可导入的行：请从第 2 行起逐行填写发文登记。")
    return out


def _value(key: str, value: Any) -> Any:
    """What a cell holds, as the entry's check reads it: the date as stored, everything else as shown."""
    if key == "issued_on" and value is not None and not isinstance(value, str):
        return spreadsheets.cell_date(value) or spreadsheets.cell_text(value)
    return spreadsheets.cell_text(value)


def _check(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, services.Cleaned]]:
    required = selectors.review_required_types()
    good: list[tuple[int, services.Cleaned]] = []
    errors: list[tuple[int, str]] = []
    numbers: dict[str, int] = {}
    for number, values in rows:
        if broken := [
            COLUMNS[KEYS.index(k)]
            for k, v in values.items()
            if spreadsheets.cell_text(v) in spreadsheets.ERROR_VALUES
        ]:
            errors.append((number, f"{'、'.join(broken)}是公式的错误值（如 #N/A），请改正公式或填写实际内容"))
            continue
        try:
            cleaned = services.clean(**{k: _value(k, v) for k, v in values.items()}, required=required)
        except DomainError as exc:
            errors.append((number, exc.message))
            continue
        if cleaned.doc_number in numbers:
            errors.append((number, f"发文字号“{cleaned.doc_number}”与第{numbers[cleaned.doc_number]}行重复"))
            continue
        if cleaned.doc_number:
            numbers[cleaned.doc_number] = number
        good.append((number, cleaned))
    if errors:
        raise ImportInvalid(errors)
    return good


def _existing(c: services.Cleaned) -> IssuedDocument | None:
    qs = IssuedDocument.objects.select_for_update()
    if c.doc_number:
        return qs.filter(doc_number=c.doc_number).first()
    return qs.filter(doc_number="", title=c.title, unit=c.unit, issued_on=c.issued_on).first()


def _linked_elsewhere(good: list[tuple[int, services.Cleaned]]) -> None:
    """ImportInvalid for each row whose 文号 is registered for a document linked to a review under another
    title: the row would overwrite that document (and its review) with a different one."""
    errors = []
    numbers = {c.doc_number: n for n, c in good if c.doc_number}
    titles = {c.doc_number: c.title for _, c in good if c.doc_number}
    for entry in IssuedDocument.objects.filter(doc_number__in=list(numbers), draft__isnull=False):
        if entry.title != titles[entry.doc_number]:
            errors.append(
                (
                    numbers[entry.doc_number],
                    f"发文字号“{entry.doc_number}”已登记为《{entry.title}》并关联审查记录，与本行标题"
                    f"《{titles[entry.doc_number]}》不一致，请核对",
                )
            )
    if errors:
        raise ImportInvalid(errors)


def import_register(*, user: Any, data: bytes, name: str = "") -> ImportResult:
    """Import the register from an uploaded .xlsx: every row or none (ImportInvalid lists the bad rows)."""
    selectors.require_writer(user)
    good = _check(read(data, name=name))
    result = ImportResult()
    required = selectors.review_required_types()
    try:
        with transaction.atomic(), audit.suspended():
            _linked_elsewhere(good)
            for _, c in good:
                entry = _existing(c)
                if entry is None:
                    entry = IssuedDocument(registered_by=user, source=RegisterSource.IMPORT)
                    result.created += 1
                elif all(getattr(entry, k) == v for k, v in vars(c).items()):
                    result.unchanged += 1
                else:
                    result.updated += 1
                    result.updated_items.append(f"{c.doc_number or '无文号'}《{c.title}》")
                for key, value in vars(c).items():
                    setattr(entry, key, value)
                if entry.draft is None:
                    entry.draft = services.match_draft(c.doc_number, c.title, c.unit, exclude=entry.pk)
                entry.save()
                result.linked += entry.draft is not None
                if selectors.status_of(entry, required) == selectors.MISSED:
                    result.missed.append(entry.title)
            updated = f"（{'、'.join(result.updated_items)}）" if result.updated_items else ""
            audit.record(
                action="import",
                object_type=IssuedDocument._meta.label,
                object_repr="发文登记簿",
                after={
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "updated_items": result.updated_items,
                },
                actor=user,
                comment=f"发文登记簿 Excel 导入（{name or '上传文件'}）：新增 {result.created} 件，"
                f"更新 {result.updated} 件{updated}",
            )
    except IntegrityError as exc:  # another write registered one of these 文号 a moment ago
        raise Conflict("另一次登记刚刚写入了其中部分文号，本次未导入任何数据，请重新导入。") from exc
    return result
