"""法规库 pages: list with facets, search, law page (TOC, versions, citations), diff, article permalink."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core import paging
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.middleware import PageNotFound
from fazhi.laws import citation_index, selectors
from fazhi.laws.models import Article, Law, LawVersion, Level, Status
from fazhi.laws.rendering import CitationLinker, article_html, article_texts, diff_rows, linked_text
from fazhi.laws.search import ArticleResults, parse_filters, search_articles

PAGE_SIZE = 30
SEARCH_PAGE_SIZE = 20


LIST_PARAMS = ("q", "level", "status", "issuer", "year", "sort")
FACET_LABELS = {"level": "效力级别", "status": "效力状态", "issuer": "制定机关", "year": "公布年份"}


def index(request: HttpRequest) -> HttpResponse:
    raw = {k: request.GET.get(k, "").strip() for k in LIST_PARAMS}
    # An unusable filter value is ignored with a message (as on the policy list), never a 500 or 共 0 部.
    params, errors = selectors.list_filters(**raw)
    qs, facets = selectors.law_list(**params)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    sort = params["sort"] or ("title" if params["q"] else "level")
    return render(
        request,
        "laws/index.html",
        {
            "page": page,
            "facet_groups": _facet_groups(params, facets),
            "sorts": [
                {"label": label, "url": _list_url(params, sort=key), "active": key == sort}
                for key, label in selectors.SORTS.items()
            ],
            "params": params,
            "filtered": any(params[k] for k in ("q", *FACET_LABELS)),
            "errors": errors,
            "querystring": _querystring(
                request, "page", drop_bad=[k for k in raw if raw[k] and not params[k]]
            ),
        },
    )


def _list_url(params: dict[str, str], **change: str) -> str:
    """The list's address with the active parameters, `change` applied (an empty value drops one) and no
    page number: a facet or sort link keeps the title filter and the other facets."""
    merged = {**params, **change}
    return "?" + urlencode([(k, merged[k]) for k in LIST_PARAMS if merged.get(k)])


def _facet_groups(params: dict[str, str], facets: dict[str, list[tuple[str, str, int]]]) -> list[dict]:
    """Each facet's values with the count and the link that lists exactly those laws."""
    return [
        {
            "name": name,
            "label": label,
            "clear_url": _list_url(params, **{name: ""}) if params[name] else "",
            "values": [
                {
                    "label": text,
                    "count": n,
                    "url": _list_url(params, **{name: value}),
                    "active": params[name] == value,
                }
                for value, text, n in facets[name]
            ],
        }
        for name, label in FACET_LABELS.items()
    ]


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
        # Only the first `results.shown` of `results.total` matches can be paged through (the re-ranker's
        # candidates, never past paging.MAX_RESULTS): the pager stops there and a page past it shows the
        # last one, with a notice, rather than an empty list under a large total.
        asked = paging.page_number(request.GET.get("page"))
        page_no = min(asked, paging.max_page(SEARCH_PAGE_SIZE))
        try:
            law_param = request.GET.get("law", "").strip()
            filters = parse_filters(level=level, status=status, law=law_param)
            if filters.law:
                # The search is kept to these laws: the page names them, its links and form keep them.
                titles = list(
                    Law.objects.filter(pk__in=[int(i) for i in filters.law]).values_list("title", flat=True)
                )
                if not titles:
                    raise NotFound("没有找到要在其中检索的法规（参数 law），请在全部法规中检索。")
                ctx.update(
                    law_param=law_param,
                    law_titles=titles,
                    unscoped_url="?"
                    + urlencode([(k, v) for k, v in (("q", q), ("level", level), ("status", status)) if v]),
                )

            def run(page_no: int) -> ArticleResults:
                offset = (page_no - 1) * SEARCH_PAGE_SIZE
                return search_articles(
                    q=q, limit=SEARCH_PAGE_SIZE, offset=offset, filters=filters, facets=True
                )

            results = run(page_no)
            pages = paging.reachable_pages(results.shown, SEARCH_PAGE_SIZE)
            if page_no > pages:
                page_no = pages
                results = run(page_no)
            shown = min(results.shown, pages * SEARCH_PAGE_SIZE)
            labels = dict(Level.choices)
            level_facets = [
                (value, labels.get(value, value), n) for value, n in results.facets.get("level", {}).items()
            ]
            ctx.update(
                level_facets=level_facets,
                results=results,
                page_no=page_no,
                pages=pages,
                shown=shown,
                capped=results.total > shown,
                total_text=f"{results.total:,}",  # 34,766: the header's counts are read at a glance
                shown_text=f"{shown:,}",
                past_last=asked > pages and shown > 0,
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
    linker.prefetch(t for a in articles for t in article_texts(a))
    current = selectors.current_version(law)
    query = "" if current is None or version.pk == current.pk else f"?version={version.pk}"
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
            "basis_html": linked_text(version.status_basis),
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
    notice = ""
    if a.pk == b.pk:
        notice = "两侧选择的是同一个版本，请选择两个不同的版本进行对比。"
    elif _version_order(a) > _version_order(b):
        a, b = b, a
        notice = "所选的“旧版本”晚于“新版本”，已按公布时间对调：左侧为较早的版本。"
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
            "moved": sum(1 for r in rows if r.note.startswith("条文序号")),
            "only_changes": only_changes,
            "notice": notice,
        },
    )


def _version_order(version: LawVersion) -> tuple:
    """Older versions first: by 公布日期, then 版本序号, then the order they were added."""
    return (version.publish_date or dt.date.min, version.version_index, version.pk)


def law_or_none(law_id: int):  # noqa: ANN201
    try:
        return selectors.get_law(law_id)
    except NotFound:
        return None


