"""Tax-inclusive and tax-exclusive unit prices (含税/不含税), rounded half-up to 6 places."""

from decimal import ROUND_HALF_UP, Decimal

UNIT_PRICE = Decimal("0.000001")


def incl_tax(price: Decimal, rate: Decimal) -> Decimal:
    return (Decimal(price) * (1 + Decimal(rate))).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)


def excl_tax(price: Decimal, rate: Decimal) -> Decimal:
    return (Decimal(price) / (1 + Decimal(rate))).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)
