"""Raw values (Excel cells, form fields) as typed values: lists, dates, bounded numbers; the known tags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.core.errors import ValidationFailed

KNOWN_TAGS = [
    "高新技术企业",
    "专精特新",
    "科技型中小企业",
    "外贸企业",
    "小巨人企业",
    "个体工商户",
    "规上企业",
]


def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [
        v.strip()
        for v in str(value).replace("，", "、").replace(",", "、").replace("；", "、").split("、")
        if v.strip()
    ]


def _as_date(value: Any, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    text = text.replace("年", "-").replace("月", "-").replace("日", "")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError as exc:
        raise ValidationFailed(f"{label}“{value}”不是有效日期，请写成 2020-02-05。") from exc


# Largest value an integer column holds on PostgreSQL (the production database), by model field type.
_INT_COLUMN_MAX = {
    "SmallIntegerField": 32767,
    "PositiveSmallIntegerField": 32767,
    "IntegerField": 2147483647,
    "PositiveIntegerField": 2147483647,
    "BigIntegerField": 9223372036854775807,
    "PositiveBigIntegerField": 9223372036854775807,
}
# Sane upper bounds for whole numbers people type (all within the columns above).
MAX_EMPLOYEES = 10_000_000
MAX_YEARS_ESTABLISHED = 200


def _number(value: Any, label: str) -> Decimal | None:
    """A finite, non-negative Decimal from a cell/field value ("1,200" allowed), or None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationFailed(f"{label}“{value}”不是数字。")
    try:
        d = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise ValidationFailed(f"{label}“{value}”不是数字。") from exc
    if not d.is_finite():
        raise ValidationFailed(f"{label}“{value}”不是数字。")
    if d < 0:
        raise ValidationFailed(f"{label}不能为负数。")
    return d


def _as_decimal(value: Any, label: str, field: Any) -> Decimal | None:
    """A Decimal that fits the model DecimalField `field` (its max_digits and decimal_places)."""
    d = _number(value, label)
    if d is None:
        return None
    places = field.decimal_places
    step = Decimal(1).scaleb(-places)
    limit = Decimal(10) ** (field.max_digits - places) - step
    if d > limit:
        raise ValidationFailed(f"{label}须为不超过 {limit} 的数。")
    if d != d.quantize(step):
        raise ValidationFailed(f"{label}“{value}”最多保留{places}位小数。")
    return d.quantize(step)


def _as_int(value: Any, label: str, field: Any, *, maximum: int | None = None) -> int | None:
    """A whole number within 0..maximum and within what the model IntegerField `field` can hold."""
    d = _number(value, label)
    if d is None:
        return None
    top = _INT_COLUMN_MAX.get(field.get_internal_type(), _INT_COLUMN_MAX["IntegerField"])
    if maximum is not None:
        top = min(top, maximum)
    if d != d.to_integral_value():
        raise ValidationFailed(f"{label}须为整数（填写的是 {d}）。")
    if d > top:
        raise ValidationFailed(f"{label}须为 0 到 {top} 之间的整数。")
    return int(d)
