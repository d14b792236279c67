"""The one length rule for free texts: a text over its limit is refused, never cut, with the field and the
limit named in one wording, 「说明不能超过 500 个字（当前 612 个字）。」.

Every app's services, pages, Excel imports and admin forms use it: `check_length` raises the project's
ValidationFailed, `length_problem` gives the reason for a list of problems (Excel rows, table checks) and
`MaxChars` is the same rule as a Django form validator (admin forms). The limit is given, or read from a
model field's max_length (`check_field`, through fazhi.core.fields.max_length): SQLite keeps an over-long text without a word.
Counts are characters, as Python counts them; numbers are written with thousands separators (5,000).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.deconstruct import deconstructible

from fazhi.core.errors import ValidationFailed
from fazhi.core.fields import max_length


def too_long_message(label: str, limit: int, count: int, hint: str = "") -> str:
    """「{label}不能超过 {limit} 个字（当前 {count} 个字）」, then 「，{hint}」 when given; no full stop."""
    message = f"{label}不能超过 {limit:,} 个字（当前 {count:,} 个字）"
    return f"{message}，{hint}" if hint else message


def length_problem(value: Any, label: str, limit: int, *, hint: str = "") -> str | None:
    """None when the text is within `limit` characters (at the limit is within), else the reason without a
    full stop, for a list of problems (an Excel row, a table's checks)."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        return too_long_message(label, limit, len(text), hint)
    return None


def check_length(value: Any, label: str, limit: int, *, hint: str = "") -> str:
    """The text (None → "") when within `limit` characters; else ValidationFailed with the Chinese reason
    and a full stop. The text is returned as given (callers strip it when their field is stripped)."""
    text = "" if value is None else str(value)
    problem = length_problem(text, label, limit, hint=hint)
    if problem:
        raise ValidationFailed(problem + "。")
    return text


def field_label(model: Any, field_name: str) -> str:
    return str(model._meta.get_field(field_name).verbose_name)


def check_field(value: Any, model: Any, field_name: str, label: str = "", *, hint: str = "") -> str:
    """`check_length` against the model field's max_length, the label defaulting to its verbose_name;
    a field without max_length takes any length."""
    limit = max_length(model, field_name)
    text = "" if value is None else str(value)
    if limit is None:
        return text
    return check_length(text, label or field_label(model, field_name), limit, hint=hint)


def field_problem(value: Any, model: Any, field_name: str, label: str = "") -> str | None:
    """`length_problem` against the model field's max_length (None when it has none)."""
    limit = max_length(model, field_name)
    if limit is None:
        return None
    return length_problem(value, label or field_label(model, field_name), limit)


@deconstructible
class MaxChars:
    """The rule as a Django form validator: a form (the admin's) shows the same message at the field.

    `self.fields["note"].validators.append(MaxChars("规则说明", 1000))`; an empty value is left to the
    field's own required check."""

    code = "max_length"

    def __init__(self, label: str, limit: int):
        self.label = label
        self.limit = limit

    def __call__(self, value: Any) -> None:
        problem = length_problem(value, self.label, self.limit)
        if problem:
            raise DjangoValidationError(problem + "。", code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaxChars) and (self.label, self.limit) == (other.label, other.limit)

    def __hash__(self) -> int:
        return hash((self.label, self.limit))


def limit_form_fields(form: Any, limits: dict[str, tuple[str, int]]) -> None:
    """Add the rule to a form's text fields: {field name: (label, limit)}; the textarea is not given a
    maxlength attribute, so a browser never cuts the text silently and the message says by how much it is
    over. Fields not on the form (read-only in the admin) are skipped."""
    for name, (label, limit) in limits.items():
        field = form.fields.get(name)
        if field is not None:
            field.validators.append(MaxChars(label, limit))


class TextLimitsAdmin:
    """A ModelAdmin (or inline) mixin: `text_limits = {"note": ("说明", 1000)}` puts the rule on those fields
    of its form, whether the admin's own form or the generated one; refused at the field, nothing saved.

    For texts only an administrator writes in the Django admin (rule notes, descriptions): the service
    writes, where there are any, call `check_length` with the same limits."""

    text_limits: dict[str, tuple[str, int]] = {}

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.name in self.text_limits:
            field.validators.append(MaxChars(*self.text_limits[db_field.name]))
        return field
