"""Customer invoices, supplier bills and the credit notes of both, from draft to posted.

A draft is edited freely; posting numbers it (INV, CN, BILL, SCN per year, gap-free, under
lock in the posting transaction) and writes its voucher:

- customer invoice: Dr receivable (customer) / Cr revenue per line / Cr output VAT;
- supplier bill: Dr goods received not invoiced at the receipts' value and the price
  difference, or the line's account / Dr input VAT / Cr payable (supplier);
- a credit note is the mirror of its kind.

A supplier bill that fails the three-way match is held instead, with the reason; a
supervisor may release it (it then posts), or an edit returns it to draft. A posted
document is never changed: a credit note corrects it.

Drafts from deliveries, orders and returns are made in `sales_invoices`, from receipts in
`bills`; the sales ones are served from here too, with the rest of an invoice's life.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.partners.models import Partner
from heyi.platform.errors import InvalidTransition, NotFound, ValidationFailed
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.retrying import retry_when_busy
from heyi.platform.services.audit import audit_record
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import check_version, validate
from heyi.purchasing.models import ReceiptLine
from heyi.sales.models import DeliveryLine, SalesReturnLine

from ..errors import OverInvoiced
from ..events import InvoicePosted
from ..models import Account, FinanceSettings, Invoice, InvoiceLine, Period, Voucher
from ..permissions import MANAGE_INVOICE, POST_VOUCHER
from .bills import bill_mismatches, grni_values
from .common import ZERO, check, finance_settings
from .invoicing import (
    LINE_RELATED,
    InvoiceLineIn,
    claimed_quantities,
    draft_create,
    line_in,
    lines_key,
    lines_prepared,
    lines_save,
    lines_summary,
    partner_checked,
    posting_related,
    totals,
)
from .periods import period_open_for
from .sales_invoices import (
    credit_note_create_from_return,
    invoice_create_from_delivery,
    invoice_create_from_order,
)
from .vouchers import LineIn, ledger_post

__all__ = [
    "bill_release",
    "credit_note_create_from_return",
    "invoice_cancel",
    "invoice_create",
    "invoice_create_from_delivery",
    "invoice_create_from_order",
    "invoice_post",
    "invoice_update",
]

Kind = Invoice.Kind
State = Invoice.State
SOURCE = "finance.invoice"
PREFIXES: dict[str, str] = {
    Kind.CUSTOMER_INVOICE: "INV",
    Kind.CUSTOMER_CREDIT_NOTE: "CN",
    Kind.SUPPLIER_BILL: "BILL",
    Kind.SUPPLIER_CREDIT_NOTE: "SCN",
}
TRANSITIONS: dict[str, set[str]] = {
    State.DRAFT: {State.HELD, State.POSTED, State.CANCELLED},
    State.HELD: {State.DRAFT, State.POSTED, State.CANCELLED},
    State.POSTED: set(),
    State.CANCELLED: set(),
}
EDITABLE = (State.DRAFT, State.HELD)


def _locked(company: Company, invoice: Invoice) -> Invoice:
    found = Invoice.objects.select_for_update().filter(company=company, pk=invoice.pk).first()
    if found is None:
        raise NotFound()
    return found


def _lines(invoice: Invoice, related: Sequence[str] = LINE_RELATED) -> list[InvoiceLine]:
    return list(invoice.lines.select_related(*related).order_by("position", "pk"))


def _transition(actor: User, company: Company, invoice: Invoice, new: str, **changes: Any) -> None:
    old = invoice.state
    if new not in TRANSITIONS[old]:
        raise InvalidTransition(current=old, target=new)
    invoice.state = new
    invoice.version += 1
    invoice.save()
    audit_record(
        actor=actor,
        company=company,
        action="transition",
        obj=invoice,
        changes={"state": [old, new], **changes},
    )


def invoice_create(
    *,
    actor: User,
    company: Company,
    kind: str,
    partner: Partner,
    invoice_date: datetime.date,
    lines: Sequence[InvoiceLineIn],
    due_date: datetime.date | None = None,
    prices_include_tax: bool = False,
    partner_reference: str = "",
    notes: str = "",
    credited_invoice: Invoice | None = None,
) -> Invoice:
    """A draft invoice, bill or credit note entered by hand; due by the payment terms unless
    a due date is given."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        return draft_create(
            actor,
            company,
            kind=kind,
            partner=partner,
            invoice_date=invoice_date,
            lines=lines,
            due_date=due_date,
            prices_include_tax=prices_include_tax,
            partner_reference=partner_reference,
            notes=notes,
            credited_invoice=credited_invoice,
        )


