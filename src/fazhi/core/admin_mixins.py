"""Mixins shared by the domain apps' admin classes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from fazhi.core.errors import DomainError


class BulkTransitionMixin:
    """Admin actions that run one service (publish, unpublish…) on each selected record.

    A record the service refuses is named with its Chinese reason; the others still go through, and
    one line says how many did. Subclasses say how the service takes the record's id (`transition_arg`,
    e.g. "case_id") and what a count of records reads like (`transition_noun`, e.g. "个案例").
    """

    transition_arg: str
    transition_noun: str

    def _transition(self, request: HttpRequest, queryset: Any, action: Callable[..., Any], verb: str) -> None:
        done = 0
        for obj in queryset:
            try:
                action(user=request.user, **{self.transition_arg: obj.pk})
                done += 1
            except DomainError as exc:
                self.message_user(request, f"《{obj.title}》：{exc.message}", messages.ERROR)  # type: ignore[attr-defined]
        if done:
            self.message_user(request, f"已{verb} {done} {self.transition_noun}。", messages.SUCCESS)  # type: ignore[attr-defined]
