import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from heyi.platform.http.types import Money, Quantity, Rate, UnitPrice, decimal_type

Percent = decimal_type(2, 5)
SignedMoney = decimal_type(2, 14, allow_negative=True)
SignedPercent = decimal_type(2, 9, allow_negative=True)
ORDER_STATES = "^(draft|confirmed|partially_delivered|delivered|closed|cancelled)$"


class OrderLineOut(Schema):
    id: uuid.UUID
    position: int
    product_id: uuid.UUID
    product_sku: str
    product_name: str
    description: str
    quantity: Quantity
    unit_id: uuid.UUID
    unit: str
    base_quantity: Quantity
    unit_price: UnitPrice
    discount_percent: Percent
    tax_rate: Rate
    net_amount: Money
    tax_amount: Money
    gross_amount: Money
    delivered_quantity: Quantity
    returned_quantity: Quantity
    reserved_quantity: Quantity

    @staticmethod
    def resolve_product_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name


class SalesOrderOut(Schema):
    id: uuid.UUID
    number: str
    state: str
    customer_id: uuid.UUID
    customer_name: str
    salesperson_id: uuid.UUID
    salesperson_name: str
    order_date: datetime.date
    delivery_address: str
    warehouse_id: uuid.UUID | None
    notes: str
    untaxed_amount: Money
    tax_amount: Money
    total_amount: Money
    confirmed_at: datetime.datetime | None
    lines: list[OrderLineOut]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_salesperson_id(obj) -> uuid.UUID:
        return obj.owner_id

    @staticmethod
    def resolve_salesperson_name(obj) -> str:
        return str(obj.owner)

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("product", "unit"))


class OrderLineIn(Schema):
    product_id: uuid.UUID
    quantity: Quantity
    unit_id: uuid.UUID | None = Field(None, description="Default: the product's base unit.")
    unit_price: UnitPrice | None = Field(
        None, description="Tax-exclusive; default: the product's sale price."
    )
    discount_percent: Percent = Decimal("0.00")
    tax_rate: Rate | None = Field(None, description="A fraction such as 0.13; default: the product's.")
    description: str = Field("", max_length=200)


class SalesOrderIn(Schema):
    """A draft order. The salesperson defaults to the caller; a manager may name one of their team."""

    customer_id: uuid.UUID
    lines: list[OrderLineIn] = Field(..., min_length=1, max_length=500)
    salesperson_id: uuid.UUID | None = None
    order_date: datetime.date | None = None
    delivery_address: str = Field("", max_length=300)
    warehouse_id: uuid.UUID | None = None
    notes: str = Field("", max_length=4000)


class SalesOrderPatch(Schema):
    """Change a draft order; `lines`, when given, replaces every line."""

    version: int
    customer_id: uuid.UUID | None = None
    lines: list[OrderLineIn] | None = Field(None, min_length=1, max_length=500)
    salesperson_id: uuid.UUID | None = None
    order_date: datetime.date | None = None
    delivery_address: str | None = Field(None, max_length=300)
    warehouse_id: uuid.UUID | None = None
    notes: str | None = Field(None, max_length=4000)


class DeliveryLineOut(Schema):
    id: uuid.UUID
    order_line_id: uuid.UUID
    product_id: uuid.UUID
    product_name: str
    unit: str
    warehouse_id: uuid.UUID | None
    batch_id: uuid.UUID | None
    batch: str | None
    quantity: Quantity
    returned_quantity: Quantity
    unit_cost: UnitPrice | None
    cost_amount: Money | None

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.order_line.unit.name

    @staticmethod
    def resolve_batch(obj) -> str | None:
        return obj.batch.code if obj.batch_id else None


class DeliveryOut(Schema):
    id: uuid.UUID
    number: str
    state: str
    order_id: uuid.UUID
    order_number: str
    customer_name: str
    delivery_address: str
    carrier: str
    tracking_number: str
    notes: str
    shipped_at: datetime.datetime | None
    lines: list[DeliveryLineOut]
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_order_number(obj) -> str:
        return obj.order.number

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.order.customer.name

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("product", "order_line__unit", "batch"))


class DeliveryLineIn(Schema):
    order_line_id: uuid.UUID
    quantity: Quantity
    warehouse_id: uuid.UUID | None = Field(None, description="Default: where the line's stock is reserved.")
    batch_id: uuid.UUID | None = Field(None, description="Default: the batch that expires first.")


class DeliveryIn(Schema):
    """A delivery of a confirmed order; without `lines` it carries all that can go now."""

    order_id: uuid.UUID
    lines: list[DeliveryLineIn] | None = Field(None, max_length=500)
    carrier: str = Field("", max_length=100)
    tracking_number: str = Field("", max_length=100)
    delivery_address: str | None = Field(None, max_length=300)
    notes: str = Field("", max_length=4000)


class DeliveryPatch(Schema):
    version: int
    carrier: str | None = Field(None, max_length=100)
    tracking_number: str | None = Field(None, max_length=100)
    delivery_address: str | None = Field(None, max_length=300)
    notes: str | None = Field(None, max_length=4000)


class ShipIn(Schema):
    carrier: str | None = Field(None, max_length=100)
    tracking_number: str | None = Field(None, max_length=100)


class ReturnLineOut(Schema):
    id: uuid.UUID
    delivery_line_id: uuid.UUID
    product_name: str
    warehouse_id: uuid.UUID | None
    quantity: Quantity
    value: Money | None

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.delivery_line.product.name


class SalesReturnOut(Schema):
    id: uuid.UUID
    number: str
    state: str
    delivery_id: uuid.UUID
    delivery_number: str
    order_id: uuid.UUID
    reason: str
    received_at: datetime.datetime | None
    lines: list[ReturnLineOut]
    version: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_delivery_number(obj) -> str:
        return obj.delivery.number

    @staticmethod
    def resolve_order_id(obj) -> uuid.UUID:
        return obj.delivery.order_id

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("delivery_line__product"))


class ReturnLineIn(Schema):
    delivery_line_id: uuid.UUID
    quantity: Quantity
    warehouse_id: uuid.UUID | None = Field(None, description="Default: the warehouse it was shipped from.")


class SalesReturnIn(Schema):
    delivery_id: uuid.UUID
    lines: list[ReturnLineIn] = Field(..., min_length=1, max_length=500)
    reason: str = Field("", max_length=4000)


class MarginOut(Schema):
    key: str
    label: str
    revenue: Money
    cost: Money
    margin: SignedMoney
    margin_percent: SignedPercent | None
    quantity: Quantity
    order_count: int


class MarginsOut(Schema):
    group: str
    items: list[MarginOut]
    revenue: Money
    cost: Money
    margin: SignedMoney
