"""法规库 pages: list with facets, search, law page (TOC, versions, citations), diff, article permalink."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core import paging
from fazhi.core.errors import DomainError, NotFound
from fazhi.laws import selectors
from fazhi.laws.models import Level, Status
from fazhi.laws.rendering import CitationLinker, article_html, diff_rows
from fazhi.laws.search import ArticleResults, parse_filters, search_articles

PAGE_SIZE = 30
SEARCH_PAGE_SIZE = 20


def index(request: HttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "").strip() for k in ("level", "status", "issuer", "year", "q")}
    qs, facets = selectors.law_list(**params)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "laws/index.html",
        {"page": page, "facets": facets, "params": params, "querystring": _querystring(request, "page")},
    )


def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    status = request.GET.get("status", "")
    ctx: dict = {
        "q": q,
        "level": level,
        "status": status,
        "levels": Level.choices,
        "statuses": Status.choices,
    }
    if q:
        # Deep pages are capped (paging.MAX_RESULTS); a page past the last one shows the last page.
        page_no = min(paging.page_number(request.GET.get("page")), paging.max_page(SEARCH_PAGE_SIZE))
        try:
            filters = parse_filters(level=level, status=status, law=request.GET.get("law", ""))

            def run(page_no: int) -> ArticleResults:
                offset = (page_no - 1) * SEARCH_PAGE_SIZE
                return search_articles(
                    q=q, limit=SEARCH_PAGE_SIZE, offset=offset, filters=filters, facets=True
                )

            results = run(page_no)
            pages = paging.reachable_pages(results.total, SEARCH_PAGE_SIZE)
            if page_no > pages:
                page_no = pages
                results = run(page_no)
            labels = dict(Level.choices)
            level_facets = [
                (value, labels.get(value, value), n) for value, n in results.facets.get("level", {}).items()
            ]
            ctx.update(
                level_facets=level_facets,
                results=results,
                page_no=page_no,
                pages=pages,
                capped=results.total > pages * SEARCH_PAGE_SIZE,
                max_results=paging.MAX_RESULTS,
                start_no=(page_no - 1) * SEARCH_PAGE_SIZE + 1,
                has_next=page_no < pages,
            )
        except DomainError as exc:
            ctx["error"] = exc.message
    ctx["querystring"] = _querystring(request, "page")
    return render(request, "laws/search.html", ctx)


def law_detail(request: HttpRequest, law_id: int) -> HttpResponse:
    try:
        law = selectors.get_law(law_id)
        version = selectors.get_version(law, request.GET.get("version"))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    articles = selectors.articles_of(version)
    linker = CitationLinker(law, articles)
    query = "" if version.is_latest else f"?version={version.pk}"
    rendered = [
        {"article": a, "html": article_html(a, linker, label_url=a.get_absolute_url() + query)}
        for a in articles
    ]
    versions = selectors.versions_of(law)
    return render(
        request,
        "laws/law_detail.html",
        {
            "law": law,
            "version": version,
            "versions": versions,
            "articles": rendered,
            "toc": selectors.toc(articles),
            "preamble": _preamble(version.text),
        },
    )


def _preamble(text: str) -> str:
    """Text between the header and the first article (序言 of the constitution, a 解释's opening)."""
    from fazhi.laws.parsing import parse_markdown

    return parse_markdown(text).preamble if "<!-- INFO END -->" in text else ""


def law_diff(request: HttpRequest, law_id: int) -> HttpResponse:
    try:
        law = selectors.get_law(law_id)
        versions = selectors.versions_of(law)
        if len(versions) < 2:
            raise NotFound("这部法规只有一个版本，无法对比。")
        a = selectors.get_version(law, request.GET.get("a") or versions[1].pk)
        b = selectors.get_version(law, request.GET.get("b") or versions[0].pk)
    except NotFound as exc:
        return render(
            request, "laws/diff.html", {"law": law_or_none(law_id), "error": exc.message}, status=404
        )
    rows = diff_rows(selectors.articles_of(a), selectors.articles_of(b))
    changed = sum(1 for r in rows if r.kind != "same")
    only_changes = request.GET.get("all") != "1"
    shown = [r for r in rows if r.kind != "same"] if only_changes else rows
    return render(
        request,
        "laws/diff.html",
        {
            "law": law,
            "a": a,
            "b": b,
            "versions": versions,
            "rows": shown,
            "changed": changed,
            "only_changes": only_changes,
        },
    )


def law_or_none(law_id: int):  # noqa: ANN201
    try:
        return selectors.get_law(law_id)
    except NotFound:
        return None


def article_detail(request: HttpRequest, law_id: int, number: int, suffix: int = 0) -> HttpResponse:
    from fazhi.cases.selectors import cases_for_article

    try:
        law = selectors.get_law(law_id)
        version = selectors.get_version(law, request.GET.get("version"))
        article = selectors.get_article(law, number, suffix, version)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    siblings = selectors.articles_of(version)
    linker = CitationLinker(law, siblings, same_page=False)
    index = next(i for i, a in enumerate(siblings) if a.pk == article.pk)
    paragraphs = article.paragraphs or [{"text": article.text, "items": []}]
    for p in paragraphs:
        p["html"] = linker.html(p["text"])
        p["items_html"] = [linker.html(i) for i in p.get("items", [])]
    return render(
        request,
        "laws/article_detail.html",
        {
            "law": law,
            "version": version,
            "article": article,
            "paragraphs": paragraphs,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            "cases": cases_for_article(article),
        },
    )


def _querystring(request: HttpRequest, drop: str) -> str:
    params = request.GET.copy()
    params.pop(drop, None)
    return params.urlencode()
