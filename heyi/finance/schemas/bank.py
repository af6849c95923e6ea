"""Schemas of the bank reconciliation endpoints: the bank's statement lines, their matches to
the books and the reconciliation statement.

A bank line's amount is signed, money in positive and out negative, and so is a balance, so
these fields take and give negative decimal strings (`Money` refuses them). The sequence, the
match and the company are set by the services only: no input schema carries them.
"""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from heyi.platform.http.types import decimal_type

SignedMoney = decimal_type(2, 14, allow_negative=True)
Amount = decimal_type(2, 16, allow_negative=True)


class BankLineIn(Schema):
    """The next line of the bank's statement of a bank account, in the bank's order."""

    account_id: uuid.UUID = Field(..., description="A bank (or cash) account without sub-accounts.")
    line_date: datetime.date | None = Field(None, description="Default: today.")
    amount: SignedMoney = Field(..., description="Money in (positive) or out (negative), never zero.")
    balance: SignedMoney = Field(
        ..., description="The bank's balance after this line: the last line's balance plus `amount`."
    )
    description: str = Field("", max_length=200)
    reference: str = Field("", max_length=64)
    counterparty: str = Field("", max_length=100)


class BankMatchIn(Schema):
    voucher_line_id: uuid.UUID = Field(
        ..., description="A posted voucher line on the same account recording the same money."
    )


class BankAutoMatchIn(Schema):
    account_id: uuid.UUID


class BankAutoMatchOut(Schema):
    matched: int = Field(description="How many bank lines were matched.")


class BankLineOut(Schema):
    id: uuid.UUID
    account_id: uuid.UUID
    account_code: str
    sequence: int
    line_date: datetime.date
    amount: Amount
    balance: Amount
    description: str
    reference: str
    counterparty: str
    matched_line_id: uuid.UUID | None = Field(description="The voucher line recording this money.")
    matched_voucher_id: uuid.UUID | None
    matched_voucher_number: str | None
    matched_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_account_code(obj) -> str:
        return obj.account.code

    @staticmethod
    def resolve_matched_voucher_id(obj) -> uuid.UUID | None:
        return obj.matched_line.voucher_id if obj.matched_line_id else None

    @staticmethod
    def resolve_matched_voucher_number(obj) -> str | None:
        return obj.matched_line.voucher.number if obj.matched_line_id else None


class BookLineOut(Schema):
    """A posted voucher line on the bank account, as the books recorded the money."""

    id: uuid.UUID
    voucher_id: uuid.UUID
    voucher_number: str
    date: datetime.date
    narration: str
    amount: Amount = Field(description="Debit minus credit: money in positive, out negative.")
    partner_name: str

    @staticmethod
    def resolve_voucher_number(obj) -> str:
        return obj.voucher.number

    @staticmethod
    def resolve_narration(obj) -> str:
        return obj.narration or obj.voucher.narration

    @staticmethod
    def resolve_amount(obj) -> Decimal:
        return obj.debit - obj.credit

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return obj.partner.name if obj.partner_id else ""


class BankReconciliationOut(Schema):
    """The bank reconciliation statement (银行存款余额调节表) of a bank account on `date`."""

    account_id: uuid.UUID
    account_code: str
    account_name: str
    date: datetime.date
    book_balance: Amount = Field(description="The books' balance of the account on the date.")
    bank_balance: Amount | None = Field(
        description="The balance of the bank's last line by the date; null with no lines."
    )
    bank_only: list[BankLineOut] = Field(description="What the bank recorded and the books did not.")
    book_only: list[BookLineOut] = Field(description="What the books recorded and the bank did not.")
    adjusted_book: Amount = Field(description="The books' balance plus what only the bank recorded.")
    adjusted_bank: Amount | None = Field(
        description="The bank's balance plus what only the books recorded; null with no lines."
    )
    difference: Amount | None = Field(description="Adjusted books less adjusted bank; null with no lines.")
    agrees: bool
