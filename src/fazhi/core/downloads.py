"""File downloads: a response whose Chinese file name survives every browser (RFC 6266 filename*)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpResponse


def download(data: bytes, filename: str, content_type: str, *, ascii_fallback: str = "") -> HttpResponse:
    """`data` as an attachment named `filename` (UTF-8); `ascii_fallback` adds a plain filename= first."""
    response = HttpResponse(data, content_type=content_type)
    plain = f"filename={ascii_fallback}; " if ascii_fallback else ""
    # RFC 5987 attr-char has no "/": quote it too (a title like 甲/乙 would otherwise cut the header).
    response["Content-Disposition"] = f"attachment; {plain}filename*=UTF-8''{quote(filename, safe='')}"
    return response


def open_stored(file: Any) -> Any:
    """A stored upload (a FieldFile) opened for reading; Http404 when there is none or it left the disk."""
    if not file:
        raise Http404("文件不存在。")
    try:
        return file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在，可能已被删除。") from exc


def stored_file(file: Any, name: str) -> HttpResponse:
    """A stored upload (a FieldFile) as an attachment named `name` plus the extension of its detected type.

    Every upload is served through a view that has checked who may read it (MEDIA_ROOT is not served); the
    type comes from the content, never from the stored name, and browsers are told not to guess
    (nosniff), so a file cannot be made to run as a page of the site. Raises Http404 if the file is gone."""
    from fazhi.core import uploads

    with open_stored(file) as handle:
        content_type = uploads.detect(handle) or "application/octet-stream"
        handle.seek(0)
        data = handle.read()
    extension = uploads.EXTENSIONS.get(content_type) or _kept_extension(file.name)
    response = download(data, name + extension, content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# Types the site does not recognise (old .doc/.xls forms, .zip, .wps) keep their extension so that the
# reader's computer opens them; anything a browser would render as a page becomes .bin.
_PAGE_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".xml", ".mht", ".mhtml", ".js"}


def _kept_extension(stored_name: str) -> str:
    dot = stored_name.rfind(".")
    extension = stored_name[dot:].lower() if dot > stored_name.rfind("/") else ""
    if 1 < len(extension) <= 6 and extension[1:].isascii() and extension[1:].isalnum():
        return ".bin" if extension in _PAGE_EXTENSIONS else extension
    return ".bin"
