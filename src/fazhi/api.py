"""The JSON API (/api/v1/): one NinjaAPI, one router per domain app."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fazhi.bidding.api import router as bidding_router
from fazhi.cases.api import router as cases_router
from fazhi.core import api_errors
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
    return api.create_response(request, {"detail": api_errors.NOT_AUTHENTICATED}, status=401)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """pydantic's errors in Chinese, field by field (see fazhi.core.api_errors)."""
    detail, errors = api_errors.validation_detail(list(exc.errors))
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own errors (an unparseable body, a failed CSRF check …) in Chinese."""
    return api.create_response(request, {"detail": api_errors.http_error_detail(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc)
    detail = message if api_errors.has_chinese(message) else "未找到请求的内容。"
    return api.create_response(request, {"detail": detail}, status=404)
