"""Precheck API, mounted under /api/v1/review/.

POST /api/v1/review/precheck takes JSON {"text", "doc_type"} or a multipart upload (field `file`, a
.docx, plus an optional `doc_type` field) and returns {"findings": [...], "citations": [...]}.
"""

from __future__ import annotations

import json

from django.http import HttpRequest
from ninja import Router, Schema

from fazhi.core.errors import ValidationFailed
from fazhi.core.permissions import api_auth_checked, api_user
from fazhi.review.precheck import services

router = Router(tags=["合法性审查预审"])


class FindingOut(Schema):
    rule_id: str
    family: str
    severity: str
    paragraph: int
    start: int
    end: int
    quote: str
    message: str
    basis: str
    suggestion: str
    basis_url: str = ""


class CitationOut(Schema):
    paragraph: int
    start: int
    end: int
    text: str
    law: str
    article: str
    url: str


class PrecheckOut(Schema):
    findings: list[FindingOut]
    citations: list[CitationOut]


_REQUEST_BODY = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {
                            "type": "string",
                            "description": "文书全文",
                            "maxLength": services.MAX_CHARS,
                        },
                        "doc_type": {
                            "type": "string",
                            "example": "行政规范性文件",
                            "maxLength": services.MAX_DOC_TYPE,
                        },
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": ".docx 文件"},
                        "doc_type": {"type": "string"},
                    },
                }
            },
        },
        "required": True,
    }
}


@router.post(
    "/precheck",
    response=PrecheckOut,
    auth=api_auth_checked(services.require_precheck_role),
    openapi_extra=_REQUEST_BODY,
    summary="文书合法性预审",
)
def precheck(request: HttpRequest) -> dict:
    user = api_user(request)
    services.require_precheck_role(user)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("请以 file 字段上传 .docx 文件，或以 JSON 提交 text。")
        report = services.run_precheck(
            user=user,
            upload=upload.read(),
            upload_name=upload.name or "",
            text=request.POST.get("text"),
            doc_type=request.POST.get("doc_type", ""),
        )
    else:
        try:
            payload = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ValidationFailed('请求体不是有效的 JSON，应为 {"text": "…", "doc_type": "…"}。') from None
        if not isinstance(payload, dict):
            raise ValidationFailed('请求体应为 JSON 对象：{"text": "…", "doc_type": "…"}。')
        doc_type = payload.get("doc_type", "")
        if not isinstance(doc_type, str):
            raise ValidationFailed("doc_type 应为文字，如“行政规范性文件”。")
        report = services.run_precheck(user=user, text=payload.get("text"), doc_type=doc_type)
    return {
        "findings": [f.as_dict() for f in report.findings],
        "citations": [c.as_dict() for c in report.citations],
    }
