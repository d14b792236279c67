"""Precheck service: validate the input (pasted text or an uploaded .docx), check permissions, run the engine."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fazhi.core import docx_text as reader
from fazhi.core import roles, uploads
from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.permissions import require_role
from fazhi.review.precheck import engine
from fazhi.review.precheck.docx import is_docx

ALLOWED_ROLES = (roles.DRAFTER, roles.REVIEWER, roles.LEADER, roles.SYSADMIN)
MAX_CHARS = 200_000  # about 200 pages; a draft longer than this is split by the drafter
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_DOC_TYPE = 40
DOC_TYPES = ("行政规范性文件", "政府采购文件", "重大行政决策", "合同", "行政处罚决定书", "其他文书")


def require_precheck_role(user: Any) -> None:
    require_role(
        user, *ALLOWED_ROLES, message="只有起草人、法制审核员、分管领导和系统管理员可以使用合法性预审。"
    )


def text_from_upload(*, data: bytes, name: str = "") -> str:
    """The text of an uploaded .docx (checked by content); clear Chinese errors otherwise."""
    if not data:
        raise ValidationFailed("上传的文件是空的，请重新选择 .docx 文件。")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            f"上传的文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请删去图片等内容后再上传。"
        )
    old_kind = uploads.ole_kind(data)
    if old_kind is not None:  # .doc/.wps or a password-protected file: say which, not just "not .docx"
        raise ValidationFailed(uploads.ole_refusal(old_kind, name, wanted="docx"))
    if not is_docx(data):
        raise ValidationFailed("只支持 Word 2007 及以上的 .docx 文件；.doc、PDF 等请另存为 .docx 后上传。")
    try:
        text = reader.text(data, name=name)
    except ValidationFailed:
        raise  # the reader already says what is wrong (encrypted, too large unpacked, damaged…)
    except Exception as exc:  # anything the reader did not foresee: still a Chinese answer, not a 500
        raise ValidationFailed("无法读取该 .docx 文件，文件可能已损坏，请用 Word 打开后另存再上传。") from exc
    if not text.strip():
        raise ValidationFailed(
            "文件中没有可读的正文（可能只有图片、扫描件或空白页），请上传含文字的 .docx 文件或直接粘贴文书内容。"
        )
    return text


def run_precheck(
    *,
    user: Any,
    text: str | None = None,
    doc_type: str = "",
    upload: bytes | None = None,
    upload_name: str = "",
    procedures: Iterable[str] | None = None,
) -> engine.Report:
    """Check a draft for a drafter or reviewer; the text comes from `text` or an uploaded .docx.

    `procedures`: the procedure steps recorded on the draft, if the text belongs to one (see engine.run).
    """
    require_precheck_role(user)
    doc_type = (doc_type or "").strip()
    check_length(doc_type, "文书类型", MAX_DOC_TYPE, hint="请填写如“行政规范性文件”“政府采购文件”")
    # No type at all is a general check (the API's doc_type is optional); a type nobody knows is a mistake.
    if doc_type and engine.normalize_doc_type(doc_type) not in DOC_TYPES:
        raise ValidationFailed(f"文书类型“{doc_type}”无效，可选：{'、'.join(DOC_TYPES)}。")
    if upload is not None:
        if isinstance(text, str) and text.strip():
            raise ValidationFailed(
                "粘贴文书内容和上传 .docx 文件只能二选一：要检查文件，请清空文本框后重新选择文件；"
                "要检查粘贴的文字，请不要选择文件。"
            )
        text = text_from_upload(data=upload, name=upload_name)
    if text is not None and not isinstance(text, str):
        raise ValidationFailed("文书内容应为文字。")
    if not text or not text.strip():
        raise ValidationFailed("请粘贴文书内容或上传 .docx 文件，文书内容不能为空。")
    check_length(text, "单次预审的文书内容", MAX_CHARS, hint="请分章节提交")
    return engine.run(text, doc_type, procedures=procedures)
