"""发文登记簿 reads: who may read and write, which types must be reviewed, each entry's status, the filtered
rows and the summary the 应审尽审台账 shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.core.permissions import has_role
from fazhi.review import selectors as review_selectors
from fazhi.review.models import DocType, DocTypeRule, Draft, IssuedDocument, State

READ_ROLES = (*review_selectors.LEDGER_ROLES, roles.SYSADMIN)
WRITE_ROLES = (roles.REVIEWER, roles.SYSADMIN)
READ_MESSAGE = "只有法制审核员、分管领导、监督方和系统管理员可以查看发文登记簿。"
WRITE_MESSAGE = "只有法制审核员和系统管理员可以登记、修改或导入发文登记簿。"

REVIEWED = "reviewed"
MISSED = "missed"
EXEMPT = "exempt"
NOT_REQUIRED = "not_required"
STATUSES = {
    REVIEWED: "已审查",
    MISSED: "未审查（漏审）",
    EXEMPT: "免审",
    NOT_REQUIRED: "无须审查的类型",
}


def require_reader(user: Any) -> None:
    if not has_role(user, *READ_ROLES):
        raise PermissionDenied(READ_MESSAGE)


def require_writer(user: Any) -> None:
    if not has_role(user, *WRITE_ROLES):
        raise PermissionDenied(WRITE_MESSAGE)


def review_required_types() -> set[str]:
    """The document types whose outgoing documents must pass a legality review first (the administrator's
    `DocTypeRule.review_required`; a rule left empty, or no rule, means every type except 其他文书)."""
    chosen = dict(DocTypeRule.objects.values_list("doc_type", "review_required"))
    return {
        code
        for code in DocType.values
        if (chosen.get(code) if chosen.get(code) is not None else code != DocType.OTHER)
    }


def reviewed_before(draft: Draft | None, day: dt.date) -> bool:
    """The draft's review concluded 审查通过 on or before `day` (the document's issue day)."""
    if draft is None or not draft.decided_at or draft.outcome != State.APPROVED.label:
        return False
    return timezone.localtime(draft.decided_at).date() <= day


def status_of(entry: IssuedDocument, required: set[str]) -> str:
    """已审查 / 免审 / 未审查（漏审） for a type that must be reviewed (or a document linked to a draft marked
    行政规范性文件, whatever its type); 无须审查的类型 otherwise."""
    normative = entry.draft is not None and entry.draft.needs_procedure
    if entry.doc_type not in required and not normative:
        return NOT_REQUIRED
    if reviewed_before(entry.draft, entry.issued_on):
        return REVIEWED
    if entry.exempt_reason:
        return EXEMPT
    return MISSED


@dataclass
class RegisterFilters:
    year: int | None = None
    unit: str = ""
    doc_type: str = ""
    status: str = ""
    q: str = ""


QUERY_PARAMETERS = ("year", "unit", "doc_type", "status", "q")


def parse_filters(
    *, year: Any = None, unit: Any = "", doc_type: Any = "", status: Any = "", q: Any = ""
) -> RegisterFilters:
    """Filters from query parameters; bad values → ValidationFailed naming the parameter."""
    filters = RegisterFilters(
        unit=str(unit or "").strip(),
        q=str(q or "").strip(),
        year=review_selectors.filter_year(year),
        doc_type=review_selectors.filter_doc_type(doc_type),
    )
    if status not in (None, ""):
        text = str(status).strip()
        found = next(
            (c for c, label in STATUSES.items() if text in (c, label, label.removesuffix("（漏审）"))), None
        )
        if found is None and text == "漏审":
            found = MISSED
        if found is None:
            raise ValidationFailed(f"状态“{status}”无效，可选：{'、'.join(STATUSES.values())}。")
        filters.status = found
    return filters


def filters_from_query(query: Mapping[str, Any]) -> RegisterFilters:
    """`parse_filters` over a request's query string (the page, the export and the API read the same)."""
    return parse_filters(**{name: query.get(name) for name in QUERY_PARAMETERS})


@dataclass
class RegisterRow:
    id: int
    doc_number: str
    title: str
    unit: str
    issued_on: str
    doc_type: str
    doc_type_label: str
    status: str
    status_label: str
    exempt_reason: str
    draft_id: int | None
    draft_title: str
    decided_on: str | None
    outcome: str
    source: str
    registered_by: str
    registered_at: str


def entries(filters: RegisterFilters | None = None) -> QuerySet[IssuedDocument]:
    """The register entries the filters select (all but the status, which is judged per entry)."""
    filters = filters or RegisterFilters()
    qs = IssuedDocument.objects.select_related("draft", "registered_by").order_by("-issued_on", "-pk")
    if filters.year:
        qs = qs.filter(issued_on__year=filters.year)
    if filters.unit:
        qs = qs.filter(unit__icontains=filters.unit)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(doc_number__icontains=filters.q))
    return qs


def row_of(entry: IssuedDocument, required: set[str]) -> RegisterRow:
    status = status_of(entry, required)
    draft = entry.draft
    return RegisterRow(
        id=entry.pk,
        doc_number=entry.doc_number,
        title=entry.title,
        unit=entry.unit,
        issued_on=entry.issued_on.isoformat(),
        doc_type=entry.doc_type,
        doc_type_label=entry.get_doc_type_display(),
        status=status,
        status_label=STATUSES[status],
        exempt_reason=entry.exempt_reason,
        draft_id=draft.pk if draft else None,
        draft_title=draft.title if draft else "",
        decided_on=timezone.localtime(draft.decided_at).date().isoformat()
        if draft and draft.decided_at
        else None,
        outcome=draft.outcome if draft else "",
        source=entry.get_source_display(),
        registered_by=str(entry.registered_by) if entry.registered_by else "",
        registered_at=timezone.localtime(entry.registered_at).strftime("%Y-%m-%d %H:%M"),
    )


def rows(filters: RegisterFilters | None = None) -> list[RegisterRow]:
    filters = filters or RegisterFilters()
    required = review_required_types()
    out = [row_of(entry, required) for entry in entries(filters)]
    if filters.status:
        out = [r for r in out if r.status == filters.status]
    return out


@dataclass
class Summary:
    """The 应审尽审台账's comparison with the register for one year."""

    year: int
    registered: int  # entries issued in the year
    needing_review: int  # of a type that must be reviewed, not exempt
    reviewed: int  # of those, linked to a draft approved on or before the issue day
    missed: int  # 漏审
    exempt: int

    @property
    def rate(self) -> float | None:
        return round(self.reviewed * 100 / self.needing_review, 1) if self.needing_review else None


def summary(year: int) -> Summary:
    found = rows(RegisterFilters(year=year))
    count = {key: sum(1 for r in found if r.status == key) for key in STATUSES}
    return Summary(
        year=year,
        registered=len(found),
        needing_review=count[REVIEWED] + count[MISSED],
        reviewed=count[REVIEWED],
        missed=count[MISSED],
        exempt=count[EXEMPT],
    )
