"""core.fields: what a DecimalField or a text field can hold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.core.fields import decimal_excess, max_length
from fazhi.core.models import Message


@pytest.mark.parametrize(
    ("number", "excess"),
    [
        ("999999999999.99", None),
        ("1000000000000", "whole"),
        ("-1000000000000", "whole"),
        ("100.500", None),
        ("0.001", "places"),
    ],
)
def test_decimal_excess_names_what_does_not_fit(number, excess):
    assert decimal_excess(Decimal(number), max_digits=14, places=2) == excess


def test_max_length_reads_the_field():
    assert max_length(Message, "title") == 300
    assert max_length(Message, "body") is None
