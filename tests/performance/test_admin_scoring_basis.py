"""评分规则的依据 (ScoringConfig.basis) is written only in the admin: over its limit it is refused at the field
with the one Chinese wording and nothing of the rule set changes; at the limit it is saved whole."""

from __future__ import annotations

from fazhi.performance.admin import SCORING_BASIS_LIMIT
from fazhi.performance.models import ScoringConfig
from tests.core.admin_change import admin_client, refused, shown_values, superuser  # noqa: F401


def _config() -> ScoringConfig:
    return ScoringConfig.objects.filter(is_current=True).first() or ScoringConfig.objects.create(
        name="现行评分规则", is_current=True
    )


def test_a_basis_over_its_limit_is_refused_and_nothing_changes(admin_client):  # noqa: F811
    config = _config()
    url = f"/admin/performance/scoringconfig/{config.pk}/change/"
    before = (config.name, config.basis, config.disclosure_days)
    data = shown_values(admin_client, url)
    response = admin_client.post(
        url, data | {"name": "改过的名称", "disclosure_days": "15", "basis": "依" * (SCORING_BASIS_LIMIT + 1)}
    )
    assert refused(response, "basis") == [
        f"依据不能超过 {SCORING_BASIS_LIMIT:,} 个字（当前 {SCORING_BASIS_LIMIT + 1:,} 个字）。"
    ]
    config.refresh_from_db()
    assert (config.name, config.basis, config.disclosure_days) == before


def test_a_basis_at_its_limit_is_saved_whole(admin_client):  # noqa: F811
    config = _config()
    url = f"/admin/performance/scoringconfig/{config.pk}/change/"
    data = shown_values(admin_client, url)
    response = admin_client.post(url, data | {"basis": "依" * SCORING_BASIS_LIMIT})
    assert response.status_code == 302, response.status_code
    config.refresh_from_db()
    assert config.basis == "依" * SCORING_BASIS_LIMIT
