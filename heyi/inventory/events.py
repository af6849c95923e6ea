"""What the stock ledger tells other apps: postings, shortages and low stock."""

import dataclasses
import datetime
from decimal import Decimal

from heyi.platform.eventbus import DomainEvent, event_type


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class StockMoved(DomainEvent):
    """One posting (subject: the origin document); lines are move, product, warehouse, quantity
    and value; adjustments are the revaluations of earlier outgoing moves a back-dated posting
    caused (move, product, origin_type, origin_id, amount: the change of inventory value)."""

    type = "inventory.stock_moved"
    kind: str
    reference: str
    occurred_on: datetime.date
    lines: list[dict]
    adjustments: list[dict]


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
