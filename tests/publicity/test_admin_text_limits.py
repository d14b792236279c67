"""普法责任清单的说明 is refused over its limit, through the service (API) and in the admin; at it, saved.
The texts the service limits are held to the same limits in the admin (活动情况, 正文)."""

from __future__ import annotations

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.publicity import services
from fazhi.publicity.models import ResponsibilityList
from fazhi.publicity.services.responsibility import MAX_LIST_NOTE

from ..core.admin_change import admin_client, refused, shown_values, superuser  # noqa: F401

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_an_over_long_list_note_is_refused_and_no_list_is_created(superuser):  # noqa: F811
    with pytest.raises(ValidationFailed) as err:
        services.create_list(user=superuser, year=2026, department="法规科", note="说" * (MAX_LIST_NOTE + 1))
    assert err.value.message == f"说明不能超过 {MAX_LIST_NOTE:,} 个字（当前 {MAX_LIST_NOTE + 1:,} 个字）。"
    assert not ResponsibilityList.objects.exists()
    made = services.create_list(user=superuser, year=2026, department="法规科", note="说" * MAX_LIST_NOTE)
    assert ResponsibilityList.objects.get(pk=made.pk).note == "说" * MAX_LIST_NOTE


def test_the_api_refuses_an_over_long_list_note(admin_client):  # noqa: F811
    body = {"year": 2026, "department": "法规科", "note": "说" * 100_000}
    response = admin_client.post("/api/v1/publicity/responsibility/lists", body, content_type=JSON)
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == f"说明不能超过 {MAX_LIST_NOTE:,} 个字（当前 100,000 个字）。"
    assert not ResponsibilityList.objects.exists()


def test_the_admin_refuses_an_over_long_list_note_and_nothing_changes(superuser, admin_client):  # noqa: F811
    made = services.create_list(user=superuser, year=2026, department="法规科", note="原说明")
    url = f"/admin/publicity/responsibilitylist/{made.pk}/change/"
    data = shown_values(admin_client, url)
    response = admin_client.post(url, data | {"note": "说" * (MAX_LIST_NOTE + 1), "department": "办公室"})
    assert refused(response, "note") == [
        f"说明不能超过 {MAX_LIST_NOTE:,} 个字（当前 {MAX_LIST_NOTE + 1:,} 个字）。"
    ]
    made.refresh_from_db()
    assert (made.department, made.note) == ("法规科", "原说明")
    assert admin_client.post(url, data | {"note": "说" * MAX_LIST_NOTE}).status_code == 302
    made.refresh_from_db()
    assert made.note == "说" * MAX_LIST_NOTE
