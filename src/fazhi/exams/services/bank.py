"""题库: validate questions, import them from JSON / Excel / the shared demo files, detect duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from fazhi.core import audit
from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import check_length
from fazhi.exams.models import Question, QuestionType
from fazhi.exams.models.bank import fingerprint
from fazhi.exams.services import bank_write
from fazhi.exams.services.bank_write import short as _short

LETTERS = "ABCDEFGH"
JUDGE_OPTIONS = {"A": "正确", "B": "错误"}
MAX_STEM = 5000
MAX_EXPLANATION = 5000  # 解析
MAX_OPTION = 1000  # one option of a choice question
MAX_SOURCE = 200  # Question.source max_length (SQLite does not enforce it)
MAX_POINT = 100  # one 知识点 of a question
MAX_POINT_DESCRIPTION = 1000  # 说明 of a 知识点 (a TextField written in the admin): refused beyond it
MAX_ROWS = 20000

TYPE_ALIASES = {
    "single": QuestionType.SINGLE,
    "单选": QuestionType.SINGLE,
    "单选题": QuestionType.SINGLE,
    "multiple": QuestionType.MULTIPLE,
    "多选": QuestionType.MULTIPLE,
    "多选题": QuestionType.MULTIPLE,
    "judge": QuestionType.JUDGE,
    "判断": QuestionType.JUDGE,
    "判断题": QuestionType.JUDGE,
    "case": QuestionType.CASE,
    "案例": QuestionType.CASE,
    "案例题": QuestionType.CASE,
    "案例分析题": QuestionType.CASE,
}
JUDGE_ALIASES = {"正确": "A", "对": "A", "√": "A", "是": "A", "TRUE": "A", "T": "A",
                 "错误": "B", "错": "B", "×": "B", "否": "B", "FALSE": "B", "F": "B"}  # fmt: skip
_SPLIT = re.compile(r"[,，、;；\s]+")


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}"


@dataclass
class ImportReport:
    created: int = 0
    duplicates: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    dry_run: bool = False
    would_create: int = 0  # questions a real import of the file would add (set in both modes)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"共 {self.total} 行，{len(self.errors)} 行有错误，未导入任何试题。"
        if self.dry_run:
            return (
                f"共 {self.total} 行，可新增 {self.would_create} 题，跳过重复 {len(self.duplicates)} 题"
                "（只检查，未导入）。"
            )
        return f"共 {self.total} 行，新增 {self.created} 题，跳过重复 {len(self.duplicates)} 题。"


# --- validation ------------------------------------------------------------------------------------

NOT_OBJECT = '不是试题对象（应为 {"type": …, "stem": …} 形式）'


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _text(value: Any, label: str) -> str:
    """A text field: a string (or a plain number, e.g. an option "100"); a list or object is refused."""
    if value is None:
        return ""
    if not _is_scalar(value):
        raise ValidationFailed(f"{label}应为文字")
    return str(value).strip()


def _as_list(value: Any, label: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        if not all(_is_scalar(v) for v in value):
            raise ValidationFailed(f"{label}应为文字或文字列表")
        return [str(v).strip() for v in value if str(v).strip()]
    if not _is_scalar(value):
        raise ValidationFailed(f"{label}应为文字或文字列表")
    return [v for v in _SPLIT.split(str(value).strip()) if v]


def _limited(value: str, label: str, limit: int) -> str:
    """A text within `limit` characters, else refused (never cut)."""
    return check_length(value, label, limit)


def _option_text(value: Any, letter: str) -> str:
    return _limited(_text(value, "选项"), f"选项 {_short(letter)}", MAX_OPTION)


def _options(value: Any) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if isinstance(value, list | tuple):
        if len(value) > len(LETTERS):
            raise ValidationFailed(f"选项最多 {len(LETTERS)} 个")
        return {LETTERS[i]: _option_text(v, LETTERS[i]) for i, v in enumerate(value)}
    if isinstance(value, dict):
        return {str(k).strip().upper(): _option_text(v, str(k).strip().upper()) for k, v in value.items()}
    raise ValidationFailed('选项格式不正确，应为 {"A": "…"} 或列表')


def _difficulty(value: Any) -> int:
    """1–5; 3 when empty. 4.0 is 4, but 4.9 is refused rather than cut to 4."""
    if value is None or value == "":
        return 3
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    shown = f"“{_short(value)}”" if _is_scalar(value) else ""
    raise ValidationFailed(f"难度{shown}应为 1 到 5 的整数")


def _answer(value: Any, qtype: str) -> list[str]:
    if isinstance(value, str) and qtype != QuestionType.JUDGE and re.fullmatch(r"[A-Ha-h]+", value.strip()):
        return sorted(set(value.strip().upper()))
    items = _as_list(value, "答案")
    if qtype == QuestionType.JUDGE:
        return [JUDGE_ALIASES.get(i.upper(), JUDGE_ALIASES.get(i, i.upper())) for i in items]
    return sorted({i.upper() for i in items})


def clean_question(
    data: dict[str, Any], *, allow_case: bool = True, sub_questions_apart: bool = False
) -> dict[str, Any]:
    """Check one question (a dict from JSON, Excel or a form) and return its normalised fields.

    Raises ValidationFailed with a Chinese message naming the problem. `sub_questions_apart`: a 案例题's
    sub-questions are checked one by one elsewhere (the admin's rows, each through this function), so only
    the case's own fields (题干, 解析, 难度, 来源) are checked here, with the same limits and wording.
    """
    raw_type = data.get("type")
    if raw_type is not None and not isinstance(raw_type, str):
        raise ValidationFailed("题型应为文字：单选/多选/判断/案例")
    raw_type = (raw_type or "").strip()
    qtype = TYPE_ALIASES.get(raw_type) or TYPE_ALIASES.get(raw_type.lower())
    if qtype is None:
        raise ValidationFailed(f"题型“{_short(raw_type) or '（空）'}”无效，应为 单选/多选/判断/案例")
    if qtype == QuestionType.CASE and not allow_case:
        raise ValidationFailed("案例题的小题不能再是案例题")
    stem = _text(data.get("stem"), "题干")
    if not stem:
        raise ValidationFailed("题干不能为空")
    check_length(stem, "题干", MAX_STEM)
    difficulty = _difficulty(data.get("difficulty"))
    if not 1 <= difficulty <= 5:
        raise ValidationFailed(f"难度 {_short(difficulty)} 超出范围，应为 1 到 5")
    points = [p for p in _as_list(data.get("knowledge_points"), "知识点") if p]
    for p in points:
        check_length(p, f"知识点“{p[:20]}…”", MAX_POINT)
    cleaned: dict[str, Any] = {
        "type": str(qtype),
        "stem": stem,
        "explanation": _limited(_text(data.get("explanation"), "解析"), "解析", MAX_EXPLANATION),
        "difficulty": difficulty,
        "knowledge_points": points,
        "articles": _as_list(data.get("articles"), "关联法条"),
        "law": _text(data.get("law"), "所属法规"),
        "source": _limited(_text(data.get("source"), "来源"), "来源", MAX_SOURCE),
        "options": {},
        "answer": [],
        "sub_questions": [],
    }
    if qtype == QuestionType.CASE:
        if sub_questions_apart:
            return cleaned
        subs = data.get("sub_questions") or []
        if not isinstance(subs, list) or not subs:
            raise ValidationFailed("案例题至少要有一道小题（sub_questions）")
        cleaned_subs = []
        for i, sub in enumerate(subs, start=1):
            try:
                if not isinstance(sub, dict):
                    raise ValidationFailed(NOT_OBJECT)
                cleaned_subs.append(clean_question(dict(sub), allow_case=False))
            except ValidationFailed as exc:
                raise ValidationFailed(f"第{i}小题：{exc.message}") from None
        cleaned["sub_questions"] = cleaned_subs
        return cleaned
    if qtype == QuestionType.JUDGE:
        options = dict(JUDGE_OPTIONS)
    else:
        options = {k: v for k, v in _options(data.get("options")).items() if v}
        keys = sorted(options)
        if len(keys) < 2:
            raise ValidationFailed("选择题至少需要两个选项")
        if keys != list(LETTERS[: len(keys)]):
            raise ValidationFailed(f"选项字母应从 A 起连续，实际为 {_short('、'.join(keys), 40)}")
    answer = _answer(data.get("answer"), qtype)
    if not answer:
        raise ValidationFailed("缺少答案")
    unknown = [a for a in answer if a not in options]
    if unknown:
        raise ValidationFailed(f"答案 {_short('、'.join(unknown))} 不在选项 {'、'.join(sorted(options))} 中")
    if qtype in (QuestionType.SINGLE, QuestionType.JUDGE) and len(answer) != 1:
        raise ValidationFailed(
            f"{QuestionType(qtype).label}只能有一个正确答案，实际为 {_short(''.join(answer))}"
        )
    if qtype == QuestionType.MULTIPLE and len(answer) < 2:
        raise ValidationFailed("多选题至少要有两个正确答案（只有一个答案的请标为单选题）")
    cleaned["options"] = options
    cleaned["answer"] = answer
    return cleaned


def create_question(*, data: dict[str, Any]) -> Question:
    """Add one question (with sub-questions for a case); refuses a duplicate."""
    cleaned = clean_question(data)
    if Question.objects.filter(
        parent__isnull=True, fingerprint=fingerprint(cleaned["stem"], cleaned["options"])
    ).exists():
        raise ValidationFailed("题库中已有相同的试题（题干和选项相同）")
    item = bank_write.prepare(cleaned, bank_write.Links.of([cleaned]))
    with transaction.atomic():
        return bank_write.write([item])[0]


def import_questions(
    *,
    rows: Iterable[tuple[int, dict[str, Any]]],
    dry_run: bool = False,
    progress: bank_write.Progress | None = None,
) -> ImportReport:
    """Validate every row first; if any row is wrong nothing is imported and every error is listed.

    Rows whose stem and options already exist (in the bank or earlier in the file) are skipped as duplicates.
    The links of all rows are looked up together, and the questions are written in bulk; `progress(stage,
    done, total)` hears 校验 and 保存.
    """
    report = ImportReport(dry_run=dry_run)
    rows = list(rows)
    cleaned_rows: list[tuple[int, dict[str, Any]]] = []
    for i, (row_no, data) in enumerate(rows, start=1):
        report.total += 1
        if report.total > MAX_ROWS:
            report.errors.append(RowError(row_no, f"单次最多导入 {MAX_ROWS} 行"))
            break
        if progress and i % bank_write.BATCH == 0:
            progress("校验", i, len(rows))
        try:
            if not isinstance(data, dict):
                raise ValidationFailed(NOT_OBJECT)
            if "_error" in data:
                raise ValidationFailed(data["_error"])
            cleaned_rows.append((row_no, clean_question(data)))
        except ValidationFailed as exc:
            report.errors.append(RowError(row_no, exc.message))
    links = bank_write.Links.of(cleaned for _, cleaned in cleaned_rows)
    prepared: list[tuple[int, bank_write.Item]] = []
    seen: dict[str, int] = {}
    for row_no, cleaned in cleaned_rows:
        try:
            item = bank_write.prepare(cleaned, links)
        except ValidationFailed as exc:
            report.errors.append(RowError(row_no, exc.message))
            continue
        key = fingerprint(cleaned["stem"], cleaned["options"])
        if key in seen:
            report.duplicates.append(row_no)
            continue
        seen[key] = row_no
        prepared.append((row_no, item))
    report.errors.sort(key=lambda e: e.row)  # format errors and link errors, in the file's order
    if progress:
        progress("校验", min(len(rows), report.total), min(len(rows), report.total))
    existing = set(
        Question.objects.filter(parent__isnull=True, fingerprint__in=list(seen)).values_list(
            "fingerprint", flat=True
        )
    )
    fresh = []
    for row_no, item in prepared:
        if fingerprint(item.cleaned["stem"], item.cleaned["options"]) in existing:
            report.duplicates.append(row_no)
        else:
            fresh.append(item)
    report.duplicates.sort()
    report.would_create = len(fresh)
    if report.errors or dry_run:
        return report
    if progress:  # what follows runs in one transaction: its progress is seen only when it commits
        progress("保存", 0, len(fresh))
    with transaction.atomic(), audit.suspended():
        bank_write.write(fresh, progress=progress)
        report.created = len(fresh)
    if report.created:
        audit.record(
            action="import",
            object_type="exams.Question",
            after={"created": report.created, "duplicates": len(report.duplicates), "rows": report.total},
            comment="导入试题",
        )
    return report
