"""Payment and expense claim pages (ERP module).

A receipt or payment is recorded as a draft, posted on submission (until an approval flow
decides) and then allocated: its page lists the partner's open invoices (or bills) with what
is still open on each, to settle by amount or oldest first. What a receipt leaves unallocated,
or a credit note leaves open, can be refunded from its page: a draft refund, posted the same way. An employee's expense claims are
theirs to make, change and submit; finance sees all of them and pays them back.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from heyi.approvals.selectors_documents import approval_of_document
from heyi.platform import access as platform_access
from heyi.platform import modules
from heyi.platform.errors import DomainError, NotFound, NotPermitted
from heyi.platform.navigation import NavItem, register_nav
from heyi.platform.webkit import (
    Column,
    Filter,
    ListSpec,
    attach_errors,
    company_view,
    detail_page,
    document_action,
    domain_error_page,
    form_page,
    list_page,
    post_action,
    run_action,
)

from ..access import (
    access_expense_claim,
    access_invoice,
    access_payment,
    expense_accounts_visible,
    expense_claims_visible,
    invoices_visible,
    payments_visible,
    sees_all_expense_claims,
)
from ..approval import EXPENSE_CLAIM, PAYMENT
from ..forms_payments import (
    ExpenseClaimForm,
    ExpenseClaimLineForm,
    ExpenseClaimPayForm,
    PaymentForm,
    with_customer,
)
from ..models import ExpenseClaim, Invoice, Payment
from ..permissions import CLAIM_EXPENSE, MANAGE_PAYMENT, VIEW
from ..services import expenses
from ..services import payments as payment_services

ERP = modules.ERP
State = Payment.State


def _can(request: HttpRequest, perm: str) -> bool:
    return platform_access.has_perm(request.user, request.company, perm)


def _amount(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def _invoice_url(invoice: Invoice) -> str:
    return reverse("finance:invoice_detail" if invoice.is_sales else "finance:bill_detail", args=[invoice.pk])


def _document_url(document: Payment | Invoice) -> str:
    if isinstance(document, Payment):
        return reverse("finance:payment_detail", args=[document.pk])
    return _invoice_url(document)


def _voucher(request: HttpRequest, voucher) -> Any:
    """The voucher's number, a link for whoever may open the ledger."""
    if voucher is None:
        return ""
    if not _can(request, VIEW):
        return voucher.number
    return format_html(
        '<a href="{}">{}</a>', reverse("finance:voucher_detail", args=[voucher.pk]), voucher.number
    )


def _posted_allocations(request: HttpRequest) -> list[tuple[Invoice, str]]:
    """The `amount-<invoice id>` fields of an allocation form that hold an amount."""
    return [
        (
            access_invoice(user=request.user, company=request.company, id=key.removeprefix("amount-")),
            value.strip(),
        )
        for key, value in request.POST.items()
        if key.startswith("amount-") and value.strip()
    ]


# Receipts and payments


@company_view(perm=VIEW, module=ERP)
def payment_list(request: HttpRequest) -> HttpResponse:
    qs = payments_visible(user=request.user, company=request.company).select_related("partner", "account")
    spec = ListSpec(
        title=_("Receipts and payments"),
        columns=[
            Column("number", _("Number"), value=lambda p: p.number or _("Draft"), link=True),
            Column("kind", _("Kind"), value=lambda p: p.get_kind_display()),
            Column("partner", _("Customer or supplier")),
            Column("payment_date", _("Date")),
            Column("account", _("Cash or bank account")),
            Column("amount", _("Amount"), value=lambda p: _amount(p.amount), numeric=True),
            Column(
                "unallocated_amount",
                _("Unallocated"),
                value=lambda p: _amount(p.unallocated_amount),
                numeric=True,
            ),
            Column("state", _("State"), value=lambda p: p.get_state_display()),
            Column("reference", _("Reference")),
        ],
        search_fields=("number", "reference", "partner__name", "partner__mnemonic"),
        ordering_fields=("number", "payment_date", "amount", "unallocated_amount", "created_at"),
        default_ordering="-payment_date",
        filters=[
            Filter("kind", _("Kind"), Payment.Kind.choices),
            Filter("state", _("State"), Payment.State.choices),
        ],
        create_url=reverse("finance:payment_create") if _can(request, MANAGE_PAYMENT) else None,
        export_name="payments",
        row_url=lambda p: reverse("finance:payment_detail", args=[p.pk]),
    )
    return list_page(request, qs, spec)


