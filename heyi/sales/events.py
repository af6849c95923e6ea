"""Events about sales: what finance, CRM timelines and the KPIs listen to."""

import dataclasses

from heyi.platform.eventbus import DomainEvent, event_type


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class SalesOrderConfirmed(DomainEvent):
    type = "sales.order_confirmed"
    number: str
    customer_id: str
    salesperson_id: str
    total_amount: str
    shortages: list[dict]  # [{"line_id", "product_id", "quantity"}]: what could not be reserved


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class SalesOrderCancelled(DomainEvent):
    type = "sales.order_cancelled"
    number: str
    customer_id: str


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class DeliveryShipped(DomainEvent):
    type = "sales.delivery_shipped"
    number: str
    order_id: str
    order_number: str
    customer_id: str
    lines: list[dict]  # [{"order_line_id", "product_id", "quantity", "cost"}]


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class SalesReturnReceived(DomainEvent):
    type = "sales.return_received"
    number: str
    delivery_id: str
    order_id: str
    customer_id: str
    lines: list[dict]  # [{"order_line_id", "product_id", "quantity", "value"}]