def invoice_update(
    *,
    actor: User,
    company: Company,
    invoice: Invoice,
    version: int | None,
    partner: Partner | None = None,
    invoice_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
    prices_include_tax: bool | None = None,
    partner_reference: str | None = None,
    notes: str | None = None,
    lines: Sequence[InvoiceLineIn] | None = None,
) -> Invoice:
    """Change a draft or held document; `lines` replaces them all. A held bill goes back to
    draft, to be posted (and matched) again. A changed invoice date keeps the payment terms."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        locked = _locked(company, invoice)
        check_version(locked, version)
        if locked.state not in EDITABLE:
            raise InvalidTransition(
                _(
                    "Only a draft or held document can be changed; a posted one is corrected by a credit note."
                ),
                current=locked.state,
                target=State.DRAFT,
            )
        settings = finance_settings(company)
        changes: dict[str, list[Any]] = {}
        if partner is not None and partner.pk != locked.partner_id:
            partner_checked(company, locked.kind, partner)
            changes["partner"] = [str(locked.partner_id), str(partner.pk)]
            locked.partner = partner
        if invoice_date is not None and invoice_date != locked.invoice_date:
            if due_date is None:
                due_date = invoice_date + (locked.due_date - locked.invoice_date)
            changes["invoice_date"] = [locked.invoice_date, invoice_date]
            locked.invoice_date = invoice_date
        if due_date is not None and due_date != locked.due_date:
            changes["due_date"] = [locked.due_date, due_date]
            locked.due_date = due_date
        if locked.due_date < locked.invoice_date:
            raise ValidationFailed(
                fields={"due_date": [_("The due date cannot be before the invoice date.")]}
            )
        if prices_include_tax is not None and prices_include_tax != locked.prices_include_tax:
            changes["prices_include_tax"] = [locked.prices_include_tax, prices_include_tax]
            locked.prices_include_tax = prices_include_tax
        for name, value in (("partner_reference", partner_reference), ("notes", notes)):
            if value is not None and value.strip() != getattr(locked, name):
                changes[name] = [getattr(locked, name), value.strip()]
                setattr(locked, name, value.strip()[:64] if name == "partner_reference" else value.strip())
        old_lines = _lines(locked)
        if lines is None and ("partner" in changes or "prices_include_tax" in changes):
            lines = [line_in(ln) for ln in old_lines]
        if lines is not None:
            prepared = lines_prepared(
                company,
                settings,
                kind=locked.kind,
                partner=locked.partner,
                prices_include_tax=locked.prices_include_tax,
                lines=lines,
            )
            if lines_key(prepared) != lines_key(old_lines):
                changes["lines"] = [lines_summary(old_lines), lines_summary(prepared)]
                locked.lines.all().delete()
                lines_save(locked, prepared)
                totals(locked, prepared)
        validate(locked, exclude=["partner", "created_by", "voucher"])
        if locked.state == State.HELD:
            changes["hold_reason"] = [locked.hold_reason, ""]
            locked.hold_reason = ""
            _transition(actor, company, locked, State.DRAFT, **changes)
        elif changes:
            locked.version += 1
            locked.save()
            audit_record(actor=actor, company=company, action="update", obj=locked, changes=changes)
        return locked


def invoice_cancel(*, actor: User, company: Company, invoice: Invoice) -> Invoice:
    """Cancel a draft or held document; what it claimed may be invoiced again."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        locked = _locked(company, invoice)
        if locked.state not in EDITABLE:
            raise InvalidTransition(
                _("A posted document is not cancelled; issue a credit note instead."),
                current=locked.state,
                target=State.CANCELLED,
            )
        _transition(actor, company, locked, State.CANCELLED)
        return locked