def _payment_form(
    request: HttpRequest, *, payment: Payment | None, kind: str, credit: Payment | Invoice | None = None
) -> HttpResponse:
    """A new receipt or payment, a new refund of `credit`, or a draft of either changed."""
    company = request.company
    if credit is not None:
        initial: dict[str, Any] = {
            "payment_date": timezone.localdate(),
            "amount": credit.unallocated_amount if isinstance(credit, Payment) else credit.open_amount,
            "account": credit.account_id if isinstance(credit, Payment) else None,
        }
        title = _("Refund %(credit)s · %(partner)s") % {"credit": credit, "partner": credit.partner.name}
        back = _document_url(credit)
    elif payment is None:
        initial = {"payment_date": timezone.localdate()}
        title = (
            _("New customer receipt") if kind == Payment.Kind.CUSTOMER_RECEIPT else _("New supplier payment")
        )
        back = reverse("finance:payment_list")
    else:
        initial = {
            "partner": payment.partner_id,
            "payment_date": payment.payment_date,
            "amount": payment.amount,
            "account": payment.account_id,
            "reference": payment.reference,
            "notes": payment.notes,
            "version": payment.version,
        }
        title = _("Edit %(payment)s") % {"payment": payment}
        back = reverse("finance:payment_detail", args=[payment.pk])
    form = PaymentForm(company, kind, request.POST or None, initial=initial)

    def save(data: dict) -> Payment:
        values = {
            k: data[k]
            for k in ("partner", "payment_date", "amount", "account", "reference", "notes")
            if k in data
        }
        if credit is not None:
            return payment_services.refund_create(
                actor=request.user, company=company, credit=credit, **values
            )
        if payment is None:
            return payment_services.payment_create(actor=request.user, company=company, kind=kind, **values)
        return payment_services.payment_update(
            actor=request.user, company=company, payment=payment, version=data.get("version"), **values
        )

    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                done = save(form.cleaned_data)
            except DomainError as exc:
                if isinstance(exc, NotFound | NotPermitted):
                    return domain_error_page(request, exc)
                attach_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("finance:payment_detail", pk=done.pk)
        status = 400
    kinds = [
        (value, label, reverse("finance:payment_create") + f"?kind={value}", value == kind)
        for value, label in Payment.Kind.choices
        if value in payment_services.SETTLES
    ]
    return render(
        request,
        "finance/payments/payment_form.html",
        {
            "form": form,
            "title": title,
            "back_url": back,
            "kinds": kinds if payment is None and credit is None else [],
            "refund": kind in Payment.REFUNDS,
        },
        status=status,
    )


