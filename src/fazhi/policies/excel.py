"""Excel template, import and export of policies (openpyxl); errors are reported per row.

Contract: `template()` and `export(queryset)` return .xlsx bytes; `import_rows(data, actor=…)` checks the
upload is a real .xlsx, validates every row and saves only when every row is valid (all or nothing),
returning an ExcelReport with "第N行：…" messages. The template's example row is skipped (reported in
`skipped`); a 外部编号 used by two rows is an error.

A row is matched to an existing policy by its 系统编号 (the record number an export writes in the last
column, so policies without a 外部编号 round-trip without being duplicated), else by its 外部编号; a row
with neither is a new policy. Workbooks made from templates without the 系统编号 column still import.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from openpyxl import Workbook

from fazhi.core import spreadsheets
from fazhi.core.errors import DomainError, ValidationFailed
from fazhi.core.spreadsheets import safe_row
from fazhi.policies import services, sizing
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


@dataclass
class ExcelReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "第N行：示例行，已跳过"


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
    help_ws.append(["外部编号", "填写后按编号更新已有政策；留空则新增"])
    help_ws.append(["系统编号", "导出文件自带，导入时据此更新对应政策；新增政策留空，请勿修改"])
    help_ws.append(["日期", "写成 2026-01-05"])
    help_ws.append(["行业门类", "、".join(f"{k} {v}" for k, v in sizing.sections().items())])
    help_ws.append(["第2行", f"示例行（外部编号为“{EXAMPLE_ID}”），导入时自动跳过，可删除"])
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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
    return _save(wb)


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


def import_rows(data: bytes, *, actor: Any, name: str = "") -> ExcelReport:
    """Validate every row; save all rows only when none has an error."""
    services.require_editor(actor)
    if len(data) > MAX_BYTES:
        raise ValidationFailed("文件超过20MB，请拆分后上传。")
    wb = spreadsheets.open_workbook(data, name=name)
    ws = spreadsheets.data_sheet(wb, "惠企政策")
    rows = ws.iter_rows()
    header = [spreadsheets.cell_text(h) for h in next(rows, [])]
    expected = [h for h, _ in COLUMNS]
    missing = [h for h in expected if h not in header and h not in OPTIONAL_HEADERS]
    if missing:
        raise ValidationFailed(f"表头缺少列：{'、'.join(missing[:5])}。请下载最新模板。")
    pos = {h: header.index(h) if h in header else len(header) for h in expected}
    report = ExcelReport()
    parsed: list[tuple[int, str, Policy | None, dict[str, Any]]] = []
    seen: dict[str, int] = {}  # 外部编号 → the first row carrying it
    seen_pk: dict[int, int] = {}  # 系统编号 → the first row carrying it
    for rownum, row in enumerate(rows, start=2):
        if rownum - 1 > MAX_ROWS:
            report.errors.append(f"超过{MAX_ROWS}行，请拆分文件。")
            break
        cells = {name: (row[pos[h]] if pos[h] < len(row) else None) for h, name in COLUMNS}
        values = {name: _value(cell, name) for name, cell in cells.items()}
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
        if external_id:
            if len(external_id) > EXTERNAL_ID_MAX:
                report.errors.append(f"第{rownum}行：外部编号过长（最多{EXTERNAL_ID_MAX}个字符）。")
                continue
            if external_id in seen:
                report.errors.append(f"第{rownum}行：外部编号 {external_id} 与第{seen[external_id]}行重复。")
                continue
            seen[external_id] = rownum
        try:
            existing = _existing(record, external_id, rownum, seen_pk)
        except DomainError as exc:
            report.errors.append(f"第{rownum}行：{exc.message}")
            continue
        if found := services.problems(values):
            report.errors.append(f"第{rownum}行：{''.join(found)}")
            continue
        parsed.append((rownum, external_id, existing, values))
    if report.errors:
        return report
    with transaction.atomic():
        for _rownum, external_id, existing, values in parsed:
            if existing is not None and external_id:
                existing.external_id = external_id
            services.save_policy(actor=actor, values=values, policy=existing, external_id=external_id or None)
            if existing is not None:
                report.updated += 1
            else:
                report.created += 1
    return report


def _existing(record: str, external_id: str, rownum: int, seen_pk: dict[int, int]) -> Policy | None:
    """The policy a row updates: the one its 系统编号 names, else the one holding its 外部编号 (None: a
    new policy). Refused when the 系统编号 names no policy, when an earlier row already updates the same
    policy, or when the row's 外部编号 belongs to another policy."""
    if record:
        # isascii: "²" and other Unicode digits pass isdigit() but not int(); 18 digits keep it in range.
        if not (record.isascii() and record.isdigit() and len(record) <= 18):
            raise ValidationFailed(f"系统编号“{record[:20]}”无效：应为导出文件中的数字，新增政策请留空。")
        policy = Policy.objects.filter(pk=int(record)).first()
        if policy is None:
            raise ValidationFailed(
                f"系统编号 {record} 的政策不存在（可能已被删除）；作为新政策导入请清空系统编号。"
            )
        if external_id and external_id != policy.external_id:
            other = Policy.objects.filter(external_id=external_id).exclude(pk=policy.pk).first()
            if other is not None:
                raise ValidationFailed(f"外部编号 {external_id} 已被系统编号 {other.pk} 的政策使用。")
    elif external_id:
        policy = Policy.objects.filter(external_id=external_id).first()
    else:
        return None
    if policy is None:
        return None
    if policy.pk in seen_pk:
        raise ValidationFailed(
            f"与第{seen_pk[policy.pk]}行是同一条政策（系统编号 {policy.pk}），请合并为一行。"
        )
    seen_pk[policy.pk] = rownum
    return policy
