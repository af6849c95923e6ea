"""Receipts from customers and payments to suppliers through cash or bank, and what settles
invoices and bills: allocations of payments and of credit notes.

A payment is prepared as a draft, submitted through the approval seam and posted when
approved: numbered then (RC-2026-000001, PY-2026-000001), with its voucher (收 or 付) on the
partner's receivable or payable. Allocating needs no voucher, since the payment and the invoice
already sit on the same partner's account: it only records which invoice the money settles,
lowering both open amounts. What stays unallocated is the partner's credit.

A refund pays such a credit back: a payment of its own kind (customer refund RF, money out,
付, Dr receivable; supplier refund RR, money in, 收, Cr payable) made from one receipt or
payment with money unallocated, or from one open credit note. It goes through the same draft,
approval and posting; on posting it settles the credit it draws on with an allocation whose
target is the refund, so the credit's open amount and the partner's account fall together.

Allocations lock the payment (or credit note) first, then the invoices in key order, so two
allocations running at once wait for each other and never settle more than is open.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heyi.approvals.services.instances import approval_pending
from heyi.partners.models import Partner
from heyi.platform import modules
from heyi.platform.access import require_module
from heyi.platform.errors import InvalidTransition, NotFound, ValidationFailed
from heyi.platform.eventbus import publish
from heyi.platform.models import Company, User
from heyi.platform.services.audit import audit_record
from heyi.platform.services.numbering import number_next
from heyi.platform.services.records import check_version, record_create, record_transition, record_update

from ..approval import PAYMENT
from ..errors import OverAllocation
from ..events import PaymentPosted
from ..models import Account, Allocation, Invoice, Payment, Voucher
from ..permissions import MANAGE_PAYMENT
from .common import ZERO, check, finance_settings
from .common import amount as amount_checked
from .vouchers import LineIn, ledger_post

Kind = Payment.Kind
State = Payment.State

Allocations = Sequence[tuple[Invoice, Any]]

PREFIX: dict[str, str] = {
    Kind.CUSTOMER_RECEIPT: "RC",
    Kind.SUPPLIER_PAYMENT: "PY",
    Kind.CUSTOMER_REFUND: "RF",
    Kind.SUPPLIER_REFUND: "RR",
}
MONEY_IN = (Kind.CUSTOMER_RECEIPT, Kind.SUPPLIER_REFUND)
CONTROL: dict[str, str] = {
    Kind.CUSTOMER_RECEIPT: "receivable",
    Kind.CUSTOMER_REFUND: "receivable",
    Kind.SUPPLIER_PAYMENT: "payable",
    Kind.SUPPLIER_REFUND: "payable",
}
NARRATION: dict[str, Any] = {
    Kind.CUSTOMER_RECEIPT: gettext_lazy("Receipt %(number)s from %(partner)s"),
    Kind.SUPPLIER_PAYMENT: gettext_lazy("Payment %(number)s to %(partner)s"),
    Kind.CUSTOMER_REFUND: gettext_lazy("Refund %(number)s to %(partner)s"),
    Kind.SUPPLIER_REFUND: gettext_lazy("Refund %(number)s from %(partner)s"),
}
REFUND_OF: dict[str, str] = {
    Kind.CUSTOMER_RECEIPT: Kind.CUSTOMER_REFUND,
    Invoice.Kind.CUSTOMER_CREDIT_NOTE: Kind.CUSTOMER_REFUND,
    Kind.SUPPLIER_PAYMENT: Kind.SUPPLIER_REFUND,
    Invoice.Kind.SUPPLIER_CREDIT_NOTE: Kind.SUPPLIER_REFUND,
}
SETTLES: dict[str, str] = {
    Kind.CUSTOMER_RECEIPT: Invoice.Kind.CUSTOMER_INVOICE,
    Kind.SUPPLIER_PAYMENT: Invoice.Kind.SUPPLIER_BILL,
}
CREDIT_SETTLES: dict[str, str] = {
    Invoice.Kind.CUSTOMER_CREDIT_NOTE: Invoice.Kind.CUSTOMER_INVOICE,
    Invoice.Kind.SUPPLIER_CREDIT_NOTE: Invoice.Kind.SUPPLIER_BILL,
}
MAX_ALLOCATIONS = 500


def _refuse(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(fields={field: [str(message)]})


def cash_account_checked(company: Company, field: str, account: Account | None) -> Account:
    """An active cash or bank account of the company that takes postings."""
    if account is None or account.company_id != company.pk:
        raise _refuse(field, _("Not found."))
    if not (account.is_cash and account.is_leaf and account.active):
        raise _refuse(field, _("Choose an active cash or bank account without sub-accounts."))
    return account


def _kind_checked(kind: str) -> str:
    if kind not in SETTLES:
        raise _refuse(
            "kind",
            _(
                "Choose a customer receipt or a supplier payment; a refund is made from the credit it pays back."
            ),
        )
    return kind


def _partner_checked(company: Company, kind: str, partner: Partner | None) -> Partner:
    if partner is None or partner.company_id != company.pk:
        raise _refuse("partner", _("Not found."))
    if kind == Kind.CUSTOMER_RECEIPT and not partner.is_customer:
        raise _refuse("partner", _("A receipt comes from a customer; choose a customer."))
    if kind == Kind.SUPPLIER_PAYMENT and not partner.is_supplier:
        raise _refuse("partner", _("A payment goes to a supplier; choose a supplier."))
    return partner


def _merged(allocations: Allocations) -> list[tuple[Invoice, Decimal, int]]:
    """Amounts checked, one entry per invoice (repeats added up), with the first position given."""
    if len(allocations) > MAX_ALLOCATIONS:
        raise _refuse("allocations", _("At most %(count)s invoices at once.") % {"count": MAX_ALLOCATIONS})
    merged: dict[Any, list] = {}
    for i, (invoice, value) in enumerate(allocations):
        if invoice is None:
            raise _refuse(f"allocations[{i}].invoice_id", _("Not found."))
        money = amount_checked(f"allocations[{i}].amount", value, positive=True)
        if invoice.pk in merged:
            merged[invoice.pk][1] += money
        else:
            merged[invoice.pk] = [invoice, money, i]
    return [(invoice, money, i) for invoice, money, i in merged.values()]


def _locked_invoices(company: Company, ids: set) -> dict[Any, Invoice]:
    """The invoices locked in key order; one of another company is unknown (404)."""
    found = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_for_update().filter(company=company, pk__in=ids).order_by("pk")
    }
    if len(found) != len(ids):
        raise NotFound()
    return found


def _checked_targets(
    company: Company,
    settles: str,
    partner_id: Any,
    entries: list[tuple[Invoice, Decimal, int]],
    available: Decimal,
    *,
    check_open: bool = True,
) -> Decimal:
    """Every invoice is the right kind, the same partner's and posted; no amount is more than
    is open on it, and together they are not more than `available`. Returns the total."""
    for invoice, money, i in entries:
        at = f"allocations[{i}]"
        if invoice.company_id != company.pk:
            raise NotFound()
        if invoice.kind != settles:
            message = (
                _("Only customer invoices can be settled here.")
                if settles == Invoice.Kind.CUSTOMER_INVOICE
                else _("Only supplier bills can be settled here.")
            )
            raise _refuse(f"{at}.invoice_id", message)
        if invoice.partner_id != partner_id:
            raise _refuse(f"{at}.invoice_id", _("This invoice is another partner's."))
        if invoice.state != Invoice.State.POSTED:
            raise _refuse(f"{at}.invoice_id", _("Only posted invoices and bills can be settled."))
        if check_open and money > invoice.open_amount:
            message = _("%(amount)s is more than the %(open)s still open on %(number)s.") % {
                "amount": money,
                "open": invoice.open_amount,
                "number": invoice.number,
            }
            raise OverAllocation(
                message,
                fields={f"{at}.amount": [message]},
                invoice=invoice.number,
                open=str(invoice.open_amount),
            )
    total = sum((money for _invoice, money, _i in entries), ZERO)
    if total > available:
        message = _("%(total)s allocated is more than the %(available)s available.") % {
            "total": total,
            "available": available,
        }
        raise OverAllocation(message, fields={"allocations": [message]}, available=str(available))
    return total


def _settle(
    actor: User | None,
    company: Company,
    entries: list[tuple[Invoice, Decimal, int]],
    *,
    on: datetime.date,
    payment: Payment | None = None,
    credit_note: Invoice | None = None,
) -> list[Allocation]:
    """Write the allocations and lower the (locked) invoices' open amounts."""
    source = payment if payment is not None else credit_note
    rows = []
    for invoice, money, _i in entries:
        rows.append(
            Allocation(
                company=company,
                invoice=invoice,
                payment=payment,
                credit_note=credit_note,
                amount=money,
                allocated_on=max(on, invoice.invoice_date),
                created_by=actor if actor is not None and actor.pk else None,
            )
        )
        before = invoice.open_amount
        invoice.open_amount = before - money
        invoice.save(update_fields=["open_amount", "updated_at"])
        audit_record(
            actor=actor,
            company=company,
            action="allocate",
            obj=invoice,
            changes={"open_amount": [str(before), str(invoice.open_amount)], "by": str(source)},
        )
    return Allocation.objects.bulk_create(rows)