@company_view(perm=MANAGE_PAYMENT, module=ERP)
def payment_create(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in payment_services.SETTLES:
        kind = Payment.Kind.CUSTOMER_RECEIPT
    return _payment_form(request, payment=None, kind=kind)


@company_view(perm=MANAGE_PAYMENT, module=ERP)
def payment_refund(request: HttpRequest, pk) -> HttpResponse:
    """Refund what a receipt (or supplier payment) has not allocated."""
    credit = access_payment(user=request.user, company=request.company, id=pk)
    if credit.is_refund:
        raise NotFound()
    return _payment_form(request, payment=None, kind=payment_services.REFUND_OF[credit.kind], credit=credit)


@company_view(perm=MANAGE_PAYMENT, module=ERP)
def credit_note_refund(request: HttpRequest, pk) -> HttpResponse:
    """Refund what a credit note has open."""
    credit = access_invoice(user=request.user, company=request.company, id=pk)
    if not credit.is_credit_note:
        raise NotFound()
    return _payment_form(request, payment=None, kind=payment_services.REFUND_OF[credit.kind], credit=credit)


@company_view(perm=MANAGE_PAYMENT, module=ERP)
def payment_edit(request: HttpRequest, pk) -> HttpResponse:
    payment = access_payment(user=request.user, company=request.company, id=pk)
    if payment.state != State.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("finance:payment_detail", pk=pk)
    return _payment_form(request, payment=payment, kind=payment.kind)


@company_view(perm=VIEW, module=ERP)
def payment_detail(request: HttpRequest, pk) -> HttpResponse:
    payment = access_payment(user=request.user, company=request.company, id=pk)
    manage = _can(request, MANAGE_PAYMENT)
    receipt = payment.kind == Payment.Kind.CUSTOMER_RECEIPT
    actions = []
    if payment.state == State.DRAFT and manage:
        actions.append(post_action(_("Submit"), reverse("finance:payment_submit", args=[pk]), "is-success"))
        actions.append(
            post_action(_("Cancel"), reverse("finance:payment_cancel", args=[pk]), "is-danger is-light")
        )
    fields: list[tuple[Any, Any]] = [
        (_("Number"), payment.number or _("Draft (numbered when posted)")),
        (_("Kind"), payment.get_kind_display()),
        (_("State"), payment.get_state_display()),
        (_("Customer") if with_customer(payment.kind) else _("Supplier"), payment.partner.name),
        (_("Date"), payment.payment_date),
        (_("Cash or bank account"), payment.account),
        (_("Amount"), _amount(payment.amount)),
    ]
    refunded = payment.refunded
    if refunded is not None:
        fields.append((_("Refunds"), format_html('<a href="{}">{}</a>', _document_url(refunded), refunded)))
    if payment.state == State.POSTED:
        if not payment.is_refund:
            fields.append((_("Unallocated"), _amount(payment.unallocated_amount)))
        fields += [
            (_("Voucher"), _voucher(request, payment.voucher)),
            (_("Posted at"), timezone.localtime(payment.posted_at).strftime("%Y-%m-%d %H:%M")),
        ]
    fields += [(_("Reference"), payment.reference), (_("Notes"), payment.notes)]
    order = ("allocated_on", "created_at")
    if payment.is_refund:
        rows = [
            (a, a.payment or a.credit_note)
            for a in payment.credits_refunded.select_related("payment", "credit_note").order_by(*order)
        ]
    else:
        rows = [
            (a, a.invoice or a.refund)
            for a in payment.allocations.select_related("invoice", "refund").order_by(*order)
        ]
    allocations = [
        (a.allocated_on, document, _document_url(document), _amount(a.amount)) for a, document in rows
    ]
    planned = _planned_rows(request, payment)
    sections: list[dict] = [
        {
            "title": _("Credit paid back") if payment.is_refund else _("Allocations"),
            "template": "finance/payments/_allocations.html",
            "rows": allocations or planned,
            "planned": bool(planned),
            "payment": payment,
        }
    ]
    if payment.state == State.POSTED and payment.unallocated_amount > 0 and manage:
        actions.append(
            {
                "label": _("Refund"),
                "url": reverse("finance:payment_refund", args=[pk]),
                "css": "is-warning is-light",
            }
        )
        settles = payment_services.SETTLES[payment.kind]
        open_rows = [
            (invoice, _invoice_url(invoice))
            for invoice in payment_services.open_invoices(
                request.company, kind=settles, partner_id=payment.partner_id
            )
        ]
        sections.append(
            {
                "title": _("Allocate to invoices") if receipt else _("Allocate to bills"),
                "template": "finance/payments/_allocate.html",
                "rows": open_rows,
                "available": _amount(payment.unallocated_amount),
                "action": reverse("finance:payment_allocate", args=[pk]),
                "oldest_url": reverse("finance:payment_allocate_oldest", args=[pk]),
            }
        )
    sections += _approval_sections(request, PAYMENT, payment)
    return detail_page(
        request,
        obj=payment,
        title=f"{payment} · {payment.partner.name}",
        fields=fields,
        actions=actions,
        edit_url=reverse("finance:payment_edit", args=[pk])
        if payment.state == State.DRAFT and manage
        else None,
        back_url=reverse("finance:payment_list"),
        sections=sections,
    )


def _approval_sections(request: HttpRequest, document_type: str, document: Any) -> list[dict]:
    """The document's latest approval request and its decisions, when it went through one."""
    approval = approval_of_document(request.company, document_type, document.pk)
    if approval is None:
        return []
    return [{"title": _("Approval"), "template": "approvals/_document_approval.html", "approval": approval}]


def _planned_rows(request: HttpRequest, payment: Payment) -> list[tuple]:
    if payment.state != State.DRAFT or not payment.planned_allocations:
        return []
    ids = [invoice_id for invoice_id, _money in payment.planned_allocations]
    visible = invoices_visible(user=request.user, company=request.company).filter(pk__in=ids)
    invoices = {str(i.pk): i for i in visible}
    return [
        (None, invoices[invoice_id], _invoice_url(invoices[invoice_id]), money)
        for invoice_id, money in payment.planned_allocations
        if invoice_id in invoices
    ]


@require_POST
@company_view(perm=MANAGE_PAYMENT, module=ERP)
def payment_submit(request: HttpRequest, pk) -> HttpResponse:
    payment = access_payment(user=request.user, company=request.company, id=pk)

    def done() -> str:
        payment.refresh_from_db()
        if payment.state == State.POSTED:
            return _("Posted as %(number)s.") % {"number": payment.number}
        return _("Submitted for approval.")

    return run_action(
        request,
        lambda: payment_services.payment_submit(actor=request.user, company=request.company, payment=payment),
        reverse("finance:payment_detail", args=[pk]),
        done,
    )


payment_cancel = document_action(
    access_one=access_payment,
    service=payment_services.payment_cancel,
    param="payment",
    detail="finance:payment_detail",
    perm=MANAGE_PAYMENT,
    module=ERP,
    done=lambda: _("Cancelled."),
)


@require_POST
@company_view(perm=MANAGE_PAYMENT, module=ERP)
def payment_allocate(request: HttpRequest, pk) -> HttpResponse:
    payment = access_payment(user=request.user, company=request.company, id=pk)
    return run_action(
        request,
        lambda: payment_services.payment_allocate(
            actor=request.user,
            company=request.company,
            payment=payment,
            allocations=_posted_allocations(request),
        ),
        reverse("finance:payment_detail", args=[pk]),
        lambda: _("Allocated."),
    )


@require_POST
@company_view(perm=MANAGE_PAYMENT, module=ERP)
def payment_allocate_oldest(request: HttpRequest, pk) -> HttpResponse:
    payment = access_payment(user=request.user, company=request.company, id=pk)
    return run_action(
        request,
        lambda: payment_services.payment_allocate_oldest(
            actor=request.user, company=request.company, payment=payment
        ),
        reverse("finance:payment_detail", args=[pk]),
        lambda: _("Allocated to the oldest open documents."),
    )


@company_view(perm=MANAGE_PAYMENT, module=ERP)
def credit_note_allocate(request: HttpRequest, pk) -> HttpResponse:
    """Settle the partner's open invoices (or bills) from a posted credit note."""
    note = access_invoice(user=request.user, company=request.company, id=pk)
    if note.kind not in payment_services.CREDIT_SETTLES:
        raise NotFound()
    if request.method == "POST":
        try:
            payment_services.credit_note_allocate(
                actor=request.user,
                company=request.company,
                credit_note=note,
                allocations=_posted_allocations(request),
            )
        except DomainError as exc:
            if isinstance(exc, NotFound | NotPermitted):
                return domain_error_page(request, exc)
            messages.error(request, str(exc.message))
            for errors in exc.fields.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect("finance:credit_note_allocate", pk=pk)
        messages.success(request, _("Allocated."))
        return redirect(_invoice_url(note))
    rows = [
        (invoice, _invoice_url(invoice))
        for invoice in payment_services.open_invoices(
            request.company, kind=payment_services.CREDIT_SETTLES[note.kind], partner_id=note.partner_id
        )
    ]
    section = {
        "rows": rows,
        "available": _amount(note.open_amount),
        "action": reverse("finance:credit_note_allocate", args=[pk]),
    }
    return render(
        request,
        "finance/payments/credit_note_allocate.html",
        {
            "title": _("Allocate %(note)s · %(partner)s") % {"note": note, "partner": note.partner.name},
            "section": section,
            "back_url": _invoice_url(note),
        },
    )


# Expense claims


@dataclass(frozen=True)
class MineFilter(Filter):
    """Finance's view of all claims narrowed to the claims for the user themselves."""

    user_id: Any = None

    def apply(self, qs, value: str):
        return qs.filter(employee__user_id=self.user_id) if value == "1" else qs


def _may_claim_or_see(request: HttpRequest) -> None:
    if not (_can(request, CLAIM_EXPENSE) or sees_all_expense_claims(request.user, request.company)):
        raise NotPermitted(permission=CLAIM_EXPENSE)


def _claim_url(claim: ExpenseClaim) -> str:
    return reverse("finance:expense_claim_detail", args=[claim.pk])


@company_view(module=ERP)
def expense_claim_list(request: HttpRequest) -> HttpResponse:
    _may_claim_or_see(request)
    qs = expense_claims_visible(user=request.user, company=request.company).select_related(
        "employee", "department"
    )
    filters: list[Filter] = [Filter("state", _("State"), ExpenseClaim.State.choices)]
    if sees_all_expense_claims(request.user, request.company):
        filters.append(MineFilter("mine", _("Whose"), [("1", _("My claims"))], user_id=request.user.pk))
    spec = ListSpec(
        title=_("Expense claims"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("employee", _("Employee")),
            Column("department", _("Department")),
            Column("claim_date", _("Date")),
            Column("description", _("Purpose")),
            Column("total_amount", _("Total"), value=lambda c: _amount(c.total_amount), numeric=True),
            Column("state", _("State"), value=lambda c: c.get_state_display()),
        ],
        search_fields=("number", "description", "employee__name"),
        ordering_fields=("number", "claim_date", "total_amount", "created_at"),
        default_ordering="-claim_date",
        filters=filters,
        create_url=reverse("finance:expense_claim_create")
        if _can(request, CLAIM_EXPENSE) or _can(request, MANAGE_PAYMENT)
        else None,
        export_name="expense-claims",
        row_url=_claim_url,
    )
    return list_page(request, qs, spec)


def _claim_form(request: HttpRequest, claim: ExpenseClaim | None) -> HttpResponse:
    company = request.company
    for_anyone = _can(request, MANAGE_PAYMENT)
    if claim is None:
        initial: dict[str, Any] = {"claim_date": timezone.localdate()}
        lines: list[dict] = []
        title, back = _("New expense claim"), reverse("finance:expense_claim_list")
    else:
        initial = {
            "description": claim.description,
            "claim_date": claim.claim_date,
            "employee": claim.employee_id,
            "department": claim.department_id,
            "version": claim.version,
        }
        lines = [
            {"account": line.account_id, "description": line.description, "amount": line.amount}
            for line in claim.lines.all()
        ]
        title, back = _("Edit %(number)s") % {"number": claim.number}, _claim_url(claim)
    header = ExpenseClaimForm(company, request.POST or None, initial=initial, for_anyone=for_anyone)
    formset_class = forms.formset_factory(
        ExpenseClaimLineForm, extra=3 if claim is None else 1, max_num=expenses.MAX_LINES, can_delete=True
    )
    formset = formset_class(
        request.POST or None,
        initial=lines,
        prefix="lines",
        form_kwargs={"accounts": expense_accounts_visible(user=request.user, company=company)},
    )
    status = 200
    if request.method == "POST":
        if header.is_valid() and formset.is_valid():
            data = header.cleaned_data
            kept = [
                f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            values = {
                "description": data["description"],
                "claim_date": data["claim_date"],
                "employee": data.get("employee"),
                "department": data.get("department"),
                "lines": kept,
            }
            try:
                if claim is None:
                    done = expenses.expense_claim_create(actor=request.user, company=company, **values)
                else:
                    done = expenses.expense_claim_update(
                        actor=request.user,
                        company=company,
                        claim=claim,
                        version=data.get("version"),
                        **values,
                    )
            except DomainError as exc:
                if isinstance(exc, NotFound | NotPermitted):
                    return domain_error_page(request, exc)
                attach_errors(header, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(_claim_url(done))
        status = 400
    return render(
        request,
        "finance/payments/claim_form.html",
        {"title": title, "header": header, "formset": formset, "back_url": back},
        status=status,
    )


@company_view(module=ERP)
def expense_claim_create(request: HttpRequest) -> HttpResponse:
    _may_claim_or_see(request)
    return _claim_form(request, None)


@company_view(module=ERP)
def expense_claim_edit(request: HttpRequest, pk) -> HttpResponse:
    claim = access_expense_claim(user=request.user, company=request.company, id=pk)
    if claim.state != ExpenseClaim.State.DRAFT:
        messages.error(request, _("Only a draft claim can be changed."))
        return redirect(_claim_url(claim))
    return _claim_form(request, claim)


@company_view(module=ERP)
def expense_claim_detail(request: HttpRequest, pk) -> HttpResponse:
    claim = access_expense_claim(user=request.user, company=request.company, id=pk)
    user = request.user
    may_change = (
        claim.created_by_id == user.pk or claim.employee.user_id == user.pk or _can(request, MANAGE_PAYMENT)
    )
    draft = claim.state == ExpenseClaim.State.DRAFT
    actions = []
    if draft and may_change:
        actions.append(
            post_action(_("Submit"), reverse("finance:expense_claim_submit", args=[pk]), "is-success")
        )
        actions.append(
            post_action(_("Cancel"), reverse("finance:expense_claim_cancel", args=[pk]), "is-danger is-light")
        )
    if claim.state == ExpenseClaim.State.APPROVED and _can(request, MANAGE_PAYMENT):
        actions.append(
            {"label": _("Pay"), "url": reverse("finance:expense_claim_pay", args=[pk]), "css": "is-primary"}
        )
    fields: list[tuple[Any, Any]] = [
        (_("Number"), claim.number),
        (_("Employee"), claim.employee.name),
        (_("Department"), claim.department),
        (_("Date"), claim.claim_date),
        (_("Purpose"), claim.description),
        (_("State"), claim.get_state_display()),
        (_("Total"), _amount(claim.total_amount)),
        (_("Voucher"), _voucher(request, claim.voucher)),
        (_("Payment voucher"), _voucher(request, claim.payment_voucher)),
    ]
    rows = [
        [line.position, line.account, line.description, _amount(line.amount)]
        for line in claim.lines.select_related("account")
    ]
    return detail_page(
        request,
        obj=claim,
        title=f"{_('Expense claim')} {claim.number}",
        fields=fields,
        actions=actions,
        edit_url=reverse("finance:expense_claim_edit", args=[pk]) if draft and may_change else None,
        back_url=reverse("finance:expense_claim_list"),
        sections=[
            {
                "title": _("Lines"),
                "template": "finance/payments/_claim_lines.html",
                "headers": ["#", _("Expense account"), _("Description"), _("Amount")],
                "rows": rows,
                "total": _amount(claim.total_amount),
            },
            *_approval_sections(request, EXPENSE_CLAIM, claim),
        ],
    )


expense_claim_submit = document_action(
    access_one=access_expense_claim,
    service=expenses.expense_claim_submit,
    param="claim",
    detail="finance:expense_claim_detail",
    module=ERP,
    done=lambda: _("Submitted."),
)
expense_claim_cancel = document_action(
    access_one=access_expense_claim,
    service=expenses.expense_claim_cancel,
    param="claim",
    detail="finance:expense_claim_detail",
    module=ERP,
    done=lambda: _("Cancelled."),
)


@company_view(perm=MANAGE_PAYMENT, module=ERP)
def expense_claim_pay(request: HttpRequest, pk) -> HttpResponse:
    claim = access_expense_claim(user=request.user, company=request.company, id=pk)
    form = ExpenseClaimPayForm(request.company, request.POST or None, initial={"date": timezone.localdate()})
    return form_page(
        request,
        form=form,
        title=_("Pay %(number)s to %(employee)s (%(total)s)")
        % {"number": claim.number, "employee": claim.employee.name, "total": _amount(claim.total_amount)},
        on_valid=lambda data: expenses.expense_claim_pay(
            actor=request.user,
            company=request.company,
            claim=claim,
            account=data["account"],
            date=data["date"],
        ),
        success_url=_claim_url,
        back_url=_claim_url(claim),
    )


urlpatterns = [
    path("payments/", payment_list, name="payment_list"),
    path("payments/new/", payment_create, name="payment_create"),
    path("payments/<uuid:pk>/", payment_detail, name="payment_detail"),
    path("payments/<uuid:pk>/edit/", payment_edit, name="payment_edit"),
    path("payments/<uuid:pk>/submit/", payment_submit, name="payment_submit"),
    path("payments/<uuid:pk>/cancel/", payment_cancel, name="payment_cancel"),
    path("payments/<uuid:pk>/allocate/", payment_allocate, name="payment_allocate"),
    path("payments/<uuid:pk>/allocate-oldest/", payment_allocate_oldest, name="payment_allocate_oldest"),
    path("payments/<uuid:pk>/refund/", payment_refund, name="payment_refund"),
    path("credit-notes/<uuid:pk>/allocate/", credit_note_allocate, name="credit_note_allocate"),
    path("credit-notes/<uuid:pk>/refund/", credit_note_refund, name="credit_note_refund"),
    path("expense-claims/", expense_claim_list, name="expense_claim_list"),
    path("expense-claims/new/", expense_claim_create, name="expense_claim_create"),
    path("expense-claims/<uuid:pk>/", expense_claim_detail, name="expense_claim_detail"),
    path("expense-claims/<uuid:pk>/edit/", expense_claim_edit, name="expense_claim_edit"),
    path("expense-claims/<uuid:pk>/submit/", expense_claim_submit, name="expense_claim_submit"),
    path("expense-claims/<uuid:pk>/cancel/", expense_claim_cancel, name="expense_claim_cancel"),
    path("expense-claims/<uuid:pk>/pay/", expense_claim_pay, name="expense_claim_pay"),
]

register_nav(
    NavItem(
        "finance", gettext_lazy("Receipts and payments"), "finance:payment_list", VIEW, module=ERP, order=40
    ),
    NavItem(
        "finance",
        gettext_lazy("Expense claims"),
        "finance:expense_claim_list",
        CLAIM_EXPENSE,
        module=ERP,
        order=50,
    ),
)
