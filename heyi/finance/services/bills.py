"""Supplier bills from goods receipts, and the three-way match (order, receipt, bill).

A receipt booked its goods to goods received not invoiced (暂估应付款) at the order price; the
bill takes that value back off, line by line, so a receipt billed in full leaves nothing
there, and what the supplier charges beyond it is a purchase price difference. A bill that
charges for more than was received and kept, or above the order price, beyond the company's
tolerances, is held with the reason rather than posted.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.catalog.selectors import unit_convert
from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User
from heyi.purchasing.models import PurchaseOrder, PurchaseReturnLine, Receipt, ReceiptLine

from ..errors import NothingToInvoice
from ..models import FinanceSettings, Invoice, InvoiceLine
from ..permissions import MANAGE_INVOICE
from .common import ZERO, check, money
from .invoicing import UNIT_PRICE, InvoiceLineIn, draft_create

Kind = Invoice.Kind
State = Invoice.State
COST = Decimal("0.000001")
HUNDRED = Decimal(100)
RECEIPT_LINE_RELATED = ("receipt", "order_line__unit", "unit", "product__base_unit")


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def receipt_unit_price(line: ReceiptLine) -> Decimal:
    """The order line's price per received unit, as the receipt valued the goods."""
    order_line = line.order_line
    if line.unit_id == order_line.unit_id:
        return order_line.unit_price
    per_received = unit_convert(Decimal(1000000), line.unit, order_line.unit, line.product) / 1000000
    return (order_line.unit_price * per_received).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)


def receipt_value(line: ReceiptLine, quantity: Decimal) -> Decimal:
    """What the receipt booked for `quantity` of the line (in its unit): the base quantity at
    the base-unit cost its stock move took, rounded as the stock ledger rounds it."""
    product = line.product
    moved = line.accepted_quantity or line.quantity
    base_moved = unit_convert(moved, line.unit, product.base_unit, product)
    cost = (receipt_unit_price(line) * moved / base_moved).quantize(COST, rounding=ROUND_HALF_UP)
    value = money(unit_convert(abs(quantity), line.unit, product.base_unit, product) * cost)
    return value if quantity >= 0 else -value


def returned_at_receipt_cost(company: Company, purchase_return_id: Any) -> dict[str, Decimal]:
    """Per product, what goods sent back to the supplier take off goods received not invoiced:
    the receipt's value of the quantity, counted down from the top of what was received into
    stock (or quarantine) less what earlier returns took. Bills count up from the bottom, so
    receipt, bills, returns and credit notes of a line leave nothing on the account to the
    cent. Read before the return is added to the receipt lines' returned quantities."""
    lines = PurchaseReturnLine.objects.filter(
        company=company, purchase_return_id=purchase_return_id
    ).select_related(*(f"receipt_line__{path}" for path in RECEIPT_LINE_RELATED))
    taken: dict[tuple[Any, bool], Decimal] = defaultdict(lambda: ZERO)
    values: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in lines.order_by("position", "pk"):
        rl, side = line.receipt_line, line.from_quarantine
        received = (rl.rejected_quantity if side else rl.accepted_quantity) or ZERO
        before = (rl.returned_rejected if side else rl.returned_accepted) + taken[(rl.pk, side)]
        taken[(rl.pk, side)] += line.quantity  # in the receipt line's unit, as returns are entered
        top = received - before
        values[str(line.product_id)] += receipt_value(rl, top) - receipt_value(rl, top - line.quantity)
    return dict(values)


def kept_quantity(line: ReceiptLine) -> Decimal:
    """Accepted into stock and not sent back: what a supplier may bill."""
    return (line.accepted_quantity or ZERO) - line.returned_accepted


def billed_quantities(
    company: Company,
    receipt_line_ids: Iterable[Any],
    *,
    bill_states: Sequence[str],
    exclude: Invoice | None = None,
) -> dict[Any, Decimal]:
    """Per receipt line: quantity on bills in `bill_states` less posted supplier credit notes."""
    rows = (
        InvoiceLine.objects.filter(company=company, receipt_line__in=list(receipt_line_ids))
        .filter(
            Q(invoice__kind=Kind.SUPPLIER_BILL, invoice__state__in=list(bill_states))
            | Q(invoice__kind=Kind.SUPPLIER_CREDIT_NOTE, invoice__state=State.POSTED)
        )
        .exclude(invoice=exclude)
        .values("receipt_line", "invoice__kind")
        .annotate(quantity=Sum("quantity"))
    )
    result: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        sign = -1 if row["invoice__kind"] == Kind.SUPPLIER_CREDIT_NOTE else 1
        result[row["receipt_line"]] += sign * Decimal(row["quantity"])
    return result


def grni_values(company: Company, invoice: Invoice, lines: Sequence[InvoiceLine]) -> dict[Any, Decimal]:
    """Per line from a receipt: the receipt's value of its quantity, taken after what earlier
    posted bills took, so a line billed in parts clears goods received not invoiced to the cent."""
    from_receipts = [(ln, rl) for ln in lines if (rl := ln.receipt_line) is not None]
    if not from_receipts:
        return {}
    reached = billed_quantities(
        company, [rl.pk for _ln, rl in from_receipts], bill_states=(State.POSTED,), exclude=invoice
    )
    sign = -1 if invoice.kind == Kind.SUPPLIER_CREDIT_NOTE else 1
    values = {}
    for ln, rl in from_receipts:
        start = reached[rl.pk]
        reached[rl.pk] = start + sign * ln.quantity
        values[ln.pk] = sign * (receipt_value(rl, reached[rl.pk]) - receipt_value(rl, start))
    return values


