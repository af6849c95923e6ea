"""Quick stock for tests of inventory and of the apps above it."""

import datetime
from decimal import Decimal

from heyi.catalog.models import Product, Unit
from heyi.catalog.services.products import product_create
from heyi.catalog.services.units import unit_create
from heyi.inventory.models import Warehouse
from heyi.inventory.services.ledger import MoveLine, Origin, stock_receive
from heyi.inventory.services.warehouses import warehouse_create
from heyi.platform.models import Company, User


def piece(company: Company, actor: User) -> Unit:
    found = Unit.objects.filter(company=company, code="pcs").first()
    return found or unit_create(
        actor=actor, company=company, code="pcs", name="个", category="count", ratio=Decimal(1)
    )


def make_product(company: Company, actor: User, sku: str, name: str = "", **fields) -> Product:
    fields.setdefault("base_unit", piece(company, actor))
    fields.setdefault("sale_price", Decimal("100"))
    fields.setdefault("purchase_price", Decimal("60"))
    return product_create(actor=actor, company=company, sku=sku, name=name or sku, **fields)


def make_warehouse(company: Company, actor: User, code: str, priority: int = 10) -> Warehouse:
    return warehouse_create(actor=actor, company=company, code=code, name=f"{code}仓", priority=priority)


def receive(
    company: Company,
    actor: User,
    product: Product,
    warehouse: Warehouse,
    quantity: str | int,
    cost: str | int,
    when: datetime.datetime | None = None,
    **line,
):
    (move,) = stock_receive(
        actor=actor,
        company=company,
        origin=Origin("test.receipt", f"{product.sku}-{warehouse.code}", "GR-TEST"),
        lines=[MoveLine(product, warehouse, Decimal(quantity), unit_cost=Decimal(cost), **line)],
        occurred_at=when,
    )
    return move
