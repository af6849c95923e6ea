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


def create_bank_line_row(user: User, company: Company, row: dict[str, str]) -> BankLine:
    """One line of the bank's statement: the bank account by code, the money as one signed
    amount or as money in and money out (收入/支出) the way banks export them."""
    from .services.bank import bank_line_create

    account = Account.objects.filter(company=company, code=_cell(row, "account")).first()
    if account is None:
        raise ValidationFailed(fields={"account": [gettext_now("Not found.")]})
    try:
        line_date = datetime.date.fromisoformat(_cell(row, "date")[:10])
    except ValueError:
        raise ValidationFailed(fields={"date": [gettext_now("Enter a date as YYYY-MM-DD.")]})
    signed, money_in, money_out = _figure(row, "amount"), _figure(row, "money_in"), _figure(row, "money_out")
    if bool(signed) == bool(money_in or money_out):
        raise ValidationFailed(
            fields={"amount": [gettext_now("Give either the amount or money in and money out.")]}
        )
    if not signed:
        try:
            signed = str(Decimal(money_in or "0") - Decimal(money_out or "0"))
        except InvalidOperation:
            raise ValidationFailed(fields={"money_in": [gettext_now("Enter a number.")]})
    return bank_line_create(
        actor=user,
        company=company,
        account=account,
        line_date=line_date,
        amount=signed,
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
            ImportColumn("account", _("Bank account"), required=True, help=_("Account code, such as 1002")),
            ImportColumn("date", _("Date"), required=True),
            ImportColumn("amount", _("Amount"), help=_("Money in positive, money out negative")),
            ImportColumn("money_in", _("Money in")),
            ImportColumn("money_out", _("Money out")),
            ImportColumn("balance", _("Balance"), required=True, help=_("The bank's balance after the line")),
            ImportColumn("description", _("Description")),
            ImportColumn("reference", _("Reference")),
            ImportColumn("counterparty", _("Counterparty")),
        ),
        create_row=create_bank_line_row,
    )
)
