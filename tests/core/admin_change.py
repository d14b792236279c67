"""POSTing an admin change form as the page would send it: every field (and each inline's rows) with the
values it shows, one or more changed. For the tests of the limits put on admin-only texts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        "limits-admin", "limits-admin@example.com", "pw-12345678"
    )


@pytest.fixture
def admin_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def _form_values(form: Any, prefix: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        key = bound.html_name
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            for i, part in enumerate(value):
                data[f"{key}_{i}"] = "" if part is None else str(part)
        else:
            data[key] = "" if value is None else str(value)
    return data


def shown_values(client: Client, url: str) -> dict[str, Any]:
    """The change (or add) page's form as it would be submitted unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = _form_values(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {
                management[n].html_name: str(management[n].value() or 0)
                for n in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
            }
        )
        data[management["TOTAL_FORMS"].html_name] = str(len(formset.initial_forms))
        for form in formset.initial_forms:
            data.update(_form_values(form))
    return data


def refused(response: Any, field: str) -> list[str]:
    """The errors shown at `field` of a change form that was not saved (the page comes back, 200)."""
    assert response.status_code == 200, f"saved (status {response.status_code})"
    return list(response.context["adminform"].form.errors.get(field, []))


def assert_admin_text_limit(
    client: Client,
    url: str,
    field: str,
    limit: int,
    label: str,
    obj: Any,
    *,
    also: dict[str, Any] | None = None,
    error_at: str | None = None,
    fill: str = "说",
) -> None:
    """The limit of an admin change form's text, both ways.

    Posted one character over `limit` (with the `also` fields changed in the same post): refused with
    「{label}不能超过 {limit} 个字（当前 {limit + 1} 个字）。」 at `field` (or at `error_at`, "__all__" for the
    form's own clean), and `obj` is unchanged in the database, `field` and the `also` fields alike. Posted at
    the limit: saved (the admin redirects) with the text whole."""
    also = also or {}
    data = shown_values(client, url)
    before = {name: getattr(obj, name) for name in (field, *also)}
    response = client.post(url, data | also | {field: fill * (limit + 1)})
    assert refused(response, error_at or field) == [
        f"{label}不能超过 {limit:,} 个字（当前 {limit + 1:,} 个字）。"
    ]
    obj.refresh_from_db()
    assert {name: getattr(obj, name) for name in before} == before
    saved = client.post(url, data | {field: fill * limit})
    assert saved.status_code == 302, f"not saved at the limit (status {saved.status_code})"
    obj.refresh_from_db()
    assert getattr(obj, field) == fill * limit
