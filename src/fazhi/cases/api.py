"""以案释法 API (/api/v1/cases/): public search and reading; editors create and publish."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from fazhi.cases import portal, selectors, services
from fazhi.cases.text import render_markdown
from fazhi.core import paging
from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.core.permissions import api_auth_for, api_user

router = Router(tags=["以案释法"])
# Editors only, refused before the request is read (services check again).
editor_auth = api_auth_for(*services.EDITOR_ROLES, message=services.EDITOR_MESSAGE)


class CaseSummary(Schema):
    id: int
    title: str
    category: str
    source_issuer: str
    source_doc_number: str
    source_date: dt.date | None
    tags: list[str]
    url: str
    snippet: str = ""


class FacetValue(Schema):
    value: str
    count: int


class CaseSearchOut(Schema):
    total: int
    page: int
    pages: int
    items: list[CaseSummary]
    facets: dict[str, list[FacetValue]]


class AppliedOut(Schema):
    law: str
    label: str
    note: str
    text: str
    url: str | None


class CaseDetail(CaseSummary):
    source_url: str
    sections: dict[str, str]
    articles: list[AppliedOut]
    status: str


class CaseSearchIn(Schema):
    q: str = ""
    category: list[str] = []
    tags: list[str] = []
    year: list[str] = []
    page: int = 1


class ArticleRef(Schema):
    law: str
    article: str
    note: str = ""


class CaseIn(Schema):
    title: str
    category: str
    source_issuer: str = ""
    source_doc_number: str = ""
    source_date: dt.date | None = None
    source_url: str = ""
    summary: str = ""
    facts: str = ""
    dispute: str = ""
    decision: str = ""
    analysis: str = ""
    lessons: str = ""
    tags: str = ""
    articles: list[ArticleRef] = []


def _summary(case: selectors.Case, snippet: str = "") -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "category": case.get_category_display(),
        "source_issuer": case.source_issuer,
        "source_doc_number": case.source_doc_number,
        "source_date": case.source_date,
        "tags": case.tag_list,
        "url": case.get_absolute_url(),
        "snippet": snippet,
    }


def _detail(case: selectors.Case) -> dict:
    return {
        **_summary(case),
        "source_url": case.source_url,
        "status": case.status,
        "sections": {
            name: render_markdown(getattr(case, name)) for name in services.TEXT_FIELDS if name != "summary"
        },
        "articles": [
            {
                "law": a.law_title,
                "label": a.label,
                "note": a.note,
                "text": a.article.text if a.article else "",
                "url": a.article.get_absolute_url() if a.article else None,
            }
            for a in selectors.applied_articles(case)
        ],
    }


@router.get("/", response=CaseSearchOut, summary="检索已发布案例（分面：类别、标签、年份）")
def search(request: HttpRequest, params: Query[CaseSearchIn]) -> dict:
    """Published cases, 20 a page. `page` starts at 1; a page past the last one has no items (`pages`
    says how many there are); pages beyond the first 10,000 results are a 400. Several categories or
    years: cases of any of them; several tags: cases with all of them. An unknown category (label or code)
    or a year other than four digits is a 400. A category's or year's count applies the other filters."""
    if params.page < 1:
        raise ValidationFailed("page 须为不小于 1 的整数。")
    if params.page > paging.max_page(selectors.PAGE_SIZE):
        raise ValidationFailed(paging.deep_paging_message())
    filters, errors = selectors.check_filters(
        {"category": params.category, "tags": params.tags, "year": params.year}
    )
    if errors:
        raise ValidationFailed("".join(errors))
    found = selectors.search_cases(
        text=params.q[:200],
        filters=filters,
        page=params.page,
        beyond_last="empty",
    )
    return {
        "total": found.total,
        "page": found.page,
        "pages": found.pages,
        "items": [_summary(h.case, h.snippet) for h in found.hits],
        "facets": {k: [{"value": v, "count": c} for v, c, _ in vals] for k, vals in found.facets.items()},
    }


class GroupHitOut(Schema):
    title: str
    url: str
    snippet: str


class GroupOut(Schema):
    index: str
    label: str
    total: int
    available: bool
    more_url: str
    hits: list[GroupHitOut]


@router.get("/site-search", response=list[GroupOut], summary="全站搜索：政策、法规、案例分组结果")
def site_search(request: HttpRequest, q: str = "") -> list:
    return (
        [g.__dict__ | {"hits": [h.__dict__ for h in g.hits]} for g in portal.site_search(q[:200])]
        if q.strip()
        else []
    )


@router.get("/{int:case_id}", response=CaseDetail, summary="案例详情（含适用条文）")
def detail(request: HttpRequest, case_id: int) -> dict:
    case = selectors.get_case(case_id)
    if case is None:
        raise NotFound("案例不存在或尚未发布。")
    return _detail(case)


@router.post("/", response={201: CaseDetail}, auth=editor_auth, summary="新建案例草稿（编辑人员）")
def create(request: HttpRequest, payload: CaseIn) -> Status:
    data = payload.dict(exclude={"articles"})
    case = services.create_case(
        user=api_user(request), data=data, articles=[a.dict() for a in payload.articles]
    )
    return Status(201, _detail(case))


@router.post("/{int:case_id}/publish", response=CaseDetail, auth=editor_auth, summary="发布案例（编辑人员）")
def publish(request: HttpRequest, case_id: int) -> dict:
    return _detail(services.publish_case(user=api_user(request), case_id=case_id))