def _plan(company: Company, kind: str, partner: Partner, total: Decimal, allocations: Allocations) -> list:
    """What a draft will allocate on posting, checked against what is open today."""
    entries = _merged(allocations)
    if not entries:
        return []
    _checked_targets(company, SETTLES[kind], partner.pk, entries, total)
    return [[str(invoice.pk), str(money)] for invoice, money, _i in entries]


def _planned(company: Company, payment: Payment, *, lock: bool) -> list[tuple[Invoice, Decimal, int]]:
    plan = payment.planned_allocations or []
    if not plan:
        return []
    ids = {invoice_id for invoice_id, _money in plan}
    if lock:
        invoices = _locked_invoices(company, ids)
    else:
        invoices = {i.pk: i for i in Invoice.objects.filter(company=company, pk__in=ids)}
    by_text = {str(pk): invoice for pk, invoice in invoices.items()}
    entries = []
    for i, (invoice_id, money) in enumerate(plan):
        if invoice_id not in by_text:
            raise NotFound()
        entries.append((by_text[invoice_id], Decimal(money), i))
    return entries


Credit = Payment | Invoice


def _credit_left(credit: Credit) -> Decimal:
    return credit.unallocated_amount if isinstance(credit, Payment) else credit.open_amount


def _credit_date(credit: Credit) -> datetime.date:
    return credit.payment_date if isinstance(credit, Payment) else credit.invoice_date


