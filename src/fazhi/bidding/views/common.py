"""Helpers shared by bidding pages: form parsing and domain errors shown as messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from fazhi.bidding.services.common import aware
from fazhi.core.errors import ValidationFailed


def post_text(request: HttpRequest, name: str) -> str:
    return (request.POST.get(name) or "").strip()


# Larger numbers cannot be stored or looked up (SQLite integers are 64-bit); no count or id gets near.
INT_LIMIT = 10**9


def post_int(request: HttpRequest, name: str, label: str, default: int | None = None) -> int:
    raw = post_text(request, name)
    if not raw and default is not None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationFailed(f"{label}须为整数。")
    if abs(value) > INT_LIMIT:
        raise ValidationFailed(f"{label}“{raw}”过大。")
    return value


def post_choice(request: HttpRequest, name: str, message: str) -> int:
    """The id of something the user picked from a list; `message` when it is missing or not an id."""
    try:
        value = int(post_text(request, name))
    except ValueError:
        raise ValidationFailed(message)
    if not 0 < value <= INT_LIMIT:
        raise ValidationFailed(message)
    return value


def post_datetime(request: HttpRequest, name: str, label: str, required: bool = True) -> dt.datetime | None:
    raw = post_text(request, name)
    if not raw:
        if required:
            raise ValidationFailed(f"请填写{label}。")
        return None
    try:
        # Well-formed but impossible dates (2026-02-30T09:00) raise ValueError rather than give None.
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValidationFailed(f"{label}“{raw}”不是有效的日期时间。")
    return aware(value, label)  # typed without a zone: local time, as every bidding service reads it


def post_date(request: HttpRequest, name: str, label: str) -> dt.date:
    raw = post_text(request, name)
    if not raw:
        raise ValidationFailed(f"请填写{label}。")
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(f"{label}“{raw}”不是有效的日期，请按 2026-07-23 的格式填写。")
    return value


def local_input(moment: dt.datetime | None) -> str:
    """A datetime as the value of an <input type="datetime-local">."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def parse_lines(text: str, columns: int, label: str) -> list[list[str]]:
    """Lines of “a | b | c” (also ｜ or tabs) with exactly `columns` fields."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").replace("\t", "|").split("|")]
        if len(parts) != columns:
            raise ValidationFailed(f"{label}第 {number} 行应有 {columns} 项，用“|”分隔：{line}")
        rows.append(parts)
    return rows


def truthy(value: Any) -> bool:
    return str(value).strip() in {"1", "on", "true", "客观", "是", "客观分"}
