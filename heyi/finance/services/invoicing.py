"""What invoices, bills and credit notes share: their lines, checked, priced and taxed per
line, and the saving of a draft.

Amounts are rounded half-up at the line and the document's totals add the rounded lines.
Exclusive prices: net = round(qty x price), tax = round(net x rate). Inclusive prices:
gross = round(qty x price), net = round(gross / (1 + rate)), tax = gross - net.
"""

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from heyi.catalog.models import Product
from heyi.partners.models import Partner
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Company, User
from heyi.platform.services.records import record_create
from heyi.purchasing.models import PurchaseOrder, Receipt, ReceiptLine
from heyi.sales.models import Delivery, DeliveryLine, SalesOrder, SalesReturn, SalesReturnLine

from ..models import Account, FinanceSettings, Invoice, InvoiceLine
from .common import ZERO, finance_settings, money

Kind = Invoice.Kind
QUANTITY = Decimal("0.0001")
UNIT_PRICE = Decimal("0.000001")
RATE = Decimal("0.0001")
VAT_RATES = frozenset(rate for rate, _label in Product.TAX_RATES)
MAX_LINES = 500
LIMIT = Decimal("1e13")


@dataclasses.dataclass
class InvoiceLineIn:
    """A line as given: a product or a description, and what it came from, if anything.

    `account` defaults to revenue (sales), goods received not invoiced (a receipt's line) or
    the default expense account (other purchases). Prices follow the document's
    `prices_include_tax`.
    """

    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    product: Product | None = None
    description: str = ""
    account: Account | None = None
    delivery_line: DeliveryLine | None = None
    sales_return_line: SalesReturnLine | None = None
    receipt_line: ReceiptLine | None = None


