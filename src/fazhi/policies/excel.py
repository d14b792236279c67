"""Excel template, import and export of policies (openpyxl); errors are reported per row.

Contract: `template()` and `export(queryset)` return .xlsx bytes; `import_rows(data, actor=…)` checks the
upload is a real .xlsx, validates every row and saves only when every row is valid (all or nothing),
returning an ExcelReport with "第N行：…" messages. The template's example row is skipped (reported in
`skipped`); a 外部编号 used by two rows is an error.

A row is matched to an existing policy by its 系统编号 (the record number an export writes in the last
column, so policies without a 外部编号 round-trip without being duplicated), else by its 外部编号. A row
with neither is identified among the policies without 外部编号 (IDENTITY_RULE, also written in the
template's 填写说明 sheet): by its 文号, else by 标题 + 发文机关 + 发布日期, so importing one file twice
updates instead of duplicating; a row whose 文号/标题 fits several policies is an error (fill in the
系统编号), and so are two such rows that the next import could not tell apart. Found nothing: a new
policy. Workbooks made from templates without the 系统编号 column still import.

Speed: the rows are read and validated first, the policies they name are fetched in a few bulk queries,
and the writes go in batches (excel_saving: bulk INSERT; one UPDATE per changed policy; unchanged rows
write nothing), with one audit event for the import and one outbox batch (bench/policy_excel.py: 5,000 rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, connection, transaction
from openpyxl import Workbook

from fazhi.core import spreadsheets
from fazhi.core.errors import DomainError, ValidationFailed
from fazhi.core.limits import length_problem
from fazhi.core.spreadsheets import safe_row
from fazhi.policies import services, sizing
from fazhi.policies.excel_matching import Known, Row, SeenIdentity
from fazhi.policies.excel_saving import BATCH, _write
from fazhi.policies.models import Policy

ID_HEADER = "系统编号（导出时生成，请勿修改）"
# (column header, Policy field)
COLUMNS: list[tuple[str, str]] = [
    ("外部编号", "external_id"),
    ("标题*", "title"),
    ("发文机关", "issuer"),
    ("文号", "doc_number"),
    ("层级（国家/省/市/区）", "level"),
    ("发布日期", "published_date"),
    ("有效期起", "effective_from"),
    ("有效期止", "effective_to"),
    ("人工设定状态", "status_override"),
    ("状态说明", "status_reason"),
    ("主题（、分隔）", "themes"),
    ("适用行业门类（如 C、H）", "industries"),
    ("适用规模（大型/中型/小型/微型）", "sizes"),
    ("适用地区", "regions"),
    ("支持方式", "support_types"),
    ("惠及对象", "beneficiaries"),
    ("申报条件", "conditions_text"),
    ("支持标准", "support_standard"),
    ("支持金额（万元）", "support_amount"),
    ("支持比例（%）", "support_ratio"),
    ("最高限额（万元）", "support_cap"),
    ("申报开始", "apply_start"),
    ("申报截止", "apply_end"),
    ("申报方式与地点", "apply_method"),
    ("咨询电话", "contact_phone"),
    ("成立年限不少于", "min_years_established"),
    ("须具备的企业标签", "required_tags"),
    ("从业人员不少于", "employees_min"),
    ("从业人员不多于", "employees_max"),
    ("营业收入不少于（万元）", "revenue_min"),
    ("营业收入不多于（万元）", "revenue_max"),
    ("来源网址", "source_url"),
    ("全文", "full_text"),
    (ID_HEADER, "pk"),
]
OPTIONAL_HEADERS = {ID_HEADER}  # templates downloaded before the column existed
MAX_ROWS = 5000
MAX_BYTES = 20 * 1024 * 1024
# The template's example row carries this 外部编号 and is skipped on import (so is a row whose title
# starts with EXAMPLE_TITLE_PREFIX, as in templates downloaded before the example was marked).
EXAMPLE_ID = "示例-导入时跳过"
EXAMPLE_TITLE_PREFIX = "（示例）"
EXTERNAL_ID_MAX: int = Policy._meta.get_field("external_id").max_length or 64
IDENTITY_RULE = (
    "系统编号、外部编号都留空的行，在外部编号为空的已有政策中查找：先按文号；没有文号或按文号找不到时，"
    "按“标题＋发文机关＋发布日期”（有文号的行只找尚无文号的政策）。找到一条即更新该政策，找不到则新增，"
    "找到多条时报错，请填写系统编号。因此同一文件重复导入只会更新、不会重复新增。"
)
# How an updated row found its policy (report key → words).
MATCH_LABELS = {
    "record": "系统编号",
    "external_id": "外部编号",
    "doc_number": "文号",
    "title": "标题＋发文机关＋发布日期",
}


@dataclass
class ExcelReport:
    created: int = 0
    updated: int = 0  # rows that matched an existing policy (unchanged ones included)
    unchanged: int = 0  # of those, rows whose values the policy already had (nothing written)
    matched: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MATCH_LABELS, 0))
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "第N行：示例行，已跳过"

    @property
    def summary(self) -> str:
        """The result in words: "导入完成：新增 3 条，更新 2 条。" and how the updated rows were matched."""
        text = f"导入完成：新增 {self.created} 条，更新 {self.updated} 条。"
        if self.updated:
            how = "，".join(f"按{MATCH_LABELS[k]} {n} 条" for k, n in self.matched.items() if n)
            text += f"更新的政策中{how}"
            text += f"；其中 {self.unchanged} 条内容未变。" if self.unchanged else "。"
        return text


def template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "惠企政策"
    ws.append([h for h, _ in COLUMNS])
    ws.append(
        [
            EXAMPLE_ID,
            EXAMPLE_TITLE_PREFIX + "关于支持小微企业稳岗的通知",
            "区财政局",
            "区财发〔2026〕1号",
            "区",
            "2026-01-05",
            "",
            "2026-12-31",
            "",
            "",
            "稳岗就业",
            "C、H",
            "小型、微型",
            "",
            "资金奖补",
            "",
            "",
            "每人500元",
            "",
            "",
            "10",
            "2026-02-01",
            "2026-03-31",
            "登录区政务服务网申报",
            "010-12345678",
            "1",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列", "说明"])
    help_ws.append(["标题*", "必填"])
    help_ws.append(["外部编号", "填写后按编号更新已有政策，找不到则新增"])
    help_ws.append(["系统编号", "导出文件自带，导入时据此更新对应政策；新增政策留空，请勿修改"])
    help_ws.append(["重复导入", IDENTITY_RULE])
    help_ws.append(["日期", "写成 2026-01-05"])
    help_ws.append(["行业门类", "、".join(f"{k} {v}" for k, v in sizing.sections().items())])
    help_ws.append(["第2行", f"示例行（外部编号为“{EXAMPLE_ID}”），导入时自动跳过，可删除"])
    return spreadsheets.workbook_bytes(wb)


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


def export(policies: Iterable[Policy]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "惠企政策"
    ws.append([h for h, _ in COLUMNS])
    for p in policies:
        row = []
        for _, name in COLUMNS:
            value = getattr(p, name)
            if name == "level" and value:
                value = p.get_level_display()
            elif name == "status_override" and value:
                value = p.get_status_override_display()
            row.append(_cell(value))
        ws.append(safe_row(ws, row))
    return spreadsheets.workbook_bytes(wb)


def _text(value: Any) -> str:
    """A cell as text; a whole number typed into a cell (Excel keeps 12 as 12.0) stays "12"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


