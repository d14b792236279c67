"""Core API: token issue and health."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema

from fazhi.core.errors import DomainError
from fazhi.core.models import ApiToken

router = Router(tags=["平台"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    username: str
    roles: list[str]


@router.post("/auth/token", response=TokenOut, summary="用户名密码换取访问令牌")
def issue_token(request: HttpRequest, payload: TokenIn) -> dict:
    user = authenticate(request, username=payload.username.strip(), password=payload.password)
    if user is None or not user.is_active:
        raise DomainError("用户名或密码错误。", code="bad_credentials", status=401)
    _, key = ApiToken.issue(user)
    return {
        "token": key,
        "username": user.username,
        "roles": sorted(user.groups.values_list("name", flat=True)),
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