def line_amounts(
    quantity: Decimal, unit_price: Decimal, tax_rate: Decimal, prices_include_tax: bool
) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, gross) of one line."""
    if prices_include_tax:
        gross = money(quantity * unit_price)
        net = money(gross / (1 + tax_rate))
        return net, gross - net, gross
    net = money(quantity * unit_price)
    tax = money(net * tax_rate)
    return net, tax, net + tax


def due_date_default(settings: FinanceSettings, invoice_date: datetime.date) -> datetime.date:
    return invoice_date + datetime.timedelta(days=settings.payment_terms_days)


def partner_checked(company: Company, kind: str, partner: Partner | None) -> Partner:
    """A customer for sales documents, a supplier for purchase documents, active and ours."""
    if partner is None or partner.company_id != company.pk:
        raise ValidationFailed(fields={"partner": [_("Not found.")]})
    if kind in Invoice.SALES_KINDS and not (partner.is_customer and partner.is_active):
        raise ValidationFailed(fields={"partner": [_("Choose an active customer.")]})
    if kind in Invoice.PURCHASE_KINDS and not (partner.is_supplier and partner.is_active):
        raise ValidationFailed(fields={"partner": [_("Choose an active supplier.")]})
    return partner


def control_accounts(settings: FinanceSettings) -> set[Any]:
    """Accounts that documents and stock keep; a line names none of them itself."""
    return {
        settings.receivable_id,
        settings.payable_id,
        settings.goods_received_not_invoiced_id,
        settings.inventory_id,
        settings.output_vat_id,
        settings.input_vat_id,
    }


def _decimal(field: str, value: Any, places: Decimal, message: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(fields={field: [_("Enter a number.")]})
    if not number.is_finite() or abs(number) >= LIMIT:
        raise ValidationFailed(fields={field: [_("Enter a number.")]})
    if number != number.quantize(places, rounding=ROUND_HALF_UP):
        raise ValidationFailed(fields={field: [message]})
    return number.quantize(places)


def _source_rate(line: InvoiceLineIn) -> Decimal | None:
    if line.delivery_line is not None:
        return line.delivery_line.order_line.tax_rate
    if line.sales_return_line is not None:
        return line.sales_return_line.delivery_line.order_line.tax_rate
    if line.receipt_line is not None:
        return line.receipt_line.order_line.tax_rate
    return None


def _check_sources(company: Company, kind: str, partner: Partner, line: InvoiceLineIn, at: str) -> None:
    """A line may come from a shipped delivery (invoice), a received return (customer credit
    note) or a confirmed receipt (supplier documents) of the same partner."""
    sources = [
        (line.delivery_line, "delivery_line", (Kind.CUSTOMER_INVOICE,)),
        (line.sales_return_line, "sales_return_line", (Kind.CUSTOMER_CREDIT_NOTE,)),
        (line.receipt_line, "receipt_line", Invoice.PURCHASE_KINDS),
    ]
    for source, name, kinds in sources:
        if source is None:
            continue
        if source.company_id != company.pk:
            raise ValidationFailed(fields={f"{at}.{name}": [_("Not found.")]})
        if kind not in kinds:
            raise ValidationFailed(fields={f"{at}.{name}": [_("This document cannot bill that line.")]})
    if line.delivery_line is not None:
        delivery = line.delivery_line.delivery
        if delivery.state != Delivery.State.SHIPPED or delivery.order.customer_id != partner.pk:
            raise ValidationFailed(
                fields={f"{at}.delivery_line": [_("Choose a line shipped to this customer.")]}
            )
    if line.sales_return_line is not None:
        sales_return = line.sales_return_line.sales_return
        if (
            sales_return.state != SalesReturn.State.RECEIVED
            or sales_return.delivery.order.customer_id != partner.pk
        ):
            raise ValidationFailed(
                fields={f"{at}.sales_return_line": [_("Choose a line returned by this customer.")]}
            )
    if line.receipt_line is not None:
        receipt = line.receipt_line.receipt
        if receipt.status != Receipt.Status.CONFIRMED or receipt.supplier_id != partner.pk:
            raise ValidationFailed(
                fields={f"{at}.receipt_line": [_("Choose a line received from this supplier.")]}
            )


def _line(
    company: Company,
    settings: FinanceSettings,
    kind: str,
    partner: Partner,
    prices_include_tax: bool,
    at: str,
    position: int,
    raw: InvoiceLineIn,
) -> InvoiceLine:
    product = raw.product
    if product is not None and product.company_id != company.pk:
        raise ValidationFailed(fields={f"{at}.product": [_("Not found.")]})
    description = (raw.description or "").strip()[:200]
    if product is None and not description:
        raise ValidationFailed(fields={f"{at}.description": [_("Name a product or describe the line.")]})
    _check_sources(company, kind, partner, raw, at)
    quantity = _decimal(f"{at}.quantity", raw.quantity, QUANTITY, _("At most 4 decimal places."))
    if quantity <= 0:
        raise ValidationFailed(fields={f"{at}.quantity": [_("Enter a quantity greater than zero.")]})
    price = _decimal(f"{at}.unit_price", raw.unit_price, UNIT_PRICE, _("At most 6 decimal places."))
    if price < 0:
        raise ValidationFailed(fields={f"{at}.unit_price": [_("A price cannot be negative.")]})
    rate = _decimal(f"{at}.tax_rate", raw.tax_rate, RATE, _("A tax rate is a fraction such as 0.13."))
    if rate not in VAT_RATES and rate != _source_rate(raw):
        raise ValidationFailed(fields={f"{at}.tax_rate": [_("Choose a VAT rate: 13%, 9%, 6% or 0%.")]})
    if raw.receipt_line is not None:
        account = settings.goods_received_not_invoiced
    elif raw.account is None:
        account = settings.revenue if kind in Invoice.SALES_KINDS else settings.expense
    else:
        account = raw.account
        if account.company_id != company.pk:
            raise ValidationFailed(fields={f"{at}.account": [_("Not found.")]})
        if not account.is_leaf or not account.active:
            raise ValidationFailed(
                fields={f"{at}.account": [_("Choose an active account without sub-accounts.")]}
            )
        if account.pk in control_accounts(settings):
            raise ValidationFailed(
                fields={f"{at}.account": [_("This account is kept by documents and stock; choose another.")]}
            )
    net, tax, gross = line_amounts(quantity, price, rate, prices_include_tax)
    if gross >= LIMIT:
        raise ValidationFailed(fields={f"{at}.quantity": [_("The amount of this line is too large.")]})
    return InvoiceLine(
        company=company,
        position=position,
        product=product,
        description=description,
        account=account,
        quantity=quantity,
        unit_price=price,
        tax_rate=rate,
        net_amount=net,
        tax_amount=tax,
        gross_amount=gross,
        delivery_line=raw.delivery_line,
        sales_return_line=raw.sales_return_line,
        receipt_line=raw.receipt_line,
    )


def lines_prepared(
    company: Company,
    settings: FinanceSettings,
    *,
    kind: str,
    partner: Partner,
    prices_include_tax: bool,
    lines: Sequence[InvoiceLineIn],
) -> list[InvoiceLine]:
    """Unsaved lines with their amounts; every error is named by its line (`lines[2].quantity`)."""
    if not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    if len(lines) > MAX_LINES:
        raise ValidationFailed(fields={"lines": [_("A document has at most 500 lines.")]})
    result, errors = [], {}
    for i, raw in enumerate(lines):
        at = f"lines[{i}]"
        try:
            result.append(_line(company, settings, kind, partner, prices_include_tax, at, i + 1, raw))
        except ValidationFailed as exc:
            errors.update(exc.fields or {at: [str(exc.message)]})
    if errors:
        raise ValidationFailed(fields=errors)
    return result


def claimed_quantities(
    company: Company,
    kind: str,
    field: str,
    ids: Sequence[Any],
    states: Sequence[str],
    exclude: Invoice | None = None,
) -> dict[Any, Decimal]:
    """Quantity on documents of `kind` in `states` per source line (`field`)."""
    rows = (
        InvoiceLine.objects.filter(
            company=company,
            invoice__kind=kind,
            invoice__state__in=list(states),
            **{f"{field}__in": list(ids)},
        )
        .exclude(invoice=exclude)
        .values(field)
        .annotate(quantity=Sum("quantity"))
    )
    return {row[field]: Decimal(row["quantity"]) for row in rows}


def totals(invoice: Invoice, lines: Sequence[InvoiceLine]) -> None:
    invoice.untaxed_amount = sum((ln.net_amount for ln in lines), ZERO)
    invoice.tax_amount = sum((ln.tax_amount for ln in lines), ZERO)
    invoice.total_amount = sum((ln.gross_amount for ln in lines), ZERO)


def lines_save(invoice: Invoice, lines: Sequence[InvoiceLine]) -> None:
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)


def lines_summary(lines: Sequence[InvoiceLine]) -> list[str]:
    """What the audit keeps of the lines."""
    return [
        f"{ln.product.sku if ln.product else ln.description} {ln.quantity.normalize():f}"
        f" x {ln.unit_price.normalize():f} @{ln.tax_rate.normalize():f} = {ln.gross_amount}"
        for ln in lines
    ]


def lines_key(lines: Sequence[InvoiceLine]) -> list[tuple]:
    """What makes two sets of lines the same document."""
    return [
        (
            ln.product_id,
            ln.description,
            ln.account_id,
            ln.quantity,
            ln.unit_price,
            ln.tax_rate,
            ln.net_amount,
            ln.tax_amount,
            ln.delivery_line_id,
            ln.sales_return_line_id,
            ln.receipt_line_id,
        )
        for ln in lines
    ]


def line_in(line: InvoiceLine) -> InvoiceLineIn:
    """A saved line as input again (to recompute it when the tax-inclusive flag changes)."""
    return InvoiceLineIn(
        quantity=line.quantity,
        unit_price=line.unit_price,
        tax_rate=line.tax_rate,
        product=line.product,
        description=line.description,
        account=None if line.receipt_line_id else line.account,
        delivery_line=line.delivery_line,
        sales_return_line=line.sales_return_line,
        receipt_line=line.receipt_line,
    )


LINE_RELATED = (
    "product",
    "account",
    "delivery_line__delivery__order",
    "delivery_line__order_line",
    "sales_return_line__sales_return__delivery__order",
    "sales_return_line__delivery_line__order_line",
    *(f"receipt_line__{path}" for path in ("receipt", "order_line__unit", "unit", "product__base_unit")),
)


def posting_related(kind: str) -> tuple[str, ...]:
    """What posting reads of a document's lines: the source line's quantity for what is sold,
    the receipt's cost and units for what is bought; not the whole chain editing checks."""
    if kind in Invoice.PURCHASE_KINDS:
        return ("product", "account", *(p for p in LINE_RELATED if p.startswith("receipt_line__")))
    return ("product", "account", "delivery_line", "sales_return_line")


