"""Customer invoices and credit notes from what was shipped and returned.

An invoice takes what shipped deliveries carried and no invoice (draft, held or posted)
claims yet, at the sales order's prices after discount and its VAT rates; a credit note
takes what a received return brought back and credits the posted invoice of those goods.
"""

import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.platform.errors import NotFound
from heyi.platform.models import Company, User
from heyi.sales.models import Delivery, DeliveryLine, SalesOrder, SalesReturn

from ..errors import NothingToInvoice
from ..models import Invoice
from ..permissions import MANAGE_INVOICE
from .common import ZERO, check
from .invoicing import UNIT_PRICE, InvoiceLineIn, claimed_quantities, draft_create

Kind = Invoice.Kind
State = Invoice.State
HUNDRED = Decimal(100)
CLAIMING = (State.DRAFT, State.HELD, State.POSTED)


def _net_price(order_line: Any) -> Decimal:
    """The order line's unit price after its discount."""
    factor = 1 - order_line.discount_percent / HUNDRED
    return (order_line.unit_price * factor).quantize(UNIT_PRICE, rounding=ROUND_HALF_UP)


def _uninvoiced(company: Company, deliveries: Sequence[Delivery]) -> list[InvoiceLineIn]:
    """Per delivery line: shipped, less what invoices (drafts included) already claim."""
    delivery_lines = list(
        DeliveryLine.objects.filter(company=company, delivery__in=[d.pk for d in deliveries])
        .select_related("delivery__order", "order_line", "product")
        .order_by("delivery__shipped_at", "delivery__number", "order_line__position", "pk")
    )
    claimed = claimed_quantities(
        company,
        Kind.CUSTOMER_INVOICE,
        "delivery_line",
        [dl.pk for dl in delivery_lines],
        CLAIMING,
    )
    result = []
    for dl in delivery_lines:
        left = dl.quantity - claimed.get(dl.pk, ZERO)
        if left > 0:
            result.append(
                InvoiceLineIn(
                    product=dl.product,
                    description=dl.order_line.description,
                    quantity=left,
                    unit_price=_net_price(dl.order_line),
                    tax_rate=dl.order_line.tax_rate,
                    delivery_line=dl,
                )
            )
    return result


def invoice_create_from_delivery(
    *, actor: User, company: Company, delivery: Delivery, invoice_date: datetime.date | None = None
) -> Invoice:
    """A draft invoice for what a shipped delivery shipped and no invoice claims yet, at the
    order's prices, discounts and VAT rates."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        locked = (
            Delivery.objects.select_for_update()
            .select_related("order__customer")
            .filter(company=company, pk=delivery.pk)
            .first()
        )
        if locked is None:
            raise NotFound()
        if locked.state != Delivery.State.SHIPPED:
            raise NothingToInvoice(_("Only a shipped delivery can be invoiced."))
        lines = _uninvoiced(company, [locked])
        if not lines:
            raise NothingToInvoice(
                _("Everything shipped on %(number)s is already invoiced.") % {"number": locked.number}
            )
        return draft_create(
            actor,
            company,
            kind=Kind.CUSTOMER_INVOICE,
            partner=locked.order.customer,
            invoice_date=invoice_date or timezone.localdate(),
            lines=lines,
            sales_order=locked.order,
            delivery=locked,
        )


def invoice_create_from_order(
    *, actor: User, company: Company, order: SalesOrder, invoice_date: datetime.date | None = None
) -> Invoice:
    """One draft invoice for everything the order's shipped deliveries carried and no invoice
    claims yet."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        locked = (
            SalesOrder.objects.select_for_update()
            .select_related("customer")
            .filter(company=company, pk=order.pk)
            .first()
        )
        if locked is None:
            raise NotFound()
        deliveries = list(
            Delivery.objects.filter(company=company, order=locked, state=Delivery.State.SHIPPED).order_by(
                "pk"
            )
        )
        lines = _uninvoiced(company, deliveries)
        if not lines:
            raise NothingToInvoice(
                _("Nothing shipped on %(number)s is left to invoice.") % {"number": locked.number}
            )
        invoiced = {ln.delivery_line.delivery_id for ln in lines if ln.delivery_line is not None}
        return draft_create(
            actor,
            company,
            kind=Kind.CUSTOMER_INVOICE,
            partner=locked.customer,
            invoice_date=invoice_date or timezone.localdate(),
            lines=lines,
            sales_order=locked,
            delivery=next(d for d in deliveries if d.pk in invoiced) if len(invoiced) == 1 else None,
        )


def credit_note_create_from_return(
    *, actor: User, company: Company, sales_return: SalesReturn, invoice_date: datetime.date | None = None
) -> Invoice:
    """A draft credit note for what a received return brought back and no credit note claims
    yet, at the order's prices; it credits the posted invoice of those lines, if there is one."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        locked = (
            SalesReturn.objects.select_for_update()
            .select_related("delivery__order__customer")
            .filter(company=company, pk=sales_return.pk)
            .first()
        )
        if locked is None:
            raise NotFound()
        if locked.state != SalesReturn.State.RECEIVED:
            raise NothingToInvoice(_("Only a received return can be credited."))
        return_lines = list(
            locked.lines.select_related(
                "sales_return__delivery__order", "delivery_line__order_line", "delivery_line__product"
            ).order_by("created_at", "pk")
        )
        claimed = claimed_quantities(
            company,
            Kind.CUSTOMER_CREDIT_NOTE,
            "sales_return_line",
            [rl.pk for rl in return_lines],
            CLAIMING,
        )
        lines = [
            InvoiceLineIn(
                product=rl.delivery_line.product,
                description=rl.delivery_line.order_line.description,
                quantity=rl.quantity - claimed.get(rl.pk, ZERO),
                unit_price=_net_price(rl.delivery_line.order_line),
                tax_rate=rl.delivery_line.order_line.tax_rate,
                sales_return_line=rl,
            )
            for rl in return_lines
            if rl.quantity > claimed.get(rl.pk, ZERO)
        ]
        if not lines:
            raise NothingToInvoice(
                _("Everything returned on %(number)s is already credited.") % {"number": locked.number}
            )
        credited = (
            Invoice.objects.filter(
                company=company,
                kind=Kind.CUSTOMER_INVOICE,
                state=State.POSTED,
                partner=locked.delivery.order.customer,
                lines__delivery_line__in=[rl.delivery_line_id for rl in return_lines],
            )
            .order_by("-posted_at")
            .first()
        )
        order = locked.delivery.order
        return draft_create(
            actor,
            company,
            kind=Kind.CUSTOMER_CREDIT_NOTE,
            partner=order.customer,
            invoice_date=invoice_date or timezone.localdate(),
            lines=lines,
            sales_order=order,
            delivery=locked.delivery,
            sales_return=locked,
            credited_invoice=credited,
        )
