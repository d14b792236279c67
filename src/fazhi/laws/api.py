"""法规库 API (/api/v1/laws/)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from fazhi.core.errors import ValidationFailed
from fazhi.core.paging import check_window
from fazhi.core.permissions import api_auth_for, api_user, staff_request
from fazhi.laws import selectors, services
from fazhi.laws.search import MAX_LIMIT, parse_filters, search_articles

router = Router(tags=["法规库"])


class SearchHit(Schema):
    law_id: int
    law_title: str
    article_label: str
    article_no: str
    snippet: str
    score: float
    status: str
    url: str
    explain: dict | None = None  # ?explain=1 for logged-in staff: why the article ranked here


class LawSearchOut(Schema):
    query: str
    total: int = Field(description="相关条文总数")
    shown_total: int = Field(
        description="其中可以翻页取到的条数（offset 须小于此数）：排序只对最相关的候选条文进行，最多 10000 条"
    )
    took_ms: float
    results: list[SearchHit]


def article_no(number: int, suffix: int) -> str:
    """The evaluation's article id: 10 → "10", 第十条之一 → "10-之一"."""
    from fazhi.core.numerals import int_to_cn

    return f"{number}-之{int_to_cn(suffix)}" if suffix else str(number)


@router.get("/search", response=LawSearchOut, exclude_none=True, summary="条文检索（公开）")
def search(
    request: HttpRequest,
    q: str = "",
    limit: int = 10,
    offset: int = 0,
    level: str = "",
    status: str = "",
    law: str = "",
    region: str = "",
    include_inactive: bool = False,
    explain: bool = False,
):
    """Articles ranked for a question. Only 有效 texts unless `status=all` or `include_inactive=1`.
    `limit` is 1–100 (a larger value is cut to 100; 0 or less is a 400); `offset + limit` may reach
    10,000 at most (deeper pages are a 400: narrow the search instead). `total` counts every match,
    `shown_total` the ones paging reaches (the learned ranking orders its best candidates only, some
    1,000–1,300 on the real library): an offset at or past `shown_total` gives an empty page, as past the
    end of any list."""
    limit = check_window(offset=offset, limit=limit, max_limit=MAX_LIMIT)
    filters = parse_filters(
        level=level, status=status, law=law, region=region, include_inactive=include_inactive
    )
    show = explain and staff_request(request)
    results = search_articles(q=q, limit=limit, offset=offset, filters=filters, explain=show)
    return {
        "query": results.query,
        "total": results.total,
        "shown_total": results.shown,
        "took_ms": results.took_ms,
        "results": [
            {
                "law_id": h.article.law_id,
                "law_title": h.article.law_title,
                "article_label": h.article.label,
                "article_no": article_no(h.article.number, h.article.suffix),
                "snippet": h.snippet,
                "score": round(h.score, 4),
                "status": h.article.status_label,
                "url": h.article.url,
                "explain": h.explain,
            }
            for h in results.hits
        ],
    }


class VersionOut(Schema):
    id: int
    publish_date: dt.date | None
    effective_date: dt.date | None
    status: str
    status_basis: str
    is_latest: bool
    provenance: str = ""  # e.g. 本文件经合法性审查（审查意见书…）后公布


class LawOut(Schema):
    id: int
    title: str
    short_name: str
    level: str
    issuer: str
    region: str
    versions: list[VersionOut]


def _law_out(law_id: int) -> dict:
    law = selectors.get_law(law_id)
    return {
        "id": law.pk,
        "title": law.title,
        "short_name": law.short_name,
        "level": law.get_level_display(),
        "issuer": law.issuer,
        "region": law.region,
        "versions": [
            {
                "id": v.pk,
                "publish_date": v.publish_date,
                "effective_date": v.effective_date,
                "status": v.get_status_display(),
                "status_basis": v.status_basis,
                "is_latest": v.is_latest,
                "provenance": v.provenance,
            }
            for v in selectors.versions_of(law)
        ],
    }


@router.get("/{int:law_id}", response=LawOut, summary="法规及其版本（公开）")
def law_detail(request: HttpRequest, law_id: int):
    return _law_out(law_id)


class LawStatusIn(Schema):
    status: str
    basis: str = ""
    reason: str


@router.post(
    "/{int:law_id}/versions/{int:version_id}/status",
    response=LawOut,
    auth=api_auth_for(*services.EDITOR_ROLES, message=services.CORRECT_STATUS_MESSAGE),
    summary="更正效力状态",
)
def correct_status(request: HttpRequest, law_id: int, version_id: int, payload: LawStatusIn):
    law = selectors.get_law(law_id)
    version = selectors.get_version(law, version_id)
    from fazhi.laws.models import STATUS_BY_CHINESE

    status = STATUS_BY_CHINESE.get(payload.status, payload.status)
    services.correct_status(
        user=api_user(request), version=version, status=status, basis=payload.basis, reason=payload.reason
    )
    return _law_out(law_id)


class ManualIn(Schema):
    title: str = ""
    text: str
    level: str = "部门规章"
    issuer: str = ""
    region: str = ""
    status: str = "有效"


@router.post(
    "/manual",
    response={201: LawOut},
    auth=api_auth_for(*services.EDITOR_ROLES, message=services.ADD_LAW_MESSAGE),
    summary="手工录入法规（粘贴全文）",
)
def add_manual(request: HttpRequest, payload: ManualIn):
    from fazhi.laws.models import LEVEL_BY_CHINESE, STATUS_BY_CHINESE

    level = LEVEL_BY_CHINESE.get(payload.level, payload.level)
    status = STATUS_BY_CHINESE.get(payload.status, payload.status)
    if not payload.text.strip():
        raise ValidationFailed("法规全文不能为空。")
    version = services.add_law_from_text(
        user=api_user(request),
        text=payload.text,
        title=payload.title,
        level=level,
        issuer=payload.issuer,
        region=payload.region,
        status=status,
    )
    return Status(201, _law_out(version.law_id))
