"""发文登记簿 pages: the register with filters and its Excel export, the form to add or change an entry, and
the Excel import with its template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core import paging
from fazhi.core.downloads import download
from fazhi.core.errors import DomainError
from fazhi.core.permissions import has_role, role_required
from fazhi.review.models import DocType, IssuedDocument
from fazhi.review.register import excel, selectors, services
from fazhi.review.serialize import XLSX

PAGE_SIZE = 50
LIST_URL = "/review/register/"


def _rows(request: HttpRequest) -> tuple[selectors.RegisterFilters | None, list, str]:
    try:
        filters = selectors.filters_from_query(request.GET)
    except DomainError as exc:
        return None, [], exc.message
    return filters, selectors.rows(filters), ""


@role_required(*selectors.READ_ROLES)
def register_list(request: HttpRequest) -> HttpResponse:
    filters, items, error = _rows(request)
    page, querystring = paging.page_of(request, items, PAGE_SIZE)
    context = {
        "page": page,
        "error": error,
        "filters": request.GET,
        "doc_types": DocType.choices,
        "statuses": list(selectors.STATUSES.items()),
        "summary": selectors.summary(filters.year) if filters and filters.year else None,
        "can_write": has_role(request.user, *selectors.WRITE_ROLES),
        "querystring": querystring,
    }
    return render(request, "review/register.html", context, status=400 if error else 200)


@role_required(*selectors.READ_ROLES)
def register_xlsx(request: HttpRequest) -> HttpResponse:
    filters, items, error = _rows(request)
    if error:
        messages.error(request, error)
        return redirect(LIST_URL)
    return download(excel.export(items), "发文登记簿.xlsx", XLSX)


@role_required(*selectors.WRITE_ROLES)
def register_template(request: HttpRequest) -> HttpResponse:
    return download(excel.template(), "发文登记簿导入模板.xlsx", XLSX)


def _form_values(post: Any) -> dict[str, Any]:
    return {name: post.get(name, "") for name in services.FIELDS}


def _form(
    request: HttpRequest, entry: IssuedDocument | None, data: Any, error: str, field: str = ""
) -> HttpResponse:
    """The form; a refusal's message is shown above it and the field it is about (if known) marked."""
    context = {
        "entry": entry,
        "data": data,
        "error": error,
        "error_field": field,
        "doc_types": DocType.choices,
        "required_types": sorted(selectors.review_required_types()),
    }
    return render(request, "review/register_form.html", context, status=400 if error else 200)


@role_required(*selectors.WRITE_ROLES)
def register_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form(request, None, {}, "")
    draft_id = request.POST.get("draft_id", "").strip() or None
    try:
        entry = services.create_entry(user=request.user, draft_id=draft_id, **_form_values(request.POST))
    except DomainError as exc:
        return _form(request, None, request.POST, exc.message, getattr(exc, "field", ""))
    messages.success(request, f"已登记《{entry.title}》。")
    return redirect(f"{LIST_URL}?year={entry.issued_on.year}")


@role_required(*selectors.WRITE_ROLES)
def register_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = IssuedDocument.objects.select_related("draft").filter(pk=entry_id).first()
    if entry is None:
        raise Http404(f"发文登记 {entry_id} 不存在。")
    if request.method != "POST":
        data = {name: getattr(entry, name) for name in services.FIELDS}
        data["issued_on"] = entry.issued_on.isoformat()
        data["draft_id"] = entry.draft_id or ""
        return _form(request, entry, data, "")
    changes: dict[str, Any] = _form_values(request.POST)
    if request.POST.get("unlink"):
        changes["draft_id"] = None
    elif request.POST.get("draft_id", "").strip():
        changes["draft_id"] = request.POST["draft_id"].strip()
    try:
        saved = services.update_entry(user=request.user, entry_id=entry.pk, **changes)
    except DomainError as exc:
        return _form(request, entry, request.POST, exc.message, getattr(exc, "field", ""))
    messages.success(request, f"已保存《{saved.title}》的发文登记。")
    return redirect(f"{LIST_URL}?year={saved.issued_on.year}")  # the year it is now issued in


@role_required(*selectors.WRITE_ROLES)
def register_import(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"max_rows": excel.MAX_ROWS, "columns": excel.COLUMNS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError("请选择要导入的 Excel（.xlsx）文件。")
            result = excel.import_register(
                user=request.user, data=upload.read(excel.MAX_UNPACKED + 1), name=upload.name or ""
            )
        except excel.ImportInvalid as exc:
            context.update(
                error=f"共 {len(exc.errors)} 行有误，未导入任何数据。请改正后重新上传。",
                row_errors=exc.errors,
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            context["result"] = result
        status = 400 if context.get("error") else 200
        return render(request, "review/register_import.html", context, status=status)
    return render(request, "review/register_import.html", context)