DATE_FIELDS = {"published_date", "effective_from", "effective_to", "apply_start", "apply_end"}
PERCENT_FIELDS = {"support_ratio"}
LABELS = {name: header.rstrip("*") for header, name in COLUMNS}


def _value(cell: Any, name: str) -> Any:
    """What the user sees in a cell, in the form the policy fields take: a date for the date columns
    (date cells, 2026年3月1日, 2026/3/1, a serial number), the percentage itself for 支持比例 (Excel
    keeps "50%" as 0.5), else the cell's text (12 not 12.0)."""
    if cell is None or cell.value is None:
        return None
    if name in DATE_FIELDS:
        return spreadsheets.cell_date(cell) or spreadsheets.cell_text(cell)
    text = spreadsheets.cell_text(cell)
    if name in PERCENT_FIELDS and text.endswith(("%", "％")):
        try:
            return str(Decimal(text[:-1].strip()).normalize())
        except InvalidOperation:
            return text
    return text


Progress = Callable[[str, int, int], None]  # (stage 读取/校验/保存, done, total)
IMPORT_LOCK = 0x66617A69  # PostgreSQL advisory lock key: one policy Excel import at a time
Plan = tuple[Row, Policy | None, dict[str, Any]]


def import_rows(data: bytes, *, actor: Any, name: str = "", progress: Progress | None = None) -> ExcelReport:
    """Validate every row; save all rows only when none has an error (in batches, a few queries in all)."""
    services.require_editor(actor)
    if len(data) > MAX_BYTES:
        raise ValidationFailed("文件超过20MB，请拆分后上传。")
    report = ExcelReport()
    rows = _read_rows(data, name, report, progress)
    cleaned_rows = _clean_rows(rows, progress)
    if progress:  # what follows runs in one transaction: its progress is seen only when it commits
        progress("保存", 0, len(rows))
    try:
        # Rows are matched and written in one transaction; on PostgreSQL imports also take turns, so a file
        # sent twice at once cannot create the policies without 外部编号 twice.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            plans = _plan(rows, cleaned_rows, report)
            if not report.errors:
                _write(plans, actor=actor, name=name, report=report, progress=progress)
    except IntegrityError as exc:  # a 外部编号 created by another import meanwhile (SQLite)
        raise ValidationFailed(
            "导入时有其他人同时导入了相同的政策，本次未保存任何数据。请重新导入同一文件即可。"
        ) from exc
    return report


