"""惠企政策 API (/api/v1/policies/): search, one policy, matching (政策体检), profile, subscriptions."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema
from ninja import Status as HttpStatus

from fazhi.core import roles
from fazhi.core.errors import ValidationFailed
from fazhi.core.paging import check_window
from fazhi.core.permissions import api_auth, api_auth_for, api_user, staff_request
from fazhi.policies import duplicates, index, learning, matching, selectors, services, sizing
from fazhi.policies.models import Policy, Status
from fazhi.policies.services.profile import SAVE_PROFILE_MESSAGE
from fazhi.policies.services.subscribing import SUBSCRIBE_MESSAGE

router = Router(tags=["惠企政策"])
WINDOW_DESCRIPTION = (
    "今天所处的申报阶段：申报中，剩N天 / 即将截止，剩N天 / 今天截止申报 / 申报已截止 / 尚未开始，…起可申报 / "
    "…起可申报，未注明截止日期；未注明申报时间时为空"
)

MAX_LIMIT = 100  # results per request; a larger limit is cut to it


class PolicyHit(Schema):
    policy_id: int
    external_id: str | None
    title: str
    issuer: str
    doc_number: str
    status: str
    snippet: str
    score: float
    url: str
    duplicate_of: int | None = Field(
        None, description="内容相同或相近的文件中最早收录的一件的 policy_id（本条即最早的或无相近文件时为空）"
    )
    duplicates: list[int] = Field([], description="与本条内容相同或相近的其他文件的 policy_id（最早的在前）")
    explain: dict | None = None  # ?explain=1 for logged-in staff: why the policy ranked here


class PolicySearchOut(Schema):
    query: str
    total: int
    took_ms: float
    facets: dict[str, dict[str, int]]
    results: list[PolicyHit]
    explain: dict | None = None  # ?explain=1 for staff: how the question was read (words, synonyms, weights)


@router.get("/search", response=PolicySearchOut, summary="惠企政策检索（公开）")
def search(
    request: HttpRequest,
    q: str = "",
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    status: str = "",
    level: str = "",
    doc_type: str = "",
    theme: str = "",
    industry: str = "",
    size: str = "",
    issuer: str = "",
    support_type: str = "",
    year: str = "",
    explain: bool = False,
) -> JsonResponse:
    """Policies ranked for a question. `limit` is 1–100 (a larger value is cut to 100; 0 or less is a 400);
    `offset + limit` may reach 10,000 at most (deeper pages are a 400: narrow the search instead).
    Filters take the values of the facets (or codes: `C` for 制造业, `grant` for 资金奖补); an unknown
    level, status, industry, size, support type or theme is a 400 (with the choices), a malformed year too;
    an issuer is any agency's name, and one with no policy gives no results. `sort=closing` lists only policies whose application window is still open, the
    soonest deadline first. `explain=1` adds, for logged-in staff only, each result's reasons (first-stage
    rank and BM25, the re-ranker's features with weights and contributions); others get the plain results."""
    started = time.perf_counter()
    limit = check_window(offset=offset, limit=limit, max_limit=MAX_LIMIT)
    filters = selectors.normalize_filters(
        {
            "status": status,
            "level": level,
            "doc_type": doc_type,
            "theme": theme,
            "industry": industry,
            "size": size,
            "issuer": issuer,
            "support_type": support_type,
            "year": year,
        }
    )
    sort = sort.strip() or "relevance"
    if sort not in index.SORTS:
        choices = "、".join(f"{key}（{label}）" for key, label in index.SORTS.items())
        raise ValidationFailed(f"排序方式“{sort}”无效，可选：{choices}。")
    show = explain and staff_request(request)
    outcome = index.search(q, filters=filters, limit=limit, offset=offset, sort=sort, explain=show)
    # Returned as a response, not a dict: the payload is built to PolicySearchOut field by field, and letting
    # ninja validate 100 results again cost ≈ 3-4 ms of a 25 ms search (tests check it against PolicySearchOut).
    # Reposts are named, not folded: the order and number of the results are the ranking's.
    members = duplicates.group_members([(p.pk, p.duplicate_of_id) for p, _ in outcome.hits])
    results: list[dict[str, Any]] = [
        {
            "policy_id": p.pk,
            "external_id": p.external_id,
            "title": p.title,
            "issuer": p.issuer,
            "doc_number": p.doc_number,
            "status": Status(p.status).label,
            "snippet": outcome.snippets.get(p.pk, ""),
            "score": round(score, 4),
            "url": p.get_absolute_url(),
            "duplicate_of": p.duplicate_of_id,
            "duplicates": members.get(p.pk, []),
        }
        for p, score in outcome.hits
    ]
    payload: dict[str, Any] = {
        "query": q,
        "total": outcome.total,
        "took_ms": round((time.perf_counter() - started) * 1000, 2),
        "facets": outcome.facets,
        "results": results,
    }
    if show and outcome.explain is not None:
        for row in results:
            row["explain"] = outcome.explain.get(row["policy_id"])
        aq = outcome.query
        payload["explain"] = {
            "words": list(aq.words),
            "bigrams": list(aq.bigrams),
            "synonyms": [{"word": w, "weight": wt} for w, wt in aq.expansions],
            "weights": learning.current().weights,
        }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


