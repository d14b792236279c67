"""Attachments: the file type is decided by the content (not the name) and the text is extracted.

Accepted: Word .docx (a zip holding word/document.xml), PDF (%PDF magic) and plain text (UTF-8, UTF-16
with a byte order mark, or GB18030). The text of a .docx is what Word shows (fazhi.core.docx_text:
automatic numbering written out, tracked changes accepted, tables and text boxes where they stand,
footnotes at the end). Old .doc/.wps files and files with an open password get their own message.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass

import filetype

from fazhi.core import docx_text, uploads
from fazhi.core.errors import ValidationFailed

MAX_BYTES = 20 * 1024 * 1024
KIND_LABELS = {"docx": "Word 文档（.docx）", "pdf": "PDF 文件", "txt": "纯文本文件（.txt）"}
EXTENSIONS = {".docx": "docx", ".pdf": "pdf", ".txt": "txt"}


@dataclass
class Extracted:
    kind: str
    text: str


# What other content is called in a message to the user (never the MIME type itself).
ARCHIVE_NAMES = {
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "gz": "gzip 压缩包",
    "bz2": "bzip2 压缩包",
    "xz": "xz 压缩包",
    "tar": "tar 归档文件",
    "exe": "Windows 可执行程序",
    "rtf": "RTF 文档",
    "epub": "电子书（EPUB）",
    "sqlite": "数据库文件（SQLite）",
}
MEDIA_NAMES = {"image": "图片", "video": "视频", "audio": "音频", "font": "字体文件"}


def describe(mime: str, extension: str) -> str:
    """图片（PNG）, 视频（MP4）, RAR 压缩包 … for a type that `filetype` recognised."""
    ext = (extension or "").lower()
    if ext in ARCHIVE_NAMES:
        return ARCHIVE_NAMES[ext]
    group = (mime or "").split("/", 1)[0]
    if group in MEDIA_NAMES:
        return f"{MEDIA_NAMES[group]}（{ext.upper()}）" if ext else MEDIA_NAMES[group]
    return f"其他格式（.{ext}）的文件" if ext else "无法识别格式的文件"


def sniff(data: bytes) -> str:
    """The real kind of the content: docx / pdf / txt, or a short Chinese description of what else it is."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return "损坏的压缩文件"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "Excel 表格"
        if "ppt/presentation.xml" in names:
            return "PowerPoint 演示文稿"
        return "ZIP 压缩包"
    if (ole := uploads.ole_kind(data)) is not None:
        return OLE_NAMES[ole]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "txt"  # Notepad's "Unicode" (UTF-16) text has NUL bytes but is text
    guess = filetype.guess(data[:8192])
    if guess is not None:
        return describe(guess.mime, guess.extension)
    if b"\x00" in data[:8192]:
        return "二进制文件"
    return "txt"


OLE_NAMES = {
    "encrypted": "设置了打开密码的 Office 文件",
    "word": "旧版 Word 97-2003 文档（.doc）或 WPS 文字文档（.wps）",
    "excel": "旧版 Excel 97-2003 表格（.xls）",
    "powerpoint": "旧版 PowerPoint 演示文稿（.ppt）",
    "ole": "旧版 Office 文档",
}


def _decode_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("文本文件编码无法识别，请另存为 UTF-8 编码后重新上传。")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValidationFailed("PDF 文件已损坏，无法读取其内容，请重新导出后上传。") from exc


def extract(name: str, data: bytes, *, size: int | None = None) -> Extracted:
    """Check the upload (size, extension, real content type) and return its text; raise ValidationFailed.

    `size`: the upload's full size, when `data` holds only its first MAX_BYTES + 1 bytes.
    """
    name = name or ""
    if not data:
        raise ValidationFailed(f"文件“{name}”是空文件，请选择正确的文稿。")
    if len(data) > MAX_BYTES:
        total = max(size or 0, len(data))
        raise ValidationFailed(
            f"文件“{name}”大小为 {total / 1024 / 1024:.1f} MB，超过 20 MB 上限，请压缩图片或拆分后上传。"
        )
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot >= 0 else ""
    claimed = EXTENSIONS.get(ext)
    actual = sniff(data)
    ole = uploads.ole_kind(data)
    if ole == "encrypted" or (ole == "word" and claimed in ("docx", None)):
        raise ValidationFailed(uploads.ole_refusal(ole, name, wanted="docx"))
    if claimed is None:
        hint = "请在 Word 或 WPS 中“另存为”.docx 后上传。" if ext in (".doc", ".wps", ".wpt", ".rtf") else ""
        raise ValidationFailed(f"不支持文件“{name}”的格式：只接受 .docx、.pdf、.txt 文件。{hint}")
    if actual == "损坏的压缩文件":
        raise ValidationFailed(
            f"文件“{name}”已损坏，无法打开，未保存。请用 Word 或 WPS 打开后“另存为”.docx 再上传。"
        )
    if actual != claimed:
        actual_label = KIND_LABELS.get(actual, actual)
        raise ValidationFailed(
            f"文件“{name}”的扩展名是 {ext}，但内容实际是{actual_label}，与文件名不符，未保存。"
            f"请上传真实的{KIND_LABELS[claimed]}。"
        )
    if claimed == "docx":
        text = docx_text.text(data, name=name)
    elif claimed == "pdf":
        text = _pdf_text(data)
    else:
        text = _decode_text(data)
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if not text.strip():
        raise ValidationFailed(
            f"未能从文件“{name}”中提取到文字（可能是扫描件或空白文档），请上传可复制文字的版本。"
        )
    return Extracted(kind=claimed, text=text.strip())
