"""评标规则参数的说明 (written only in the admin) is refused over its limit, nothing saved; at it, saved."""

from __future__ import annotations

import pytest

from fazhi.bidding.admin import RULE_NOTE_LIMIT
from fazhi.bidding.models import Rule

from ..core.admin_change import admin_client, refused, shown_values, superuser  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_rule_note_over_its_limit_is_refused_and_nothing_changes(admin_client):  # noqa: F811
    rule = Rule.objects.create(
        key="limits_test_rule", title="测试规则", value=3, source="测试依据", note="原说明"
    )
    url = f"/admin/bidding/rule/{rule.pk}/change/"
    data = shown_values(admin_client, url)
    response = admin_client.post(url, data | {"note": "说" * (RULE_NOTE_LIMIT + 1), "title": "改过的规则"})
    assert refused(response, "note") == [
        f"说明不能超过 {RULE_NOTE_LIMIT:,} 个字（当前 {RULE_NOTE_LIMIT + 1:,} 个字）。"
    ]
    rule.refresh_from_db()
    assert (rule.title, rule.note) == ("测试规则", "原说明")
    assert admin_client.post(url, data | {"note": "说" * RULE_NOTE_LIMIT}).status_code == 302
    rule.refresh_from_db()
    assert rule.note == "说" * RULE_NOTE_LIMIT
