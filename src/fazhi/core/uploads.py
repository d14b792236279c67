"""Upload checks: the type is decided by the file's content (filetype / magic bytes), never its name."""

from __future__ import annotations

import uuid
import zipfile
from typing import Any

import filetype
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from fazhi.core.errors import ValidationFailed

VIDEO_TYPES = {"video/mp4": "MP4", "video/webm": "WebM"}
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The extension a stored file gets, by the type its content was detected as (never the uploader's name).
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "application/pdf": ".pdf",
    DOCX: ".docx",
    XLSX: ".xlsx",
}
MB = 1024 * 1024
# An Office file unpacks to a few times its size (XML compresses ~10:1, pictures not at all); 256 MB
# unpacked is far beyond any real document under the 20 MB upload limits and keeps a zip bomb out.
MAX_UNPACKED = 256 * MB
MAX_MEMBERS = 10_000
# The first bytes of an OLE compound file (MS-CFB): Word 97–2003 .doc, Excel .xls, WPS .wps/.et, and
# every Office file saved with an open password (the encrypted package is stored inside one).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    if _head(upload).startswith(b"PK\x03\x04"):
        try:
            _zip_names(upload)
        except zipfile.BadZipFile as exc:
            raise ValidationFailed(f"{label}“{upload.name}”压缩结构损坏，无法识别。") from exc
    found = detect(upload)
    if found is not None and not found.startswith("video/"):
        return found
    raise ValidationFailed(f"{label}“{upload.name}”不是 PDF、Word（.docx）、Excel（.xlsx）或图片文件。")


def _zip_names(upload: Any) -> set[str]:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as zf:
            return set(zf.namelist())
    finally:
        upload.seek(0)


def detect(upload: Any) -> str | None:
    """The type of a file by its content, among those the site accepts (images, MP4/WebM, PDF, .docx,
    .xlsx); None for anything else. Used to name stored files and to serve them with the right type."""
    head = _head(upload)
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = _zip_names(upload)
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        return None
    kind = filetype.guess(head)
    if kind is not None and (kind.mime in IMAGE_TYPES or kind.mime in VIDEO_TYPES):
        return str(kind.mime)
    return None


def _ole_has_stream(data: bytes, name: str) -> bool:
    """Whether an OLE file's directory holds an entry `name` (MS-CFB §2.6: 128-byte entries with the
    name in UTF-16LE, zero padded to 64 bytes, then its length in bytes including the terminator)."""
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    start = data.find(encoded)
    while start >= 0:
        if start % 128 == 0 and data[start + 64 : start + 66] == len(encoded).to_bytes(2, "little"):
            return True
        start = data.find(encoded, start + 1)
    return False


def ole_kind(data: bytes) -> str | None:
    """What an OLE compound file is: "encrypted" (a .docx/.xlsx saved with an open password), "word"
    (Word 97–2003 .doc or WPS .wps), "excel" (.xls or WPS .et), "powerpoint", or "ole"; None when the
    content is no OLE file at all."""
    if not data.startswith(OLE_MAGIC):
        return None
    if _ole_has_stream(data, "EncryptedPackage"):
        return "encrypted"
    if _ole_has_stream(data, "WordDocument"):
        return "word"
    if _ole_has_stream(data, "Workbook") or _ole_has_stream(data, "Book"):
        return "excel"
    if _ole_has_stream(data, "PowerPoint Document"):
        return "powerpoint"
    return "ole"


def called(name: str) -> str:
    """How a message names the upload: 文件“通知.docx”, or 上传的文件 when the name is unknown."""
    return f"文件“{name}”" if name else "上传的文件"


def ole_refusal(kind: str, name: str, *, wanted: str) -> str:
    """The Chinese message for an OLE file uploaded where `wanted` ("docx" or "xlsx") is expected."""
    if kind == "encrypted":
        app = "Excel 或 WPS 表格" if wanted == "xlsx" else "Word 或 WPS"
        return (
            f"{called(name)}设置了打开密码，系统无法读取。请在 {app} 中打开，取消密码（文件 → 信息 → 保护 → "
            f"用密码进行加密，清空密码）并保存后重新上传。"
        )
    if wanted == "xlsx":
        old = "旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式" if kind == "excel" else "旧版 Office 格式"
        return f"{called(name)}是{old}，请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后重新上传。"
    old = "旧版 Word 97-2003（.doc）或 WPS 文字（.wps）格式" if kind == "word" else "旧版 Office 格式"
    return f"{called(name)}是{old}，请在 Word 或 WPS 中“另存为”Word 文档（.docx）后重新上传。"


def check_zip(zf: zipfile.ZipFile, *, name: str = "") -> None:
    """Refuse an Office package (zip) that would unpack to more than MAX_UNPACKED: a zip bomb, or a
    document stuffed with pictures. The sizes are the ones the archive declares, which zipfile enforces
    while reading (it stops at the declared size), so a lie cannot get past this check."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise ValidationFailed(
            f"{called(name)}解压后超过 {MAX_UNPACKED // MB} MB（可能含有大量图片，或文件已损坏），系统不予读取。"
            "请删除不必要的图片或拆分文件后重新上传。"
        )


@deconstructible
class ContentNamedUpload:
    """`upload_to` for a FileField: the stored name is chosen by the server — a random name under
    `directory/<year>/` with the extension of the type detected from the content (".bin" if none) — so an
    uploader's name (poster.html, ../x) never decides how the file is stored or later served."""

    def __init__(self, directory: str, field: str) -> None:
        self.directory = directory.strip("/")
        self.field = field

    def __call__(self, instance: Any, filename: str) -> str:
        file = getattr(instance, self.field)
        source = getattr(file, "file", None)
        found = detect(source) if source is not None else None
        extension = EXTENSIONS.get(found or "", ".bin")
        return f"{self.directory}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentNamedUpload) and (self.directory, self.field) == (
            other.directory,
            other.field,
        )

    def __hash__(self) -> int:
        return hash((self.directory, self.field))


def in_form(check: Any, value: Any, **kw: Any) -> Any:
    """Run an upload check inside a form's clean method: only a newly uploaded file is checked (a file
    already stored has no content type), and a refusal becomes the field's error."""
    if value and hasattr(value, "content_type"):
        try:
            check(value, **kw)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc
    return value
