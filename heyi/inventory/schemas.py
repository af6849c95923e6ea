import datetime
import uuid

from ninja import Field, Schema

from heyi.platform.http.types import Quantity, UnitPrice, decimal_type

from .models import Warehouse

SignedQuantity = decimal_type(4, 16, allow_negative=True)
SignedMoney = decimal_type(2, 18, allow_negative=True)
KIND_PATTERN = "^(" + "|".join(Warehouse.Kind.values) + ")$"


class WarehouseOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    address: str
    manager_id: uuid.UUID | None
    manager: str | None
    kind: str
    priority: int
    is_active: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_manager(obj) -> str | None:
        return obj.manager.name if obj.manager_id else None


class WarehouseIn(Schema):
    code: str = Field(..., min_length=1, max_length=20)
    name: str = Field(..., min_length=1, max_length=100)
    address: str = Field("", max_length=300)
    manager_id: uuid.UUID | None = None
    kind: str = Field(Warehouse.Kind.STOCK.value, pattern=KIND_PATTERN)
    priority: int = Field(10, ge=0, le=32767)
    is_active: bool = True


class WarehousePatch(Schema):
    version: int
    code: str | None = Field(None, min_length=1, max_length=20)
    name: str | None = Field(None, min_length=1, max_length=100)
    address: str | None = Field(None, max_length=300)
    manager_id: uuid.UUID | None = None
    priority: int | None = Field(None, ge=0, le=32767)
    is_active: bool | None = None


class LocationOut(Schema):
    id: uuid.UUID
    warehouse_id: uuid.UUID
    warehouse: str
    code: str
    name: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_warehouse(obj) -> str:
        return obj.warehouse.code


class LocationIn(Schema):
    warehouse_id: uuid.UUID
    code: str = Field(..., min_length=1, max_length=30)
    name: str = Field("", max_length=100)
    is_active: bool = True


class WarehouseLocationIn(Schema):
    code: str = Field(..., min_length=1, max_length=30)
    name: str = Field("", max_length=100)
    is_active: bool = True


class LocationPatch(Schema):
    version: int
    code: str | None = Field(None, min_length=1, max_length=30)
    name: str | None = Field(None, max_length=100)
    is_active: bool | None = None


class SettingsOut(Schema):
    allow_negative_stock: bool


class SettingsPatch(Schema):
    allow_negative_stock: bool | None = None


class Ref(Schema):
    """A referenced record as lists show it."""

    id: uuid.UUID
    code: str
    name: str


class BatchStockOut(Schema):
    warehouse_id: uuid.UUID
    warehouse: str
    on_hand: Quantity


class BatchOut(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    product: Ref
    code: str
    expiry_date: datetime.date | None
    manufactured_on: datetime.date | None
    on_hand: SignedQuantity
    stock: list[BatchStockOut]
    created_at: datetime.datetime


class BatchIn(Schema):
    product_id: uuid.UUID
    code: str = Field(..., min_length=1, max_length=40)
    expiry_date: datetime.date | None = None
    manufactured_on: datetime.date | None = None


class StockRowOut(Schema):
    id: uuid.UUID = Field(..., description="The product's id: GET /stock/{id} gives its figures.")
    product_id: uuid.UUID
    product: Ref
    unit: str
    warehouse_id: uuid.UUID
    warehouse: Ref
    warehouse_kind: str
    on_hand: SignedQuantity
    reserved: Quantity
    available: SignedQuantity


class ProductStockOut(Schema):
    id: uuid.UUID
    product: Ref
    unit: str
    on_hand: SignedQuantity
    reserved: Quantity
    available: SignedQuantity
    warehouses: list[StockRowOut]


class CostAdjustmentOut(Schema):
    id: uuid.UUID
    amount: SignedMoney
    cause_id: uuid.UUID
    created_at: datetime.datetime


class StockMoveOut(Schema):
    id: uuid.UUID
    occurred_at: datetime.datetime
    kind: str
    product_id: uuid.UUID
    product: Ref
    warehouse_id: uuid.UUID
    warehouse: Ref
    location_id: uuid.UUID | None
    batch_id: uuid.UUID | None
    batch: str | None
    quantity: SignedQuantity
    unit: str
    entered_quantity: SignedQuantity
    entered_unit: str
    unit_cost: UnitPrice
    value: SignedMoney
    origin_type: str
    origin_id: str
    reference: str
    reverses_id: uuid.UUID | None
    reversed_by_id: uuid.UUID | None
    created_at: datetime.datetime


class StockMoveDetailOut(StockMoveOut):
    cost_adjustments: list[CostAdjustmentOut]
    effective_value: SignedMoney


class TransferLineIn(Schema):
    product_id: uuid.UUID
    quantity: Quantity
    unit_id: uuid.UUID | None = None
    batch_id: uuid.UUID | None = None


class TransferLineOut(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    product: Ref
    quantity: Quantity
    unit_id: uuid.UUID
    unit: str
    batch_id: uuid.UUID | None
    batch: str | None


class TransferIn(Schema):
    from_warehouse_id: uuid.UUID
    to_warehouse_id: uuid.UUID
    note: str = Field("", max_length=500)
    lines: list[TransferLineIn] = Field(..., min_length=1, max_length=500)


class TransferPatch(Schema):
    version: int
    from_warehouse_id: uuid.UUID | None = None
    to_warehouse_id: uuid.UUID | None = None
    note: str | None = Field(None, max_length=500)
    lines: list[TransferLineIn] | None = Field(None, min_length=1, max_length=500)


class TransferOut(Schema):
    id: uuid.UUID
    number: str
    state: str
    from_warehouse_id: uuid.UUID
    from_warehouse: Ref
    to_warehouse_id: uuid.UUID
    to_warehouse: Ref
    note: str
    shipped_at: datetime.datetime | None
    received_at: datetime.datetime | None
    version: int
    lines: list[TransferLineOut]
    created_at: datetime.datetime


class CountLineIn(Schema):
    product_id: uuid.UUID
    batch_id: uuid.UUID | None = None
    counted_quantity: Quantity | None = None


class CountLineOut(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    product: Ref
    unit: str
    batch_id: uuid.UUID | None
    batch: str | None
    system_quantity: SignedQuantity
    counted_quantity: Quantity | None
    posted_system_quantity: SignedQuantity | None
    difference: SignedQuantity | None
    unit_cost: UnitPrice | None
    value: SignedMoney | None


class StockCountIn(Schema):
    warehouse_id: uuid.UUID
    note: str = Field("", max_length=500)
    lines: list[CountLineIn] = Field([], max_length=2000)


class StockCountPatch(Schema):
    version: int
    note: str | None = Field(None, max_length=500)
    lines: list[CountLineIn] | None = Field(None, max_length=2000)


class StockCountOut(Schema):
    id: uuid.UUID
    number: str
    state: str
    warehouse_id: uuid.UUID
    warehouse: Ref
    note: str
    started_at: datetime.datetime | None
    posted_at: datetime.datetime | None
    version: int
    lines: list[CountLineOut]
    created_at: datetime.datetime


class StockAlertOut(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    product: Ref
    state: str
    available: SignedQuantity
    safety_stock: Quantity
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