class PolicyOut(Schema):
    policy_id: int
    external_id: str | None
    title: str
    issuer: str
    doc_number: str
    level: str
    status: str
    published_date: dt.date | None
    effective_to: dt.date | None
    themes: list[str]
    industries: list[str]
    sizes: list[str]
    support_types: list[str]
    support_standard: str
    apply_start: dt.date | None
    apply_end: dt.date | None
    apply_method: str
    contact_phone: str
    url: str
    full_text: str
    industry_names: list[str] = Field(description="适用行业门类的名称（与 industries 的字母一一对应）")
    regions: list[str] = []
    effective_from: dt.date | None = None
    beneficiaries: str = ""
    conditions_text: str = ""
    source_url: str = ""
    interpretation: str = Field("", description="解读（文字）")
    interpretation_of: int | None = Field(None, description="本条为解读时，所解读政策的 policy_id")
    interpretations: list[int] = Field([], description="解读本政策的各条政策的 policy_id")
    attachments: list[dict[str, str]] = Field([], description="附件：名称与下载地址")
    application_window: str = Field("", description=WINDOW_DESCRIPTION)


@router.get("/{int:policy_id}", response=PolicyOut, summary="一项政策（公开）")
def policy_detail(request: HttpRequest, policy_id: int) -> dict:
    p = selectors.get_policy(policy_id)
    return {
        "policy_id": p.pk,
        "external_id": p.external_id,
        "title": p.title,
        "issuer": p.issuer,
        "doc_number": p.doc_number,
        "level": p.get_level_display() if p.level else "",
        "status": Status(p.status).label,
        "published_date": p.published_date,
        "effective_to": p.effective_to,
        "themes": p.themes,
        "industries": p.industries,
        "sizes": p.sizes,
        "support_types": p.support_types,
        "support_standard": p.support_standard,
        "apply_start": p.apply_start,
        "apply_end": p.apply_end,
        "apply_method": p.apply_method,
        "contact_phone": p.contact_phone,
        "url": p.get_absolute_url(),
        "full_text": p.full_text,
        "industry_names": [sizing.sections().get(code, code) for code in p.industries],
        "regions": p.regions,
        "effective_from": p.effective_from,
        "beneficiaries": p.beneficiaries,
        "conditions_text": p.conditions_text,
        "source_url": p.source_url,
        "interpretation": p.interpretation,
        "interpretation_of": p.interpretation_of_id,
        "interpretations": list(p.interpretations.order_by("pk").values_list("pk", flat=True)),
        "attachments": [{"title": a.title, "url": a.get_absolute_url()} for a in p.attachments_list()],
        "application_window": _window_label(p),
    }


def _window_label(p: Policy) -> str:
    w = p.window
    return w.label if w else ""


class ProfileIn(Schema):
    name: str = Field(description="企业名称（不超过200字）")
    credit_code: str = Field("", description="统一社会信用代码（18位，按 GB 32100-2015 校验；可留空）")
    industry: str = Field(
        description="划型行业（工信部联企业〔2011〕300号）：键名如 industry、software、catering，或中文名如 工业、餐饮业"
    )
    industry_section: str = Field("", description="国民经济行业分类门类字母（如 C），可留空")
    region: str = Field("", description="所在地区，写到省/市/区县全称，如 湖北省武汉市汉阳区")
    established_on: dt.date | None = Field(None, description="成立日期（YYYY-MM-DD）")
    employees: int | None = Field(None, description="从业人员（人）")
    revenue: Decimal | None = Field(None, description="上年营业收入（万元）")
    total_assets: Decimal | None = Field(None, description="资产总额（万元）")
    tags: list[str] = Field(
        [],
        description=f"企业标签：{'、'.join(services.KNOWN_TAGS)}",
    )


class MatchIn(Schema):
    profile: ProfileIn
    limit: int = Field(20, description="返回条数，1–100")


