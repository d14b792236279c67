"""企业划型 by the 工信部联企业〔2011〕300号 table: every boundary of every industry."""

from __future__ import annotations

import pytest

from fazhi.policies import sizing

INDUSTRIES = sizing.industries()


def test_the_table_covers_all_sixteen_industries_and_names_its_source():
    assert len(INDUSTRIES) == 16
    assert "工信部联企业〔2011〕300号" in sizing.source()


# Hand-written from DOMAIN.md (independent of the YAML file).
@pytest.mark.parametrize(
    ("industry", "employees", "revenue", "expected"),
    [
        ("industry", 1000, 40000, "大型"),
        ("industry", 999, 40000, "中型"),
        ("industry", 1000, 39999, "中型"),
        ("industry", 300, 2000, "中型"),
        ("industry", 299, 2000, "小型"),
        ("industry", 300, 1999, "小型"),
        ("industry", 20, 300, "小型"),
        ("industry", 19, 300, "微型"),
        ("industry", 20, 299, "微型"),
        ("software", 300, 10000, "大型"),
        ("software", 100, 1000, "中型"),
        ("software", 10, 50, "小型"),
        ("software", 9, 5000, "微型"),
        ("retail", 300, 20000, "大型"),
        ("retail", 50, 500, "中型"),
        ("retail", 10, 100, "小型"),
        ("retail", 10, 99, "微型"),
        ("wholesale", 200, 40000, "大型"),
        ("wholesale", 20, 5000, "中型"),
        ("wholesale", 5, 1000, "小型"),
        ("wholesale", 4, 1000, "微型"),
        ("other", 300, None, "大型"),
        ("other", 100, None, "中型"),
        ("other", 10, None, "小型"),
        ("other", 9, None, "微型"),
    ],
)
def test_domain_examples(industry, employees, revenue, expected):
    assert sizing.classify(industry=industry, employees=employees, revenue=revenue).size == expected


def _values(bounds: dict[str, int], delta: int = 0, only: str | None = None) -> dict[str, int]:
    out = {}
    for key, v in bounds.items():
        out[key] = v + (delta if only in (None, key) else 0)
    return out


def _classify(industry: str, values: dict[str, int]) -> str:
    return sizing.classify(
        industry=industry,
        employees=values.get("employees", 0),
        revenue=values.get("revenue", 0),
        assets=values.get("assets", 0),
    ).size


def _fill(ind: sizing.Industry, values: dict[str, int]) -> dict[str, int]:
    """Indicators the tier does not mention are set high so that only the tested bound decides."""
    every = set(ind.sme_below) | set(ind.medium) | set(ind.small)
    return {k: values.get(k, 10**9) for k in every}


@pytest.mark.parametrize("key", sorted(INDUSTRIES))
def test_every_boundary_of_every_industry(key):
    ind = INDUSTRIES[key]
    # At the SME ceiling on every indicator: large. One below on any single indicator: not large.
    at_ceiling = _fill(ind, _values(ind.sme_below))
    assert _classify(key, at_ceiling) == "大型"
    for indicator in ind.sme_below:
        below = dict(at_ceiling, **{indicator: ind.sme_below[indicator] - 1})
        assert _classify(key, below) == "中型", (key, indicator)
    # At the medium floor (but under the ceiling): medium; one below any medium indicator: small.
    # Indicators without a medium floor sit just under the SME ceiling (or very high when uncapped).
    medium = {
        k: ind.medium[k] if k in ind.medium else min(10**9, ind.sme_below.get(k, 10**9 + 1) - 1)
        for k in at_ceiling
    }
    assert _classify(key, medium) == "中型", (key, medium)
    for indicator in ind.medium:
        below = dict(medium, **{indicator: ind.medium[indicator] - 1})
        assert _classify(key, below) == "小型", (key, indicator)
    # At the small floor: small; one below any small indicator: micro.
    small = {
        k: ind.small[k] if k in ind.small else min(medium[k], ind.sme_below.get(k, 10**9) - 1) for k in medium
    }
    assert _classify(key, small) == "小型", (key, small)
    for indicator in ind.small:
        below = dict(small, **{indicator: ind.small[indicator] - 1})
        assert _classify(key, below) == "微型", (key, indicator)


def test_missing_indicators_give_no_size_and_say_which():
    result = sizing.classify(industry="construction", revenue=500)
    assert result.size == ""
    assert result.missing == ["资产总额"]


def test_the_steps_explain_the_decision():
    result = sizing.classify(industry="catering", employees=50, revenue=800)
    assert result.size == "小型"
    assert any("小型企业下限" in s for s in result.steps)
