import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from heyi.platform.http.types import Money

from .models import Tag

COLOUR_PATTERN = "^(" + "|".join(Tag.Colour.values) + ")$"
KIND_PATTERN = "^(billing|shipping)$"


class TagRef(Schema):
    id: uuid.UUID
    name: str
    colour: str


class TagOut(TagRef):
    version: int


class TagIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    colour: str = Field("grey", pattern=COLOUR_PATTERN)


class TagPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=50)
    colour: str | None = Field(None, pattern=COLOUR_PATTERN)


class PartnerOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    short_name: str
    mnemonic: str
    is_customer: bool
    is_supplier: bool
    tax_number: str
    credit_limit: Money
    payment_terms_days: int
    currency: str
    phone: str
    email: str
    website: str
    province: str
    city: str
    region: str
    bank_name: str
    bank_account: str
    notes: str
    tags: list[TagRef]
    owner_id: uuid.UUID | None
    owner_name: str
    is_active: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_tags(obj) -> list:
        return list(obj.tags.all())

    @staticmethod
    def resolve_owner_name(obj) -> str:
        return str(obj.owner) if obj.owner_id else ""


class PartnerIn(Schema):
    """A new partner. `code` is given a BP-YYYY-NNNNNN number when left empty; the owner defaults
    to the caller and only someone who manages partners company-wide may name another."""

    name: str = Field(..., min_length=1, max_length=200)
    code: str = Field("", max_length=40)
    short_name: str = Field("", max_length=100)
    is_customer: bool | None = None
    is_supplier: bool | None = None
    tax_number: str = Field("", max_length=18, description="统一社会信用代码, 18 characters")
    credit_limit: Money = Decimal("0.00")
    payment_terms_days: int = Field(0, ge=0, le=365)
    currency: str = Field("CNY", min_length=3, max_length=3)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    province: str = Field("", max_length=50)
    city: str = Field("", max_length=50)
    region: str = Field("", max_length=50)
    bank_name: str = Field("", max_length=100)
    bank_account: str = Field("", max_length=64)
    notes: str = Field("", max_length=4000)
    tag_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    owner_id: uuid.UUID | None = None


class PartnerPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=200)
    code: str | None = Field(None, min_length=1, max_length=40)
    short_name: str | None = Field(None, max_length=100)
    is_customer: bool | None = None
    is_supplier: bool | None = None
    tax_number: str | None = Field(None, max_length=18)
    credit_limit: Money | None = None
    payment_terms_days: int | None = Field(None, ge=0, le=365)
    currency: str | None = Field(None, min_length=3, max_length=3)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    province: str | None = Field(None, max_length=50)
    city: str | None = Field(None, max_length=50)
    region: str | None = Field(None, max_length=50)
    bank_name: str | None = Field(None, max_length=100)
    bank_account: str | None = Field(None, max_length=64)
    notes: str | None = Field(None, max_length=4000)
    is_active: bool | None = None
    tag_ids: list[uuid.UUID] | None = Field(None, max_length=50)
    owner_id: uuid.UUID | None = None


class ContactOut(Schema):
    id: uuid.UUID
    partner_id: uuid.UUID
    name: str
    title: str
    phone: str
    mobile: str
    email: str
    is_primary: bool
    notes: str
    version: int
    created_at: datetime.datetime


class ContactIn(Schema):
    partner_id: uuid.UUID
    name: str = Field(..., min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    mobile: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    is_primary: bool = False
    notes: str = Field("", max_length=4000)


class ContactPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    title: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=40)
    mobile: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    is_primary: bool | None = None
    notes: str | None = Field(None, max_length=4000)


class AddressOut(Schema):
    id: uuid.UUID
    partner_id: uuid.UUID
    kind: str
    province: str
    city: str
    district: str
    street: str
    postal_code: str
    contact_name: str
    phone: str
    is_default: bool
    version: int


class AddressIn(Schema):
    partner_id: uuid.UUID
    kind: str = Field("shipping", pattern=KIND_PATTERN)
    province: str = Field("", max_length=50)
    city: str = Field("", max_length=50)
    district: str = Field("", max_length=50)
    street: str = Field(..., min_length=1, max_length=200)
    postal_code: str = Field("", max_length=20)
    contact_name: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    is_default: bool = False


class AddressPatch(Schema):
    version: int
    kind: str | None = Field(None, pattern=KIND_PATTERN)
    province: str | None = Field(None, max_length=50)
    city: str | None = Field(None, max_length=50)
    district: str | None = Field(None, max_length=50)
    street: str | None = Field(None, min_length=1, max_length=200)
    postal_code: str | None = Field(None, max_length=20)
    contact_name: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=40)
    is_default: bool | None = None
