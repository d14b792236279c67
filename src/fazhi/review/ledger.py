"""应审尽审台账: every draft with type, unit, state, days in review, review rounds, outcome, overdue flag, its
dates (送审, 审查结论, 公布, 备案 …) and publication (文号, 签发人; a published normative document without a 文号
is marked 未编号); statistics; Excel.

The year filter reads the registration year (`year_by=registered`, the default and the original contract) or
the publication year (`year_by=published`, what the dashboard counts as published in a year), in local time.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.core.permissions import has_role
from fazhi.core.spreadsheets import safe_row, sheet_text
from fazhi.core.workdays import Calendar
from fazhi.review import selectors
from fazhi.review.models import DocType, Draft, State


@dataclass
class LedgerRow:
    id: int
    title: str
    doc_type: str
    doc_type_label: str
    unit: str
    drafter: str
    is_normative: bool
    is_major: bool
    state: str
    state_code: str
    created_on: str
    submitted_on: str | None
    review_deadline: str | None
    days_in_review: int
    outcome: str
    overdue: bool
    published_on: str | None
    filing_deadline: str | None
    filed_on: str | None
    valid_until: str | None
    effective_on: str | None = None
    doc_number: str = ""
    signed_by: str = ""
    # A published normative document without a 文号 (统一编号, 国办发〔2018〕37号): marked 未编号.
    unnumbered: bool = False
    decided_on: str | None = None  # 审查结论日期 (审查通过 or 不予通过)
    review_rounds: int = 0  # 审查轮次: how many times the draft was submitted for review


# Which year the year filter and the statistics read: the draft's registration or its publication.
YEAR_BASES = {"registered": "按登记年度", "published": "按公布年度"}
YEAR_HEADINGS = {"registered": "登记年度", "published": "公布年度"}
UNPUBLISHED_YEAR = "未公布"


@dataclass
class LedgerFilters:
    year: int | None = None
    year_by: str = "registered"
    unit: str = ""
    doc_type: str = ""
    state: str = ""
    overdue: bool | None = None
    q: str = ""


def require_reader(user: Any) -> None:
    if not has_role(user, *selectors.LEDGER_ROLES):
        raise PermissionDenied("只有法制审核员、分管领导和监督方可以查看应审尽审台账。")


def _year_basis(value: Any) -> str:
    """registered / published, also as written on the page (按登记年度, 公布年度 …); empty → registered."""
    value = str(value or "").strip()
    if not value:
        return "registered"
    for code, label in YEAR_BASES.items():
        if value in (code, label, YEAR_HEADINGS[code]):
            return code
    choices = "、".join(f"{label}（{code}）" for code, label in YEAR_BASES.items())
    raise ValidationFailed(f"年度口径“{value}”无效，可选：{choices}。")


def parse_filters(
    *,
    year: Any = None,
    year_by: Any = "",
    unit: Any = "",
    doc_type: Any = "",
    state: Any = "",
    overdue: Any = None,
    q: Any = "",
) -> LedgerFilters:
    """Filters from query parameters; bad values → ValidationFailed with the parameter named."""
    filters = LedgerFilters(
        unit=(unit or "").strip(),
        q=(q or "").strip(),
        year_by=_year_basis(year_by),
        year=selectors.filter_year(year),
        doc_type=selectors.filter_doc_type(doc_type),
    )
    if state:
        code = next((c for c, label in State.choices if state in (c, label)), None)
        if code is None:
            raise ValidationFailed(
                f"状态“{state}”无效，可选：{'、'.join(label for _, label in State.choices)}。"
            )
        filters.state = code
    if overdue not in (None, ""):
        if isinstance(overdue, bool):
            filters.overdue = overdue
        elif str(overdue).lower() in ("1", "true", "yes", "是"):
            filters.overdue = True
        elif str(overdue).lower() in ("0", "false", "no", "否"):
            filters.overdue = False
        else:
            raise ValidationFailed(f"“超期”筛选条件“{overdue}”无效，只能选“是”或“否”。")
    return filters


QUERY_PARAMETERS = ("year", "year_by", "unit", "doc_type", "state", "overdue", "q")


def filters_from_query(query: Mapping[str, Any]) -> LedgerFilters:
    """`parse_filters` over a request's query string (the page and the API read the same parameters)."""
    return parse_filters(**{name: query.get(name) for name in QUERY_PARAMETERS})


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


