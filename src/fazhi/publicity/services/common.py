"""普法 input checks shared by the writes: text length (fazhi.core.limits), a choice by code or label, the
campaign."""

from __future__ import annotations

from typing import Any

from django.db import models

from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import check_length
from fazhi.publicity.models import Campaign


def _text(value: Any, label: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationFailed(f"{label}不能为空。")
    return check_length(text, label, limit)


def _choice(value: Any, choices: type[models.TextChoices], label: str, default: str = "") -> str:
    """A choice given as its code (news) or its Chinese label (普法动态) → the code; else a Chinese error."""
    text = str(value or default).strip()
    if text in choices.values:
        return text
    by_label = {str(lbl): code for code, lbl in choices.choices}
    if text in by_label:
        return by_label[text]
    raise ValidationFailed(f"{label}“{text}”无效，可选：{'、'.join(str(x) for x in choices.labels)}。")


def _campaign(campaign_id: Any) -> Campaign | None:
    if campaign_id in (None, ""):
        return None
    found = Campaign.objects.filter(pk=campaign_id).first()
    if found is None:
        raise ValidationFailed("所选专题不存在，请重新选择。")
    return found
