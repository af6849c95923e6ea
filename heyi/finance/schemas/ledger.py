"""Schemas of the ledger endpoints: accounts, vouchers, periods, fiscal years, finance settings.

A voucher's number, state, total, hash and company are set by the services only: no input
schema carries them.
"""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from heyi.platform.http.types import Money, decimal_type

Balance = decimal_type(2, 16, allow_negative=True)
Percent = decimal_type(2, 5)
VOUCHER_WORDS = "^(记|收|付|转)$"


class AccountOut(Schema):
    id: uuid.UUID
    code: str
    name: str
    name_en: str
    type: str
    side: str
    parent_id: uuid.UUID | None
    level: int
    is_leaf: bool
    partner_required: bool
    is_cash: bool
    active: bool
    balance: Balance = Field(description="Posted debits minus credits, sub-accounts included.")
    version: int

    @staticmethod
    def resolve_level(obj) -> int:
        return getattr(obj, "level", 1)

    @staticmethod
    def resolve_balance(obj) -> Decimal:
        return getattr(obj, "balance", Decimal("0.00"))


class AccountIn(Schema):
    """A sub-account: its code extends the parent's; type and side are the parent's."""

    parent_id: uuid.UUID
    code: str = Field(..., min_length=1, max_length=20, pattern=r"^[0-9]+$")
    name: str = Field(..., min_length=1, max_length=100)
    name_en: str = Field("", max_length=100)
    partner_required: bool | None = Field(None, description="Default: as the parent.")


class AccountPatch(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    name_en: str | None = Field(None, max_length=100)
    active: bool | None = None


class VoucherLineOut(Schema):
    id: uuid.UUID
    position: int
    account_id: uuid.UUID
    account_code: str
    account_name: str
    narration: str
    debit: Money
    credit: Money
    partner_id: uuid.UUID | None
    partner_name: str | None
    product_id: uuid.UUID | None
    department_id: uuid.UUID | None
    employee_id: uuid.UUID | None
    project: str

    @staticmethod
    def resolve_account_code(obj) -> str:
        return obj.account.code

    @staticmethod
    def resolve_account_name(obj) -> str:
        return obj.account.name

    @staticmethod
    def resolve_partner_name(obj) -> str | None:
        return obj.partner.name if obj.partner_id else None


class VoucherOut(Schema):
    id: uuid.UUID
    number: str
    word: str
    date: datetime.date
    period: str
    narration: str
    notes: str
    state: str
    total: Money
    source_type: str = Field(description="The document that wrote the voucher; empty when prepared by hand.")
    source_id: str
    source_reference: str
    reverses_id: uuid.UUID | None
    reversed_by_id: uuid.UUID | None
    prepared_by: str | None
    posted_by: str | None
    posted_at: datetime.datetime | None
    hash: str
    lines: list[VoucherLineOut]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_period(obj) -> str:
        return str(obj.period)

    @staticmethod
    def resolve_reversed_by_id(obj) -> uuid.UUID | None:
        from ..models import Voucher

        return (
            Voucher.objects.filter(company_id=obj.company_id, reverses=obj)
            .values_list("pk", flat=True)
            .first()
        )

    @staticmethod
    def resolve_prepared_by(obj) -> str | None:
        return str(obj.created_by) if obj.created_by_id else None

    @staticmethod
    def resolve_posted_by(obj) -> str | None:
        return str(obj.posted_by) if obj.posted_by_id else None

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("account", "partner"))


class VoucherListOut(Schema):
    """A voucher in a list: its head, without lines."""

    id: uuid.UUID
    number: str
    word: str
    date: datetime.date
    narration: str
    state: str
    total: Money
    source_type: str
    source_reference: str
    reverses_id: uuid.UUID | None
    version: int


class VoucherLineIn(Schema):
    """One debit or one credit (the other is 0), at most two decimals."""

    account_id: uuid.UUID
    debit: Money = Decimal("0.00")
    credit: Money = Decimal("0.00")
    narration: str = Field("", max_length=200)
    partner_id: uuid.UUID | None = None
    product_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    employee_id: uuid.UUID | None = None
    project: str = Field("", max_length=60)


class VoucherIn(Schema):
    """A draft voucher; it is numbered when posted."""

    date: datetime.date
    word: str = Field("记", pattern=VOUCHER_WORDS)
    narration: str = Field("", max_length=200)
    notes: str = Field("", max_length=2000)
    lines: list[VoucherLineIn] = Field(..., min_length=1, max_length=500)


class VoucherPatch(Schema):
    """Change a draft; `lines`, when given, replaces every line."""

    version: int
    date: datetime.date | None = None
    word: str | None = Field(None, pattern=VOUCHER_WORDS)
    narration: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=2000)
    lines: list[VoucherLineIn] | None = Field(None, min_length=1, max_length=500)


class VoucherReverseIn(Schema):
    date: datetime.date | None = Field(None, description="Default: today. The period must be open.")


class PeriodOut(Schema):
    id: uuid.UUID
    year: int
    month: int
    start: datetime.date
    end: datetime.date
    state: str
    closed_at: datetime.datetime | None
    fiscal_year_state: str

    @staticmethod
    def resolve_fiscal_year_state(obj) -> str:
        return obj.fiscal_year.state


class FiscalYearOut(Schema):
    id: uuid.UUID
    year: int
    state: str
    closed_at: datetime.datetime | None


class FinanceSettingsOut(Schema):
    receivable_id: uuid.UUID
    payable_id: uuid.UUID
    goods_received_not_invoiced_id: uuid.UUID
    inventory_id: uuid.UUID
    cost_of_goods_sold_id: uuid.UUID
    revenue_id: uuid.UUID
    output_vat_id: uuid.UUID
    input_vat_id: uuid.UUID
    price_difference_id: uuid.UUID
    stock_adjustment_id: uuid.UUID
    expense_id: uuid.UUID
    employee_payable_id: uuid.UUID
    current_year_profit_id: uuid.UUID
    retained_earnings_id: uuid.UUID
    price_tolerance_percent: Percent
    quantity_tolerance_percent: Percent
    payment_terms_days: int
    version: int


class FinanceSettingsPatch(Schema):
    """Posting accounts must be active leaf accounts of the right type."""

    version: int
    receivable_id: uuid.UUID | None = None
    payable_id: uuid.UUID | None = None
    goods_received_not_invoiced_id: uuid.UUID | None = None
    inventory_id: uuid.UUID | None = None
    cost_of_goods_sold_id: uuid.UUID | None = None
    revenue_id: uuid.UUID | None = None
    output_vat_id: uuid.UUID | None = None
    input_vat_id: uuid.UUID | None = None
    price_difference_id: uuid.UUID | None = None
    stock_adjustment_id: uuid.UUID | None = None
    expense_id: uuid.UUID | None = None
    employee_payable_id: uuid.UUID | None = None
    current_year_profit_id: uuid.UUID | None = None
    retained_earnings_id: uuid.UUID | None = None
    price_tolerance_percent: Percent | None = None
    quantity_tolerance_percent: Percent | None = None
    payment_terms_days: int | None = Field(None, ge=0, le=365)
