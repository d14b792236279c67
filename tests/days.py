"""Days counted from today, resolved when a test runs rather than when pytest collects it.

A run collected before midnight China time (16:00 UTC) and still running after it would
otherwise compare a collected "tomorrow" with the service's today, which has become the same
day. Parametrized cases therefore carry a `Days` and the test body calls `resolve`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Days:
    """`offset` days after today (before it when negative); as an ISO string when `iso`."""

    offset: int
    iso: bool = False

    def resolve(self) -> dt.date | str:
        day = today() + dt.timedelta(days=self.offset)
        return day.isoformat() if self.iso else day


def resolve(value: Any) -> Any:
    """`value` with every `Days` in it (also inside dicts, lists and tuples) made a date."""
    if isinstance(value, Days):
        return value.resolve()
    if isinstance(value, dict):
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(resolve(v) for v in value)
    return value
