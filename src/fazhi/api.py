"""The JSON API (/api/v1/): one NinjaAPI, one router per domain app."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fazhi.bidding.api import router as bidding_router
from fazhi.cases.api import router as cases_router
from fazhi.core.api import router as core_router
from fazhi.core.errors import DomainError
from fazhi.exams.api import router as exams_router
from fazhi.laws.api import router as laws_router
from fazhi.performance.api import router as performance_router
from fazhi.policies.api import router as policies_router
from fazhi.publicity.api import router as publicity_router
from fazhi.reports.api import router as reports_router
from fazhi.review.api import router as review_router

api = NinjaAPI(
    title="财政法治服务平台 API",
    version="1",
    description="fazhi 公共与内部接口。内部接口使用 Bearer 令牌（POST /api/v1/auth/token 获取）。",
    urls_namespace="api-v1",
)

api.add_router("", core_router)
api.add_router("/laws", laws_router)
api.add_router("/policies", policies_router)
api.add_router("/review", review_router)
api.add_router("/exams", exams_router)
api.add_router("/cases", cases_router)
api.add_router("/publicity", publicity_router)
api.add_router("/performance", performance_router)
api.add_router("/bidding", bidding_router)
api.add_router("/reports", reports_router)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=exc.status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "未登录或令牌无效，请先获取访问令牌。"}, status=401)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for err in exc.errors:
        loc = ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "query", "payload"))
        problems.append(f"{loc or '参数'}：{err.get('msg', '格式不正确')}")
    return api.create_response(
        request, {"detail": "请求参数不正确：" + "；".join(problems), "errors": exc.errors}, status=422
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
