"""Invoice and bill endpoints (ERP module).

`/invoices`: customer invoices and customer credit notes; `/bills`: supplier bills and
supplier credit notes. Drafts are made by hand or from what was shipped, returned or
received (`/invoices/from-delivery`, `/from-order`, `/from-return`, `/bills/from-receipt`,
`/bills/from-order`), changed with PATCH, then posted: `POST .../post` numbers the document
and writes its voucher. A bill that fails the three-way match answers 200 in state `held`
with `hold_reason`; `POST /bills/{id}/release` posts it anyway (finance.post_voucher).
"""

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from heyi.catalog.access import access_product
from heyi.partners.access import CUSTOMER, SUPPLIER, access_partner
from heyi.platform import modules
from heyi.platform.api import ERRORS
from heyi.platform.errors import NotFound
from heyi.platform.http.auth import api_auth
from heyi.platform.http.pagination import ordered, paginate
from heyi.platform.schemas import page_of
from heyi.purchasing.access import access_order, access_receipt
from heyi.purchasing.models import ReceiptLine
from heyi.sales.access import access_delivery, access_sales_order, access_sales_return, deliveries_visible
from heyi.sales.models import DeliveryLine, SalesReturnLine

from ..access import access_account, access_invoice, invoices_visible
from ..models import Invoice, InvoiceLine
from ..schemas.documents import (
    BillFromOrderIn,
    BillFromReceiptIn,
    BillIn,
    CreditNoteFromReturnIn,
    DocumentIn,
    InvoiceFromDeliveryIn,
    InvoiceFromOrderIn,
    InvoiceIn,
    InvoiceLineIn,
    InvoiceListOut,
    InvoiceOut,
    InvoicePatch,
)
from ..selectors import invoice_search
from ..services import bills as bill_services
from ..services import invoices as invoice_services
from ..services import invoicing
from .guards import require_view

router = Router(auth=api_auth(modules.ERP), tags=["finance"])

ORDERING = [
    "invoice_date",
    "due_date",
    "number",
    "created_at",
    "updated_at",
    "total_amount",
    "open_amount",
    "state",
]


def _one(request: HttpRequest, id: uuid.UUID, kinds: Sequence[str]) -> Invoice:
    """An invoice or credit note under /invoices, a bill or supplier credit note under /bills."""
    found = access_invoice(user=request.actor, company=request.company, id=id)
    if found.kind not in kinds:
        raise NotFound()
    return found


def _source(request: HttpRequest, model: type, id: uuid.UUID | None) -> Any:
    """A delivery, return or receipt line, found only through a document the caller may see."""
    if id is None:
        return None
    u, c = request.actor, request.company
    line = model.objects.filter(company=c, pk=id).first()
    if line is None:
        raise NotFound()
    if (
        model is DeliveryLine
        and not deliveries_visible(user=u, company=c).filter(pk=line.delivery_id).exists()
    ):
        raise NotFound()
    if model is SalesReturnLine:
        access_sales_return(user=u, company=c, id=line.sales_return_id)
    if model is ReceiptLine:
        access_receipt(user=u, company=c, id=line.receipt_id)
    return line


def _lines(request: HttpRequest, lines: list[InvoiceLineIn], invoice: Invoice | None) -> list:
    u, c = request.actor, request.company
    kept = {ln.pk: ln for ln in invoice.lines.all()} if invoice is not None else {}
    result = []
    for ln in lines:
        replaced: InvoiceLine | None = None
        if ln.line_id is not None:
            replaced = kept.get(ln.line_id)
            if replaced is None:
                raise NotFound()
        result.append(
            invoicing.InvoiceLineIn(
                quantity=ln.quantity,
                unit_price=ln.unit_price,
                tax_rate=ln.tax_rate,
                product=access_product(user=u, company=c, id=ln.product_id) if ln.product_id else None,
                description=ln.description,
                account=access_account(user=u, company=c, id=ln.account_id) if ln.account_id else None,
                delivery_line=replaced.delivery_line
                if replaced is not None
                else _source(request, DeliveryLine, ln.delivery_line_id),
                sales_return_line=replaced.sales_return_line
                if replaced is not None
                else _source(request, SalesReturnLine, ln.sales_return_line_id),
                receipt_line=replaced.receipt_line
                if replaced is not None
                else _source(request, ReceiptLine, ln.receipt_line_id),
            )
        )
    return result


