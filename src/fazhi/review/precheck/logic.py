"""Named logic for rules that a regex alone cannot decide (numbers, thresholds, missing elements).

Contract: a sentence logic takes (rule, sentence text, context) and returns spans
[(start, end, extra)] within the sentence; a document logic takes (rule, context) and returns
[(paragraph number, start, end, extra)]. `extra` fills the {placeholders} of the rule's message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fazhi.core.numerals import cn_to_int
from fazhi.review.precheck.notice import notice_period

if TYPE_CHECKING:  # pragma: no cover
    from fazhi.review.precheck.engine import Context
    from fazhi.review.precheck.ruleset import Rule

Span = tuple[int, int, dict]
DocSpan = tuple[int, int, int, dict]
SentenceLogic = Callable[["Rule", str, "Context"], list[Span]]
DocumentLogic = Callable[["Rule", "Context"], list[DocSpan]]

_NUM = r"\d+(?:\.\d+)?"
_PERCENT = rf"({_NUM})\s*[%％]|百分之([零一二三四五六七八九十点]+)"


def _percent(m: re.Match[str], g1: int = 1, g2: int = 2) -> float | None:
    if m.group(g1):
        return float(m.group(g1))
    cn = m.group(g2)
    if not cn:
        return None
    whole, _, frac = cn.partition("点")
    try:
        value = float(cn_to_int(whole)) if whole else 0.0
        if frac:
            value += float("0." + "".join(str(cn_to_int(c)) for c in frac))
    except ValueError:
        return None
    return value


def _fmt(value: float) -> str:
    return f"{value:g}"


# --- bonds (政府采购法实施条例 Art 33, Art 48) --------------------------------------------------

_BID_BOND = (
    re.compile(rf"(?:投标|响应|磋商|谈判)保证金[^。；]{{0,30}}?(?:{_PERCENT})"),
    re.compile(rf"(?:{_PERCENT})[^。；，]{{0,4}}?的?(?:投标|响应|磋商|谈判)保证金"),
)
_PERF_BOND = (
    re.compile(rf"履约保证金[^。；]{{0,30}}?(?:{_PERCENT})"),
    re.compile(rf"(?:{_PERCENT})[^。；，]{{0,4}}?的?履约保证金"),
)
_UPPER_BOUND = re.compile(r"不(?:得)?(?:超过|高于|超出)|以内|以下|之内|最高不|上限")


def _bond(rule: Rule, text: str, patterns: tuple[re.Pattern[str], ...]) -> list[Span]:
    limit = float(rule.params.get("limit", 2))
    out: list[Span] = []
    for m in (m for p in patterns for m in p.finditer(text)):
        value = _percent(m)
        if value is None or value <= limit:
            continue
        # "不得超过预算的5%" states a cap, not the amount; only a cap above the limit is still wrong.
        out.append((m.start(), m.end(), {"value": _fmt(value), "limit": _fmt(limit)}))
    return out


_CN_AMOUNT = "零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟"
_AMOUNT = rf"(\d+(?:\.\d+)?|[{_CN_AMOUNT}]+)\s*(万元|元)"
_BID_BOND_AMOUNT = re.compile(rf"(?:投标|响应|磋商|谈判)保证金[^。；\d{_CN_AMOUNT}%％]{{0,12}}?{_AMOUNT}")
_BUDGET_AMOUNT = re.compile(
    rf"(?:预算金额|采购预算|项目预算|预算资金|预算)[^。；\d{_CN_AMOUNT}%％]{{0,8}}?{_AMOUNT}"
)


def _yuan(number: str, unit: str) -> float | None:
    try:
        value = float(number) if number[0].isdigit() else float(cn_to_int(number))
    except ValueError:
        return None
    return value * 10000 if unit == "万元" else value


def bid_bond(rule: Rule, text: str, ctx: Context) -> list[Span]:
    found = _bond(rule, text, _BID_BOND)
    if found or any(p.search(text) for p in _BID_BOND):
        return found
    # An amount ("投标保证金：人民币伍万元整") against the budget in the sentence or the document.
    limit = float(rule.params.get("limit", 2))
    out: list[Span] = []
    bonds = list(_BID_BOND_AMOUNT.finditer(text))
    if not bonds:
        return out
    budget_m = _BUDGET_AMOUNT.search(text) or _BUDGET_AMOUNT.search(ctx.text)
    budget = _yuan(budget_m.group(1), budget_m.group(2)) if budget_m else None
    for m in bonds:
        bond = _yuan(m.group(1), m.group(2))
        if not bond or not budget:
            continue
        value = round(bond / budget * 100, 2)
        if value > limit:
            out.append((m.start(), m.end(), {"value": _fmt(value), "limit": _fmt(limit)}))
    return out


def performance_bond(rule: Rule, text: str, ctx: Context) -> list[Span]:
    return _bond(rule, text, _PERF_BOND)


# --- price weight (财政部令第87号 Art 55) -----------------------------------------------------

_PRICE_WEIGHT = re.compile(
    rf"价格(?:分值|权重|分|因素|部分|评分)?"
    rf"(?:[^。；，,\d]{{0,20}}?(?:占|为|是|权值|比重|权重|：|:)[^。；，,\d百]{{0,12}}?|(?<=分)|(?<=分值)|(?<=权重))"
    rf"(?:{_PERCENT}|({_NUM})\s*分)(?![^。；，]{{0,4}}扣除)"
)
# "占总分的二十分之一", "为十分之一": a share written as a fraction (百分之… is read by _PERCENT).
_PRICE_FRACTION = re.compile(
    r"价格(?:分值|权重|分|因素|部分|评分)?[^。；，,\d]{0,20}?(?:占|为|是|：|:)[^。；，,\d]{0,12}?"
    r"(?<!百)([一二三四五六七八九十千两\d]+)分之([一二三四五六七八九十两\d]+)"
)
_GOODS = re.compile(r"货物|设备(?:采购|购置)")
_SERVICES = re.compile(r"服务")
_WORKS = re.compile(r"工程")


def _fraction(denominator: str, numerator: str) -> float | None:
    """ "二十分之一" → 5.0 (percent)."""
    try:
        low, high = cn_to_int(numerator), cn_to_int(denominator)
    except ValueError:
        return None
    return 100.0 * low / high if high else None


def price_weight(rule: Rule, text: str, ctx: Context) -> list[Span]:
    goods_min = float(rule.params.get("goods", 30))
    services_min = float(rule.params.get("services", 10))
    out: list[Span] = []
    shares = [
        (m, _percent(m) if (m.group(1) or m.group(2)) else float(m.group(3)))
        for m in _PRICE_WEIGHT.finditer(text)
    ]
    shares += [(m, _fraction(m.group(1), m.group(2))) for m in _PRICE_FRACTION.finditer(text)]
    for m, value in shares:
        if value is None or value >= goods_min:
            continue
        # The category is stated in the sentence, else in the document (a tender is either goods or services).
        scope = (
            text
            if (_GOODS.search(text) or _SERVICES.search(text) or _WORKS.search(text))
            else ctx.text[:3000]
        )
        goods, services = bool(_GOODS.search(scope)), bool(_SERVICES.search(scope))
        if _WORKS.search(text) and not goods and not services:
            continue  # 87号令 does not govern works tendered under 招标投标法
        if goods and not (services and value >= services_min):
            out.append(
                (m.start(), m.end(), {"value": _fmt(value), "minimum": _fmt(goods_min), "kind": "货物"})
            )
        elif value < services_min:
            out.append(
                (m.start(), m.end(), {"value": _fmt(value), "minimum": _fmt(services_min), "kind": "服务"})
            )
    return out


# --- SME price deduction (财库〔2020〕46号, 财库〔2022〕19号) ------------------------------------

_SME = r"(?:小微企业|小微型企业|小型和微型企业|小型、微型企业|小型企业|微型企业|中小企业)"
_SME_DEDUCTION = (
    re.compile(rf"{_SME}[^。；]{{0,40}}?扣除[^。；\d]{{0,10}}?(?:{_PERCENT})"),
    re.compile(rf"{_SME}[^。；]{{0,40}}?(?:{_PERCENT})[^。；，\d]{{0,6}}?扣除"),
)


def sme_deduction(rule: Rule, text: str, ctx: Context) -> list[Span]:
    low, high = float(rule.params.get("low", 10)), float(rule.params.get("high", 20))
    c_low, c_high = float(rule.params.get("consortium_low", 4)), float(rule.params.get("consortium_high", 6))
    out: list[Span] = []
    for m in (m for p in _SME_DEDUCTION for m in p.finditer(text)):
        value = _percent(m)
        if value is None:
            continue
        consortium = bool(re.search(r"联合体|分包", text[max(0, m.start() - 30) : m.end()]))
        lo, hi = (c_low, c_high) if consortium else (low, high)
        if lo <= value <= hi:
            continue
        out.append((m.start(), m.end(), {"value": _fmt(value), "range": f"{_fmt(lo)}%—{_fmt(hi)}%"}))
    return out


# --- missing elements of a normative document --------------------------------------------------


def missing_element(rule: Rule, ctx: Context) -> list[DocSpan]:
    """The element (a regex in params.present) is nowhere in the document: point at the last paragraph.

    An element that is a procedure step (params.recorded_step, e.g. 征求意见) is also satisfied by a
    record of that step on the draft, which the review app keeps outside the text.
    """
    present = [re.compile(p) for p in rule.params.get("present", [])]
    if not ctx.paragraphs or any(p.search(ctx.text) for p in present):
        return []
    if rule.params.get("recorded_step") and rule.params["recorded_step"] in ctx.procedures:
        return []
    if not _looks_like_normative_document(ctx):
        return []
    last = ctx.paragraphs[-1]
    return [(last.number, len(last.text), len(last.text), {})]


_VALIDITY = re.compile(r"有效期(?:限)?(?:为|是)?\s*(\d+|[一二三四五六七八九十]+)\s*年")


def validity_too_long(rule: Rule, ctx: Context) -> list[DocSpan]:
    limit = int(rule.params.get("max_years", 5))
    out: list[DocSpan] = []
    for para in ctx.paragraphs:
        for m in _VALIDITY.finditer(para.text):
            try:
                years = cn_to_int(m.group(1))
            except ValueError:
                continue
            if years > limit:
                out.append((para.number, m.start(), m.end(), {"value": str(years), "limit": str(limit)}))
    return out


_ARTICLE_HEAD = re.compile(r"^\s*第[一二三四五六七八九十百零]+条")


def _looks_like_normative_document(ctx: Context) -> bool:
    """A whole document (not a pasted sentence): several paragraphs or articles."""
    articles = sum(1 for p in ctx.paragraphs if _ARTICLE_HEAD.match(p.text))
    return len(ctx.paragraphs) >= 3 or articles >= 2


# --- learned fallback (learned.py) -------------------------------------------------------------


def learned_fallback(rule: Rule, text: str, ctx: Context) -> list[Span]:
    """The family's linear model scores the sentence; the span is the first trigger word (rule.require).

    The engine keeps such a finding only when no rule found anything in the same sentence.
    """
    from fazhi.review.precheck import learned

    model = learned.shipped_model()
    family = str(rule.params.get("family", rule.family))
    if model is None or family not in model.weights:
        return []
    threshold = float(rule.params.get("threshold", 0.7))
    score = model.score(text, family)
    if score < threshold:
        return []
    trigger = next((m for p in rule.require if (m := p.search(text))), None)
    start, end = (trigger.start(), trigger.end()) if trigger else (0, len(text.rstrip("。；;")))
    return [(start, end, {"value": f"{score:.2f}"})]


# --- registry ----------------------------------------------------------------------------------

_SENTENCE: dict[str, SentenceLogic] = {
    "bid_bond": bid_bond,
    "performance_bond": performance_bond,
    "price_weight": price_weight,
    "sme_deduction": sme_deduction,
    "notice_period": notice_period,
    "learned_fallback": learned_fallback,
}


def _cite(kind: str) -> DocumentLogic:
    def run(rule: Rule, ctx: Context) -> list[DocSpan]:
        from fazhi.review.precheck import cite

        return cite.problems(ctx, kind)

    return run


_DOCUMENT: dict[str, DocumentLogic] = {
    "missing_element": missing_element,
    "validity_too_long": validity_too_long,
    "cite_unknown": _cite("unknown"),
    "cite_version": _cite("version"),
    "cite_beyond": _cite("beyond"),
    "cite_missing": _cite("missing"),
    "cite_quote": _cite("quote"),
}


def sentence_logic(name: str) -> SentenceLogic:
    try:
        return _SENTENCE[name]
    except KeyError:
        raise KeyError(f"未知的规则逻辑：{name}") from None


def document_logic(name: str) -> DocumentLogic:
    try:
        return _DOCUMENT[name]
    except KeyError:
        raise KeyError(f"未知的规则逻辑：{name}") from None


def names() -> dict[str, Any]:
    return {"sentence": sorted(_SENTENCE), "document": sorted(_DOCUMENT)}
