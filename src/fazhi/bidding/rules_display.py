"""评标规则参数 as people read them: each rule's value in Chinese lines, never Python data.

`value_lines(key, value)` gives the lines of one rule. A rule with a formatter of its own reads as a sentence
("货物 30%、服务 10%、工程 不设"); any other rule, or a value an administrator changed into a shape its formatter does
not expect, falls back to `plain`: “键：值；…” with the known keys and choice values translated."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fazhi.bidding.models import Category, EvaluationMethod, Method, SmeSize

# Choice values (methods, categories, …) and the keys of the rules' values, in Chinese.
LABELS: dict[str, str] = {
    **{str(value): str(label) for value, label in Method.choices},
    **{str(value): str(label) for value, label in Category.choices},
    **{str(value): str(label) for value, label in EvaluationMethod.choices},
    **{str(value): str(label) for value, label in SmeSize.choices if value},
    "min_size": "最少人数",
    "odd": "须为单数",
    "large_budget": "大额预算标准（元）",
    "large_min_size": "达到大额预算标准的最少人数",
    "expert_share": "评审专家最低占比",
    "basis": "依据",
    "required": "是否开启",
    "hours": "小时",
    "days": "统计天数",
    "max_draws": "最多抽中次数",
    "working_days": "工作日",
    "report_working_days": "送交评标报告（工作日）",
    "confirm_working_days": "确定中标人（工作日）",
    "publish_working_days": "合同公告（工作日）",
    "pct": "百分比",
    "places": "小数位数",
    "years": "年数",
    "k": "标准差倍数",
    "min_fraction": "占该项分值的最低比例",
    "min_others": "其他专家最少人数",
    "ranges": "扣除比例（%）",
    "min_share_pct": "小微企业合同份额下限（%）",
    "employment": "劳动关系",
    "director": "董事、监事",
    "controller": "控股股东或实际控制人",
    "family": "近亲属关系",
    "other": "其他关系",
    "total_desc": "总得分由高到低",
    "bid_price_asc": "投标报价由低到高",
    "evaluated_price_asc": "评标价由低到高",
}

CHINESE_DIGITS = "零一二三四五六七八九十"


def label(key: Any) -> str:
    return LABELS.get(str(key), str(key))


_RANK = {key: i for i, key in enumerate(LABELS)}


def ordered(values: dict[Any, Any]) -> list[tuple[Any, Any]]:
    """A value's items in the order of the choices (公开招标 before 竞争性谈判, 货物 before 服务 before 工程),
    unknown keys after them as given: PostgreSQL's jsonb does not keep the order the rule was written in."""
    return sorted(values.items(), key=lambda kv: _RANK.get(str(kv[0]), len(_RANK)))


def number(value: Any) -> str:
    """12 → “12”, 0.2 → “0.2”, 12.50 → “12.5” (no trailing zeros, no exponent)."""
    return format(Decimal(str(value)).normalize(), "f")


def yuan(value: Any) -> str:
    """An amount of money: 10000000 → “1000 万元”, 12345 → “12,345 元”."""
    amount = Decimal(str(value))
    if amount and amount % 10000 == 0:
        return f"{number(amount / 10000)} 万元"
    return f"{amount:,} 元"


def fraction(share: Any) -> str:
    """[2, 3] → “三分之二” (small numbers in Chinese, others as 5/12)."""
    num, den = (int(n) for n in share)
    if 0 < num <= 10 and 0 < den <= 10:
        return f"{CHINESE_DIGITS[den]}分之{CHINESE_DIGITS[num]}"
    return f"{num}/{den}"


def percent_range(bounds: Any) -> str:
    low, high = bounds
    return f"{number(low)}%—{number(high)}%"


def per_category(values: dict[str, Any], show: Callable[[Any], str]) -> str:
    """{goods: 30, services: 10, works: None} → “货物 30%、服务 10%、工程 不设” with `show` = percent."""
    return "、".join(f"{label(cat)} {'不设' if v is None else show(v)}" for cat, v in ordered(values))


def percent(value: Any) -> str:
    return f"{number(value)}%"


def switch(value: Any) -> list[str]:
    """{required: true} → 开启."""
    return ["开启" if value["required"] is True else "关闭"]


# --- one formatter per rule ---------------------------------------------------------------------------------