def _plan(rows: list[Row], cleaned_rows: list[dict[str, Any] | None], report: ExcelReport) -> list[Plan]:
    """(row, the policy it updates or None, its values) for every row, or the rows' errors in `report`."""
    known = Known.load(rows, cleaned_rows)
    plans: list[Plan] = []
    seen: dict[str, int] = {}  # 外部编号 → the first row carrying it
    seen_pk: dict[int, int] = {}  # 系统编号 → the first row updating that policy
    seen_identity = SeenIdentity()
    for row, cleaned in zip(rows, cleaned_rows, strict=True):
        where = f"第{row.rownum}行："
        if row.external_id:
            if problem := length_problem(row.external_id, "外部编号", EXTERNAL_ID_MAX):
                report.errors.append(f"{where}{problem}。")
                continue
            if row.external_id in seen:
                report.errors.append(f"{where}外部编号 {row.external_id} 与第{seen[row.external_id]}行重复。")
                continue
            seen[row.external_id] = row.rownum
        try:
            existing, how = known.existing(row, cleaned, seen_pk)
            if cleaned is not None and not (row.external_id or (existing and existing.external_id)):
                seen_identity.check(row.rownum, cleaned)
        except DomainError as exc:
            report.errors.append(where + exc.message)
            continue
        if cleaned is None:
            report.errors.append(where + "".join(services.problems(row.values)))
            continue
        if how:
            report.matched[how] += 1
        plans.append((row, existing, cleaned))
    return plans


def check_file(data: bytes, name: str = "") -> None:
    """The checks that need no row: size, an .xlsx that opens, the sheet and its header (ValidationFailed
    with the reason). The upload form runs them, so a wrong file is refused at once, before any job."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed("文件超过20MB，请拆分后上传。")
    _open_sheet(data, name)


def _open_sheet(data: bytes, name: str) -> tuple[Any, Iterator[Any], dict[str, int]]:
    """(sheet, its rows after the header, each column's position) of an upload that has every column."""
    wb = spreadsheets.open_workbook(data, name=name)
    ws = spreadsheets.data_sheet(wb, "惠企政策")
    cells_iter = ws.iter_rows()
    header = [spreadsheets.cell_text(h) for h in next(cells_iter, [])]
    expected = [h for h, _ in COLUMNS]
    missing = [h for h in expected if h not in header and h not in OPTIONAL_HEADERS]
    if missing:
        raise ValidationFailed(f"表头缺少列：{'、'.join(missing[:5])}。请下载最新模板。")
    return ws, cells_iter, {h: header.index(h) if h in header else len(header) for h in expected}


def _read_rows(data: bytes, name: str, report: ExcelReport, progress: Progress | None) -> list[Row]:
    """The filled rows of the upload (example rows and formula errors reported), read in one pass."""
    ws, cells_iter, pos = _open_sheet(data, name)
    total = max((ws.max_row or 1) - 1, 0)  # a sheet written without its size (some tools) gives 0
    rows: list[Row] = []
    for rownum, cells in enumerate(cells_iter, start=2):
        if progress and rownum % BATCH == 0:
            progress("读取", rownum - 1, total if total >= rownum - 1 else 0)  # 0: not known yet
        if rownum - 1 > MAX_ROWS:
            report.errors.append(f"超过{MAX_ROWS}行，请拆分文件。")
            break
        values = {name: _value(cells[pos[h]] if pos[h] < len(cells) else None, name) for h, name in COLUMNS}
        if all(v in (None, "") for v in values.values()):
            continue
        if broken := [LABELS[n] for n, v in values.items() if v in spreadsheets.ERROR_VALUES]:
            report.errors.append(
                f"第{rownum}行：{'、'.join(broken)}是公式的错误值（如 #N/A、#REF!），请改正公式或填写实际内容。"
            )
            continue
        external_id = _text(values.pop("external_id"))
        record = _text(values.pop("pk"))
        if external_id == EXAMPLE_ID or _text(values.get("title")).startswith(EXAMPLE_TITLE_PREFIX):
            report.skipped.append(f"第{rownum}行：示例行，已跳过。")
            continue
        rows.append(Row(rownum, external_id, record, values))
    if progress:
        progress("读取", len(rows), len(rows))
    return rows


def _clean_rows(rows: list[Row], progress: Progress | None) -> list[dict[str, Any] | None]:
    """Each row's values as policy fields, or None for a row with a problem (listed later, in row order)."""
    out: list[dict[str, Any] | None] = []
    for i, row in enumerate(rows, start=1):
        try:
            out.append(services.clean_policy_values(row.values))
        except ValidationFailed:
            out.append(None)
        if progress and (i % BATCH == 0 or i == len(rows)):
            progress("校验", i, len(rows))
    return out
