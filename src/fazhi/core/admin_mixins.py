"""Mixins shared by the domain apps' admin classes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin.widgets import AdminFileWidget
from django.http import HttpRequest

from fazhi.core.errors import DomainError


class BulkTransitionMixin:
    """Admin actions that run one service (publish, unpublish…) on each selected record.

    A record the service refuses is named with its Chinese reason; the others still go through, and
    one line says how many did (records already in the target state are counted apart, as unchanged). Subclasses say how the service takes the record's id (`transition_arg`,
    e.g. "case_id") and what a count of records reads like (`transition_noun`, e.g. "个案例").
    """

    transition_arg: str
    transition_noun: str

    def _transition(self, request: HttpRequest, queryset: Any, action: Callable[..., Any], verb: str) -> None:
        done = unchanged = 0
        for obj in queryset:
            before = getattr(obj, "status", None)
            try:
                result = action(user=request.user, **{self.transition_arg: obj.pk})
            except DomainError as exc:
                self.message_user(request, f"《{obj.title}》：{exc.message}", messages.ERROR)  # type: ignore[attr-defined]
                continue
            # A record already in the target state is left as it was: it is not counted as done.
            if before is not None and getattr(result, "status", None) == before:
                unchanged += 1
            else:
                done += 1
        if done:
            self.message_user(request, f"已{verb} {done} {self.transition_noun}。", messages.SUCCESS)  # type: ignore[attr-defined]
        if unchanged:
            self.message_user(  # type: ignore[attr-defined]
                request, f"{unchanged} {self.transition_noun}本来就是该状态，未作改动。", messages.INFO
            )


class _CurrentFile:
    """What the admin's file widget shows for a stored file: its name, linked to the permission-checked
    view of its app (uploads are not served under /media/)."""

    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.name = name

    def __str__(self) -> str:
        return self.name.rsplit("/", 1)[-1]


class CheckedFileInput(AdminFileWidget):
    """The admin's file input, its "currently" link pointing at `checked_url` (set per instance)."""

    checked_url = ""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if widget.get("is_initial") and self.checked_url:
            widget["value"] = _CurrentFile(self.checked_url, str(getattr(value, "name", value)))
        return context
