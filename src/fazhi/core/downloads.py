"""File downloads: a response whose Chinese file name survives every browser (RFC 6266 filename*)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse


def download(data: bytes, filename: str, content_type: str, *, ascii_fallback: str = "") -> HttpResponse:
    """`data` as an attachment named `filename` (UTF-8); `ascii_fallback` adds a plain filename= first."""
    response = HttpResponse(data, content_type=content_type)
    plain = f"filename={ascii_fallback}; " if ascii_fallback else ""
    response["Content-Disposition"] = f"attachment; {plain}filename*=UTF-8''{quote(filename)}"
    return response