def _list(
    request: HttpRequest,
    kinds: Sequence[str],
    q: str,
    kind: str,
    state: str,
    partner: uuid.UUID | None,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    ordering: str,
) -> dict:
    require_view(request)
    qs = invoice_search(
        invoices_visible(user=request.actor, company=request.company, kinds=kinds),
        q=q,
        kind=kind,
        state=state,
        partner=partner,
        date_from=date_from,
        date_to=date_to,
    )
    return paginate(request, ordered(qs, ordering, ORDERING, "-invoice_date"))


def _create(request: HttpRequest, payload: DocumentIn, kind: str, partner_kind: str) -> Invoice:
    require_view(request)
    u, c = request.actor, request.company
    credited = None
    if payload.credited_invoice_id is not None:
        credited = access_invoice(user=u, company=c, id=payload.credited_invoice_id)
    return invoice_services.invoice_create(
        actor=u,
        company=c,
        kind=kind,
        partner=access_partner(user=u, company=c, id=payload.partner_id, kind=partner_kind),
        invoice_date=payload.invoice_date or timezone.localdate(),
        lines=_lines(request, payload.lines, None),
        due_date=payload.due_date,
        prices_include_tax=payload.prices_include_tax,
        partner_reference=payload.partner_reference,
        notes=payload.notes,
        credited_invoice=credited,
    )


def _update(request: HttpRequest, invoice: Invoice, payload: InvoicePatch, partner_kind: str) -> Invoice:
    u, c = request.actor, request.company
    data = payload.dict(exclude_unset=True)
    partner_id = data.get("partner_id")
    return invoice_services.invoice_update(
        actor=u,
        company=c,
        invoice=invoice,
        version=payload.version,
        partner=access_partner(user=u, company=c, id=partner_id, kind=partner_kind) if partner_id else None,
        invoice_date=payload.invoice_date,
        due_date=payload.due_date,
        prices_include_tax=payload.prices_include_tax,
        partner_reference=payload.partner_reference,
        notes=payload.notes,
        lines=_lines(request, payload.lines, invoice) if payload.lines is not None else None,
    )


# Customer invoices and credit notes


@router.get("/invoices", response={200: page_of(InvoiceListOut), **ERRORS})
def invoice_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    state: str = "",
    partner: uuid.UUID | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    ordering: str = "-invoice_date",
):
    """Customer invoices and credit notes; `q` matches the number, the customer's name or
    the reference; `kind` is customer_invoice or customer_credit_note."""
    return _list(request, Invoice.SALES_KINDS, q, kind, state, partner, date_from, date_to, ordering)


@router.post("/invoices", response={201: InvoiceOut, **ERRORS})
def invoice_create(request: HttpRequest, payload: InvoiceIn):
    return Status(201, _create(request, payload, payload.kind, CUSTOMER))


@router.post("/invoices/from-delivery", response={201: InvoiceOut, **ERRORS})
def invoice_create_from_delivery(request: HttpRequest, payload: InvoiceFromDeliveryIn):
    """A draft invoice for what a shipped delivery carried and is not yet invoiced
    (`nothing_to_invoice` when all is)."""
    u, c = request.actor, request.company
    invoice = invoice_services.invoice_create_from_delivery(
        actor=u,
        company=c,
        delivery=access_delivery(user=u, company=c, id=payload.delivery_id),
        invoice_date=payload.invoice_date,
    )
    return Status(201, invoice)


@router.post("/invoices/from-order", response={201: InvoiceOut, **ERRORS})
def invoice_create_from_order(request: HttpRequest, payload: InvoiceFromOrderIn):
    """One draft invoice for everything the order's shipped deliveries carried and is not yet invoiced."""
    u, c = request.actor, request.company
    invoice = invoice_services.invoice_create_from_order(
        actor=u,
        company=c,
        order=access_sales_order(user=u, company=c, id=payload.order_id),
        invoice_date=payload.invoice_date,
    )
    return Status(201, invoice)


@router.post("/invoices/from-return", response={201: InvoiceOut, **ERRORS})
def credit_note_create_from_return(request: HttpRequest, payload: CreditNoteFromReturnIn):
    """A draft credit note for a received return, crediting the invoice of those goods."""
    u, c = request.actor, request.company
    credit_note = invoice_services.credit_note_create_from_return(
        actor=u,
        company=c,
        sales_return=access_sales_return(user=u, company=c, id=payload.sales_return_id),
        invoice_date=payload.invoice_date,
    )
    return Status(201, credit_note)


