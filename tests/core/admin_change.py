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
