"""Question files: uploads (JSON / JSON Lines / Excel) and the shared demo files (JEC-QA, DISC-Law-Eval).

Each reader returns numbered rows `(row_number, dict)` for `bank.import_questions`.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fazhi.core import spreadsheets, uploads
from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import QuestionType
from fazhi.exams.services.bank import NOT_OBJECT, TYPE_ALIASES

# --- the upload, checked before it is queued --------------------------------------------------------

ACCEPTED = "JSON（.json，或每行一题的 .jsonl）或 Excel 工作簿（.xlsx）"
JSON_SUFFIXES = (".json", ".jsonl")
EXCEL_SUFFIXES = (".xlsx", ".xls", ".et")  # an old .xls/.et is told how to save it as .xlsx


def check_upload(*, name: str, content: bytes) -> None:
    """Refuse, with what to do, a file the import could never read: an empty file, a name that is not a
    question file, an "Excel" file that is no workbook, a "JSON" file that is no JSON text. The rows are
    checked later, in the 后台任务."""
    who = uploads.called(name)
    if not content.strip():
        raise ValidationFailed(f"{who}是空文件，请选择填写好的试题文件：{ACCEPTED}。")
    suffix = Path(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES or content[:4] == b"PK\x03\x04" or content.startswith(uploads.OLE_MAGIC):
        spreadsheets.open_workbook(content, name=name).close()  # the core's reasons and advice
        return
    if suffix not in JSON_SUFFIXES:
        hint = "；CSV 文件请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）" if suffix == ".csv" else ""
        raise ValidationFailed(f"{who}不是可导入的试题文件。只能导入{ACCEPTED}{hint}。")
    try:
        text = content.decode("utf-8-sig").lstrip()
    except UnicodeDecodeError:
        raise ValidationFailed(
            f"{who}不是 UTF-8 编码的 JSON 文本。请用 UTF-8 编码保存后重新上传，或改用 Excel 工作簿（.xlsx）。"
        ) from None
    if text[:1] not in ("[", "{") and not _is_json(text.split("\n", 1)[0]):
        raise ValidationFailed(
            f"{who}的内容不是 JSON 试题：应为以“[”开头的试题数组、含 questions 数组的对象，或每行一道试题的"
            f" JSON Lines。只能导入{ACCEPTED}。"
        )


def _is_json(line: str) -> bool:
    """Whether a line is a JSON value (a JSON Lines file whose lines are no objects gets row errors later)."""
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


# --- parsers ---------------------------------------------------------------------------------------


def parse_upload(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """An uploaded file by its content: an .xlsx workbook (zip) or JSON / JSON Lines."""
    if content[:4] == b"PK\x03\x04" or content.startswith(uploads.OLE_MAGIC):
        return parse_excel(content)  # an old .xls or a locked workbook is told what to do there
    return parse_json(content)


def parse_json(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """A JSON array (or {"questions": [...]}) → numbered rows; JSON Lines are numbered by line."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("文件不是 UTF-8 编码的 JSON，也不是 Excel 工作簿") from None
    stripped = text.strip()
    if not stripped:
        raise ValidationFailed("文件为空")
    if stripped[0] in "[{" and not (stripped[0] == "{" and "\n{" in stripped):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            if stripped[0] == "[":
                raise ValidationFailed(
                    f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列附近有语法错误"
                ) from None
            data = None  # "{…}" followed by other lines: JSON Lines, read below line by line
        if data is not None:
            if isinstance(data, dict):
                data = data.get("questions")
            if not isinstance(data, list):
                raise ValidationFailed("JSON 应为试题数组，或含 questions 数组的对象")
            return [_row(i, d) for i, d in enumerate(data, start=1)]
    rows = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(_row(i, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ValidationFailed(f"第{i}行不是合法的 JSON（第{exc.colno}列附近有语法错误）") from None
    return rows


def _row(number: int, item: Any) -> tuple[int, dict[str, Any]]:
    """A numbered row; an item that is not an object becomes a row error instead of a crash later."""
    return (number, item if isinstance(item, dict) else {"_error": NOT_OBJECT})


EXCEL_COLUMNS = {
    "题型": "type",
    "题干": "stem",
    "答案": "answer",
    "解析": "explanation",
    "难度": "difficulty",
    "知识点": "knowledge_points",
    "关联法条": "articles",
    "所属法规": "law",
    "来源": "source",
    "案例编号": "case_key",
    "所属案例": "parent_key",
}


EXCEL_SHEET = "试题"  # the sheet read when a workbook has one of that name


def parse_excel(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The sheet 试题, else the sheet open when the file was saved, else the first visible one (never a
    hidden sheet: an old copy or a lookup list); header row 题型/题干/选项A…/答案/解析/难度/知识点/关联法条/
    所属法规/案例编号/所属案例.

    A case question is a row of type 案例 with a 案例编号; its sub-questions follow with 所属案例 = that number.
    """
    wb = spreadsheets.open_workbook(content)  # Chinese reasons for .xls, encrypted, damaged, zip bombs
    try:
        ws = spreadsheets.data_sheet(wb, EXCEL_SHEET)
    except ValidationFailed:
        wb.close()
        raise
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if not header:
        wb.close()
        raise ValidationFailed(f"工作表“{ws.title}”为空")
    names = [str(h or "").strip() for h in header]
    if "题型" not in names or "题干" not in names:
        wb.close()
        raise ValidationFailed(f"工作表“{ws.title}”的第一行须为表头，包含“题型”和“题干”列")
    rows: list[tuple[int, dict[str, Any]]] = []
    cases: dict[str, dict[str, Any]] = {}
    for row_no, values in enumerate(it, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        data: dict[str, Any] = {"options": {}}
        for name, value in zip(names, values, strict=False):
            text = spreadsheets.cell_text(value)  # 3.0 → "3", a date cell → 2026-01-05
            if name in EXCEL_COLUMNS:
                data[EXCEL_COLUMNS[name]] = text
            else:
                m = re.fullmatch(r"(?:选项)?([A-Ha-h])", name)
                if m and text:
                    data["options"][m.group(1).upper()] = text
        parent_key = data.pop("parent_key", "")
        case_key = data.pop("case_key", "")
        if parent_key:
            parent = cases.get(parent_key)
            if parent is None:
                rows.append((row_no, {"_error": f"所属案例“{parent_key}”在本行之前没有出现（先写案例题行）"}))
                continue
            parent["sub_questions"].append(data)
            continue
        if TYPE_ALIASES.get(data.get("type", "")) == QuestionType.CASE:
            data["sub_questions"] = []
            if case_key:
                cases[case_key] = data
        rows.append((row_no, data))
    wb.close()
    return rows


def jecqa_rows(path: Path, limit: int | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """JEC-QA items (shared demo data): one answer → 单选题, several → 多选题. Not our content."""
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if limit is not None and i > limit:
                return
            if not line.strip():
                continue
            item = json.loads(line)
            answer = item.get("answer") or []
            yield (
                i,
                {
                    "type": "multiple" if len(answer) > 1 else "single",
                    "stem": item.get("statement", ""),
                    "options": item.get("option_list") or {},
                    "answer": answer,
                    "knowledge_points": [item.get("subject") or "行政法与行政诉讼法"],
                    "source": f"JEC-QA {item.get('id', '')}",
                },
            )


def disc_rows(path: Path, limit: int | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """DISC-Law-Eval single-choice CSV (input, output, A–D, source). Not our content."""
    point = "公务员考试法律常识" if "civil-service" in path.name else "法律基础知识"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for i, item in enumerate(csv.DictReader(fh), start=2):
            if limit is not None and i - 1 > limit:
                return
            yield (
                i,
                {
                    "type": "single",
                    "stem": item.get("input", ""),
                    "options": {k: item.get(k, "") for k in "ABCD" if item.get(k)},
                    "answer": (item.get("output") or "").strip(),
                    "knowledge_points": [point],
                    "source": f"DISC-Law-Eval {path.stem} 第{i}行",
                },
            )


def shared_file(name: str) -> Path:
    from django.conf import settings

    return Path(settings.FAZHI_DATA_DIR) / "questions" / name


def rows_for_format(path: Path, fmt: str, limit: int | None = None) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a file in one of the formats json, excel, jecqa, disc, auto."""
    if fmt == "jecqa" or (fmt == "auto" and path.name.startswith("jecqa")):
        return list(jecqa_rows(path, limit))
    if fmt == "disc" or (fmt == "auto" and path.name.startswith("disc-")):
        return list(disc_rows(path, limit))
    content = path.read_bytes()
    if fmt == "excel":
        return parse_excel(content)[:limit]
    if fmt == "json":
        return parse_json(content)[:limit]
    return parse_upload(content)[:limit]
