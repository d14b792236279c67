"""What a project's set-up must respect, by procurement method: the committee's composition, the evaluation
method, the price weight and the price deductions. Each check returns the problems in Chinese, naming the rule's
source; the values are the rules in force (bidding/data/rules.yaml, corrected in 评标规则参数)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from fazhi.bidding import rules
from fazhi.bidding.models import Category, EvaluationMethod, Method, SmePolicy
from fazhi.core.errors import ValidationFailed

# What the committee is called under each method (87号令: 评标委员会; 74号令: 谈判小组、询价小组; 214号: 磋商小组).
PANEL_NAMES: dict[str, str] = {
    Method.OPEN_TENDER: "评标委员会",
    Method.INVITED_TENDER: "评标委员会",
    Method.COMPETITIVE_NEGOTIATION: "竞争性谈判小组",
    Method.INQUIRY: "询价小组",
    Method.COMPETITIVE_CONSULTATION: "磋商小组",
}


def _method_label(method: str) -> str:
    return str(Method(method).label) if method in Method.values else method


def committee_conf(method: str) -> dict[str, Any]:
    """The composition rule of one procurement method (rule `committee_size`, keyed by method)."""
    conf = (rules.value("committee_size") or {}).get(method)
    if not isinstance(conf, dict):
        raise ValidationFailed(
            f"评标规则参数“评审委员会人数”没有“{_method_label(method)}”的设置，请联系管理员在后台补充。"
        )
    return conf


def large_budget(conf: dict[str, Any], category: str) -> Decimal | None:
    """The budget from which the larger committee applies to `category` (None: never).

    The rule gives one amount for every category (87号令: 1000万元) or one per category (74号令第七条: the
    public-tender amount threshold for goods and services, the tender scale for works)."""
    raw = conf.get("large_budget")
    if isinstance(raw, dict):
        raw = raw.get(category)
    return None if raw is None else Decimal(str(raw))


def min_committee_size(*, method: str, category: str, budget: Decimal) -> int:
    """Smallest committee allowed for the method and budget (87号令第四十七条, 74号令第七条, 214号第十四条)."""
    conf = committee_conf(method)
    threshold = large_budget(conf, category)
    if threshold is not None and budget >= threshold:
        return int(conf["large_min_size"])
    return int(conf["min_size"])


def committee_problems(*, method: str, category: str, budget: Decimal, size: int, experts: int) -> list[str]:
    """Every way a committee of `size` with `experts` experts breaks the method's rule (empty: fine)."""
    conf = committee_conf(method)
    panel = PANEL_NAMES.get(method, "评标委员会")
    problems = []
    minimum = min_committee_size(method=method, category=category, budget=budget)
    if size < minimum:
        if minimum > int(conf["min_size"]):
            threshold = large_budget(conf, category)
            problems.append(
                f"{_method_label(method)}项目预算 {budget:,.2f} 元达到 {threshold:,.0f} 元，"
                f"{panel}应不少于 {minimum} 人（当前 {size} 人）"
            )
        else:
            problems.append(f"{_method_label(method)}项目的{panel}应不少于 {minimum} 人（当前 {size} 人）")
    if conf.get("odd", True) and size % 2 == 0:
        problems.append(f"{panel}人数应为单数（当前 {size} 人）")
    num, den = conf["expert_share"]
    if experts < 0 or Fraction(experts, max(size, 1)) < Fraction(int(num), int(den)):
        problems.append(f"评审专家应不少于{panel}成员总数的 {num}/{den}（当前 {experts}/{size}）")
    source = conf.get("basis") or rules.rule("committee_size").source
    return [f"{p}。依据：{source}" for p in problems]


def evaluation_method_problem(*, method: str, evaluation_method: str) -> str:
    """竞争性谈判、询价 decide by the lowest price; 磋商 scores (综合评分法): the methods the rule allows."""
    rule = rules.rule("evaluation_methods")
    allowed = (rule.value or {}).get(method)
    if allowed is None or evaluation_method in allowed:
        return ""
    names = "、".join(str(EvaluationMethod(m).label) for m in allowed if m in EvaluationMethod.values)
    chosen = EvaluationMethod(evaluation_method).label
    return f"{_method_label(method)}项目应采用{names}，不能采用{chosen}。依据：{rule.source}"


def price_weight_problem(*, method: str, category: str, weight: Decimal) -> str:
    """The price weight of a 综合评分法 project: the floor (87号令第五十五条, 214号第二十四条) and, for
    竞争性磋商, the ceiling (214号第二十四条)."""
    if weight <= 0 or weight > 100:
        return "价格分权重应在 0 到 100 之间。"
    label = Category(category).label
    low_rule = rules.rule("price_weight_min")
    minimum = low_rule.value.get(category)
    if minimum is not None and weight < Decimal(str(minimum)):
        return f"{label}项目的价格分权重不得低于 {minimum}%（当前 {weight}%）。依据：{low_rule.source}"
    high_rule = rules.rule("price_weight_max")
    maximum = ((high_rule.value or {}).get(method) or {}).get(category)
    if maximum is not None and weight > Decimal(str(maximum)):
        return (
            f"{_method_label(method)}的{label}项目价格分权重不得高于 {maximum}%（当前 {weight}%）。"
            f"依据：{high_rule.source}"
        )
    return ""


def _range_problem(*, rule: rules.RuleValue, low: Any, high: Any, pct: Decimal, what: str) -> str:
    if not (Decimal(str(low)) <= pct <= Decimal(str(high))):
        return f"{what}应在 {low}%—{high}% 之间（当前 {pct}%）。依据：{rule.source}"
    return ""


def sme_problem(*, category: str, policy: str, pct: Decimal) -> str:
    """The small/micro deduction the project chose, within the rule's range (财库〔2020〕46号第九条, 〔2022〕19号)."""
    if policy != SmePolicy.DEDUCTION:
        return "" if pct == 0 else "只有选择“小微企业价格扣除”时才能设置扣除比例。"
    rule = rules.rule("sme_deduction")
    low, high = rule.value[category]
    return _range_problem(
        rule=rule, low=low, high=high, pct=pct, what=f"{Category(category).label}项目的小微企业价格扣除比例"
    )


def consortium_problem(*, category: str, policy: str, pct: Decimal) -> str:
    """The consortium/subcontracting deduction: 0 (the project accepts neither) or within the rule's range
    (财库〔2020〕46号第九条, raised by 财库〔2022〕19号)."""
    if pct == 0:
        return ""
    if policy != SmePolicy.DEDUCTION:
        return "只有选择“小微企业价格扣除”时才能设置联合体或分包的价格扣除比例。"
    rule = rules.rule("consortium_deduction")
    low, high = rule.value["ranges"][category]
    return _range_problem(
        rule=rule,
        low=low,
        high=high,
        pct=pct,
        what=f"{Category(category).label}项目联合体或大中型企业分包给小微企业的价格扣除比例（不接受的填 0）",
    )


def bid_bond_problem(*, budget: Decimal, bond: Decimal) -> str:
    """投标保证金 at most the rule's share of the budget (政府采购法实施条例第三十三条: 2%)."""
    if bond <= 0:
        return "投标保证金须大于 0；不收取投标保证金的请留空。"
    rule = rules.rule("bid_bond_max")
    pct = Decimal(str(rule.value["pct"]))
    cap = (budget * pct / 100).quantize(Decimal("0.01"))
    if bond > cap:
        return (
            f"投标保证金 {bond:,.2f} 元超过预算金额 {budget:,.2f} 元的 {pct.normalize():f}%（{cap:,.2f} 元）。"
            f"依据：{rule.source}"
        )
    return ""
