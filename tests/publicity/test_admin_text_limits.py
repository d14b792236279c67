"""普法责任清单的说明 is refused over its limit, through the service (API) and in the admin; at it, saved.
宣传节点的简介, written only in the admin, likewise. The texts the service limits are held to the same
limits in the admin (活动情况, 正文)."""

from __future__ import annotations

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.publicity import services
from fazhi.publicity.admin import CAMPAIGN_DESCRIPTION_LIMIT
from fazhi.publicity.models import Campaign, ResponsibilityList
from fazhi.publicity.services.responsibility import MAX_LIST_NOTE

from ..core.admin_change import admin_client, assert_admin_text_limit, superuser  # noqa: F401

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
    assert_admin_text_limit(
        admin_client,
        f"/admin/publicity/responsibilitylist/{made.pk}/change/",
        "note",
        MAX_LIST_NOTE,
        "说明",
        made,
        also={"department": "办公室"},
    )


def test_the_admin_refuses_an_over_long_campaign_description_and_nothing_changes(admin_client):  # noqa: F811
    campaign = Campaign.objects.create(
        name="测试宣传日", slug="limits-test-day", month=9, day=1, description="依据某文件设立。"
    )
    assert_admin_text_limit(
        admin_client,
        f"/admin/publicity/campaign/{campaign.pk}/change/",
        "description",
        CAMPAIGN_DESCRIPTION_LIMIT,
        "简介",
        campaign,
        also={"theme": "改过的主题"},
        fill="简",
    )


def test_the_start_up_campaign_descriptions_are_within_the_limit():
    from fazhi.publicity.bootstrap import CAMPAIGNS

    assert max(len(description) for *_, description in CAMPAIGNS) <= CAMPAIGN_DESCRIPTION_LIMIT
