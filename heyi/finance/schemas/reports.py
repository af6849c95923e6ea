"""Schemas of the report endpoints. Balances are debit minus credit unless a field says which
side it shows; money travels as decimal strings, negative where a balance can be."""

import datetime
import uuid

from ninja import Field, Schema

from heyi.platform.http.types import decimal_type

Amount = decimal_type(2, 16, allow_negative=True)
Percent = decimal_type(2, 12, allow_negative=True)


class TrialBalanceRowOut(Schema):
    account_id: uuid.UUID
    code: str
    name: str
    name_en: str
    type: str
    side: str
    level: int
    is_leaf: bool
    opening_debit: Amount
    opening_credit: Amount
    debit: Amount
    credit: Amount
    closing_debit: Amount
    closing_credit: Amount


class TrialBalanceTotalsOut(Schema):
    opening_debit: Amount
    opening_credit: Amount
    debit: Amount
    credit: Amount
    closing_debit: Amount
    closing_credit: Amount
    balanced: bool


class TrialBalanceOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    rows: list[TrialBalanceRowOut]
    totals: TrialBalanceTotalsOut = Field(description="Sums of the accounts that take postings.")


class LedgerEntryOut(Schema):
    date: datetime.date
    voucher_id: uuid.UUID
    voucher_number: str
    narration: str
    account_code: str
    account_name: str
    partner_name: str
    debit: Amount
    credit: Amount
    balance: Amount = Field(description="Running balance after this line, debit minus credit.")
    source_type: str
    source_id: str
    source_reference: str


class GeneralLedgerOut(Schema):
    account_id: uuid.UUID
    account_code: str
    account_name: str
    partner_id: uuid.UUID | None
    date_from: datetime.date
    date_to: datetime.date
    opening: Amount
    debit: Amount
    credit: Amount
    closing: Amount
    items: list[LedgerEntryOut]
    count: int
    page: int
    page_size: int


class BalanceSheetLineOut(Schema):
    number: int | None = Field(description="Line number of the form; none for a heading.")
    label: str
    level: int = Field(description="0 heading, 1 line, 2 'of which' line, 3 total.")
    closing: Amount | None
    year_opening: Amount | None


class BalanceSheetOut(Schema):
    date: datetime.date
    year_start: datetime.date
    balanced: bool
    lines: list[BalanceSheetLineOut]


class IncomeStatementLineOut(Schema):
    number: int
    label: str
    level: int
    period: Amount
    year_to_date: Amount


class IncomeStatementOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    year_start: datetime.date
    lines: list[IncomeStatementLineOut]


class AgeingRowOut(Schema):
    partner_id: uuid.UUID | None
    partner_name: str
    days_0_30: Amount
    days_31_60: Amount
    days_61_90: Amount
    over_90: Amount
    credits: Amount = Field(description="Open credit notes and unallocated payments (negative).")
    total: Amount


class AgeingOut(Schema):
    date: datetime.date
    rows: list[AgeingRowOut]
    totals: AgeingRowOut
    ledger_balance: Amount = Field(description="The control account's balance on the date.")
    agrees: bool


class CashAccountOut(Schema):
    account_id: uuid.UUID
    code: str
    name: str
    name_en: str
    opening: Amount = Field(description="Balance before the period of movements.")
    received: Amount
    paid: Amount
    balance: Amount


class CashPositionOut(Schema):
    date: datetime.date
    since: datetime.date
    rows: list[CashAccountOut]
    opening: Amount
    received: Amount
    paid: Amount
    balance: Amount


class GrossMarginRowOut(Schema):
    key: uuid.UUID | None = Field(description="The product or customer; none for what names neither.")
    code: str
    label: str
    revenue: Amount
    cost: Amount
    margin: Amount
    margin_percent: Percent | None


class GrossMarginOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    by: str
    rows: list[GrossMarginRowOut]
    revenue: Amount
    cost: Amount
    margin: Amount