CREDITS: dict[str, str] = {
    Kind.CUSTOMER_CREDIT_NOTE: Kind.CUSTOMER_INVOICE,
    Kind.SUPPLIER_CREDIT_NOTE: Kind.SUPPLIER_BILL,
}


def _credited_checked(
    company: Company, kind: str, partner: Partner, credited: Invoice | None
) -> Invoice | None:
    """The invoice a credit note credits, as it stands now."""
    if credited is None:
        return None
    found = Invoice.objects.filter(company=company, pk=credited.pk).first()
    if found is None:
        raise ValidationFailed(fields={"credited_invoice": [_("Not found.")]})
    credited = found
    if (
        CREDITS.get(kind) != credited.kind
        or credited.partner_id != partner.pk
        or credited.state != Invoice.State.POSTED
    ):
        raise ValidationFailed(
            fields={"credited_invoice": [_("A credit note credits a posted invoice of the same partner.")]}
        )
    return credited


def draft_create(
    actor: User,
    company: Company,
    *,
    kind: str,
    partner: Partner,
    invoice_date: datetime.date,
    lines: Sequence[InvoiceLineIn],
    due_date: datetime.date | None = None,
    prices_include_tax: bool = False,
    partner_reference: str = "",
    notes: str = "",
    sales_order: SalesOrder | None = None,
    delivery: Delivery | None = None,
    sales_return: SalesReturn | None = None,
    purchase_order: PurchaseOrder | None = None,
    credited_invoice: Invoice | None = None,
) -> Invoice:
    """Check and save a draft with its lines, inside the caller's transaction; no number yet."""
    if kind not in Kind.values:
        raise ValidationFailed(fields={"kind": [_("Choose an invoice, bill or credit note.")]})
    settings = finance_settings(company)
    partner_checked(company, kind, partner)
    credited_invoice = _credited_checked(company, kind, partner, credited_invoice)
    due_date = due_date or due_date_default(settings, invoice_date)
    if due_date < invoice_date:
        raise ValidationFailed(fields={"due_date": [_("The due date cannot be before the invoice date.")]})
    prepared = lines_prepared(
        company,
        settings,
        kind=kind,
        partner=partner,
        prices_include_tax=prices_include_tax,
        lines=lines,
    )
    invoice = Invoice(
        kind=kind,
        partner=partner,
        invoice_date=invoice_date,
        due_date=due_date,
        prices_include_tax=prices_include_tax,
        partner_reference=(partner_reference or "").strip()[:64],
        notes=(notes or "").strip(),
        sales_order=sales_order,
        delivery=delivery,
        sales_return=sales_return,
        purchase_order=purchase_order,
        credited_invoice=credited_invoice,
        created_by=actor,
    )
    totals(invoice, prepared)
    record_create(actor=actor, company=company, obj=invoice)
    lines_save(invoice, prepared)
    return invoice
