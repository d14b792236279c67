"""政策体检 for many enterprises at once: every (profile, policy) pair that `matching.evaluate` calls
eligible, without evaluating the whole cross product.

Contract: `eligible_pairs(profiles, policies, today=…)` returns the same pairs, in the same order and with
the same met conditions, as evaluating every profile against every policy and keeping the eligible ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from fazhi.policies.matching import (
    evaluate,
    local_place,
    profile_sections,
    region_within,
    states_conditions,
    years_since,
)
from fazhi.policies.models import EnterpriseProfile, Level, Policy


def _open_to_anyone(policy: Policy, today: dt.date) -> bool:
    """Whether some profile could be eligible: the policy's own facts leave nothing unmet or to verify
    whoever asks (conditions stated, a known region, measures and application window not over or ahead)."""
    if not states_conditions(policy):
        return False
    if policy.measures_end and policy.measures_end < today:
        return False
    if policy.temporary_cue and not policy.measures_end and not policy.effective_to:
        return False  # a temporary measure that states no end is left to verify
    if policy.apply_end and (
        policy.apply_end < today or (policy.apply_start is not None and policy.apply_start > today)
    ):
        return False
    if not policy.regions:
        return policy.level == Level.NATIONAL and not local_place(policy)
    return True


def _within_range(value: Decimal | int | None, lo: Decimal | int | None, hi: Decimal | int | None) -> bool:
    if lo is None and hi is None:
        return True
    return value is not None and (lo is None or value >= lo) and (hi is None or value <= hi)


class _ProfileSets:
    """The profiles (by position) that have each 门类, size, tag and region, built once for many policies."""

    def __init__(self, profiles: list[EnterpriseProfile]) -> None:
        self.everyone = set(range(len(profiles)))
        self.by_section: dict[str, set[int]] = defaultdict(set)
        self.by_size: dict[str, set[int]] = defaultdict(set)
        self.by_tag: dict[str, set[int]] = defaultdict(set)
        self.by_region: dict[str, set[int]] = defaultdict(set)
        self._regions: dict[tuple[str, ...], set[int]] = {}
        for i, profile in enumerate(profiles):
            for section in profile_sections(profile):
                self.by_section[section].add(i)
            if profile.size:
                self.by_size[profile.size].add(i)
            for tag in profile.tags or []:
                self.by_tag[tag].add(i)
            self.by_region[(profile.region or "").strip()].add(i)

    def within(self, regions: list[str]) -> set[int]:
        """Profiles located within one of the regions (policies share region lists, so each is judged once)."""
        key = tuple(regions)
        if key not in self._regions:
            self._regions[key] = set().union(
                *(
                    members
                    for region, members in self.by_region.items()
                    if region and any(region_within(region, x) for x in regions)
                )
            )
        return self._regions[key]

    def admitted(self, policy: Policy) -> set[int]:
        """Profiles that pass the policy's industry, size, tag and region conditions (a necessary test)."""
        found = self.everyone
        if policy.industries:
            found = found & set().union(*(self.by_section.get(s, ()) for s in policy.industries))
        if policy.sizes:
            found = found & set().union(*(self.by_size.get(s, ()) for s in policy.sizes))
        for tag in policy.required_tags or []:
            found = found & self.by_tag.get(tag, set())
        if policy.regions:
            found = found & self.within(policy.regions)
        return found


def eligible_pairs(
    profiles: Iterable[EnterpriseProfile], policies: Iterable[Policy], *, today: dt.date | None = None
) -> list[tuple[EnterpriseProfile, Policy, list[str]]]:
    """(profile, policy, met conditions) for every pair `evaluate` calls eligible, in the order given
    (profiles first, then policies).

    The same pairs as evaluating the cross product, found in a fraction of the time: a policy whose own
    facts rule everyone out is skipped, the others are evaluated only for the profiles that pass their
    industry, size, tag, region, age, staff and revenue conditions (looked up in sets built once), and
    `evaluate` still decides every pair that is left.
    """
    today = today or timezone.localdate()
    profiles, policies = list(profiles), list(policies)
    sets = _ProfileSets(profiles)
    found: list[tuple[int, int, list[str]]] = []
    for j, policy in enumerate(policies):
        if not _open_to_anyone(policy, today):
            continue
        years = policy.min_years_established
        for i in sets.admitted(policy):
            profile = profiles[i]
            if years and (not profile.established_on or years_since(profile.established_on, today) < years):
                continue
            if not _within_range(profile.employees, policy.employees_min, policy.employees_max):
                continue
            if not _within_range(profile.revenue, policy.revenue_min, policy.revenue_max):
                continue
            result = evaluate(policy, profile, today=today)
            if result.eligible:
                found.append((i, j, result.met))
    found.sort(key=lambda x: (x[0], x[1]))
    return [(profiles[i], policies[j], met) for i, j, met in found]
