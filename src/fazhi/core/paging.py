"""Paging limits shared by the search pages and APIs (policies, laws, cases).

A search engine asked for result `offset + limit` keeps that many hits in memory: Tantivy allocates for
`limit + offset` up front, and `?page=99999999999999` once made it ask for 96 PB and abort the worker.
Every paged search therefore stops at MAX_RESULTS: the APIs answer 400 past it, the pages show the last
page they can reach.

Contract:
- `check_window(offset=, limit=, max_limit=)` raises ValidationFailed (400, Chinese) for limit < 1,
  offset < 0, or offset + limit > MAX_RESULTS; a limit above `max_limit` is cut to it (documented).
- `page_number(raw)` reads a page number from a query string: missing, non-numeric or < 1 → 1.
- `reachable_pages(total, per_page)` is the number of pages a list can show (at least 1).
- `page_of(request, items, per_page)` → (the requested page of a list page, the query string without
  `page` for the pager's links); a page past the last shows the last. The template `core/_pager.html`
  draws the links (include it with `page`, `querystring`, and optionally `pager_label`, `pager_unit`).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from fazhi.core.errors import ValidationFailed

MAX_RESULTS = 10_000  # deepest result any paged search returns (offset + limit)


def deep_paging_message(max_results: int | None = None) -> str:
    return f"最多只能翻到第 {max_results or MAX_RESULTS} 条结果，请缩小检索范围。"


def limit_message(max_limit: int) -> str:
    return f"limit 须为 1–{max_limit} 的整数（超过 {max_limit} 按 {max_limit} 返回）。"


def check_window(*, offset: int, limit: int, max_limit: int, max_results: int | None = None) -> int:
    """The limit to use (cut to `max_limit`); ValidationFailed for a window that cannot be served."""
    max_results = max_results or MAX_RESULTS
    if limit < 1:
        raise ValidationFailed(limit_message(max_limit))
    limit = min(limit, max_limit)
    if offset < 0:
        raise ValidationFailed("offset 不能为负数。")
    if offset + limit > max_results:
        raise ValidationFailed(deep_paging_message(max_results))
    return limit


def page_number(raw: object) -> int:
    """A 1-based page number from a query string value; anything unreadable is page 1, a number too long
    for int() (thousands of digits) is simply a very large page."""
    text = str(raw).strip()
    if text.isascii() and text.isdigit() and len(text) > 18:
        return 10**18
    try:
        number = int(text)
    except ValueError:  # "abc", "", "1.5"
        return 1
    return max(1, number)


def max_page(per_page: int, max_results: int | None = None) -> int:
    """The deepest page whose results all lie within `max_results`."""
    return max(1, (max_results or MAX_RESULTS) // per_page)


def reachable_pages(total: int, per_page: int, max_results: int | None = None) -> int:
    """Pages a list of `total` results can show (at least 1, at most `max_page`)."""
    return max(1, min((total + per_page - 1) // per_page, max_page(per_page, max_results)))


def page_of(request: HttpRequest, items: Any, per_page: int) -> tuple[Page, str]:
    """The page `?page=` asks for (unreadable → the first, past the end → the last) and the query string
    without `page`, so that the pager's links keep the list's filters."""
    page = Paginator(items, per_page).get_page(page_number(request.GET.get("page")))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
