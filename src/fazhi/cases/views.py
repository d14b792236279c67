"""以案释法 pages, the portal home page and the site-wide search page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from fazhi.cases import portal, selectors
from fazhi.cases.services import EDITOR_ROLES
from fazhi.cases.text import render_markdown
from fazhi.core import paging
from fazhi.core.permissions import has_role, role_required

FACET_LABELS = {"category": "类别", "tags": "标签", "year": "年份"}
SECTIONS = [
    ("facts", "基本案情"),
    ("dispute", "争议焦点"),
    ("decision", "处理结果"),
    ("analysis", "法理分析"),
    ("lessons", "启示"),
]


def _page_number(request: HttpRequest) -> int:
    """The requested page: unreadable → 1; search_cases caps deep pages and shows the last one past the end."""
    return paging.page_number(request.GET.get("page"))


def search_url() -> str:
    """The site search page: /search when the root URLconf routes it, else /cases/search/."""
    try:
        return reverse("search")
    except NoReverseMatch:
        return reverse("cases:search")


def index(request: HttpRequest) -> HttpResponse:
    """Case library: full-text search with category / tag / year facets."""
    text = request.GET.get("q", "").strip()[:200]
    # An unusable category or year is ignored with a message, never an empty list nobody can clear.
    filters, errors = selectors.check_filters({name: request.GET.getlist(name) for name in FACET_LABELS})
    found = selectors.search_cases(text=text, filters=filters, page=_page_number(request))
    pager = request.GET.copy()
    pager.pop("page", None)
    for name, chosen_values in filters.items():
        pager.setlist(name, chosen_values)
    facet_links = []
    for name, values in found.facets.items():
        entries = []
        for value, count, active in values:
            params = pager.copy()
            chosen = params.getlist(name)
            if active:
                params.setlist(name, [v for v in chosen if v != value])
            else:  # a case has one category and one year (another replaces it), several tags (one more narrows)
                params.setlist(name, [value] if name in selectors.SINGLE_VALUED else [*chosen, value])
            entries.append({"value": value, "count": count, "active": active, "query": params.urlencode()})
        facet_links.append({"name": name, "label": FACET_LABELS[name], "entries": entries})
    return render(
        request,
        "cases/index.html",
        {
            "q": text,
            "found": found,
            "facets": facet_links,
            "pager_query": pager.urlencode(),
            "errors": errors,
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    editor = has_role(request.user, *EDITOR_ROLES)
    case = selectors.get_case(pk, include_drafts=editor)
    if case is None:
        raise Http404("案例不存在或尚未发布。")
    sections = [
        (label, render_markdown(getattr(case, name)))
        for name, label in SECTIONS
        if getattr(case, name).strip()
    ]
    return render(
        request,
        "cases/detail.html",
        {"case": case, "sections": sections, "applied": selectors.applied_articles(case), "editor": editor},
    )


@require_POST
@role_required(*EDITOR_ROLES)
def markdown_preview(request: HttpRequest) -> JsonResponse:
    """Admin editor preview: the same safe rendering the public page uses."""
    return JsonResponse({"html": render_markdown(request.POST.get("text", "")[:200_000])})


def site_search(request: HttpRequest) -> HttpResponse:
    """One search box over policies, laws and cases, results grouped by kind."""
    text = request.GET.get("q", "").strip()[:200]
    groups = portal.site_search(text) if text else []
    return render(
        request,
        "cases/search.html",
        {"q": text, "groups": groups, "search_url": search_url(), "total": sum(g.total for g in groups)},
    )


def home(request: HttpRequest) -> HttpResponse:
    """Portal home page (门户首页)."""
    from fazhi.publicity import selectors as publicity

    return render(
        request,
        "core/home.html",
        {
            "search_url": search_url(),
            "closing_policies": portal.policies_closing_soon(),
            "latest_cases": selectors.latest_cases(5),
            "latest_posts": publicity.latest_posts(5),
            "upcoming": publicity.upcoming_campaigns(limit=3),
        },
    )
