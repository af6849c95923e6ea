"""Line amounts, rounded half-up at the line: net, then tax on the rounded net, then gross.

Order totals are the sums of the rounded lines, never a rounding of the unrounded sum.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(
    quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, tax_rate: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of a line: net = round(qty x price x (1 - discount), 2), tax = round(net x rate, 2)."""
    net = money(Decimal(quantity) * Decimal(unit_price) * (1 - Decimal(discount_percent) / HUNDRED))
    tax = money(net * Decimal(tax_rate))
    return net, tax, net + tax
