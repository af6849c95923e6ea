"""What the stock ledger tells other apps: postings, shortages and low stock."""

import dataclasses
from decimal import Decimal

from heyi.platform.eventbus import DomainEvent, event_type


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class StockMoved(DomainEvent):
    """One posting (subject: the origin document); lines are product, warehouse, quantity, value."""

    type = "inventory.stock_moved"
    kind: str
    reference: str
    lines: list[dict]


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class StockShortage(DomainEvent):
    """A reservation got less than it asked for (subject: the origin, e.g. a sales order line)."""

    type = "inventory.stock_shortage"
    product_id: str
    shortfall: Decimal
    reference: str


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class StockBelowSafety(DomainEvent):
    """Available stock of a product fell below its safety stock (subject: the product)."""

    type = "inventory.stock_below_safety"
    alert_id: str
    sku: str
    available: Decimal
    safety_stock: Decimal
