"""价格分: the deduction each bid earns (small/micro firm, or consortium/subcontracting with small/micro firms)
and the low-price formula applied to the evaluated prices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fazhi.bidding import rules
from fazhi.bidding.models import Bidder, Participation, Project, SmePolicy
from fazhi.bidding.services.sizing_check import (
    SizeCheck,
    deduction_note,
    size_check,
    size_table,
    withheld_reason,
)
from fazhi.core.errors import ValidationFailed


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Rounded half-up to `places` decimals (0.125 → 0.13), as every score is."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# Why a bid's price was lowered before the formula (财库〔2020〕46号第九条, rates raised by 财库〔2022〕19号).
SME, CONSORTIUM = "sme", "consortium"
BASIS_LABELS = {SME: "小微企业", CONSORTIUM: "联合体或分包"}


@dataclass(frozen=True)
class Deduction:
    """The price deduction of one bid: its rate, which rule (SME, CONSORTIUM or "" for none) and why."""

    pct: Decimal = Decimal("0.00")
    basis: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Bid:
    key: Any
    name: str
    price: Decimal
    deduction: Deduction = Deduction()


@dataclass
class PriceLine:
    key: Any
    name: str
    bid_price: Decimal
    deduction_pct: Decimal
    evaluated_price: Decimal
    price_score: Decimal = Decimal("0")
    deduction_basis: str = ""
    deduction_reason: str = ""


def price_scores(*, bids: list[Bid], weight_pct: Decimal, places: int = 2) -> tuple[Decimal, list[PriceLine]]:
    """低价优先法: score = base ÷ evaluated price × weight (base = lowest evaluated price).

    Each bid's deduction (see `price_deduction`) is applied to its price before the formula (财库〔2020〕46号
    第九条); the score is rounded half-up to `places`.
    """
    if not bids:
        return Decimal("0"), []
    lines = []
    for bid in bids:
        d = bid.deduction
        evaluated = round_half_up(bid.price * (Decimal("100") - d.pct) / Decimal("100"), 2)
        lines.append(
            PriceLine(bid.key, bid.name, bid.price, d.pct, evaluated, Decimal("0"), d.basis, d.reason)
        )
    zero = [line.name for line in lines if line.evaluated_price <= 0]
    if zero:
        # Every score divides by the evaluated price; a zero one (old data) must not break the page.
        raise ValidationFailed(
            f"投标人“{'、'.join(zero)}”的评标价格为 0，无法计算价格分。"
            "请核对其投标报价，或将其认定为无效投标后重新计算。"
        )
    base = min(line.evaluated_price for line in lines)
    for line in lines:
        line.price_score = round_half_up(base / line.evaluated_price * weight_pct, places)
    return base, lines


def sme_eligible(project: Project, bidder: Bidder, sizes: list[str]) -> bool:
    """A small/micro bidder (`sizes`: rule sme_eligible_sizes) with its 中小企业声明函, in a project with the deduction."""
    return bool(
        project.sme_policy == SmePolicy.DEDUCTION and bidder.sme_declaration and bidder.sme_size in sizes
    )


def _pct(value: Decimal) -> str:
    """30.00 → "30", 4.50 → "4.5": a percentage as people write it."""
    return f"{value.normalize():f}"


def price_deduction(
    project: Project,
    bidder: Bidder,
    *,
    sizes: list[str],
    consortium: rules.RuleValue,
    check: SizeCheck | None = None,
    enforce_check: bool = False,
) -> Deduction:
    """The deduction one bid gets and why: the small/micro rate to a declared small/micro firm; the consortium
    rate to a consortium or subcontracting bidder whose small/micro share reaches the minimum (财库〔2020〕46号
    第九条, rates raised by 财库〔2022〕19号); nothing otherwise, and never both.

    `check` is the bidder's 规模核验 (services.sizing_check); with `enforce_check` (rule sme_size_check) a
    small/micro claim whose own figures make the firm medium or large earns nothing (a micro claim the figures
    make small still earns the small/micro rate, with the mismatch stated)."""
    if project.sme_policy != SmePolicy.DEDUCTION:
        return Deduction(reason="本项目未实行小微企业价格扣除")
    if sme_eligible(project, bidder, sizes):
        if enforce_check and check is not None and check.supported is False and not check.computed_in(sizes):
            return Deduction(reason=withheld_reason(check))
        pct = project.sme_deduction_pct
        size = bidder.get_sme_size_display()
        note = deduction_note(check, enforced=enforce_check)
        return Deduction(pct, SME, f"{size}，已提交中小企业声明函{note}：按小微企业扣除 {_pct(pct)}%")
    form = bidder.get_participation_display()
    if bidder.participation != Participation.INDEPENDENT:
        pct, share = project.consortium_deduction_pct, bidder.small_share_pct
        minimum = Decimal(str(consortium.value["min_share_pct"]))
        if pct == 0:
            return Deduction(reason=f"{form}，本项目未设置联合体或分包的价格扣除")
        if share < minimum:
            return Deduction(reason=f"{form}，小微企业合同份额 {_pct(share)}% 低于 {_pct(minimum)}%，不扣除")
        return Deduction(
            pct,
            CONSORTIUM,
            f"{form}，小微企业合同份额 {_pct(share)}%（不低于 {_pct(minimum)}%）：扣除 {_pct(pct)}%",
        )
    if bidder.sme_declaration and bidder.sme_size:
        return Deduction(reason=f"{bidder.get_sme_size_display()}不享受小微企业价格扣除")
    return Deduction(reason=f"{form}，未声明为小型、微型企业")


def deductions(project: Project, bidders: list[Bidder]) -> dict[Any, Deduction]:
    """Each bidder's deduction (by pk), the rules and the size thresholds read once for them all."""
    in_force = rules.rules_in_force("sme_eligible_sizes", "consortium_deduction", "sme_size_check")
    sizes, consortium = in_force["sme_eligible_sizes"].value, in_force["consortium_deduction"]
    enforce = bool((in_force["sme_size_check"].value or {}).get("required"))
    table = size_table([project])
    return {
        b.pk: price_deduction(
            project,
            b,
            sizes=sizes,
            consortium=consortium,
            check=size_check(project, b, table=table),
            enforce_check=enforce,
        )
        for b in bidders
    }
