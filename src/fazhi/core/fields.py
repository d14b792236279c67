"""What a model field can hold, checked before saving: SQLite keeps an over-long text or an over-large
Decimal without a word, and Django then cannot read the Decimal back (every page showing the row fails)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal


def decimal_excess(number: Decimal, *, max_digits: int, places: int) -> Literal["whole", "places"] | None:
    """Why `number` does not fit a DecimalField(max_digits, places) exactly: "whole" when it has more than
    max_digits - places integer digits, "places" when it has more than `places` decimals (it would be
    rounded); None when it fits. Trailing zeros (100.500) fit."""
    if abs(number) >= Decimal(10) ** (max_digits - places):
        return "whole"
    if number != number.quantize(Decimal(1).scaleb(-places)):
        return "places"
    return None


def max_length(model: Any, field_name: str) -> int | None:
    """The max_length of a model's text field (None when it has none)."""
    return getattr(model._meta.get_field(field_name), "max_length", None)
