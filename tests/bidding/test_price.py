"""Price score by the low-price formula with the small/micro deduction applied first (hand-computed)."""

from decimal import Decimal

import pytest

from fazhi.bidding.services.pricing import Bid, Deduction, PriceLine, price_scores
from fazhi.bidding.services.results import BidderResult, rank_lines

D = Decimal


def scores(bids, weight="30", pct="0"):
    """bids: (key, name, price, eligible for the small/micro rate `pct`)."""
    bids = [Bid(k, n, p, Deduction(D(pct), "sme") if eligible else Deduction()) for k, n, p, eligible in bids]
    base, lines = price_scores(bids=bids, weight_pct=D(weight))
    return base, {line.key: line for line in lines}


def test_without_deduction_the_lowest_price_gets_the_full_price_weight():
    # base 90,000: A 90000/100000×30 = 27.00; B 90000/95000×30 = 28.4210… → 28.42; C 30.00
    base, lines = scores(
        [("A", "甲", D(100000), False), ("B", "乙", D(95000), False), ("C", "丙", D(90000), False)]
    )
    assert base == D("90000.00")
    assert [lines[k].price_score for k in "ABC"] == [D("27.00"), D("28.42"), D("30.00")]


def test_a_ten_percent_deduction_is_applied_before_the_formula():
    # A is a small firm: 100,000 × (1 − 10%) = 90,000 evaluated, equal to C's price → both 30.00
    base, lines = scores(
        [("A", "甲", D(100000), True), ("B", "乙", D(95000), False), ("C", "丙", D(90000), False)], pct="10"
    )
    assert lines["A"].evaluated_price == D("90000.00") and lines["A"].bid_price == D(100000)
    assert base == D("90000.00")
    assert [lines[k].price_score for k in "ABC"] == [D("30.00"), D("28.42"), D("30.00")]


def test_a_twenty_percent_deduction_moves_the_base_price():
    # A micro firm: 100,000 × 80% = 80,000 becomes the base; B 80000/95000×30 = 25.2631… → 25.26;
    # C 80000/90000×30 = 26.6666… → 26.67
    base, lines = scores(
        [("A", "甲", D(100000), True), ("B", "乙", D(95000), False), ("C", "丙", D(90000), False)], pct="20"
    )
    assert base == D("80000.00")
    assert [lines[k].price_score for k in "ABC"] == [D("30.00"), D("25.26"), D("26.67")]


def test_a_large_firm_gets_no_deduction_even_when_the_project_has_one():
    _, lines = scores([("B", "乙", D(95000), False), ("C", "丙", D(90000), False)], pct="20")
    assert lines["B"].deduction_pct == 0 and lines["B"].evaluated_price == D("95000.00")


def test_services_weight_ten_percent():
    # (1,200,000 ÷ 1,500,000) × 10% × 100 = 8.00
    _, lines = scores([("A", "甲", D(1500000), False), ("B", "乙", D(1200000), False)], weight="10")
    assert lines["A"].price_score == D("8.00") and lines["B"].price_score == D("10.00")


def _line(pk, total, price):
    bidder = type("B", (), {"pk": pk, "bid_price": D(price), "name": str(pk)})()
    return BidderResult(
        bidder=bidder,  # type: ignore[arg-type]
        price=PriceLine(pk, str(pk), D(price), D(0), D(price)),
        total=D(total),
    )


def test_equal_totals_rank_the_lower_bid_price_first_and_equal_prices_share_a_rank():
    lines = [
        _line(1, "88.50", 100000),
        _line(2, "88.50", 95000),
        _line(3, "90", 99000),
        _line(4, "88.50", 95000),
    ]
    rank_lines(lines, "comprehensive")
    assert [(line.bidder.pk, line.rank) for line in lines] == [(3, 1), (2, 2), (4, 2), (1, 4)]


def test_the_lowest_price_method_ranks_by_evaluated_price():
    lines = [_line(1, "0", 120000), _line(2, "0", 90000), _line(3, "0", 90000)]
    rank_lines(lines, "lowest_price")
    assert [(line.bidder.pk, line.rank) for line in lines] == [(2, 1), (3, 1), (1, 3)]


@pytest.mark.parametrize("pct", ["10", "15", "20"])
def test_price_scores_never_exceed_the_weight(pct):
    _, lines = scores([("A", "甲", D("123456.78"), True), ("B", "乙", D("99999.99"), False)], pct=pct)
    assert all(D(0) < line.price_score <= D(30) for line in lines.values())