@retry_when_busy
def invoice_post(*, actor: User, company: Company, invoice: Invoice, version: int | None = None) -> Invoice:
    """Post a draft: number, voucher, open amount. A supplier bill that fails the three-way
    match is held instead (and returned held, not refused)."""
    check(actor, company, MANAGE_INVOICE)
    with transaction.atomic():
        locked = _locked(company, invoice)
        check_version(locked, version)
        if locked.state == State.HELD:
            raise InvalidTransition(
                _("This bill is held: %(reason)s. Correct it, or have it released.")
                % {"reason": locked.hold_reason},
                current=locked.state,
                target=State.POSTED,
            )
        if locked.state != State.DRAFT:
            raise InvalidTransition(current=locked.state, target=State.POSTED)
        period = period_open_for(company, locked.invoice_date)
        settings = finance_settings(company)
        lines = _lines(locked, posting_related(locked.kind))
        if not lines:
            raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
        _lock_sources(company, lines)
        problems = bill_mismatches(company, settings, locked, lines)
        if problems:
            locked.hold_reason = "; ".join(problems)[:500]
            _transition(actor, company, locked, State.HELD, hold_reason=["", locked.hold_reason])
            return locked
        _post(actor, company, settings, locked, lines, period=period)
        return locked


@retry_when_busy
def bill_release(*, actor: User, company: Company, bill: Invoice) -> Invoice:
    """A supervisor posts a held bill as it is; why it was held stays in the audit."""
    check(actor, company, POST_VOUCHER)
    with transaction.atomic():
        locked = _locked(company, bill)
        if locked.state != State.HELD:
            raise InvalidTransition(
                _("Only a held bill is released."), current=locked.state, target=State.POSTED
            )
        lines = _lines(locked, posting_related(locked.kind))
        _lock_sources(company, lines)
        audit_record(
            actor=actor,
            company=company,
            action="bill_release",
            obj=locked,
            changes={"hold_reason": locked.hold_reason},
        )
        _post(actor, company, finance_settings(company), locked, lines)
        return locked


def _lock_sources(company: Company, lines: Sequence[InvoiceLine]) -> None:
    """Two documents billing the same delivery, return or receipt line post one after the other."""
    for model, field in (
        (DeliveryLine, "delivery_line_id"),
        (SalesReturnLine, "sales_return_line_id"),
        (ReceiptLine, "receipt_line_id"),
    ):
        ids = sorted({getattr(ln, field) for ln in lines if getattr(ln, field)})
        if ids:
            list(model.objects.select_for_update().filter(company=company, pk__in=ids).order_by("pk"))


def _check_not_over(company: Company, invoice: Invoice, lines: Sequence[InvoiceLine]) -> None:
    """No more invoiced than shipped, no more credited than returned, over all posted documents."""
    if invoice.kind == Kind.CUSTOMER_INVOICE:
        field, limit_of = "delivery_line", lambda ln: ln.delivery_line.quantity
        message = _("More would be invoiced than was shipped: at most %(left)s.")
    elif invoice.kind == Kind.CUSTOMER_CREDIT_NOTE:
        field, limit_of = "sales_return_line", lambda ln: ln.sales_return_line.quantity
        message = _("More would be credited than was returned: at most %(left)s.")
    else:
        return
    sourced = [(i, ln) for i, ln in enumerate(lines) if getattr(ln, f"{field}_id")]
    if not sourced:
        return
    done = claimed_quantities(
        company, invoice.kind, field, [getattr(ln, f"{field}_id") for _i, ln in sourced], (State.POSTED,)
    )
    claimed: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    for i, ln in sourced:
        key = getattr(ln, f"{field}_id")
        claimed[key] += ln.quantity
        left = limit_of(ln) - done.get(key, ZERO)
        if claimed[key] > left:
            text = message % {"left": f"{max(left, ZERO).normalize():f}"}
            raise OverInvoiced(text, fields={f"lines[{i}].quantity": [text]})


