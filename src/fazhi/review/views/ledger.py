"""应审尽审台账 pages: the ledger with filters and statistics, its comparison with the 发文登记簿, and its Excel
export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import paging
from fazhi.core.downloads import download
from fazhi.core.errors import DomainError
from fazhi.core.permissions import role_required
from fazhi.review import ledger, selectors
from fazhi.review.models import DocType, State
from fazhi.review.register import selectors as register
from fazhi.review.serialize import XLSX

PAGE_SIZE = 50  # drafts listed per page; the statistics and the Excel export cover every filtered draft


def _ledger_items(request: HttpRequest) -> tuple[ledger.LedgerFilters | None, list, str]:
    try:
        filters = ledger.filters_from_query(request.GET)
    except DomainError as exc:
        return None, [], exc.message
    return filters, ledger.rows(filters), ""


@role_required(*selectors.LEDGER_ROLES)
def ledger_page(request: HttpRequest) -> HttpResponse:
    filters, items, error = _ledger_items(request)
    # A page past the last one (or an unreadable ?page=) shows the last (first) page, never an error.
    page, querystring = paging.page_of(request, items, PAGE_SIZE)
    year_by = filters.year_by if filters else "registered"
    context = {
        "items": items,
        "page": page,
        "stats": ledger.statistics(items, year_by=year_by),
        "error": error,
        "filters": request.GET,
        "doc_types": DocType.choices,
        "states": State.choices,
        "year_bases": list(ledger.YEAR_BASES.items()),
        "year_by": year_by if filters else request.GET.get("year_by", ""),  # a refused filter stays selected
        "year_heading": ledger.YEAR_HEADINGS[year_by],
        "querystring": querystring,
        # 发文登记簿 beside the ledger: the filtered year, else this year.
        "register": register.summary(filters.year if filters and filters.year else selectors.today().year),
    }
    return render(request, "review/ledger.html", context, status=400 if error else 200)


@role_required(*selectors.LEDGER_ROLES)
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    filters, items, error = _ledger_items(request)
    if error:
        no_rows: list[ledger.LedgerRow] = []
        context = {
            "error": error,
            "items": no_rows,
            "page": Paginator(no_rows, PAGE_SIZE).get_page(1),
            "stats": [],
            "year_bases": list(ledger.YEAR_BASES.items()),
            "year_by": request.GET.get("year_by", ""),
        }
        return render(request, "review/ledger.html", context, status=400)
    assert filters is not None  # no error
    return download(ledger.xlsx(items, year_by=filters.year_by), "应审尽审台账.xlsx", XLSX)
