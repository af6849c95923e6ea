"""What finance tells the platform: record types (search, comments, attachments) and the
import of the bank's statement lines."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from heyi.platform import modules
from heyi.platform.errors import ValidationFailed
from heyi.platform.imports import ImportColumn, ImportSpec, register_import
from heyi.platform.models import Company, User
from heyi.platform.registry import RecordType, register_record_type

from .access import expense_claims_visible
from .models import Account, BankLine, ExpenseClaim, Invoice, Payment, Voucher
from .permissions import MANAGE_PAYMENT, VIEW

register_record_type(
    RecordType(
        key="finance.voucher",
        model=Voucher,
        label=_("Voucher"),
        view_permission=VIEW,
        search_fields=("number", "narration", "source_reference"),
        detail_url_name="finance:voucher_detail",
        module=modules.ERP,
        subtitle=lambda v: f"{v.date} · {v.get_state_display()}",
    )
)
register_record_type(
    RecordType(
        key="finance.invoice",
        model=Invoice,
        label=_("Invoice"),
        view_permission=VIEW,
        search_fields=("number", "partner__name", "partner_reference"),
        detail_url_name="finance:invoice_detail",
        module=modules.ERP,
        subtitle=lambda i: f"{i.get_kind_display()} · {i.partner.name} · {i.get_state_display()}",
    )
)
register_record_type(
    RecordType(
        key="finance.payment",
        model=Payment,
        label=_("Payment"),
        view_permission=VIEW,
        search_fields=("number", "partner__name", "reference"),
        detail_url_name="finance:payment_detail",
        module=modules.ERP,
        subtitle=lambda p: f"{p.get_kind_display()} · {p.partner.name} · {p.amount}",
    )
)
register_record_type(
    RecordType(
        key="finance.expense_claim",
        model=ExpenseClaim,
        label=_("Expense claim"),
        view_permission=VIEW,
        search_fields=("number", "description"),
        detail_url_name="finance:expense_claim_detail",
        module=modules.ERP,
        subtitle=lambda c: f"{c.total_amount} · {c.get_state_display()}",
        visible=lambda user, company: expense_claims_visible(user=user, company=company),
    )
)


def _cell(row: dict[str, str], key: str) -> str:
    return (row.get(key) or "").strip()


def _figure(row: dict[str, str], key: str) -> str:
    """A number as banks print it, with thousands separators."""
    return _cell(row, key).replace(",", "")


def _date(row: dict[str, str]) -> datetime.date:
    """A date as banks print it: 2026-11-20, 2026/11/20, 2026.11.20 or 20261120, a time after it
    or not."""
    text = _cell(row, "date").split(" ")[0].split("T")[0].replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(fields={"date": [gettext_now("Enter a date as YYYY-MM-DD.")]})


def _signed_amount(row: dict[str, str]) -> str:
    """The line's money, money in positive: one signed amount, or money in and money out."""
    signed, money_in, money_out = _figure(row, "amount"), _figure(row, "money_in"), _figure(row, "money_out")
    if bool(signed) == bool(money_in or money_out):
        raise ValidationFailed(
            fields={"amount": [gettext_now("Give either the amount or money in and money out.")]}
        )
    if signed:
        return signed
    try:
        return str(Decimal(money_in or "0") - Decimal(money_out or "0"))
    except InvalidOperation:
        raise ValidationFailed(fields={"money_in": [gettext_now("Enter a number.")]})


def bank_statement_order(rows: list[dict[str, str]]) -> list[int]:
    """Lines oldest first, as they must be added: a bank that exports its newest line first
    gives a file whose balances follow one another upwards, so it is read from the bottom."""
    chain: list[tuple[Decimal, Decimal] | None] = []
    for row in rows:
        try:
            chain.append((Decimal(_signed_amount(row)), Decimal(_figure(row, "balance"))))
        except (ValidationFailed, InvalidOperation):
            chain.append(None)
    pairs = [(a, b) for a, b in zip(chain, chain[1:], strict=False) if a is not None and b is not None]
    downwards = sum(1 for a, b in pairs if a[1] + b[0] == b[1])
    upwards = sum(1 for a, b in pairs if b[1] + a[0] == a[1])
    order = list(range(len(rows)))
    return order[::-1] if upwards > downwards else order


def create_bank_line_row(user: User, company: Company, row: dict[str, str]) -> BankLine:
    """One line of the bank's statement: the bank account by code, the money as one signed
    amount or as money in and money out (收入/支出) the way banks export them."""
    from .services.bank import bank_line_create

    account = Account.objects.filter(company=company, code=_cell(row, "account")).first()
    if account is None:
        raise ValidationFailed(fields={"account": [gettext_now("Not found.")]})
    return bank_line_create(
        actor=user,
        company=company,
        account=account,
        line_date=_date(row),
        amount=_signed_amount(row),
        balance=_figure(row, "balance"),
        description=_cell(row, "description"),
        reference=_cell(row, "reference"),
        counterparty=_cell(row, "counterparty"),
    )


register_import(
    ImportSpec(
        key="finance.bank_line",
        label=_("Bank statement lines"),
        permission=MANAGE_PAYMENT,
        module=modules.ERP,
        columns=(
            ImportColumn(
                "account",
                _("Bank account"),
                required=True,
                help=_("Account code, such as 1002"),
                aliases=("科目",),
                shared=True,
            ),
            ImportColumn("date", _("Date"), required=True, aliases=("交易日期", "记账日期", "交易时间")),
            ImportColumn(
                "amount", _("Amount"), help=_("Money in positive, money out negative"), aliases=("交易金额",)
            ),
            ImportColumn("money_in", _("Money in"), aliases=("收入", "收入金额", "贷方发生额", "贷方金额")),
            ImportColumn("money_out", _("Money out"), aliases=("支出", "支出金额", "借方发生额", "借方金额")),
            ImportColumn(
                "balance",
                _("Balance"),
                required=True,
                help=_("The bank's balance after the line"),
                aliases=("余额", "账户余额"),
            ),
            ImportColumn("description", _("Description"), aliases=("摘要", "用途", "交易摘要")),
            ImportColumn("reference", _("Reference"), aliases=("交易流水号", "流水号", "凭证号")),
            ImportColumn("counterparty", _("Counterparty"), aliases=("对方户名", "对方账户名称", "对方名称")),
        ),
        create_row=create_bank_line_row,
        order_rows=bank_statement_order,
    )
)