def _committee_size(value: dict[str, Any]) -> list[str]:
    lines = []
    for method, conf in ordered(value):
        odd = "单数" if conf.get("odd", True) else ""
        text = f"{label(method)}：{conf['min_size']} 人以上{odd}"
        threshold = conf.get("large_budget")
        if isinstance(threshold, dict):
            applies = {cat: amount for cat, amount in ordered(threshold) if amount is not None}
            if applies and len(set(applies.values())) == 1:
                cats = "、".join(label(cat) for cat in applies)
                text += f"；{cats}项目预算 {yuan(next(iter(applies.values())))}以上"
            elif applies:
                text += (
                    "；预算达到 " + "、".join(f"{label(c)} {yuan(a)}" for c, a in ordered(applies)) + " 以上"
                )
            threshold = applies or None
        elif threshold is not None:
            text += f"；预算 {yuan(threshold)}以上"
        if threshold is not None:
            text += f" {conf['large_min_size']} 人以上{odd}"
        if conf.get("expert_share"):
            text += f"；评审专家不少于成员总数的{fraction(conf['expert_share'])}"
        if conf.get("basis"):
            text += f"（{conf['basis']}）"
        lines.append(text)
    return lines


def _per_method_categories(value: dict[str, Any]) -> list[str]:
    return [f"{label(method)}：{per_category(cats, percent)}" for method, cats in ordered(value)]


def _evaluation_methods(value: dict[str, Any]) -> list[str]:
    return [f"{label(method)}：{'、'.join(label(m) for m in allowed)}" for method, allowed in ordered(value)]


def _consortium(value: dict[str, Any]) -> list[str]:
    return [
        f"扣除比例：{per_category(value['ranges'], percent_range)}",
        f"小微企业合同份额不低于合同总金额的 {number(value['min_share_pct'])}%",
    ]


def _tie_rule(value: dict[str, Any]) -> list[str]:
    return [
        f"{label(method)}：按{'，再按'.join(label(o) for o in order)}排序" for method, order in ordered(value)
    ]


def _outlier(value: dict[str, Any]) -> list[str]:
    share = Decimal(str(value["min_fraction"])) * 100
    return [
        f"主观分与其他专家平均分之差超过 {number(value['k'])} 倍标准差，且超过该项分值的 {number(share)}% 时须填写理由",
        f"其他专家少于 {value['min_others']} 人时不提示",
    ]


FORMATTERS: dict[str, Callable[[Any], list[str]]] = {
    "committee_size": _committee_size,
    "price_weight_min": lambda v: [per_category(v, percent)],
    "price_weight_max": _per_method_categories,
    "evaluation_methods": _evaluation_methods,
    "sme_deduction": lambda v: [per_category(v, percent_range)],
    "sme_eligible_sizes": lambda v: ["、".join(label(size) for size in v)],
    "consortium_deduction": _consortium,
    "bid_bond_max": lambda v: [f"不超过采购项目预算金额的 {number(v['pct'])}%"],
    "tie_rule": _tie_rule,
    "rounding": lambda v: [f"保留 {v['places']} 位小数"],
    "deadlines": lambda v: [
        f"评审结束之日起 {v['report_working_days']} 个工作日内送交评标报告",
        f"采购人收到评标报告之日起 {v['confirm_working_days']} 个工作日内确定中标人",
    ],
    "contract_deadline": lambda v: [f"合同签订之日起 {v['publish_working_days']} 个工作日内公告"],
    "outage_limit": lambda v: [f"故障超过 {number(v['hours'])} 小时未能恢复的，重新组建评标委员会"],
    "recent_draws": lambda v: [f"{v['days']} 天内已被抽中 {v['max_draws']} 次的专家不再抽取"],
    "outlier": _outlier,
    "conflict_grounds": lambda v: [f"{label(k)}：{text}" for k, text in ordered(v)],
    "conflict_window": lambda v: [f"关系终止满 {v['years']} 年的不再回避"],
    "min_bidders": lambda v: ["、".join(f"{label(m)} {n} 家" for m, n in ordered(v))],
    "identity_check_required": switch,
    "handover_deadline": lambda v: [f"评标结束之日起 {v['working_days']} 个工作日内移交主场"],
    "av_archive_required": switch,
    "sme_size_check": switch,
}


def plain(value: Any, nested: bool = False) -> str:
    """Any rule value without Python notation: a dict as “键：值；键：值”, one inside it as “（键：值，键：值）”."""
    if value is None:
        return "不设"
    if isinstance(value, bool):
        return "开启" if value else "关闭"
    if isinstance(value, int | float | Decimal):
        return number(value)
    if isinstance(value, str):
        return label(value)
    if isinstance(value, list | tuple):
        return "、".join(plain(item, nested=True) for item in value)
    if isinstance(value, dict):
        parts = [f"{label(k)}：{plain(v, nested=True)}" for k, v in ordered(value)]
        return "（" + "，".join(parts) + "）" if nested else "；".join(parts)
    return str(value)


def value_lines(key: str, value: Any) -> list[str]:
    """The rule's value as lines of Chinese text (the rule's own formatter, else `plain`)."""
    formatter = FORMATTERS.get(key)
    if formatter is not None:
        try:
            return formatter(value)
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError):
            pass  # a value edited into another shape: still shown, in the plain form
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        return [f"{label(k)}：{plain(v)}" for k, v in ordered(value)]  # one line per method, category, …
    return [plain(value)]
