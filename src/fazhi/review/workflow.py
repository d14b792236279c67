"""The review state machine as a data table: (from state, action, to state, roles, which drafts).

`services.transition` reads this table; nothing else decides who may move a draft where.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core import roles
from fazhi.review.models import State


@dataclass(frozen=True)
class Rule:
    source: str
    action: str
    target: str
    roles: tuple[str, ...]
    # "all" drafts, only "major" ones (marked 重大) or only "ordinary" ones.
    applies: str = "all"


ACTION_LABELS: dict[str, str] = {
    "submit": "提交审查",
    "start_review": "开始审查",
    "return": "退回修改",
    "approve": "审查通过",
    "reject": "不予通过",
    "publish": "发布",
    "file": "备案",
    "expire": "失效",
}

ACTIONS = list(ACTION_LABELS)
ACTION_CODES: dict[str, str] = {label: code for code, label in ACTION_LABELS.items()}

# Not a move along the table: the 发文字号/签发人 corrected after publication (services.corrections), kept in
# the same history so that the draft page lists it with who, when and why.
CORRECT_NUMBER = "correct_number"
HISTORY_LABELS: dict[str, str] = {**ACTION_LABELS, CORRECT_NUMBER: "更正文号"}

TABLE: list[Rule] = [
    Rule(State.DRAFTING, "submit", State.SUBMITTED, (roles.DRAFTER,)),
    Rule(State.RETURNED, "submit", State.SUBMITTED, (roles.DRAFTER,)),
    Rule(State.SUBMITTED, "start_review", State.IN_REVIEW, (roles.REVIEWER,)),
    Rule(State.IN_REVIEW, "return", State.RETURNED, (roles.REVIEWER,)),
    Rule(State.IN_REVIEW, "approve", State.APPROVED, (roles.REVIEWER,), applies="ordinary"),
    # A draft marked 重大 is approved only with the leader's sign-off; so is every 不予通过.
    Rule(State.IN_REVIEW, "approve", State.APPROVED, (roles.LEADER,), applies="major"),
    Rule(State.IN_REVIEW, "reject", State.REJECTED, (roles.LEADER,)),
    Rule(State.APPROVED, "publish", State.PUBLISHED, (roles.DRAFTER, roles.LEADER)),
    Rule(State.PUBLISHED, "file", State.FILED, (roles.DRAFTER, roles.REVIEWER)),
    Rule(State.PUBLISHED, "expire", State.EXPIRED, (roles.REVIEWER, roles.LEADER)),
    Rule(State.FILED, "expire", State.EXPIRED, (roles.REVIEWER, roles.LEADER)),
]

# Why an action is refused from a state (409), when the table has no row for it.
NOT_FROM_STATE: dict[str, str] = {
    "submit": "只有“起草”或“退回修改”状态的文稿可以提交审查",
    "start_review": "只有“已提交”的文稿可以开始审查",
    "return": "只有“审查中”的文稿可以退回修改",
    "approve": "只有“审查中”的文稿可以作出审查通过结论",
    "reject": "只有“审查中”的文稿可以作出不予通过结论",
    "publish": "未经合法性审查通过的文稿不得发布（应审尽审）",
    "file": "只有“已发布”的文稿可以备案",
    "expire": "只有“已发布”或“已备案”的文稿可以标记为失效",
}


def applies_to(rule: Rule, *, is_major: bool) -> bool:
    if rule.applies == "major":
        return is_major
    if rule.applies == "ordinary":
        return not is_major
    return True


def rules_for(action: str, *, is_major: bool) -> list[Rule]:
    return [r for r in TABLE if r.action == action and applies_to(r, is_major=is_major)]


def roles_for(action: str, *, is_major: bool) -> set[str]:
    return {role for r in rules_for(action, is_major=is_major) for role in r.roles}


def find(action: str, source: str, *, is_major: bool) -> Rule | None:
    for rule in rules_for(action, is_major=is_major):
        if rule.source == source:
            return rule
    return None
