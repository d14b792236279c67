"""字幕文件 (WebVTT captions) for 普法微视频: the upload check, and the stored name it gets.

GB/T 37668-2019 follows WCAG 2.0: a prerecorded video needs captions (1.2.2) and a media alternative such
as a transcript (1.2.1). Captions are the one text file the site serves inside its pages, so the check is
strict: UTF-8, the "WEBVTT" signature line, at least one cue timing line, and a small size."""

from __future__ import annotations

import re
from typing import Any

from django.utils.deconstruct import deconstructible

from fazhi.core.errors import ValidationFailed
from fazhi.core.uploads import ContentNamedUpload

CONTENT_TYPE = "text/vtt; charset=utf-8"
# A caption file is plain text: even an hour of dense cues is a few hundred KB.
MAX_BYTES = 1024 * 1024
LABEL = "字幕文件"
REQUIRED_MESSAGE = "发布普法微视频须附字幕文件或文字稿（GB/T 37668-2019 / WCAG 1.2）。"

# WebVTT timestamps: optional hours (two or more digits), minutes, seconds, three-digit milliseconds.
_TIMESTAMP = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
_CUE_TIMING = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t].*)?$", re.MULTILINE)
_BOM = b"\xef\xbb\xbf"


def has_signature(head: bytes) -> bool:
    """Whether the bytes open with the WebVTT signature: an optional BOM, "WEBVTT", then a space, a tab or
    the end of the line (so "WEBVTTX" or "WEBVTT-like" text is not one)."""
    head = head.removeprefix(_BOM)
    return head.startswith(b"WEBVTT") and head[6:7] in (b"", b" ", b"\t", b"\r", b"\n")


def check_captions(upload: Any, *, label: str = LABEL) -> None:
    """Refuse, with the reason in Chinese, an upload that is not a usable WebVTT caption file."""
    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_BYTES:
        raise ValidationFailed(
            f"{label}“{name}”大小为 {upload.size / MAX_BYTES:.1f} MB，超过 1 MB 的上限。"
            "字幕文件是纯文本，通常只有几十 KB，请检查是否选错了文件。"
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"{label}“{name}”不是 UTF-8 编码的文本。WebVTT 字幕须使用 UTF-8 编码，"
            "请在记事本等编辑器中“另存为”UTF-8 编码后重新上传。"
        ) from exc
    if not has_signature(data):
        raise ValidationFailed(
            f"{label}“{name}”不是 WebVTT 格式：文件第一行须为“WEBVTT”。"
            "SRT 等其他格式的字幕请先转换为 WebVTT（.vtt）后再上传。"
        )
    if not _CUE_TIMING.search(text.replace("\r\n", "\n").replace("\r", "\n")):
        raise ValidationFailed(
            f"{label}“{name}”中没有字幕时间行（如“00:00:01.000 --> 00:00:04.000”），"
            "请检查文件是否完整后重新上传。"
        )


@deconstructible
class CaptionsUpload(ContentNamedUpload):
    """`upload_to` for the captions field: a server-chosen name as for every upload, ending in .vtt when the
    content is WebVTT (content-detected types do not include text, which would otherwise give .bin)."""

    def __call__(self, instance: Any, filename: str) -> str:
        name = super().__call__(instance, filename)
        source = getattr(getattr(instance, self.field), "file", None)
        if source is None:
            return name
        source.seek(0)
        head = source.read(16)
        source.seek(0)
        return name.rsplit(".", 1)[0] + ".vtt" if has_signature(head) else name
