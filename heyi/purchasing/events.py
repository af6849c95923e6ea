"""What purchasing tells other apps (finance will listen to receipts), and what it listens to."""

import dataclasses
from decimal import Decimal

from heyi.platform.eventbus import DomainEvent, event_type


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class RequisitionApproved(DomainEvent):
    type = "purchasing.requisition_approved"
    number: str
    source: str
    lines: int


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class OrderConfirmed(DomainEvent):
    type = "purchasing.order_confirmed"
    number: str
    supplier_id: str
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class ReceiptConfirmed(DomainEvent):
    """Lines: product, order line, accepted and rejected quantity (receipt unit), unit cost."""

    type = "purchasing.receipt_confirmed"
    number: str
    order_id: str
    order_number: str
    supplier_id: str
    lines: list[dict]


@event_type
@dataclasses.dataclass(frozen=True, kw_only=True)
class ReturnShipped(DomainEvent):
    type = "purchasing.return_shipped"
    number: str
    receipt_id: str
    supplier_id: str
    lines: list[dict]


def _on_stock_shortage(event: DomainEvent) -> None:
    """A sales confirmation ran short: the shortfall joins the open automatic requisition."""
    from heyi.catalog.models import Product
    from heyi.platform.models import Company, User

    from .services.requisitions import purchase_requisition_add_shortage

    company = Company.objects.get(pk=event.company_id)
    product = Product.objects.filter(company=company, pk=getattr(event, "product_id", None)).first()
    if product is None:
        return
    purchase_requisition_add_shortage(
        actor=User.objects.filter(pk=event.actor_id).first() if event.actor_id else None,
        company=company,
        product=product,
        quantity=Decimal(str(getattr(event, "shortfall", 0))),
        origin_type=event.subject_type,
        origin_id=event.subject_id,
        reference=getattr(event, "reference", ""),
    )


def subscribe_handlers() -> None:
    from heyi.inventory.events import StockShortage
    from heyi.platform.eventbus import subscribe

    subscribe(StockShortage)(_on_stock_shortage)
