"""The frame of every page about one draft: visibility, the way back to it and the refused form kept."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core.errors import DomainError, NotFound, PermissionDenied
from fazhi.core.permissions import role_required
from fazhi.review import selectors
from fazhi.review.models import Draft

WORKFLOW = selectors.WORKFLOW_ROLES


def _draft_or_error(request: HttpRequest, draft_id: int) -> Draft:
    try:
        return selectors.get_draft_for(request.user, draft_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return render(request, "core/forbidden.html", {"roles": WORKFLOW, "message": exc.message}, status=403)


def draft_page(view: Callable) -> Callable:
    """Pages about one draft: the draft must be visible to the user (403 page otherwise)."""

    @wraps(view)
    def wrapped(request: HttpRequest, draft_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            draft = _draft_or_error(request, draft_id)
        except PermissionDenied as exc:
            return _forbidden(request, exc)
        return view(request, draft, *args, **kwargs)

    return role_required(*WORKFLOW)(wrapped)


def _back(draft: Draft, anchor: str = "") -> HttpResponse:
    return redirect(draft.get_absolute_url() + (f"#{anchor}" if anchor else ""))


KEPT = "review-kept-form"  # session key: what a refused form on the draft page held, shown again once


def _keep(request: HttpRequest, draft: Draft, form: str, refusal: str = "") -> None:
    """Remember the refused form's text fields so that the draft page fills them in again (the page is
    reached by a redirect, so the typed finding, conclusion or comment would otherwise be lost), and why it
    was refused, for the form to show beside its fields (the message at the top of the page is out of
    sight on a phone when the page opens at the form)."""
    fields = {
        k: v[:20000] for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and isinstance(v, str)
    }
    request.session[KEPT] = {"draft": draft.pk, "form": form, "fields": fields, "refusal": refusal}


def _kept(request: HttpRequest, draft: Draft) -> dict[str, Any]:
    kept = request.session.pop(KEPT, None)
    if not kept or kept.get("draft") != draft.pk:
        return {}
    return {**kept.get("fields", {}), "form": kept.get("form", ""), "refusal": kept.get("refusal", "")}


def _run(
    request: HttpRequest, draft: Draft, service: Callable[..., Any], ok: str, anchor: str = "", **kwargs: Any
) -> HttpResponse:
    """Call one service as the user on the draft; show its Chinese error (never a 500) and go back to it,
    with what was typed filled in again when it was refused."""
    try:
        service(user=request.user, draft_id=draft.pk, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        _keep(request, draft, request.POST.get("form") or anchor, exc.message)
    else:
        messages.success(request, ok)
    return _back(draft, anchor)
