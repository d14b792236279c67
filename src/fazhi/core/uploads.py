"""Upload checks: the type is decided by the file's content (filetype / magic bytes), never its name."""

from __future__ import annotations

import zipfile
from typing import Any

import filetype
from django import forms
from django.conf import settings

from fazhi.core.errors import ValidationFailed

VIDEO_TYPES = {"video/mp4": "MP4", "video/webm": "WebM"}
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF"}
MB = 1024 * 1024


def video_max_bytes() -> int:
    return int(getattr(settings, "FAZHI_VIDEO_MAX_MB", 200)) * MB


def image_max_bytes() -> int:
    return int(getattr(settings, "FAZHI_IMAGE_MAX_MB", 5)) * MB


def material_max_bytes() -> int:
    return int(getattr(settings, "FAZHI_MATERIAL_MAX_MB", 20)) * MB


def _head(upload: Any, n: int = 8192) -> bytes:
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return data


def _size_mb(n: int) -> str:
    return f"{n / MB:.1f} MB"


def check_video(upload: Any) -> str:
    """Return the MIME type of an MP4/WebM upload, or raise with the reason in Chinese."""
    if upload.size > video_max_bytes():
        raise ValidationFailed(
            f"视频文件“{upload.name}”大小为 {_size_mb(upload.size)}，超过 {_size_mb(video_max_bytes())} 的上限，请压缩后再上传。"
        )
    kind = filetype.guess(_head(upload))
    if kind is None or kind.mime not in VIDEO_TYPES:
        found = f"（检测到的实际类型：{kind.mime}）" if kind else ""
        raise ValidationFailed(f"视频文件“{upload.name}”不是 MP4 或 WebM 格式{found}，请转换格式后再上传。")
    return str(kind.mime)


def check_image(upload: Any, *, label: str = "图片") -> str:
    if upload.size > image_max_bytes():
        raise ValidationFailed(
            f"{label}“{upload.name}”大小为 {_size_mb(upload.size)}，超过 {_size_mb(image_max_bytes())} 的上限。"
        )
    kind = filetype.guess(_head(upload))
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise ValidationFailed(f"{label}“{upload.name}”不是 JPEG、PNG、WebP 或 GIF 图片，请重新选择。")
    return str(kind.mime)


def check_material(upload: Any, *, label: str = "材料") -> str:
    """Documents people download (activity materials, policy attachments): PDF, Word (.docx), Excel (.xlsx)
    or an image. Anything else (HTML, SVG, scripts…) is refused: it would be served from the site itself."""
    if upload.size > material_max_bytes():
        raise ValidationFailed(
            f"{label}“{upload.name}”大小为 {_size_mb(upload.size)}，超过 {_size_mb(material_max_bytes())} 的上限。"
        )
    head = _head(upload)
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise ValidationFailed(f"{label}“{upload.name}”压缩结构损坏，无法识别。") from exc
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    kind = filetype.guess(head)
    if kind is not None and kind.mime in IMAGE_TYPES:
        return str(kind.mime)
    raise ValidationFailed(f"{label}“{upload.name}”不是 PDF、Word（.docx）、Excel（.xlsx）或图片文件。")


def in_form(check: Any, value: Any, **kw: Any) -> Any:
    """Run an upload check inside a form's clean method: only a newly uploaded file is checked (a file
    already stored has no content type), and a refusal becomes the field's error."""
    if value and hasattr(value, "content_type"):
        try:
            check(value, **kw)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc
    return value