def _refundable(company: Company, credit: Credit) -> None:
    """A posted receipt, payment or credit note of the company."""
    if credit.company_id != company.pk:
        raise NotFound()
    if credit.kind not in REFUND_OF:
        raise _refuse("credit", _("Only a receipt, a payment or a credit note can be refunded."))
    if credit.state != credit.State.POSTED:
        raise InvalidTransition(
            _("Only a posted receipt, payment or credit note can be refunded."),
            current=credit.state,
            target="refunded",
        )


def _checked_credit(company: Company, credit: Credit, amount: Decimal, on: datetime.date) -> None:
    """The credit can be refunded, by no more than is left on it, on a date not before it."""
    _refundable(company, credit)
    left = _credit_left(credit)
    if amount > left:
        message = _("%(amount)s is more than the %(open)s left to refund on %(number)s.") % {
            "amount": amount,
            "open": left,
            "number": credit.number,
        }
        raise OverAllocation(message, fields={"amount": [message]}, available=str(left))
    if on < _credit_date(credit):
        raise _refuse(
            "payment_date",
            _("A refund cannot be dated before %(date)s, the date of %(number)s.")
            % {"date": _credit_date(credit).isoformat(), "number": credit.number},
        )


def refund_create(
    *,
    actor: User,
    company: Company,
    credit: Credit,
    account: Account,
    payment_date: datetime.date,
    amount: Any = None,
    reference: str = "",
    notes: str = "",
) -> Payment:
    """A draft refund of a partner's credit: what a receipt (or payment) has not allocated, or
    what a credit note has left; by default all of it. Posted like any payment."""
    check(actor, company, MANAGE_PAYMENT)
    if credit is None or credit.company_id != company.pk:
        raise NotFound()
    cash_account_checked(company, "account", account)
    if payment_date is None:
        raise _refuse("payment_date", _("This field is required."))
    with transaction.atomic():
        if isinstance(credit, Payment):
            credit = _locked(company, credit)
        else:
            credit = _locked_invoices(company, {credit.pk})[credit.pk]
        _refundable(company, credit)
        total = _credit_left(credit) if amount is None else amount_checked("amount", amount, positive=True)
        if total <= 0:
            raise _refuse("amount", _("Nothing is left to refund on %(number)s.") % {"number": credit.number})
        _checked_credit(company, credit, total, payment_date)
        payment = Payment(
            kind=REFUND_OF[credit.kind],
            partner_id=credit.partner_id,
            payment_date=payment_date,
            amount=total,
            account=account,
            reference=(reference or "").strip(),
            notes=(notes or "").strip(),
            refunded_payment=credit if isinstance(credit, Payment) else None,
            refunded_credit_note=credit if isinstance(credit, Invoice) else None,
            created_by=actor,
        )
        record_create(actor=actor, company=company, obj=payment)
    return payment


