"""Scoring and validation rules for 绩效目标表 / 绩效自评表, as pure functions over a `Config`.

Facts (DOMAIN.md, 预算绩效): indicators in three levels — 产出 (数量, 质量, 时效, 成本), 效益 (经济,
社会, 生态, 可持续), 满意度 (服务对象满意度); weights 产出 50, 效益 30, 满意度 10, plus budget
execution rate 10 = 100; grades 优 ≥ 90, 良 80–89, 中 60–79, 差 < 60; disclosure within 20 days of
budget approval (预算法第十四条). The numbers are defaults: the current `ScoringConfig` row holds the
values in force, and every score carries the rule that produced it and why.

Arithmetic is Decimal throughout and scores are rounded half-up to 0.01.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from fazhi.core.fields import decimal_excess

LEVEL1 = ["产出", "效益", "满意度"]
LEVEL2: dict[str, list[str]] = {
    "产出": ["数量", "质量", "时效", "成本"],
    "效益": ["经济", "社会", "生态", "可持续"],
    "满意度": ["服务对象满意度"],
}

GE, LE, EQ, QUAL = "ge", "le", "eq", "qual"
DIRECTION_LABELS = {GE: "≥", LE: "≤", EQ: "=", QUAL: "定性"}
DIRECTION_CHOICES = [(k, v) for k, v in DIRECTION_LABELS.items()]
_DIRECTION_ALIASES = {
    "≥": GE, ">=": GE, "＞=": GE, "大于等于": GE, "不低于": GE, "不少于": GE, "ge": GE,
    "≤": LE, "<=": LE, "＜=": LE, "小于等于": LE, "不高于": LE, "不超过": LE, "le": LE,
    "=": EQ, "＝": EQ, "等于": EQ, "eq": EQ,
    "定性": QUAL, "qual": QUAL,
}  # fmt: skip

PROPORTIONAL, ALL_OR_NOTHING = "proportional", "all_or_nothing"
SHORTFALL_CHOICES = [(PROPORTIONAL, "按完成比例计分"), (ALL_OR_NOTHING, "未达成不得分")]

DEFAULT_BASIS = (
    "权重：产出 50、效益 30、满意度 10，预算执行率 10，合计 100；等级：优 ≥ 90，良 80–89，中 60–79，"
    "差 < 60；预决算公开：批复后 20 日内（《预算法》第十四条）。达成指标得满分，定量指标未达成按完成"
    "比例计分，定性指标按评级比例计分。"
)

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def default_qualitative_levels() -> dict[str, float | str]:
    return {"达成": "1", "基本达成": "0.8", "部分达成": "0.5", "未达成": "0"}


@dataclass(frozen=True)
class Config:
    """The rules in force (built from the current ScoringConfig row, or the defaults)."""

    weights: dict[str, Decimal] = field(
        default_factory=lambda: {"产出": Decimal(50), "效益": Decimal(30), "满意度": Decimal(10)}
    )
    weight_execution: Decimal = Decimal(10)
    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(80)
    fair_min: Decimal = Decimal(60)
    shortfall_mode: str = PROPORTIONAL
    zero_below_ratio: Decimal = Decimal(0)
    equal_tolerance: Decimal = Decimal(0)  # percent of the target value
    qualitative_levels: dict[str, Decimal] = field(
        default_factory=lambda: {k: Decimal(str(v)) for k, v in default_qualitative_levels().items()}
    )
    disclosure_days: int = 20
    disclosure_rolls_forward: bool = False

    @property
    def total_weight(self) -> Decimal:
        return sum(self.weights.values(), Decimal(0)) + self.weight_execution


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """A Decimal without trailing zeros ('95', '0.5', '12.34')."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(text: object) -> Decimal | None:
    """'1,200' / '95%' / '９５％' / 12.5 → Decimal; anything else → None."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, int | Decimal):
        return _finite(Decimal(text))
    if isinstance(text, float):
        return _finite(Decimal(str(text)))  # NaN and infinity (JSON allows them) are not numbers here
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if not _NUMBER.match(raw):
        return None
    try:
        return _finite(Decimal(raw))
    except InvalidOperation:
        return None


def _finite(number: Decimal | None) -> Decimal | None:
    """A finite number, with "-0" as 0 (else stored and printed as "-0.00" 万元 or a score of "-0.00")."""
    if number is None or not number.is_finite():
        return None
    return abs(number) if number.is_zero() else number


_PLACES = {1: "一", 2: "两", 3: "三", 4: "四"}


def shown(value: object, limit: int = 30) -> str:
    """What the user typed, for a message (cut when very long)."""
    text = str(value).strip()
    return text if len(text) <= limit else text[:limit] + "…"


def decimal_problem(
    number: Decimal, *, max_digits: int, places: int, label: str, value: object, unit: str = ""
) -> str | None:
    """None when `number` fits a DecimalField(max_digits, places) exactly, else the reason (no full stop).

    Too many integer digits and too many decimals are both refused rather than rounded: SQLite stores an
    over-large value as given and Django cannot read the row back, and a silently rounded amount or score
    is not what the user entered. Trailing zeros ('100.500') change nothing and are accepted.
    """
    excess = decimal_excess(number, max_digits=max_digits, places=places)
    if excess == "whole":
        return f"{label}过大：最多 {max_digits - places} 位整数{unit}"
    if excess == "places":
        return f"{label}“{shown(value)}”最多保留{_PLACES.get(places, str(places))}位小数{unit}"
    return None


def parse_direction(text: object) -> str | None:
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    return _DIRECTION_ALIASES.get(raw) or _DIRECTION_ALIASES.get(str(text or "").strip())


# --- indicator scores -------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    score: Decimal
    met: bool
    rule: str  # code of the rule that fired
    explanation: str  # which rule, with the arithmetic, in Chinese


RULE_NAMES = {
    "met": "达成得满分",
    "proportional": "未达成按完成比例计分",
    "below_floor": "完成比例低于下限不得分",
    "all_or_nothing": "未达成不得分",
    "qualitative": "定性指标按评级比例计分",
    "missing": "未填报实际值不得分",
    "invalid": "实际值无法识别不得分",
}


def _clamp01(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), value))


def score_indicator(*, direction: str, target: str, actual: str, weight: Decimal, config: Config) -> Score:
    """Score one indicator: full marks when met, otherwise by the configured shortfall rule."""
    weight = Decimal(weight)
    if str(actual or "").strip() == "":
        return Score(Decimal("0.00"), False, "missing", "未填报实际完成值，得 0 分")
    if direction == QUAL:
        level = str(actual).strip()
        if level not in config.qualitative_levels:
            levels = "、".join(config.qualitative_levels)
            return Score(Decimal("0.00"), False, "invalid", f"“{level}”不是定性评级（{levels}），得 0 分")
        ratio = Decimal(str(config.qualitative_levels[level]))
        score = q2(weight * _clamp01(ratio))
        met = ratio >= 1
        return Score(
            score,
            met,
            "qualitative",
            f"定性评级“{level}”按 {fmt(ratio)} 计分：{fmt(weight)} × {fmt(ratio)} = {score}",
        )
    t, a = parse_number(target), parse_number(actual)
    if t is None or a is None:
        return Score(
            Decimal("0.00"), False, "invalid", f"实际值“{actual}”或目标值“{target}”不是数字，得 0 分"
        )
    label = DIRECTION_LABELS[direction]
    if direction == GE:
        met = a >= t
        ratio = _clamp01(a / t) if t > 0 else Decimal(0)
        formula = f"实际 {fmt(a)} ÷ 目标 {fmt(t)}"
    elif direction == LE:
        met = a <= t
        ratio = _clamp01(t / a) if a > 0 and t > 0 else Decimal(0)
        formula = f"目标 {fmt(t)} ÷ 实际 {fmt(a)}"
    else:
        allowed = abs(t) * config.equal_tolerance / HUNDRED
        met = abs(a - t) <= allowed
        ratio = _clamp01(1 - abs(a - t) / abs(t)) if t != 0 else Decimal(0)
        formula = f"1 − |实际 {fmt(a)} − 目标 {fmt(t)}| ÷ 目标 {fmt(t)}"
    if met:
        return Score(
            q2(weight), True, "met", f"实际 {fmt(a)} {label} 目标 {fmt(t)}，达成，得满分 {q2(weight)}"
        )
    if config.shortfall_mode == ALL_OR_NOTHING:
        return Score(
            Decimal("0.00"),
            False,
            "all_or_nothing",
            f"实际 {fmt(a)} 未达到目标 {label}{fmt(t)}，未达成不得分",
        )
    if ratio < config.zero_below_ratio:
        return Score(
            Decimal("0.00"),
            False,
            "below_floor",
            f"完成比例 {fmt(q2(ratio * HUNDRED))}% 低于下限 {fmt(config.zero_below_ratio * HUNDRED)}%，得 0 分",
        )
    score = q2(weight * ratio)
    return Score(score, False, "proportional", f"未达成，按比例：{formula} × 分值 {fmt(weight)} = {score}")


@dataclass(frozen=True)
class Execution:
    rate: Decimal  # percent, 2 decimals
    score: Decimal
    explanation: str


def score_execution(*, full_year: Decimal, executed: Decimal, config: Config) -> Execution:
    """预算执行率 = 执行数 ÷ 全年预算数; score = rate × 分值, at most the full value."""
    weight = config.weight_execution
    if full_year <= 0:
        return Execution(Decimal("0.00"), Decimal("0.00"), "全年预算数为 0，无法计算执行率，得 0 分")
    rate = executed / full_year * HUNDRED
    capped = min(max(rate, Decimal(0)), HUNDRED)
    score = q2(weight * capped / HUNDRED)
    text = f"执行率 {fmt(q2(rate))}%（{fmt(executed)} ÷ {fmt(full_year)}）× 分值 {fmt(weight)} = {score}"
    if rate > HUNDRED:
        text += "（执行率超过 100% 按 100% 计）"
    return Execution(q2(rate), score, text)


def grade_for(total: Decimal, config: Config) -> tuple[str, str]:
    """优/良/中/差 for a total, with the threshold that decided it."""
    total = q2(Decimal(total))
    if total >= config.excellent_min:
        return "优", f"总分 {total} ≥ {fmt(config.excellent_min)}，评为“优”"
    if total >= config.good_min:
        return "良", f"总分 {total} ≥ {fmt(config.good_min)} 且 < {fmt(config.excellent_min)}，评为“良”"
    if total >= config.fair_min:
        return "中", f"总分 {total} ≥ {fmt(config.fair_min)} 且 < {fmt(config.good_min)}，评为“中”"
    return "差", f"总分 {total} < {fmt(config.fair_min)}，评为“差”"


# --- validation of a target table ----------------------------------------------------------------


@dataclass
class IndicatorRow:
    """One indicator as typed by a user (strings), before validation."""

    level1: str = ""
    level2: str = ""
    name: str = ""
    direction: str = ""
    target_value: str = ""
    unit: str = ""
    weight: str = ""


@dataclass
class CleanIndicator:
    level1: str
    level2: str
    name: str
    direction: str
    target_value: str
    unit: str
    weight: Decimal


def _s(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value).strip()


def validate_indicators(
    rows: list[tuple[str, IndicatorRow]], config: Config, *, weight_digits: tuple[int, int] = (6, 2)
) -> tuple[list[CleanIndicator], list[tuple[int | None, str]]]:
    """Check each row (labelled e.g. '第3项' or '第12行') and the table as a whole.

    `weight_digits` is (max_digits, decimal_places) of the field the weights are stored in.
    Returns the clean indicators and the specific Chinese error messages (empty when valid), each with the
    position (from 0) in `rows` of the row it is about, None when it is about the table as a whole.
    """
    errors: list[tuple[int | None, str]] = []
    clean: list[CleanIndicator] = []
    seen: set[tuple[str, str, str]] = set()
    for at, (label, row) in enumerate(rows):
        name = _s(row.name)
        where = f"{label}指标“{name}”" if name else f"{label}指标"
        level1, level2 = _s(row.level1), _s(row.level2)
        ok = True
        if not name:
            errors.append((at, f"{where}：三级指标名称不能为空"))
            ok = False
        if level1 not in LEVEL1:
            errors.append((at, f"{where}：一级指标“{level1}”无效，应为{'、'.join(LEVEL1)}之一"))
            ok = False
        elif level2 not in LEVEL2[level1]:
            errors.append(
                (
                    at,
                    f"{where}：二级指标“{level2}”不属于一级指标“{level1}”（可选：{'、'.join(LEVEL2[level1])}）",
                )
            )
            ok = False
        direction = parse_direction(row.direction)
        if direction is None:
            errors.append((at, f"{where}：指标方向“{_s(row.direction)}”无效，应为 ≥、≤、= 或 定性"))
            ok = False
        target_value = _s(row.target_value)
        if not target_value:
            errors.append((at, f"{where}：目标值不能为空"))
            ok = False
        elif direction in (GE, LE, EQ) and parse_number(target_value) is None:
            errors.append(
                (
                    at,
                    f"{where}：目标值“{target_value}”不是数字（指标方向为“{DIRECTION_LABELS[direction]}”时须填数字，"
                    "如 500 或 95%）",
                )
            )
            ok = False
        weight = parse_number(row.weight)
        if weight is None:
            errors.append((at, f"{where}：分值“{_s(row.weight)}”不是数字"))
            ok = False
        elif weight <= 0:
            errors.append((at, f"{where}：分值须大于 0"))
            ok = False
        else:
            digits, places = weight_digits
            problem = decimal_problem(
                weight, max_digits=digits, places=places, label="分值", value=_s(row.weight)
            )
            if problem:
                errors.append((at, f"{where}：{problem}"))
                ok = False
        key = (level1, level2, name)
        if name and key in seen:
            errors.append((at, f"{where}：同一二级指标下三级指标名称重复"))
            ok = False
        seen.add(key)
        if ok and direction is not None and weight is not None:
            clean.append(
                CleanIndicator(level1, level2, name, direction, target_value, _s(row.unit), q2(weight))
            )
    if not rows:
        errors.append((None, "绩效目标表没有任何指标"))
    present = {_s(r.level1) for _, r in rows}
    for level1 in LEVEL1:
        if level1 not in present:
            errors.append((None, f"缺少一级指标“{level1}”：绩效目标表须包含{'、'.join(LEVEL1)}三类指标"))
    if not errors:
        for level1 in LEVEL1:
            total = sum((c.weight for c in clean if c.level1 == level1), Decimal(0))
            expected = config.weights[level1]
            if total != expected:
                errors.append((None, f"一级指标“{level1}”的分值合计为 {fmt(total)}，应为 {fmt(expected)}"))
    return clean, errors


def validate_actual(*, direction: str, actual: str, config: Config) -> str | None:
    """None when an actual value fits the direction, else the reason (without location)."""
    text = str(actual or "").strip()
    if not text:
        return None
    if direction == QUAL:
        if text not in config.qualitative_levels:
            return f"实际完成值“{text}”应为定性评级之一：{'、'.join(config.qualitative_levels)}"
        return None
    if parse_number(text) is None:
        return f"实际完成值“{text}”不是数字"
    return None
