import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from heyi.platform.http.types import Quantity, UnitPrice, decimal_type

from .models import Product, Unit

TaxRate = decimal_type(2, 3)
Ratio = decimal_type(12, 24)
SignedQuantity = decimal_type(4, 16, allow_negative=True)
KIND_PATTERN = "^(" + "|".join(Product.Kind.values) + ")$"
UNIT_CATEGORY_PATTERN = "^(" + "|".join(Unit.Category.values) + ")$"


class CategoryOut(Schema):
    id: uuid.UUID
    name: str
    code: str
    parent_id: uuid.UUID | None
    version: int


class CategoryIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    code: str = Field("", max_length=40)
    parent_id: uuid.UUID | None = None


class CategoryPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    code: str | None = Field(None, max_length=40)
    parent_id: uuid.UUID | None = None


class UnitOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    category: str
    ratio: Ratio | None
    is_active: bool
    version: int


class UnitIn(Schema):
    code: str = Field(..., min_length=1, max_length=20)
    name: str = Field(..., min_length=1, max_length=40)
    category: str = Field(..., pattern=UNIT_CATEGORY_PATTERN)
    ratio: Ratio | None = None
    is_active: bool = True


class UnitPatch(Schema):
    version: int
    code: str | None = Field(None, min_length=1, max_length=20)
    name: str | None = Field(None, min_length=1, max_length=40)
    category: str | None = Field(None, pattern=UNIT_CATEGORY_PATTERN)
    ratio: Ratio | None = None
    is_active: bool | None = None


class ProductOut(Schema):
    id: uuid.UUID
    sku: str
    name: str
    mnemonic: str
    barcode: str
    category_id: uuid.UUID | None
    base_unit_id: uuid.UUID
    base_unit: str
    kind: str
    tax_rate: TaxRate
    sale_price: UnitPrice
    sale_price_incl_tax: UnitPrice
    purchase_price: UnitPrice
    purchase_price_incl_tax: UnitPrice
    standard_cost: UnitPrice
    safety_stock: Quantity
    reorder_point: Quantity
    description: str
    is_active: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_base_unit(obj: Product) -> str:
        return obj.base_unit.code


class ProductIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=200)
    base_unit_id: uuid.UUID
    category_id: uuid.UUID | None = None
    barcode: str = Field("", max_length=64)
    kind: str = Field(Product.Kind.STOCKABLE, pattern=KIND_PATTERN)
    tax_rate: TaxRate = Decimal("0.13")
    sale_price: UnitPrice = Decimal(0)
    purchase_price: UnitPrice = Decimal(0)
    standard_cost: UnitPrice = Decimal(0)
    safety_stock: Quantity = Decimal(0)
    reorder_point: Quantity = Decimal(0)
    description: str = Field("", max_length=4000)
    is_active: bool = True


class ProductPatch(Schema):
    version: int
    sku: str | None = Field(None, min_length=1, max_length=64)
    name: str | None = Field(None, min_length=1, max_length=200)
    base_unit_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    barcode: str | None = Field(None, max_length=64)
    kind: str | None = Field(None, pattern=KIND_PATTERN)
    tax_rate: TaxRate | None = None
    sale_price: UnitPrice | None = None
    purchase_price: UnitPrice | None = None
    standard_cost: UnitPrice | None = None
    safety_stock: Quantity | None = None
    reorder_point: Quantity | None = None
    description: str | None = Field(None, max_length=4000)
    is_active: bool | None = None


class ProductUnitOut(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    unit_id: uuid.UUID
    unit: str
    factor: Quantity
    barcode: str
    version: int

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code


class ProductUnitIn(Schema):
    unit_id: uuid.UUID
    factor: Quantity
    barcode: str = Field("", max_length=64)


class ProductUnitPatch(Schema):
    version: int
    unit_id: uuid.UUID | None = None
    factor: Quantity | None = None
    barcode: str | None = Field(None, max_length=64)