def _locked_credit(company: Company, refund: Payment) -> Credit:
    """The credit a refund draws on, locked after the refund (as allocations lock their source
    before their targets)."""
    if refund.refunded_payment_id:
        return _locked(company, Payment(pk=refund.refunded_payment_id))
    return _locked_invoices(company, {refund.refunded_credit_note_id})[refund.refunded_credit_note_id]


def _prepared(company: Company, payment: Payment) -> tuple[list[tuple[Invoice, Decimal, int]], Credit | None]:
    """What the payment settles when it posts, locked and checked against what is open now:
    its planned allocations, or for a refund the credit it pays back."""
    if payment.is_refund:
        credit = _locked_credit(company, payment)
        _checked_credit(company, credit, payment.amount, payment.payment_date)
        return [], credit
    entries = _planned(company, payment, lock=True)
    _checked_targets(company, SETTLES[payment.kind], payment.partner_id, entries, payment.amount)
    return entries, None


def _refund_settle(actor: User | None, company: Company, refund: Payment, credit: Credit) -> None:
    """The (locked) credit is paid back: one allocation to the refund, and the credit's open
    amount lowered by it."""
    Allocation.objects.create(
        company=company,
        refund=refund,
        payment=credit if isinstance(credit, Payment) else None,
        credit_note=credit if isinstance(credit, Invoice) else None,
        amount=refund.amount,
        allocated_on=refund.payment_date,
        created_by=actor if actor is not None and actor.pk else None,
    )
    field = "unallocated_amount" if isinstance(credit, Payment) else "open_amount"
    before = getattr(credit, field)
    setattr(credit, field, before - refund.amount)
    credit.save(update_fields=[field, "updated_at"])
    audit_record(
        actor=actor,
        company=company,
        action="refund",
        obj=credit,
        changes={field: [str(before), str(getattr(credit, field))], "by": refund.number},
    )


def payment_create(
    *,
    actor: User,
    company: Company,
    kind: str,
    partner: Partner,
    payment_date: datetime.date,
    amount: Any,
    account: Account,
    reference: str = "",
    notes: str = "",
    allocations: Allocations | None = None,
) -> Payment:
    """A draft receipt or payment; `allocations` [(invoice, amount), ...] are applied on posting."""
    check(actor, company, MANAGE_PAYMENT)
    kind = _kind_checked(kind)
    _partner_checked(company, kind, partner)
    total = amount_checked("amount", amount, positive=True)
    cash_account_checked(company, "account", account)
    if payment_date is None:
        raise _refuse("payment_date", _("This field is required."))
    with transaction.atomic():
        payment = Payment(
            kind=kind,
            partner=partner,
            payment_date=payment_date,
            amount=total,
            account=account,
            reference=(reference or "").strip(),
            notes=(notes or "").strip(),
            planned_allocations=_plan(company, kind, partner, total, allocations or []),
            created_by=actor,
        )
        record_create(actor=actor, company=company, obj=payment)
    return payment


