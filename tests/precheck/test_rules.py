"""Every rule's own examples run as tests: positives are found, negatives are not."""

from __future__ import annotations

import pytest

from fazhi.review.precheck import engine
from fazhi.review.precheck.ruleset import FAMILIES, all_rules, load_rules

RULES = all_rules()


def _ids(text: str, doc_type: str) -> list[str]:
    return [f.rule_id for f in engine.check(text, doc_type, overrides={})]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_positive_example_is_found(rule, db, request):
    if rule.family == "CITE":
        request.getfixturevalue("law_library")
    for example in rule.positive:
        assert rule.id in _ids(example, rule.example_doc_type), example


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_each_negative_example_is_not_flagged_by_its_rule(rule, db, request):
    if rule.family == "CITE":
        request.getfixturevalue("law_library")
    for example in rule.negative:
        assert rule.id not in _ids(example, rule.example_doc_type), example


def test_every_family_has_rules_with_basis_message_and_suggestion():
    families = {f.code: f for f in load_rules()}
    assert set(families) == set(FAMILIES)
    for family in families.values():
        assert family.rules, family.code
        for rule in family.rules:
            assert rule.message and rule.basis and rule.suggestion
            assert len(rule.positive) >= 2 and len(rule.negative) >= 2
