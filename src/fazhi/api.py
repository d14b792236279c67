"""The JSON API (/api/v1/): one NinjaAPI, one router per domain app.

Every answer is JSON, errors included: {"detail": "<Chinese message>", "code": …}. An error nobody handles
is logged with its traceback and answered with a 500 in the same shape, DEBUG or not (django-ninja's own
handler answers plain-text tracebacks with DEBUG on, and leaves DEBUG off to Django's HTML page).
"""

import logging
import sys
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.parser import Parser

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

log = logging.getLogger("fazhi.errors")


class FazhiAPI(NinjaAPI):
    """The NinjaAPI whose default operation ids survive splitting a router's module into several.

    ninja derives an operation id from the view's module and name (fazhi_bidding_api_create_project); a module
    holding part of a split router names the module the ids keep coming from in `OPENAPI_MODULE`, so clients
    generated from the API description keep their method names."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = sys.modules.get(operation.view_func.__module__)
        origin = getattr(module, "OPENAPI_MODULE", None)
        if isinstance(origin, str):
            return f"{origin}_{operation.view_func.__name__}".replace(".", "_")
        return super().get_openapi_operation_id(operation)


class ObjectBodyParser(Parser):
    """Every JSON body of the API is an object: ninja would read a list or a number as an object without
    fields (all defaults), so `[1, 2]` sent to an update of optional fields would pass as `{}`."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise api_errors.BodyNotObject(api_errors.BODY_NOT_OBJECT)
        return data


api = FazhiAPI(
    parser=ObjectBodyParser(),
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


@api.exception_handler(DjangoPermissionDenied)
def on_django_permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    message = str(exc)
    detail = message if api_errors.has_chinese(message) else api_errors.FORBIDDEN
    return api.create_response(request, {"detail": detail, "code": "forbidden"}, status=403)


@api.exception_handler(SuspiciousOperation)
def on_suspicious_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Django answers these with a 400 (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a forged header …)."""
    logging.getLogger(f"django.security.{type(exc).__name__}").error(str(exc))
    if isinstance(exc, RequestDataTooBig):
        detail = "请求内容过大，请减小上传文件或分批提交。"
    else:
        detail = "请求不正确。"
    return api.create_response(request, {"detail": detail, "code": "bad_request"}, status=400)


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else: a Chinese 500 in JSON; the traceback goes to the log (and, for a developer who set
    FAZHI_TECHNICAL_ERRORS with DEBUG on, into the answer's "traceback")."""
    log.error("服务器错误：%s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, api_errors.server_error_body(exc), status=500)