LEDGER_FIELDS = (
    "title",
    "doc_type",
    "unit",
    "drafter",
    "is_normative",
    "is_major",
    "state",
    "created_at",
    "submitted_at",
    "round_submitted_at",
    "decided_at",
    "review_deadline",
    "review_days_used",
    "late_rounds",
    "outcome",
    "published_on",
    "filing_deadline",
    "filed_on",
    "valid_until",
    "effective_on",
    "doc_number",
    "signed_by",
)


def rows(filters: LedgerFilters | None = None, *, on: dt.date | None = None) -> list[LedgerRow]:
    filters = filters or LedgerFilters()
    qs = (
        Draft.objects.select_related("drafter")
        .only(*LEDGER_FIELDS, "drafter__username", "drafter__display_name")
        .annotate(rounds=Count("transitions", filter=Q(transitions__action="submit")))
        .order_by("-created_at", "-pk")
    )
    if filters.year and filters.year_by == "published":
        qs = qs.filter(published_on__year=filters.year)
    elif filters.year:
        # A datetime: Django takes the year in the current time zone (Asia/Shanghai), as the statistics do.
        qs = qs.filter(created_at__year=filters.year)
    if filters.unit:
        qs = qs.filter(unit__icontains=filters.unit)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    calendar = Calendar.load()
    day = on or selectors.today()
    type_labels, state_labels = dict(DocType.choices), dict(State.choices)
    out = []
    for draft in qs:
        overdue = selectors.is_overdue(draft, on=day)
        if filters.overdue is not None and overdue != filters.overdue:
            continue
        out.append(
            LedgerRow(
                id=draft.pk,
                title=draft.title,
                doc_type=draft.doc_type,
                doc_type_label=type_labels.get(draft.doc_type, draft.doc_type),
                unit=draft.unit,
                drafter=str(draft.drafter),
                is_normative=draft.needs_procedure,
                is_major=draft.is_major,
                state=state_labels.get(draft.state, draft.state),
                state_code=draft.state,
                created_on=_iso(draft.created_at) or "",
                submitted_on=_iso(draft.submitted_at),
                review_deadline=_iso(draft.review_deadline),
                days_in_review=selectors.days_in_review(draft, calendar=calendar, on=day),
                outcome=draft.outcome,
                overdue=overdue,
                published_on=_iso(draft.published_on),
                filing_deadline=_iso(draft.filing_deadline),
                filed_on=_iso(draft.filed_on),
                valid_until=_iso(draft.valid_until),
                effective_on=_iso(draft.effective_on),
                doc_number=draft.doc_number,
                signed_by=draft.signed_by,
                unnumbered=draft.needs_procedure and draft.published_on is not None and not draft.doc_number,
                decided_on=_iso(draft.decided_at),
                review_rounds=draft.rounds,  # type: ignore[attr-defined]  # the annotation above
            )
        )
    return out


@dataclass
class StatRow:
    year: int | None  # None: not published, when the statistics count publication years
    unit: str
    count: int
    decided: int
    passed: int
    pass_rate: float | None  # passed ÷ decided (审查通过 ÷ 作出结论), None before any decision
    average_days: float | None  # average working days in review of decided drafts
    overdue: int


def _year_of(row: LedgerRow, year_by: str) -> int | None:
    day = row.published_on if year_by == "published" else row.created_on
    return int(day[:4]) if day else None


def statistics(items: list[LedgerRow], *, year_by: str = "registered") -> list[StatRow]:
    """Per year (of registration, or of publication with `year_by="published"`, the unpublished ones last) and
    unit: count, pass rate, average days in review, overdue count."""
    groups: dict[tuple[int | None, str], list[LedgerRow]] = defaultdict(list)
    for row in items:
        groups[(_year_of(row, year_by), row.unit)].append(row)
    out = []
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0] is None, -(kv[0][0] or 0), kv[0][1]))
    for (year, unit), members in ordered:
        decided = [r for r in members if r.outcome]
        passed = [r for r in decided if r.outcome == State.APPROVED.label]
        out.append(
            StatRow(
                year=year,
                unit=unit,
                count=len(members),
                decided=len(decided),
                passed=len(passed),
                pass_rate=round(len(passed) / len(decided), 4) if decided else None,
                average_days=round(sum(r.days_in_review for r in decided) / len(decided), 1)
                if decided
                else None,
                overdue=sum(1 for r in members if r.overdue),
            )
        )
    return out