def _label(line: InvoiceLine) -> str:
    name = line.product.name if line.product else line.description
    return _("Line %(position)s %(name)s") % {"position": line.position, "name": name}


def bill_mismatches(
    company: Company, settings: FinanceSettings, bill: Invoice, lines: Sequence[InvoiceLine]
) -> list[str]:
    """What keeps a supplier bill from posting: per line from a receipt, more billed (this and
    other posted or held bills) than received and kept, or a price above the order's, beyond
    the tolerances. Empty when the bill matches."""
    from_receipts = [(ln, rl) for ln in lines if (rl := ln.receipt_line) is not None]
    if bill.kind != Kind.SUPPLIER_BILL or not from_receipts:
        return []
    elsewhere = billed_quantities(
        company, [rl.pk for _ln, rl in from_receipts], bill_states=(State.POSTED, State.HELD), exclude=bill
    )
    here: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    for ln, rl in from_receipts:
        here[rl.pk] += ln.quantity
    quantity_factor = 1 + settings.quantity_tolerance_percent / HUNDRED
    price_factor = 1 + settings.price_tolerance_percent / HUNDRED
    problems, seen = [], set()
    for ln, rl in from_receipts:
        if rl.pk not in seen:
            seen.add(rl.pk)
            billed, kept = elsewhere[rl.pk] + here[rl.pk], kept_quantity(rl)
            if billed > kept * quantity_factor:
                problems.append(
                    _("%(line)s: billed %(billed)s, received %(received)s")
                    % {"line": _label(ln), "billed": _qty(billed), "received": _qty(kept)}
                )
        ordered = receipt_unit_price(rl)
        if ln.net_amount > money(ln.quantity * ordered * price_factor):
            price = (ln.net_amount / ln.quantity).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)
            problems.append(
                _("%(line)s: price %(price)s, ordered at %(ordered)s")
                % {"line": _label(ln), "price": _qty(price), "ordered": _qty(ordered)}
            )
    return problems


def _unbilled_lines(company: Company, receipts: Sequence[Receipt]) -> list[InvoiceLineIn]:
    """Per receipt line: kept, less what bills (drafts included) already claim, at the order's
    price and VAT rate."""
    receipt_lines = list(
        ReceiptLine.objects.filter(company=company, receipt__in=[r.pk for r in receipts])
        .select_related(*RECEIPT_LINE_RELATED, "receipt__order")
        .order_by("receipt__received_date", "receipt__number", "position", "pk")
    )
    billed = billed_quantities(company, receipt_lines, bill_states=(State.DRAFT, State.HELD, State.POSTED))
    result = []
    for rl in receipt_lines:
        left = kept_quantity(rl) - billed[rl.pk]
        if left > 0:
            result.append(
                InvoiceLineIn(
                    product=rl.product,
                    description=rl.order_line.description,
                    quantity=left,
                    unit_price=receipt_unit_price(rl),
                    tax_rate=rl.order_line.tax_rate,
                    receipt_line=rl,
                )
            )
    return result


def bill_create_from_receipt(
    *,
    actor: User,
    company: Company,
    receipt: Receipt,
    invoice_date: datetime.date | None = None,
    partner_reference: str = "",
) -> Invoice:
    """A draft bill for what a confirmed receipt kept and no bill claims yet, at the order's
    prices; it is then brought in line with the supplier's paper invoice before posting."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        locked = (
            Receipt.objects.select_for_update()
            .select_related("order", "supplier")
            .filter(company=company, pk=receipt.pk)
            .first()
        )
        if locked is None:
            raise NotFound()
        if locked.status != Receipt.Status.CONFIRMED:
            raise NothingToInvoice(_("Only a confirmed receipt can be billed."))
        lines = _unbilled_lines(company, [locked])
        if not lines:
            raise NothingToInvoice(
                _("Everything kept from %(number)s is already billed.") % {"number": locked.number}
            )
        return draft_create(
            actor,
            company,
            kind=Kind.SUPPLIER_BILL,
            partner=locked.supplier,
            invoice_date=invoice_date or timezone.localdate(),
            lines=lines,
            partner_reference=partner_reference,
            purchase_order=locked.order,
        )


def bill_create_from_order(
    *,
    actor: User,
    company: Company,
    order: PurchaseOrder,
    invoice_date: datetime.date | None = None,
    partner_reference: str = "",
) -> Invoice:
    """One draft bill for what every confirmed receipt of the order kept and no bill claims yet."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        locked = (
            PurchaseOrder.objects.select_for_update()
            .select_related("supplier")
            .filter(company=company, pk=order.pk)
            .first()
        )
        if locked is None:
            raise NotFound()
        receipts = list(
            Receipt.objects.filter(company=company, order=locked, status=Receipt.Status.CONFIRMED)
        )
        lines = _unbilled_lines(company, receipts)
        if not lines:
            raise NothingToInvoice(
                _("Nothing received on %(number)s is left to bill.") % {"number": locked.number}
            )
        return draft_create(
            actor,
            company,
            kind=Kind.SUPPLIER_BILL,
            partner=locked.supplier,
            invoice_date=invoice_date or timezone.localdate(),
            lines=lines,
            partner_reference=partner_reference,
            purchase_order=locked,
        )