def article_permalink(request: HttpRequest, law_id: str, number: str, suffix: str | None) -> HttpResponse:
    """/laws/7/articles/17/ is an article's one address: 17-0, 017 or other digit forms redirect to it."""
    parts = [law_id, number, suffix or "0"]
    if any(len(p) > 18 for p in parts):  # no such law or article (and int() of a huge string is slow)
        raise Http404("这部法规的当前版本中没有这一条。")
    law_no, number_no, suffix_no = (int(p) for p in parts)
    canonical = f"/laws/{law_no}/articles/{number_no}" + (f"-{suffix_no}" if suffix_no else "") + "/"
    if request.path_info != canonical:
        prefix = request.path.removesuffix(request.path_info)  # the site's script prefix, if any
        query = request.META.get("QUERY_STRING", "")
        return redirect(prefix + canonical + (f"?{query}" if query else ""), permanent=True)
    return article_detail(request, law_no, number_no, suffix_no)


CITED_BY_LIMIT = 10  # citing articles listed on an article page; the rest on its 「被引用」 page
CITED_BY_PAGE_SIZE = 50


def _article_or_404(
    law_id: int, number: int, suffix: int, version_id: str | None
) -> tuple[Law, LawVersion, Article]:
    """(law, version, article) of an article page, or a 404 whose page says what is missing and links back
    to the law (or to the library when the law itself is unknown)."""
    try:
        law = selectors.get_law(law_id)
    except NotFound as exc:
        raise PageNotFound(exc.message, link="/laws/", link_text="返回法规库") from exc
    try:
        version = selectors.get_version(law, version_id)
        article = selectors.get_article(law, number, suffix, version)
    except NotFound as exc:
        message = exc.message
        if version_id not in (None, "") and "当前版本" in message:
            message = message.replace("当前版本", "所选版本")  # an older version was asked for
        raise PageNotFound(message, link=law.get_absolute_url(), link_text=f"返回《{law.title}》") from exc
    return law, version, article


def article_detail(request: HttpRequest, law_id: int, number: int, suffix: int = 0) -> HttpResponse:
    from fazhi.cases.selectors import cases_for_article

    law, version, article = _article_or_404(law_id, number, suffix, request.GET.get("version"))
    current = selectors.current_version(law)
    # Another version than the one the plain address shows: its prev/next links keep `?version=`.
    other_version = current is not None and version.pk != current.pk
    query = f"?version={version.pk}" if other_version else ""
    siblings = selectors.articles_of(version)
    linker = CitationLinker(law, siblings, same_page=False)
    index = next(i for i, a in enumerate(siblings) if a.pk == article.pk)
    linker.prefetch(article_texts(article))
    paragraphs = article.paragraphs or [{"text": article.text, "items": []}]
    for p in paragraphs:
        p["html"] = linker.html(p["text"])
        p["items_html"] = [linker.html(i) for i in p.get("items", [])]
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    # Citations are by number: the list belongs to the current text (an old version's 第N条 may differ).
    cited_by, cited_total = (
        ([], 0) if other_version else citation_index.cited_by(article, limit=CITED_BY_LIMIT)
    )
    return render(
        request,
        "laws/article_detail.html",
        {
            "law": law,
            "version": version,
            "article": article,
            "paragraphs": paragraphs,
            "basis_html": linked_text(version.status_basis),
            "previous": previous,
            "next": following,
            "previous_url": previous.get_absolute_url() + query if previous else "",
            "next_url": following.get_absolute_url() + query if following else "",
            "law_url": law.get_absolute_url() + query,
            "version_note": _version_note(version, current, article) if other_version else None,
            "cited_by": cited_by,
            "cited_total": cited_total,
            "cases": cases_for_article(article),
        },
    )


def _version_note(version: LawVersion, current: LawVersion | None, article: Article) -> dict:
    """What the reader of a non-current version is told: which version this is, and the same article in the
    current version (or that it no longer has one)."""
    date = version.effective_date or version.publish_date
    when = (
        f"{date.year}年{date.month}月{date.day}日{'施行' if version.effective_date else '公布'}"
        if date
        else "日期不详"
    )
    kind = "尚未生效的版本" if version.status == Status.NOT_YET_IN_FORCE else "历史版本"
    same = (
        current.articles.filter(number=article.number, suffix=article.suffix).only("pk", "law_id").first()
        if current is not None
        else None
    )
    return {
        "text": f"此为{kind}（{when}）",
        "current_url": same.get_absolute_url() if same else "",
        "current_law_url": current.law.get_absolute_url() if current else "",
        "label": article.label,
    }


def cited_by_list(request: HttpRequest, law_id: str, number: str, suffix: str | None = None) -> HttpResponse:
    """「被引用」 in full: every article citing this one (current version), in-force texts first, 50 a page."""
    law, version, article = _article_or_404(
        _int_or_404(law_id), _int_or_404(number), _int_or_404(suffix or "0"), None
    )
    page, querystring = paging.page_of(
        request,
        citation_index.citing_articles(article).select_related("citing__law", "citing_version"),
        CITED_BY_PAGE_SIZE,
    )
    return render(
        request,
        "laws/cited_by.html",
        {"law": law, "version": version, "article": article, "page": page, "querystring": querystring},
    )


def _int_or_404(text: str) -> int:
    if len(text) > 18:  # no such law or article (and int() of a huge string is slow)
        raise PageNotFound("这部法规的当前版本中没有这一条。", link="/laws/", link_text="返回法规库")
    return int(text)


def _querystring(request: HttpRequest, drop: str, drop_bad: list[str] | None = None) -> str:
    params = request.GET.copy()
    for name in [drop, *(drop_bad or [])]:
        params.pop(name, None)
    return params.urlencode()