HEADERS = [
    ("id", "编号"),
    ("title", "文稿标题"),
    ("doc_type_label", "文书类型"),
    ("unit", "起草单位"),
    ("drafter", "起草人"),
    ("is_normative", "规范性文件"),
    ("is_major", "重大"),
    ("state", "状态"),
    ("created_on", "登记日期"),
    ("submitted_on", "送审日期"),
    ("review_deadline", "审查期限"),
    ("days_in_review", "审查用时（工作日）"),
    ("review_rounds", "审查轮次"),
    ("outcome", "审查结论"),
    ("decided_on", "审查结论日期"),
    ("overdue", "超期"),
    ("published_on", "公布日期"),
    ("filing_deadline", "备案期限"),
    ("filed_on", "备案日期"),
    ("valid_until", "有效期至"),
    ("effective_on", "施行日期"),
    ("doc_number", "发文字号"),
    ("signed_by", "签发人"),
]
UNNUMBERED = "未编号"
# Columns written as real dates (the rows carry them as ISO text, as the API does).
DATE_KEYS = frozenset(
    ("created_on", "submitted_on", "review_deadline", "decided_on", "published_on", "filing_deadline")
    + ("filed_on", "valid_until", "effective_on")
)
DATE_FORMAT = "yyyy-mm-dd"


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value if value is not None else ""


def _row_cells(sheet: Any, data: dict[str, Any], keys: list[str]) -> list[Any]:
    """One ledger row as cells: dates as date cells shown yyyy-mm-dd, text as typed (`safe_row` holds text
    that looks like a formula as text). Every value is a cell of its own: a write-only sheet would carry a
    date cell's number format on to a plain value that follows it."""
    cells = []
    for key in keys:
        value = sheet_text(_cell(data[key]))
        if key in DATE_KEYS and value:
            cell = WriteOnlyCell(sheet, value=dt.date.fromisoformat(value))
            cell.number_format = DATE_FORMAT
        else:
            cell = WriteOnlyCell(sheet, value=value)
        cells.append(cell)
    return safe_row(sheet, cells)


def _bold_row(sheet: Any, labels: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def xlsx(items: list[LedgerRow], *, year_by: str = "registered") -> bytes:
    """The ledger and its statistics as an Excel workbook (sheets 台账 and 统计), written in streaming mode; the
    statistics count the years `year_by` says (registration or publication) and say so in their heading."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("台账")
    for col in range(1, len(HEADERS) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 40 if col == 2 else 14
    sheet.freeze_panes = "A2"
    sheet.append(_bold_row(sheet, [label for _, label in HEADERS]))
    keys = [key for key, _ in HEADERS]
    for row in items:
        data = vars(row)
        if row.unnumbered:
            data = {**data, "doc_number": UNNUMBERED}
        sheet.append(_row_cells(sheet, data, keys))
    stats = wb.create_sheet("统计")
    stats.append(
        _bold_row(
            stats,
            [
                YEAR_HEADINGS.get(year_by, YEAR_HEADINGS["registered"]),
                "起草单位",
                "件数",
                "作出结论",
                "审查通过",
                "通过率",
                "平均审查用时（工作日）",
                "超期件数",
            ],
        )
    )
    for s in statistics(items, year_by=year_by):
        stats.append(
            safe_row(
                stats,
                [
                    s.year if s.year is not None else UNPUBLISHED_YEAR,
                    s.unit,
                    s.count,
                    s.decided,
                    s.passed,
                    f"{s.pass_rate:.1%}" if s.pass_rate is not None else "—",
                    s.average_days if s.average_days is not None else "—",
                    s.overdue,
                ],
            )
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def doc_type_choices() -> list[tuple[str, str]]:
    return list(DocType.choices)
