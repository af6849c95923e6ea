import datetime
import uuid

from ninja import Field, Schema

from heyi.platform.http.types import Money, Quantity, Rate, UnitPrice, decimal_type

Percent = decimal_type(2, 5)

Lines = Field(..., min_length=1, max_length=500)


class RequisitionLineIn(Schema):
    product_id: uuid.UUID
    quantity: Quantity
    unit_id: uuid.UUID | None = None
    needed_by: datetime.date | None = None
    supplier_id: uuid.UUID | None = None
    unit_price: UnitPrice | None = None
    reason: str = Field("", max_length=200)


class RequisitionIn(Schema):
    notes: str = Field("", max_length=2000)
    lines: list[RequisitionLineIn] = Lines


class RequisitionPatch(Schema):
    version: int
    notes: str | None = Field(None, max_length=2000)
    lines: list[RequisitionLineIn] | None = Field(None, min_length=1, max_length=500)


class RequisitionFromAlertIn(Schema):
    alert_id: uuid.UUID


class RequisitionLineOut(Schema):
    id: uuid.UUID
    position: int
    product_id: uuid.UUID
    sku: str
    product_name: str
    quantity: Quantity
    unit_id: uuid.UUID
    unit: str
    needed_by: datetime.date | None
    supplier_id: uuid.UUID | None
    unit_price: UnitPrice | None
    reason: str
    origin_type: str
    origin_id: str
    origin_reference: str
    order_line_id: uuid.UUID | None

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code


class RequisitionOut(Schema):
    id: uuid.UUID
    number: str
    source: str
    status: str
    requester_id: uuid.UUID | None
    requester: str
    notes: str
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    lines: list[RequisitionLineOut]

    @staticmethod
    def resolve_requester_id(obj) -> uuid.UUID | None:
        return obj.owner_id

    @staticmethod
    def resolve_requester(obj) -> str:
        return str(obj.owner) if obj.owner_id else ""

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("product", "unit"))


class PurchaseOrderLineIn(Schema):
    product_id: uuid.UUID
    quantity: Quantity
    unit_id: uuid.UUID | None = None
    unit_price: UnitPrice | None = Field(
        None, description="tax-exclusive; default: the product's purchase price"
    )
    tax_rate: Rate | None = Field(None, description="default: the product's VAT rate")
    description: str = Field("", max_length=200)


class PurchaseOrderIn(Schema):
    supplier_id: uuid.UUID
    order_date: datetime.date | None = None
    expected_date: datetime.date | None = None
    warehouse_id: uuid.UUID | None = None
    notes: str = Field("", max_length=2000)
    lines: list[PurchaseOrderLineIn] = Lines


class PurchaseOrderPatch(Schema):
    version: int
    supplier_id: uuid.UUID | None = None
    order_date: datetime.date | None = None
    expected_date: datetime.date | None = None
    warehouse_id: uuid.UUID | None = None
    notes: str | None = Field(None, max_length=2000)
    lines: list[PurchaseOrderLineIn] | None = Field(None, min_length=1, max_length=500)


class OrderFromRequisitionsIn(Schema):
    requisition_ids: list[uuid.UUID] = Field(..., min_length=1, max_length=100)


class PurchaseOrderLineOut(Schema):
    id: uuid.UUID
    position: int
    product_id: uuid.UUID
    sku: str
    description: str
    quantity: Quantity
    unit_id: uuid.UUID
    unit: str
    unit_price: UnitPrice
    tax_rate: Rate
    net_amount: Money
    tax_amount: Money
    gross_amount: Money
    received_quantity: Quantity

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code


class PurchaseOrderOut(Schema):
    id: uuid.UUID
    number: str
    supplier_id: uuid.UUID
    supplier: str
    order_date: datetime.date
    expected_date: datetime.date | None
    warehouse_id: uuid.UUID | None
    status: str
    currency: str
    notes: str
    total_net: Money
    total_tax: Money
    total_gross: Money
    buyer_id: uuid.UUID | None
    confirmed_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    lines: list[PurchaseOrderLineOut]

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.supplier.name

    @staticmethod
    def resolve_buyer_id(obj) -> uuid.UUID | None:
        return obj.owner_id

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("product", "unit"))


