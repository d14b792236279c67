"""评标规则参数 as data (the values in force: fazhi.bidding.rules)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from fazhi.bidding.models.projects import Category, EvaluationMethod, Method


class Rule(models.Model):
    """评标规则参数: one rule as data, with its source; defaults come from bidding/data/rules.yaml."""

    key = models.CharField("规则键", max_length=60, unique=True)
    title = models.CharField("规则", max_length=200)
    value = models.JSONField("取值")
    source = models.CharField("依据", max_length=300)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "评标规则参数"
        verbose_name_plural = "评标规则参数"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.title}（{self.key}）"

    # Keys whose values are counts of working days (fazhi.core.workdays refuses negative counts).
    WORKING_DAY_KEYS = {
        "deadlines": ("report_working_days", "confirm_working_days"),
        "contract_deadline": ("publish_working_days",),
        "handover_deadline": ("working_days",),
    }

    def clean(self) -> None:
        super().clean()
        shape_check = SHAPE_CHECKS.get(self.key)
        if shape_check is not None:
            problem = shape_check(self.value)
            if problem:
                raise ValidationError({"value": problem})
        if self.key == "conflict_window":
            raw = self.value.get("years") if isinstance(self.value, dict) else None
            if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 10:
                raise ValidationError({"value": "“years”应为 1 至 10 之间的整数（年）。"})
        if self.key in SWITCHES:
            raw = self.value.get("required") if isinstance(self.value, dict) else None
            if not isinstance(raw, bool):
                raise ValidationError(
                    {"value": f"“required”应为 true（{SWITCHES[self.key]}）或 false（不强制）。"}
                )
        for name in self.WORKING_DAY_KEYS.get(self.key, ()):
            raw = self.value.get(name) if isinstance(self.value, dict) else None
            if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 60:
                raise ValidationError({"value": f"“{name}”应为 0 至 60 之间的整数（工作日天数）。"})


# Rules that switch a requirement on or off: {"required": true | false}, and what "true" requires.
SWITCHES = {
    "identity_check_required": "须核验",
    "av_archive_required": "须登记存档",
    "sme_size_check": "规模不符的不予价格扣除",
}


def _count(raw: Any) -> bool:
    return not isinstance(raw, bool) and isinstance(raw, int) and 1 <= raw <= 1000


def _amount(raw: Any) -> bool:
    return not isinstance(raw, bool) and isinstance(raw, int | float) and raw > 0


def _pct(raw: Any) -> bool:
    return not isinstance(raw, bool) and isinstance(raw, int | float) and 0 <= raw <= 100


def _by_method(value: Any, what: str) -> str:
    if not isinstance(value, dict) or set(value) != set(Method.values):
        names = "、".join(f"{m}（{label}）" for m, label in Method.choices)
        return f"取值应按采购方式各设一项{what}：{names}。"
    return ""


def _committee_problem(value: Any) -> str:
    """committee_size: one entry per procurement method (87号令第四十七条, 74号令第七条, 214号第十四条)."""
    problem = _by_method(value, "评审委员会人数")
    if problem:
        return problem
    for method, conf in value.items():
        label = Method(method).label
        if not isinstance(conf, dict) or not _count(conf.get("min_size")):
            return f"“{method}”（{label}）须有 min_size（最少人数，正整数）。"
        if not isinstance(conf.get("odd", True), bool):
            return f"“{method}”（{label}）的 odd 应为 true 或 false。"
        share = conf.get("expert_share")
        if not (
            isinstance(share, list)
            and len(share) == 2
            and all(_count(n) for n in share)
            and share[0] <= share[1]
        ):
            return f"“{method}”（{label}）的 expert_share 应为 [分子, 分母]，如 [2, 3]。"
        large = conf.get("large_budget")
        if large is None:
            continue
        amounts = large.values() if isinstance(large, dict) else [large]
        if isinstance(large, dict) and not set(large) <= set(Category.values):
            return f"“{method}”（{label}）的 large_budget 按品目设置时只能用 goods、services、works。"
        if not all(a is None or _amount(a) for a in amounts):
            return f"“{method}”（{label}）的 large_budget 应为正数金额（元），或按品目设置、不适用的为 null。"
        if not _count(conf.get("large_min_size")):
            return f"“{method}”（{label}）设置了 large_budget，须同时设置 large_min_size（正整数）。"
    return ""


def _price_weight_max_problem(value: Any) -> str:
    """price_weight_max: for the methods listed, a ceiling per category or null (214号第二十四条)."""
    if not isinstance(value, dict) or not set(value) <= set(Method.values):
        return "取值应为 {采购方式: {goods: 上限, services: 上限, works: 上限或 null}}。"
    for method, caps in value.items():
        if not isinstance(caps, dict) or not set(caps) <= set(Category.values):
            return f"“{method}”的上限应按品目（goods、services、works）设置。"
        if not all(c is None or (_pct(c) and c > 0) for c in caps.values()):
            return f"“{method}”的上限应为 0 到 100 之间的百分数，或 null（不设上限）。"
    return ""


def _evaluation_methods_problem(value: Any) -> str:
    """evaluation_methods: the evaluation methods each procurement method may use."""
    problem = _by_method(value, "可用的评标方法")
    if problem:
        return problem
    for method, allowed in value.items():
        if not (isinstance(allowed, list) and allowed and set(allowed) <= set(EvaluationMethod.values)):
            return f"“{method}”应列出至少一种评标方法：comprehensive（综合评分法）或 lowest_price（最低评标价法）。"
    return ""


def _consortium_problem(value: Any) -> str:
    """consortium_deduction: a range per category and the minimum small/micro share (财库〔2020〕46号第九条)."""
    ranges = value.get("ranges") if isinstance(value, dict) else None
    if not isinstance(ranges, dict) or set(ranges) != set(Category.values):
        return "取值应有 ranges（goods、services、works 各一个 [下限, 上限]）和 min_share_pct。"
    for category, bounds in ranges.items():
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(_pct(b) for b in bounds)):
            return f"“{category}”的范围应为 [下限, 上限]（0 到 100 之间的百分数）。"
        if bounds[0] > bounds[1]:
            return f"“{category}”的下限不能高于上限。"
    if not _pct(value.get("min_share_pct")):
        return "min_share_pct（小微企业合同份额最低比例）应为 0 到 100 之间的百分数。"
    return ""


def _bid_bond_max_problem(value: Any) -> str:
    """bid_bond_max: a percentage of the budget (政府采购法实施条例第三十三条: 2%)."""
    raw = value.get("pct") if isinstance(value, dict) else None
    if not _pct(raw) or raw == 0:
        return "“pct”应为大于 0、不超过 100 的百分数（投标保证金占预算金额的上限）。"
    return ""


SHAPE_CHECKS = {
    "committee_size": _committee_problem,
    "price_weight_max": _price_weight_max_problem,
    "evaluation_methods": _evaluation_methods_problem,
    "consortium_deduction": _consortium_problem,
    "bid_bond_max": _bid_bond_max_problem,
}
