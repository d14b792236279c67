"""评标规则参数的说明 (written only in the admin) is refused over its limit, nothing saved; at it, saved."""

from __future__ import annotations

import pytest

from fazhi.bidding.admin import RULE_NOTE_LIMIT
from fazhi.bidding.models import Rule

from ..core.admin_change import admin_client, assert_admin_text_limit, superuser  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_rule_note_over_its_limit_is_refused_and_nothing_changes(admin_client):  # noqa: F811
    rule = Rule.objects.create(
        key="limits_test_rule", title="测试规则", value=3, source="测试依据", note="原说明"
    )
    assert_admin_text_limit(
        admin_client,
        f"/admin/bidding/rule/{rule.pk}/change/",
        "note",
        RULE_NOTE_LIMIT,
        "说明",
        rule,
        also={"title": "改过的规则"},
    )
