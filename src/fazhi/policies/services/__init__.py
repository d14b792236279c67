"""惠企政策 writes: importing, saving policies, refreshing statuses, enterprise profiles, subscriptions.

The parts: `values` (raw cell and field values as dates, lists and bounded numbers), `policy` (validating and
saving policies, statuses), `profile` (企业画像), `subscribing` (subscribing and unsubscribing), `thresholds`
(correcting the 企业划型标准).
"""

from __future__ import annotations

from fazhi.policies.services.policy import (
    CONDITION_FIELDS,
    EXTRACTED_FIELDS,
    SIZES,
    SUPPORT_LABELS,
    assign_values,
    clean_policy_values,
    problems,
    refresh_statuses,
    require_editor,
    save_policy,
)
from fazhi.policies.services.profile import (
    EARLIEST_ESTABLISHED,
    clean_profile,
    profile_from_values,
    save_profile,
)
from fazhi.policies.services.subscribing import Content, resubscribe, subscribe, unsubscribe
from fazhi.policies.services.thresholds import (
    ThresholdSaved,
    ensure_thresholds,
    save_threshold,
    threshold_problems,
)
from fazhi.policies.services.values import KNOWN_TAGS, MAX_EMPLOYEES, MAX_YEARS_ESTABLISHED

__all__ = [
    "EARLIEST_ESTABLISHED",
    "CONDITION_FIELDS",
    "EXTRACTED_FIELDS",
    "KNOWN_TAGS",
    "MAX_EMPLOYEES",
    "MAX_YEARS_ESTABLISHED",
    "SIZES",
    "SUPPORT_LABELS",
    "Content",
    "ThresholdSaved",
    "assign_values",
    "clean_policy_values",
    "clean_profile",
    "ensure_thresholds",
    "problems",
    "profile_from_values",
    "refresh_statuses",
    "require_editor",
    "resubscribe",
    "save_policy",
    "save_profile",
    "save_threshold",
    "subscribe",
    "threshold_problems",
    "unsubscribe",
]