def _locked(company: Company, payment: Payment) -> Payment:
    try:
        return Payment.objects.select_for_update().get(company=company, pk=payment.pk)
    except Payment.DoesNotExist:
        raise NotFound()


def payment_update(
    *,
    actor: User,
    company: Company,
    payment: Payment,
    version: int | None,
    partner: Partner | None = None,
    payment_date: datetime.date | None = None,
    amount: Any = None,
    account: Account | None = None,
    reference: str | None = None,
    notes: str | None = None,
    allocations: Allocations | None = None,
) -> Payment:
    """Change a draft; given `allocations` replace the planned ones, which are checked again."""
    check(actor, company, MANAGE_PAYMENT)
    with transaction.atomic():
        locked = _locked(company, payment)
        check_version(locked, version)
        if locked.state != State.DRAFT:
            raise InvalidTransition(_("Only a draft can be changed."), current=locked.state)
        if locked.is_refund and partner is not None and partner.pk != locked.partner_id:
            raise _refuse("partner", _("A refund goes to the partner whose credit it pays back."))
        if locked.is_refund and allocations:
            raise _refuse("allocations", _("A refund settles only the credit it pays back."))
        data: dict[str, Any] = {}
        if partner is not None and not locked.is_refund:
            data["partner"] = _partner_checked(company, locked.kind, partner)
        if payment_date is not None:
            data["payment_date"] = payment_date
        if amount is not None:
            data["amount"] = amount_checked("amount", amount, positive=True)
        if account is not None:
            data["account"] = cash_account_checked(company, "account", account)
        if reference is not None:
            data["reference"] = reference.strip()
        if notes is not None:
            data["notes"] = notes.strip()
        if locked.is_refund:
            _checked_credit(
                company,
                _locked_credit(company, locked),
                data.get("amount", locked.amount),
                data.get("payment_date", locked.payment_date),
            )
            record_update(actor=actor, company=company, obj=locked, data=data, version=version)
            return locked
        if allocations is None:
            allocations = [(invoice, money) for invoice, money, _i in _planned(company, locked, lock=False)]
        data["planned_allocations"] = _plan(
            company,
            locked.kind,
            data.get("partner", locked.partner),
            data.get("amount", locked.amount),
            allocations,
        )
        record_update(actor=actor, company=company, obj=locked, data=data, version=version)
    return locked


def payment_cancel(*, actor: User, company: Company, payment: Payment) -> Payment:
    """Drop a draft; it never had a number, so nothing is missing from the sequence."""
    check(actor, company, MANAGE_PAYMENT)
    with transaction.atomic():
        locked = _locked(company, payment)
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=State.CANCELLED,
            allowed=Payment.TRANSITIONS,
        )
    return locked


def payment_submit(*, actor: User, company: Company, payment: Payment) -> Payment:
    """Send a draft for approval: posted at once when no approval flow applies, `submitted`
    while one decides."""
    check(actor, company, MANAGE_PAYMENT)
    with transaction.atomic():
        locked = _locked(company, payment)
        if locked.state != State.DRAFT:
            raise InvalidTransition(current=locked.state, target=State.SUBMITTED)
        cash_account_checked(company, "account", locked.account)
        entries, credit = _prepared(company, locked)
        if not approval_pending(actor=actor, company=company, document_type=PAYMENT, document=locked):
            _post(actor, company, locked, entries, credit)
        else:
            record_transition(
                actor=actor,
                company=company,
                obj=locked,
                field="state",
                new=State.SUBMITTED,
                allowed=Payment.TRANSITIONS,
            )
    return locked