class ReceiptLineIn(Schema):
    order_line_id: uuid.UUID
    quantity: Quantity
    unit_id: uuid.UUID | None = None
    warehouse_id: uuid.UUID | None = None
    batch_code: str = Field("", max_length=40)
    expiry_date: datetime.date | None = None


class ReceiptIn(Schema):
    order_id: uuid.UUID
    received_date: datetime.date | None = None
    delivery_note: str = Field("", max_length=64)
    notes: str = Field("", max_length=2000)
    lines: list[ReceiptLineIn] = Lines


class InspectionLineIn(Schema):
    line_id: uuid.UUID
    accepted: Quantity
    rejected: Quantity
    reason: str = Field("", max_length=200)


class ReceiptInspectIn(Schema):
    lines: list[InspectionLineIn] = Field(default_factory=list, max_length=500)


class ReceiptLineOut(Schema):
    id: uuid.UUID
    position: int
    order_line_id: uuid.UUID
    product_id: uuid.UUID
    sku: str
    quantity: Quantity
    unit_id: uuid.UUID
    unit: str
    warehouse_id: uuid.UUID
    batch_code: str
    expiry_date: datetime.date | None
    batch_id: uuid.UUID | None
    accepted_quantity: Quantity | None
    rejected_quantity: Quantity | None
    rejection_reason: str
    returned_accepted: Quantity
    returned_rejected: Quantity

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code


class ReceiptOut(Schema):
    id: uuid.UUID
    number: str
    order_id: uuid.UUID
    order_number: str
    supplier_id: uuid.UUID
    received_date: datetime.date
    status: str
    delivery_note: str
    notes: str
    inspected_at: datetime.datetime | None
    confirmed_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    lines: list[ReceiptLineOut]

    @staticmethod
    def resolve_order_number(obj) -> str:
        return obj.order.number

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("product", "unit"))


class PurchaseReturnLineIn(Schema):
    receipt_line_id: uuid.UUID
    quantity: Quantity
    from_quarantine: bool = False
    warehouse_id: uuid.UUID | None = None


class PurchaseReturnIn(Schema):
    receipt_id: uuid.UUID
    return_date: datetime.date | None = None
    reason: str = Field("", max_length=200)
    lines: list[PurchaseReturnLineIn] = Lines


class PurchaseReturnLineOut(Schema):
    id: uuid.UUID
    receipt_line_id: uuid.UUID
    product_id: uuid.UUID
    quantity: Quantity
    unit_id: uuid.UUID
    warehouse_id: uuid.UUID
    from_quarantine: bool


class PurchaseReturnOut(Schema):
    id: uuid.UUID
    number: str
    receipt_id: uuid.UUID
    supplier_id: uuid.UUID
    return_date: datetime.date
    reason: str
    status: str
    shipped_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    lines: list[PurchaseReturnLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())


class SupplierPriceOut(Schema):
    id: uuid.UUID
    supplier_id: uuid.UUID
    supplier: str
    product_id: uuid.UUID
    sku: str
    date: datetime.date
    unit_price: UnitPrice
    unit_id: uuid.UUID
    unit: str
    base_unit_price: UnitPrice
    quantity: Quantity
    order_id: uuid.UUID | None
    order_number: str | None

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.supplier.name

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_order_number(obj) -> str | None:
        return obj.order.number if obj.order_id else None


class PurchasingSettingsOut(Schema):
    over_receipt_tolerance: Percent
    version: int


class PurchasingSettingsPatch(Schema):
    version: int | None = None
    over_receipt_tolerance: Percent = Field(..., description="percent of the ordered quantity, 0 to 100")
