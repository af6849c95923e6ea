"""Line amounts rounded half-up at the line; order totals add the rounded lines."""

from decimal import Decimal

import pytest

from heyi.sales.totals import line_amounts


@pytest.mark.parametrize(
    "qty, price, discount, rate, net, tax, gross",
    [
        # 3 x 2680 = 8040.00; tax 13% = 1045.20
        ("3", "2680", "0", "0.13", "8040.00", "1045.20", "9085.20"),
        # 7 x 0.015 = 0.105 -> 0.11 (half-up, not banker's 0.10); tax 0.0143 -> 0.01
        ("7", "0.015", "0", "0.13", "0.11", "0.01", "0.12"),
        # 3 x 33.333333 = 99.999999 -> 100.00; 10% off: 89.9999991 -> 90.00; tax 11.70
        ("3", "33.333333", "10", "0.13", "90.00", "11.70", "101.70"),
        # 1 x 0.125 = 0.125 -> 0.13; tax at 6%: 0.0078 -> 0.01
        ("1", "0.125", "0", "0.06", "0.13", "0.01", "0.14"),
        # 2.5 箱-free quantity, 12.5% off 19.99: 43.728125 -> 43.73; tax 5.6849 -> 5.68
        ("2.5", "19.99", "12.5", "0.13", "43.73", "5.68", "49.41"),
    ],
)
def test_line_amounts_by_hand(qty, price, discount, rate, net, tax, gross):
    assert line_amounts(Decimal(qty), Decimal(price), Decimal(discount), Decimal(rate)) == (
        Decimal(net),
        Decimal(tax),
        Decimal(gross),
    )


def test_order_totals_add_rounded_lines_not_a_rounded_sum(company, admin, new_order, paper, units):
    # 3 lines of 7 x 0.015 each: every line is 0.11 net, so 0.33; rounding the raw sum
    # (0.315) would give 0.32. Tax per line 0.01, so 0.03 (not round(0.315 x 0.13) = 0.04).
    order = new_order([(paper, "7", "0.015"), (paper, "7", "0.015"), (paper, "7", "0.015")])
    assert order.untaxed_amount == Decimal("0.33")
    assert order.tax_amount == Decimal("0.03")
    assert order.total_amount == Decimal("0.36")