def payment_post(*, actor: User | None, company: Company, payment: Payment) -> Payment:
    """The approval engine's callback on a final approval (it has checked the approver)."""
    require_module(company, modules.ERP)
    with transaction.atomic():
        locked = _locked(company, payment)
        if locked.state != State.SUBMITTED:
            raise InvalidTransition(current=locked.state, target=State.POSTED)
        _post(actor, company, locked, *_prepared(company, locked))
    return locked


def payment_reject(*, actor: User | None, company: Company, payment: Payment) -> Payment:
    """The approval engine's callback on a rejection: the payment goes back to draft."""
    require_module(company, modules.ERP)
    with transaction.atomic():
        locked = _locked(company, payment)
        if locked.state != State.SUBMITTED:
            raise InvalidTransition(current=locked.state, target=State.DRAFT)
        record_transition(
            actor=actor,
            company=company,
            obj=locked,
            field="state",
            new=State.DRAFT,
            allowed=Payment.TRANSITIONS,
        )
    return locked


def _post(
    actor: User | None,
    company: Company,
    payment: Payment,
    entries: list[tuple[Invoice, Decimal, int]],
    credit: Credit | None,
) -> None:
    """Number, voucher and state; then the planned allocations (`entries`, their invoices
    locked before the voucher as every allocation locks them), or the refunded `credit`, as
    `_prepared` checked them."""
    settings = finance_settings(company)
    partner = payment.partner
    payment.number = number_next(
        company=company,
        doc_type=f"finance.{payment.kind}",
        prefix=PREFIX[payment.kind],
        on=payment.payment_date,
    )
    cash, control = payment.account, getattr(settings, CONTROL[payment.kind])
    money_in = payment.kind in MONEY_IN
    debited, credited = (cash, control) if money_in else (control, cash)
    payment.voucher = ledger_post(
        actor=actor,
        company=company,
        date=payment.payment_date,
        lines=[
            LineIn(account=debited, debit=payment.amount, partner=partner),
            LineIn(account=credited, credit=payment.amount, partner=partner),
        ],
        narration=str(NARRATION[payment.kind]) % {"number": payment.number, "partner": partner.name},
        source=("finance.payment", str(payment.pk), payment.number),
        word=Voucher.Word.RECEIPT if money_in else Voucher.Word.PAYMENT,
    )
    if entries:
        _settle(actor, company, entries, on=payment.payment_date, payment=payment)
    if credit is not None:
        _refund_settle(actor, company, payment, credit)
    allocated = payment.amount if credit is not None else sum((money for _i, money, _p in entries), ZERO)
    payment.unallocated_amount = payment.amount - allocated
    payment.planned_allocations = []
    payment.posted_at = timezone.now()
    record_transition(
        actor=actor,
        company=company,
        obj=payment,
        field="state",
        new=State.POSTED,
        allowed=Payment.TRANSITIONS,
    )
    publish(
        PaymentPosted(
            company_id=company.pk,
            actor_id=actor.pk if actor is not None and actor.pk else None,
            subject_type="finance.payment",
            subject_id=str(payment.pk),
            kind=payment.kind,
            number=payment.number,
            partner_id=str(payment.partner_id),
            amount=str(payment.amount),
        )
    )


def _posted(company: Company, payment: Payment) -> Payment:
    locked = _locked(company, payment)
    if locked.is_refund:
        raise _refuse("payment", _("A refund settles only the credit it pays back."))
    if locked.state != State.POSTED:
        raise InvalidTransition(
            _("Only a posted payment can be allocated."), current=locked.state, target="allocated"
        )
    return locked


def _allocated(
    actor: User, company: Company, payment: Payment, entries: list[tuple[Invoice, Decimal, int]]
) -> Payment:
    """Settle the (locked) entries from the (locked) payment and record it on the payment."""
    total = _checked_targets(
        company, SETTLES[payment.kind], payment.partner_id, entries, payment.unallocated_amount
    )
    _settle(actor, company, entries, on=max(timezone.localdate(), payment.payment_date), payment=payment)
    before = payment.unallocated_amount
    payment.unallocated_amount = before - total
    payment.save(update_fields=["unallocated_amount", "updated_at"])
    audit_record(
        actor=actor,
        company=company,
        action="allocate",
        obj=payment,
        changes={
            "unallocated_amount": [str(before), str(payment.unallocated_amount)],
            "allocations": [[invoice.number, str(money)] for invoice, money, _i in entries],
        },
    )
    return payment


