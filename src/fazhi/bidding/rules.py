"""Evaluation rules as data: defaults in data/rules.yaml, corrections in the 评标规则参数 table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.yaml"


@dataclass(frozen=True)
class RuleValue:
    key: str
    title: str
    value: Any
    source: str
    note: str = ""


@lru_cache(maxsize=1)
def defaults() -> dict[str, dict[str, Any]]:
    """The rules shipped with the code (rules.yaml), keyed by rule key."""
    with RULES_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def rule(key: str) -> RuleValue:
    """The rule in force: the admin-corrected row if there is one, else the shipped default."""
    return rules_in_force(key)[key]


def rules_in_force(*keys: str) -> dict[str, RuleValue]:
    """Several rules in force, read in one query (a list reads each rule once, not once per row)."""
    from fazhi.bidding.models import Rule

    rows = {row.key: row for row in Rule.objects.filter(key__in=keys)}
    out = {}
    for key in keys:
        row = rows.get(key)
        if row is not None:
            out[key] = RuleValue(row.key, row.title, row.value, row.source, row.note)
        else:
            data = defaults()[key]
            out[key] = RuleValue(key, data["title"], data["value"], data["source"], data.get("note", ""))
    return out


def value(key: str) -> Any:
    return rule(key).value


def ensure_rules() -> int:
    """Copy shipped defaults into the table (rows an admin already has are left alone); returns rows added."""
    from fazhi.bidding.models import Rule

    existing = set(Rule.objects.values_list("key", flat=True))
    added = 0
    for key, data in defaults().items():
        if key in existing:
            continue
        Rule.objects.create(
            key=key,
            title=data["title"],
            value=data["value"],
            source=data["source"],
            note=data.get("note", ""),
        )
        added += 1
    return added


def all_rules() -> list[RuleValue]:
    return list(rules_in_force(*defaults()).values())