@router.get("/invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS})
def invoice_detail(request: HttpRequest, invoice_id: uuid.UUID):
    return _one(request, invoice_id, Invoice.SALES_KINDS)


@router.patch("/invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS})
def invoice_update(request: HttpRequest, invoice_id: uuid.UUID, payload: InvoicePatch):
    invoice = _one(request, invoice_id, Invoice.SALES_KINDS)
    return _update(request, invoice, payload, CUSTOMER)


@router.post("/invoices/{invoice_id}/post", response={200: InvoiceOut, **ERRORS})
def invoice_post(request: HttpRequest, invoice_id: uuid.UUID):
    """Number the document and write its voucher; `period_closed` or `over_invoiced` change nothing."""
    invoice = _one(request, invoice_id, Invoice.SALES_KINDS)
    return invoice_services.invoice_post(actor=request.actor, company=request.company, invoice=invoice)


@router.post("/invoices/{invoice_id}/cancel", response={200: InvoiceOut, **ERRORS})
def invoice_cancel(request: HttpRequest, invoice_id: uuid.UUID):
    """Cancel a draft; a posted invoice is corrected by a credit note."""
    invoice = _one(request, invoice_id, Invoice.SALES_KINDS)
    return invoice_services.invoice_cancel(actor=request.actor, company=request.company, invoice=invoice)


# Supplier bills and credit notes


@router.get("/bills", response={200: page_of(InvoiceListOut), **ERRORS})
def bill_list(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    state: str = "",
    partner: uuid.UUID | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    ordering: str = "-invoice_date",
):
    """Supplier bills and credit notes; `state=held` lists the bills the three-way match stopped."""
    return _list(request, Invoice.PURCHASE_KINDS, q, kind, state, partner, date_from, date_to, ordering)


@router.post("/bills", response={201: InvoiceOut, **ERRORS})
def bill_create(request: HttpRequest, payload: BillIn):
    return Status(201, _create(request, payload, payload.kind, SUPPLIER))


@router.post("/bills/from-receipt", response={201: InvoiceOut, **ERRORS})
def bill_create_from_receipt(request: HttpRequest, payload: BillFromReceiptIn):
    """A draft bill for what a confirmed receipt kept and no bill claims yet, at the order's prices."""
    u, c = request.actor, request.company
    bill = bill_services.bill_create_from_receipt(
        actor=u,
        company=c,
        receipt=access_receipt(user=u, company=c, id=payload.receipt_id),
        invoice_date=payload.invoice_date,
        partner_reference=payload.partner_reference,
    )
    return Status(201, bill)


@router.post("/bills/from-order", response={201: InvoiceOut, **ERRORS})
def bill_create_from_order(request: HttpRequest, payload: BillFromOrderIn):
    """One draft bill for what every confirmed receipt of a purchase order kept and no bill claims yet."""
    u, c = request.actor, request.company
    bill = bill_services.bill_create_from_order(
        actor=u,
        company=c,
        order=access_order(user=u, company=c, id=payload.order_id),
        invoice_date=payload.invoice_date,
        partner_reference=payload.partner_reference,
    )
    return Status(201, bill)


@router.get("/bills/{bill_id}", response={200: InvoiceOut, **ERRORS})
def bill_detail(request: HttpRequest, bill_id: uuid.UUID):
    return _one(request, bill_id, Invoice.PURCHASE_KINDS)


@router.patch("/bills/{bill_id}", response={200: InvoiceOut, **ERRORS})
def bill_update(request: HttpRequest, bill_id: uuid.UUID, payload: InvoicePatch):
    """Change a draft or held bill; a held bill returns to draft to be posted (and matched) again."""
    bill = _one(request, bill_id, Invoice.PURCHASE_KINDS)
    return _update(request, bill, payload, SUPPLIER)


@router.post("/bills/{bill_id}/post", response={200: InvoiceOut, **ERRORS})
def bill_post(request: HttpRequest, bill_id: uuid.UUID):
    """Post, or hold when the three-way match fails (200, state `held`, `hold_reason`)."""
    bill = _one(request, bill_id, Invoice.PURCHASE_KINDS)
    return invoice_services.invoice_post(actor=request.actor, company=request.company, invoice=bill)


@router.post("/bills/{bill_id}/release", response={200: InvoiceOut, **ERRORS})
def bill_release(request: HttpRequest, bill_id: uuid.UUID):
    """Post a held bill as it is (finance.post_voucher); the hold reason stays in the audit."""
    bill = _one(request, bill_id, Invoice.PURCHASE_KINDS)
    return invoice_services.bill_release(actor=request.actor, company=request.company, bill=bill)


@router.post("/bills/{bill_id}/cancel", response={200: InvoiceOut, **ERRORS})
def bill_cancel(request: HttpRequest, bill_id: uuid.UUID):
    bill = _one(request, bill_id, Invoice.PURCHASE_KINDS)
    return invoice_services.invoice_cancel(actor=request.actor, company=request.company, invoice=bill)
