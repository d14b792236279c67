"""发文登记簿 API, mounted under /api/v1/review/: list (filters as on the page), add, change, Excel import.

Read by the ledger's readers (and 系统管理员), written by 法制审核员 and 系统管理员; both refused at the auth
stage, before the request is read.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.core.downloads import download
from fazhi.core.errors import ValidationFailed
from fazhi.core.permissions import api_auth_checked, api_user
from fazhi.review.register import excel, selectors, services
from fazhi.review.serialize import XLSX

router = Router(tags=["发文登记簿"])
reader_auth = api_auth_checked(selectors.require_reader)
writer_auth = api_auth_checked(selectors.require_writer)


class RegisterEntryIn(Schema):
    title: str
    unit: str
    issued_on: dt.date
    doc_type: str
    doc_number: str = ""
    exempt_reason: str = ""
    # The 送审文稿 that covered the document (台账编号); none: matched by 文号, else by exact title and unit.
    draft_id: int | None = None


class RegisterEntryPatch(Schema):
    """Only the fields given change; null only for draft_id (unlinks). To clear the 文号 or 免审理由 send ""."""

    title: str | None = None
    unit: str | None = None
    issued_on: dt.date | None = None
    doc_type: str | None = None
    doc_number: str | None = None
    exempt_reason: str | None = None
    draft_id: int | None = None  # null unlinks


PATCH_FIELDS = {
    "doc_number": "发文字号",
    "title": "文件标题",
    "unit": "发文单位",
    "issued_on": "印发日期",
    "doc_type": "文书类型",
    "exempt_reason": "免审理由",
    "draft_id": "关联送审文稿编号",
}


def _checked_patch(request: HttpRequest) -> None:
    """The schema ignores keys it does not know and reads null as "not given": the raw body is checked, so
    a misspelt field or a null (other than draft_id's) is refused instead of changing nothing or clearing."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return  # the schema has refused it already
    if not isinstance(body, dict):
        return
    unknown = sorted(str(k) for k in body if k not in PATCH_FIELDS)
    if unknown:
        raise ValidationFailed(
            f"不能修改的项目：{'、'.join(unknown)}。可修改的项目：{'、'.join(PATCH_FIELDS)}。"
        )
    nulls = [k for k, v in body.items() if v is None and k != "draft_id"]
    if nulls:
        shown = "、".join(f"{PATCH_FIELDS[k]}（{k}）" for k in nulls)
        raise ValidationFailed(
            f'{shown}不能为 null：要删去发文字号或免审理由请传空字符串 ""，不修改的项目请不要传。'
        )


class RegisterError(Schema):
    detail: str


def _row(entry: Any) -> dict[str, Any]:
    return vars(selectors.row_of(entry, selectors.review_required_types()))


@router.get(
    "/register",
    auth=reader_auth,
    summary="发文登记簿（筛选：year, unit, doc_type, status=reviewed|missed|exempt|not_required, q）",
    openapi_extra={
        "parameters": [
            {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
            for n in selectors.QUERY_PARAMETERS
        ]
    },
)
def list_register(request: HttpRequest) -> dict[str, Any]:
    """Each entry with its status: 已审查 (linked to a draft approved on or before the issue day), 免审,
    未审查（漏审）, or 无须审查的类型; `summary` counts the year's entries when `year` is given."""
    filters = selectors.filters_from_query(request.GET)
    items = selectors.rows(filters)
    out: dict[str, Any] = {"count": len(items), "items": [vars(r) for r in items]}
    if filters.year:
        found = selectors.summary(filters.year)
        out["summary"] = {**vars(found), "rate": found.rate}
    return out


@router.get("/register.xlsx", auth=reader_auth, summary="发文登记簿（Excel；筛选同上）")
def export_register(request: HttpRequest) -> HttpResponse:
    filters = selectors.filters_from_query(request.GET)
    return download(excel.export(selectors.rows(filters)), "发文登记簿.xlsx", XLSX)


@router.post(
    "/register",
    auth=writer_auth,
    response={201: dict, 400: RegisterError, 403: RegisterError, 409: RegisterError},
    summary="登记发文（发文字号、标题、发文单位、印发日期、文书类型、免审理由）",
)
def create_entry(request: HttpRequest, payload: RegisterEntryIn) -> Status[dict[str, Any]]:
    entry = services.create_entry(user=api_user(request), **payload.dict())
    return Status(201, _row(entry))


@router.patch(
    "/register/{int:entry_id}",
    auth=writer_auth,
    response={200: dict, 400: RegisterError, 403: RegisterError, 404: RegisterError, 409: RegisterError},
    summary='修改发文登记（只改所给的项目；draft_id 为 null 时取消关联；其余项目不接受 null，清空请传 ""）',
)
def update_entry(request: HttpRequest, entry_id: int, payload: RegisterEntryPatch) -> dict[str, Any]:
    _checked_patch(request)
    changes = payload.dict(exclude_unset=True)
    entry = services.update_entry(user=api_user(request), entry_id=entry_id, **changes)
    return _row(entry)


@router.post(
    "/register/import",
    auth=writer_auth,
    response={200: dict, 400: dict, 403: RegisterError, 409: RegisterError},
    summary="导入发文登记簿（multipart，字段 file：.xlsx；任何一行有误则不导入）",
)
def import_register(request: HttpRequest, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    data = file.read(excel.MAX_UNPACKED + 1)
    try:
        result = excel.import_register(user=api_user(request), data=data, name=file.name or "")
    except excel.ImportInvalid as exc:
        errors = [{"row": n, "message": m} for n, m in exc.errors]
        return Status(400, {"detail": exc.message, "code": exc.code, "errors": errors})
    return {**vars(result), "missed_count": len(result.missed), "message": result.message}
