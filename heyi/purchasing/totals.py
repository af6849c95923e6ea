"""Line and document amounts: half-up at the line, tax per line, totals from rounded lines."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
UNIT_PRICE = Decimal("0.000001")
QUANTITY = Decimal("0.0001")


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    tax: Decimal
    gross: Decimal


def line_amounts(quantity: Decimal, unit_price: Decimal, tax_rate: Decimal) -> LineAmounts:
    net = money(Decimal(quantity) * Decimal(unit_price))
    tax = money(net * Decimal(tax_rate))
    return LineAmounts(net, tax, net + tax)


def document_totals(lines: Iterable[LineAmounts]) -> LineAmounts:
    net = tax = Decimal("0.00")
    for line in lines:
        net += line.net
        tax += line.tax
    return LineAmounts(net, tax, net + tax)