class MatchItem(Schema):
    policy_id: int
    title: str
    issuer: str
    status: str
    url: str
    score: float
    eligible: bool
    possible: bool = Field(description="没有已知未满足的条件（可能有待核实的条件）")
    conditions_stated: bool = Field(
        description="政策是否列明对企业的条件（行业、规模、成立年限、资格、人数、营收）"
    )
    met: list[str]
    unmet: list[str]
    unknown: list[str]
    apply_end: dt.date | None = None
    application_window: str = Field("", description=WINDOW_DESCRIPTION)
    verified: bool = Field(
        True, description="适用条件经管理员设定或核实；否：由系统从正文识别（页面称“初步符合”，待核实）"
    )


class MatchOut(Schema):
    size: str
    size_explanation: list[str]
    took_ms: float
    results: list[MatchItem]


def _match_payload(profile: object, limit: int, started: float) -> dict:
    limit = check_window(offset=0, limit=limit, max_limit=MAX_LIMIT)
    results = matching.match(profile, limit=limit)  # type: ignore[arg-type]
    sized = sizing.classify(
        industry=profile.industry,  # type: ignore[attr-defined]
        employees=profile.employees,  # type: ignore[attr-defined]
        revenue=profile.revenue,  # type: ignore[attr-defined]
        assets=profile.total_assets,  # type: ignore[attr-defined]
    )
    return {
        "size": sized.size,
        "size_explanation": sized.steps,
        "took_ms": round((time.perf_counter() - started) * 1000, 2),
        "results": [
            {
                "policy_id": m.policy.pk,
                "title": m.policy.title,
                "issuer": m.policy.issuer,
                "status": Status(m.policy.status).label,
                "url": m.policy.get_absolute_url(),
                "score": m.score,
                "eligible": m.eligible,
                "possible": m.possible,
                "conditions_stated": m.conditions_stated,
                "met": m.met,
                "unmet": m.unmet,
                "unknown": m.unknown,
                "apply_end": m.policy.apply_end,
                "application_window": _window_label(m.policy),
                "verified": m.verified,
            }
            for m in results
        ],
    }


@router.post("/match", response=MatchOut, summary="政策体检：按企业画像匹配政策（公开，不保存）")
def match(request: HttpRequest, payload: MatchIn) -> dict:
    started = time.perf_counter()
    profile = services.profile_from_values(payload.profile.dict())
    return _match_payload(profile, payload.limit, started)


class ProfileOut(ProfileIn):
    size: str


@router.put(
    "/profile",
    response=ProfileOut,
    auth=api_auth_for(roles.ENTERPRISE, message=SAVE_PROFILE_MESSAGE),
    summary="保存本企业画像（企业用户）",
)
def save_profile(request: HttpRequest, payload: ProfileIn) -> dict:
    profile = services.save_profile(actor=api_user(request), data=payload.dict())
    stored = {name: getattr(profile, name) for name in payload.dict()}  # what was saved, not what was sent
    return {**stored, "size": profile.size}


class SubscriptionIn(Schema):
    themes: list[str] = []
    industries: list[str] = []
    match_profile: bool = False
    email: bool = True


class SubscriptionOut(Schema):
    id: int
    themes: list[str]
    industries: list[str]
    match_profile: bool
    email: bool
    active: bool
    unsubscribe_url: str


def _sub_out(sub: object) -> dict:
    from fazhi.policies.subscriptions import unsubscribe_url

    return {
        "id": sub.pk,  # type: ignore[attr-defined]
        "themes": sub.themes,  # type: ignore[attr-defined]
        "industries": sub.industries,  # type: ignore[attr-defined]
        "match_profile": sub.match_profile,  # type: ignore[attr-defined]
        "email": sub.email,  # type: ignore[attr-defined]
        "active": sub.active,  # type: ignore[attr-defined]
        "unsubscribe_url": unsubscribe_url(sub),  # type: ignore[arg-type]
    }


@router.post(
    "/subscriptions",
    response={201: SubscriptionOut},
    auth=api_auth_for(roles.ENTERPRISE, message=SUBSCRIBE_MESSAGE),
    summary="订阅政策（企业用户）",
)
def subscribe(request: HttpRequest, payload: SubscriptionIn) -> HttpStatus:
    sub = services.subscribe(actor=api_user(request), **payload.dict())
    return HttpStatus(201, _sub_out(sub))


@router.get("/subscriptions", response=list[SubscriptionOut], auth=api_auth, summary="我的订阅")
def my_subscriptions(request: HttpRequest) -> list[dict]:
    return [_sub_out(s) for s in selectors.subscriptions_of(api_user(request))]


@router.post("/unsubscribe/{token}", response=SubscriptionOut, summary="一键退订（凭链接中的令牌）")
def unsubscribe(request: HttpRequest, token: str) -> dict:
    return _sub_out(services.unsubscribe(token=token))