def _entries(
    company: Company, settings: FinanceSettings, invoice: Invoice, lines: Sequence[InvoiceLine]
) -> list[LineIn]:
    """The voucher lines, summed per account, partner and product; debits positive before the
    mirror of credit notes."""
    partner = invoice.partner
    signed: dict[tuple[Account, Partner | None, Any], Decimal] = defaultdict(lambda: ZERO)

    def add(account: Account, value: Decimal, product: Any = None) -> None:
        signed[(account, partner if account.partner_required else None, product)] += value

    if invoice.is_sales:
        add(settings.receivable, invoice.total_amount)
        for ln in lines:
            add(ln.account or settings.revenue, -ln.net_amount, ln.product)
        add(settings.output_vat, -invoice.tax_amount)
    else:
        grni = grni_values(company, invoice, lines)
        for ln in lines:
            if ln.pk in grni:
                add(settings.goods_received_not_invoiced, grni[ln.pk], ln.product)
                add(settings.price_difference, ln.net_amount - grni[ln.pk], ln.product)
            else:
                add(ln.account or settings.expense, ln.net_amount, ln.product)
        add(settings.input_vat, invoice.tax_amount)
        add(settings.payable, -invoice.total_amount)
    sign = -1 if invoice.is_credit_note else 1
    result = []
    for (account, who, product), value in signed.items():
        value *= sign
        if value:
            result.append(
                LineIn(
                    account=account,
                    debit=value if value > 0 else ZERO,
                    credit=-value if value < 0 else ZERO,
                    partner=who,
                    product=product,
                )
            )
    return sorted(result, key=lambda ln: (ln.credit > 0, ln.account.code))


def _post(
    actor: User,
    company: Company,
    settings: FinanceSettings,
    invoice: Invoice,
    lines: Sequence[InvoiceLine],
    period: Period | None = None,
) -> None:
    """Number, voucher, open amount and state, in the caller's transaction (`period`: the open
    period of the invoice date, when the caller has checked it)."""
    _check_not_over(company, invoice, lines)
    invoice.number = number_next(
        company=company,
        doc_type=f"finance.{invoice.kind}",
        prefix=PREFIXES[invoice.kind],
        on=invoice.invoice_date,
    )
    invoice.posted_at = timezone.now()
    narration = f"{invoice.get_kind_display()} {invoice.number} {invoice.partner.name}"
    invoice.voucher = ledger_post(
        actor=actor,
        company=company,
        date=invoice.invoice_date,
        lines=_entries(company, settings, invoice, lines),
        narration=narration,
        source=(SOURCE, str(invoice.pk), invoice.number),
        word=Voucher.Word.GENERAL,
        period=period,
    )
    invoice.open_amount = invoice.total_amount
    _transition(actor, company, invoice, State.POSTED, number=[None, invoice.number])
    source = (
        invoice.delivery_id or invoice.sales_return_id or invoice.sales_order_id or invoice.purchase_order_id
    )
    publish(
        InvoicePosted(
            company_id=company.pk,
            actor_id=actor.pk,
            subject_type=SOURCE,
            subject_id=str(invoice.pk),
            kind=invoice.kind,
            number=invoice.number,
            partner_id=str(invoice.partner_id),
            total_amount=str(invoice.total_amount),
            source_id=str(source or ""),
        )
    )
