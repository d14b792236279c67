"""Core API: token issue, health, the caller's 站内消息 and 后台任务."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from fazhi.core import accounts, jobs, login_guard, paging, services, two_factor
from fazhi.core.errors import DomainError
from fazhi.core.models import ApiToken, Job, Message
from fazhi.core.permissions import api_auth, api_user

router = Router(tags=["平台"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str = ""  # the 动态验证码 (or a recovery code) of an account with 两步验证


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    username: str
    roles: list[str]
    expires_at: datetime


@router.post(
    "/auth/token",
    response=TokenOut,
    summary="用户名密码换取访问令牌",
    description=(
        "令牌在 FAZHI_TOKEN_DAYS 天（默认 30 天）后失效，修改或找回密码后立即作废。"
        "同一用户名 15 分钟内 5 次、同一地址 30 次密码错误即暂时锁定 15 分钟（默认值；与登录页共用计数），"
        "锁定期间返回 429。启用了两步验证的账号须同时在 otp 字段提供动态验证码（或备用验证码），"
        "缺少时返回 401 otp_required，错误时返回 401 bad_otp。"
    ),
)
def issue_token(request: HttpRequest, payload: TokenIn) -> dict:
    user = authenticate(request, username=payload.username.strip(), password=payload.password)
    if user is None:
        found = login_guard.outcome(request)
        if found is not None and found.result == login_guard.Result.LOCKED:
            raise DomainError(found.message, code="locked", status=429)
        if found is not None and found.result == login_guard.Result.INACTIVE:
            raise DomainError(found.message, code="inactive", status=403)
        raise DomainError("用户名或密码错误。", code="bad_credentials", status=401)
    if accounts.password_expired(user):
        raise DomainError(
            accounts.password_expired_message() + "请登录网页修改密码后再获取令牌。",
            code="password_expired",
            status=403,
        )
    if two_factor.enabled(user):
        if not payload.otp.strip():
            raise DomainError(
                "该账号已启用两步验证，请在 otp 字段提供动态验证码。", code="otp_required", status=401
            )
        try:
            two_factor.verify(user=user, code=payload.otp, request=request)
        except DomainError as exc:
            raise DomainError(exc.message, code="bad_otp", status=401) from exc
    token, key = ApiToken.issue(user)
    return {
        "token": key,
        "username": user.username,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "expires_at": token.expires_at,
    }


def _count(label: str) -> int:
    try:
        return apps.get_model(label).objects.count()
    except LookupError:
        return 0


@router.get("/health", summary="健康检查")
def health(request: HttpRequest) -> dict:
    from fazhi.search import registry

    return {
        "status": "ok",
        "laws": _count("laws.Law"),
        "articles": _count("laws.Article"),
        "policies": _count("policies.Policy"),
        "index": {"docs": registry.total_docs()},
    }


# --- 站内消息 ----------------------------------------------------------------------------------------

MESSAGES_LIMIT = 30
MESSAGES_MAX_LIMIT = 200
MESSAGES_MAX_RESULTS = 1_000_000  # a database list: deep pages cost little


class MessageOut(Schema):
    id: int
    title: str
    body: str
    url: str
    category: str
    created_at: datetime
    read_at: datetime | None


class MarkedOut(Schema):
    marked: int


@router.get("/messages", response=list[MessageOut], auth=api_auth, summary="我的站内消息")
def list_messages(
    request: HttpRequest,
    response: HttpResponse,
    unread: bool = False,
    limit: int = MESSAGES_LIMIT,
    offset: int = 0,
) -> list:
    """The caller's own messages, newest first; `unread=true` for the unread ones only. `limit` 1–200
    (default 30) from `offset`; the header `X-Total-Count` gives how many there are in all."""
    limit = paging.check_window(
        offset=offset, limit=limit, max_limit=MESSAGES_MAX_LIMIT, max_results=MESSAGES_MAX_RESULTS
    )
    mine = services.inbox_of(api_user(request), unread=unread)
    response["X-Total-Count"] = str(mine.count())
    return list(mine[offset : offset + limit])


@router.post("/messages/read-all", response=MarkedOut, auth=api_auth, summary="全部标为已读")
def mark_all_messages_read(request: HttpRequest) -> dict:
    return {"marked": services.mark_all_read(user=api_user(request))}


@router.post("/messages/{message_id}/read", response=MessageOut, auth=api_auth, summary="标为已读")
def mark_message_read(request: HttpRequest, message_id: int) -> Message:
    msg = services.mark_read(user=api_user(request), message_id=message_id)
    if msg is None:
        raise DomainError("消息不存在。", code="not_found", status=404)
    return msg


# --- 后台任务 ----------------------------------------------------------------------------------------


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    status_label: str
    stage: str
    done: int
    total: int
    percent: int
    progress_text: str
    warning: str
    file_name: str
    summary: str
    error: str
    errors: list[str]
    notes: list[str]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _job_out(job: Job) -> dict:
    view = jobs.describe(job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.stage,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "progress_text": view.progress_text,
        "warning": view.warning,
        "file_name": job.file_name,
        "summary": str(job.result.get("summary", "")),
        "error": job.error,
        "errors": list(job.result.get("errors", [])),
        "notes": list(job.result.get("notes", [])),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.get("/jobs/{job_id}", response=JobOut, auth=api_auth, summary="后台任务进度")
def job_detail(request: HttpRequest, job_id: int) -> dict:
    """A job the caller started (an import, say): status 排队中/进行中/已完成/未完成, the current step,
    `done` of `total` and, once it ends, the summary or the errors. Another user's job is a 404."""
    job = jobs.find(api_user(request), job_id)
    if job is None:
        raise DomainError("任务不存在。", code="not_found", status=404)
    return _job_out(job)