def payment_allocate(*, actor: User, company: Company, payment: Payment, allocations: Allocations) -> Payment:
    """Settle posted invoices (for a receipt) or bills (for a payment) of the same partner, in
    part or in full. More than is open on an invoice, or more than the payment has left, is
    refused as a whole (over_allocation)."""
    check(actor, company, MANAGE_PAYMENT)
    entries = _merged(allocations)
    if not entries:
        raise _refuse("allocations", _("Choose at least one invoice and an amount."))
    with transaction.atomic():
        locked = _posted(company, payment)
        invoices = _locked_invoices(company, {invoice.pk for invoice, _money, _i in entries})
        fresh = [(invoices[invoice.pk], money, i) for invoice, money, i in entries]
        return _allocated(actor, company, locked, fresh)


def open_invoices(company: Company, *, kind: str, partner_id: Any, lock: bool = False) -> list[Invoice]:
    """A partner's posted invoices (or bills) with something open, the oldest due first."""
    qs = Invoice.objects.filter(
        company=company, partner_id=partner_id, kind=kind, state=Invoice.State.POSTED, open_amount__gt=0
    )
    if lock:
        qs = qs.select_for_update().order_by("pk")
    return sorted(qs, key=lambda i: (i.due_date, i.invoice_date, i.number))


def payment_allocate_oldest(*, actor: User, company: Company, payment: Payment) -> Payment:
    """Settle the partner's open invoices (or bills) with what the payment has left, the oldest
    due first; what is left over stays as the partner's credit."""
    check(actor, company, MANAGE_PAYMENT)
    with transaction.atomic():
        locked = _posted(company, payment)
        remaining = locked.unallocated_amount
        entries = []
        for i, invoice in enumerate(
            open_invoices(company, kind=SETTLES[locked.kind], partner_id=locked.partner_id, lock=True)
        ):
            if not remaining:
                break
            money = min(remaining, invoice.open_amount)
            entries.append((invoice, money, i))
            remaining -= money
        if not entries:
            return locked
        return _allocated(actor, company, locked, entries)


def credit_note_allocate(
    *, actor: User, company: Company, credit_note: Invoice, allocations: Allocations
) -> Invoice:
    """Settle invoices (or bills) of the same partner from a posted credit note, lowering the
    open amounts of both."""
    check(actor, company, MANAGE_PAYMENT)
    entries = _merged(allocations)
    if not entries:
        raise _refuse("allocations", _("Choose at least one invoice and an amount."))
    with transaction.atomic():
        ids = {credit_note.pk} | {invoice.pk for invoice, _money, _i in entries}
        invoices = _locked_invoices(company, ids)
        note = invoices[credit_note.pk]
        if note.kind not in CREDIT_SETTLES:
            raise _refuse("credit_note", _("Only a credit note settles invoices this way."))
        if note.state != Invoice.State.POSTED:
            raise InvalidTransition(
                _("Only a posted credit note can be allocated."), current=note.state, target="allocated"
            )
        fresh = [(invoices[invoice.pk], money, i) for invoice, money, i in entries]
        total = _checked_targets(company, CREDIT_SETTLES[note.kind], note.partner_id, fresh, note.open_amount)
        _settle(actor, company, fresh, on=max(timezone.localdate(), note.invoice_date), credit_note=note)
        before = note.open_amount
        note.open_amount = before - total
        note.save(update_fields=["open_amount", "updated_at"])
        audit_record(
            actor=actor,
            company=company,
            action="allocate",
            obj=note,
            changes={
                "open_amount": [str(before), str(note.open_amount)],
                "allocations": [[invoice.number, str(money)] for invoice, money, _i in fresh],
            },
        )
    return note
