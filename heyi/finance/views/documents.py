"""Invoice and bill pages (ERP module).

Invoices: customer invoices and credit notes; bills: supplier bills and credit notes. "New"
opens what is waiting to be invoiced (shipped deliveries, received returns) or billed
(confirmed receipts), one button each, and the form to enter a document by hand. A document
page shows its lines, its voucher once posted and what settles it, with the buttons its state
allows: Post, Cancel, and for a held bill Release.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from heyi.partners.access import CUSTOMER, SUPPLIER, partners_visible
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
    list_page,
    post_action,
    run_action,
)
from heyi.purchasing.access import access_receipt
from heyi.purchasing.models import Receipt
from heyi.purchasing.permissions import VIEW as VIEW_PURCHASING
from heyi.sales.access import access_delivery, access_sales_return, deliveries_visible, returns_visible

from ..access import access_invoice, invoices_visible
from ..forms_documents import DocumentForm, DocumentLineFormSet, document_initial
from ..models import Invoice, InvoiceLine
from ..permissions import MANAGE_INVOICE, MANAGE_PAYMENT, POST_VOUCHER, VIEW
from ..selectors import deliveries_to_invoice, invoice_search, receipts_to_bill, returns_to_credit
from ..services import bills as bill_services
from ..services import invoices as invoice_services
from ..services.invoicing import InvoiceLineIn

ERP = modules.ERP
Kind = Invoice.Kind
State = Invoice.State
WAITING = 100


def _can(request: HttpRequest, perm: str) -> bool:
    return platform_access.has_perm(request.user, request.company, perm)


def _amount(value) -> str:
    return "" if value is None else f"{value:,.2f}"


def _link(url_name: str, pk: Any, label: Any) -> Any:
    """A link to another page, or the bare label where that page does not exist."""
    try:
        return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), label)
    except NoReverseMatch:
        return label


def _detail_url(invoice: Invoice) -> str:
    name = "finance:invoice_detail" if invoice.is_sales else "finance:bill_detail"
    return reverse(name, args=[invoice.pk])


def _area(sales: bool) -> dict[str, Any]:
    """What tells the invoice pages from the bill pages; `page(name)` is a URL name."""
    prefix = "invoice" if sales else "bill"
    return {
        "kinds": Invoice.SALES_KINDS if sales else Invoice.PURCHASE_KINDS,
        "partner_kind": CUSTOMER if sales else SUPPLIER,
        "page": lambda name: f"finance:{prefix}_{name}",
        "title": _("Invoices") if sales else _("Bills"),
        "export": f"{prefix}s",
    }


def _of_kinds(found: Invoice, kinds: Sequence[str]) -> Invoice:
    """Invoice pages show invoices and bill pages bills; the other kind is not found there."""
    if found.kind not in kinds:
        raise NotFound()
    return found


def _one(request: HttpRequest, pk: Any, kinds: Sequence[str]) -> Invoice:
    return _of_kinds(access_invoice(user=request.user, company=request.company, id=pk), kinds)


# Lists


def _list(request: HttpRequest, sales: bool) -> HttpResponse:
    area = _area(sales)
    qs = invoice_search(invoices_visible(user=request.user, company=request.company, kinds=area["kinds"]))
    spec = ListSpec(
        title=area["title"],
        columns=[
            Column("number", _("Number"), value=lambda i: i.number or _("Draft"), link=True),
            Column("kind", _("Kind"), value=lambda i: i.get_kind_display()),
            Column("partner", _("Customer") if sales else _("Supplier"), value=lambda i: i.partner.name),
            Column("partner_reference", _("Reference")),
            Column("invoice_date", _("Invoice date")),
            Column("due_date", _("Due date")),
            Column("state", _("State"), value=lambda i: i.get_state_display()),
            Column("total_amount", _("Total"), numeric=True),
            Column("open_amount", _("Open amount"), numeric=True),
        ],
        search_fields=("number", "partner__name", "partner_reference"),
        ordering_fields=("number", "invoice_date", "due_date", "total_amount", "open_amount", "state"),
        default_ordering="-invoice_date",
        filters=[
            Filter("state", _("State"), State.choices),
            Filter("kind", _("Kind"), [(k, Kind(k).label) for k in area["kinds"]]),
        ],
        create_url=reverse(area["page"]("new")) if _can(request, MANAGE_INVOICE) else None,
        export_name=area["export"],
        row_url=_detail_url,
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW, module=ERP)
def invoice_list(request: HttpRequest) -> HttpResponse:
    return _list(request, sales=True)


@company_view(perm=VIEW, module=ERP)
def bill_list(request: HttpRequest) -> HttpResponse:
    return _list(request, sales=False)


# What waits to be invoiced or billed


@company_view(perm=MANAGE_INVOICE, module=ERP)
def invoice_new(request: HttpRequest) -> HttpResponse:
    """Shipped deliveries and received returns not yet fully invoiced or credited."""
    u, c = request.user, request.company
    deliveries = deliveries_to_invoice(deliveries_visible(user=u, company=c)).order_by("-shipped_at")[
        :WAITING
    ]
    returns = returns_to_credit(returns_visible(user=u, company=c)).order_by("-received_at")[:WAITING]
    ctx = {
        "title": _("New invoice"),
        "groups": [
            {
                "title": _("Invoice a delivery"),
                "empty": _("Every shipped delivery is invoiced."),
                "button": _("Create invoice"),
                "rows": [
                    (
                        d.number,
                        d.order.customer.name,
                        d.order.number,
                        d.shipped_at,
                        reverse("finance:invoice_from_delivery", args=[d.pk]),
                    )
                    for d in deliveries
                ],
            },
            {
                "title": _("Credit a return"),
                "empty": _("Every received return is credited."),
                "button": _("Credit"),
                "rows": [
                    (
                        r.number,
                        r.delivery.order.customer.name,
                        r.delivery.number,
                        r.received_at,
                        reverse("finance:invoice_from_return", args=[r.pk]),
                    )
                    for r in returns
                ],
            },
        ],
        "manual_url": reverse("finance:invoice_create"),
        "manual_label": _("Enter an invoice or credit note by hand"),
        "back_url": reverse("finance:invoice_list"),
    }
    return render(request, "finance/documents/new.html", ctx)


@company_view(perm=MANAGE_INVOICE, module=ERP)
def bill_new(request: HttpRequest) -> HttpResponse:
    """Confirmed receipts whose kept goods no bill fully claims."""
    visible = platform_access.scoped(
        Receipt.objects.all(), user=request.user, company=request.company, perm=VIEW_PURCHASING
    )
    receipts = receipts_to_bill(visible).order_by("-received_date")[:WAITING]
    ctx = {
        "title": _("New bill"),
        "groups": [
            {
                "title": _("Bill a receipt"),
                "empty": _("Every confirmed receipt is billed."),
                "button": _("Bill"),
                "rows": [
                    (
                        r.number,
                        r.supplier.name,
                        r.order.number,
                        r.received_date,
                        reverse("finance:bill_from_receipt", args=[r.pk]),
                    )
                    for r in receipts
                ],
            }
        ],
        "manual_url": reverse("finance:bill_create"),
        "manual_label": _("Enter a bill or supplier credit note by hand"),
        "back_url": reverse("finance:bill_list"),
    }
    return render(request, "finance/documents/new.html", ctx)


def _from(request: HttpRequest, make, back: str) -> HttpResponse:
    """Make a draft from a source document and open it; a refusal goes back with the reason."""
    try:
        made = make()
    except DomainError as exc:
        if isinstance(exc, NotFound | NotPermitted):
            return domain_error_page(request, exc)
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(request, _("Draft made; check it against the paper and post it."))
    return redirect(_detail_url(made))


@require_POST
@company_view(perm=MANAGE_INVOICE, module=ERP)
def invoice_from_delivery(request: HttpRequest, pk) -> HttpResponse:
    delivery = access_delivery(user=request.user, company=request.company, id=pk)
    return _from(
        request,
        lambda: invoice_services.invoice_create_from_delivery(
            actor=request.user, company=request.company, delivery=delivery
        ),
        reverse("finance:invoice_new"),
    )


@require_POST
@company_view(perm=MANAGE_INVOICE, module=ERP)
def invoice_from_return(request: HttpRequest, pk) -> HttpResponse:
    sales_return = access_sales_return(user=request.user, company=request.company, id=pk)
    return _from(
        request,
        lambda: invoice_services.credit_note_create_from_return(
            actor=request.user, company=request.company, sales_return=sales_return
        ),
        reverse("finance:invoice_new"),
    )


@require_POST
@company_view(perm=MANAGE_INVOICE, module=ERP)
def bill_from_receipt(request: HttpRequest, pk) -> HttpResponse:
    receipt = access_receipt(user=request.user, company=request.company, id=pk)
    return _from(
        request,
        lambda: bill_services.bill_create_from_receipt(
            actor=request.user, company=request.company, receipt=receipt
        ),
        reverse("finance:bill_new"),
    )


# Detail


def _source_fields(invoice: Invoice) -> list[tuple[Any, Any]]:
    fields: list[tuple[Any, Any]] = []
    if invoice.sales_order_id:
        fields.append(
            (_("Sales order"), _link("sales:order_detail", invoice.sales_order_id, invoice.sales_order))
        )
    if invoice.delivery_id:
        fields.append((_("Delivery"), _link("sales:delivery_detail", invoice.delivery_id, invoice.delivery)))
    if invoice.sales_return_id:
        fields.append(
            (_("Sales return"), _link("sales:return_detail", invoice.sales_return_id, invoice.sales_return))
        )
    if invoice.purchase_order_id:
        fields.append(
            (
                _("Purchase order"),
                _link("purchasing:order_detail", invoice.purchase_order_id, invoice.purchase_order),
            )
        )
    if invoice.credited_invoice_id:
        credited = invoice.credited_invoice
        fields.append(
            (_("Credits invoice"), format_html('<a href="{}">{}</a>', _detail_url(credited), credited))
        )
    return fields


def _detail(request: HttpRequest, invoice: Invoice) -> HttpResponse:
    area = _area(invoice.is_sales)
    pk, editable = invoice.pk, invoice.state in (State.DRAFT, State.HELD)
    manage = _can(request, MANAGE_INVOICE)
    actions = []
    if invoice.state == State.DRAFT and manage:
        actions.append(post_action(_("Post"), reverse(area["page"]("post"), args=[pk]), "is-success"))
    if invoice.state == State.HELD and _can(request, POST_VOUCHER):
        actions.append(post_action(_("Release"), reverse("finance:bill_release", args=[pk]), "is-warning"))
    if (
        invoice.is_credit_note
        and invoice.state == State.POSTED
        and invoice.open_amount > 0
        and _can(request, MANAGE_PAYMENT)
    ):
        actions.append(
            {
                "label": _("Allocate"),
                "url": reverse("finance:credit_note_allocate", args=[pk]),
                "css": "is-info",
            }
        )
        actions.append(
            {
                "label": _("Refund"),
                "url": reverse("finance:credit_note_refund", args=[pk]),
                "css": "is-warning is-light",
            }
        )
    if editable and manage:
        actions.append(
            post_action(_("Cancel"), reverse(area["page"]("cancel"), args=[pk]), "is-danger is-light")
        )
    fields: list[tuple[Any, Any]] = [
        (_("Number"), invoice.number or _("Draft (numbered when posted)")),
        (_("Kind"), invoice.get_kind_display()),
        (_("State"), invoice.get_state_display()),
        (_("Customer") if invoice.is_sales else _("Supplier"), invoice.partner.name),
        (_("Partner's invoice number"), invoice.partner_reference),
        (_("Invoice date"), invoice.invoice_date),
        (_("Due date"), invoice.due_date),
        (_("Prices include tax"), invoice.prices_include_tax),
        *_source_fields(invoice),
        (_("Amount excl. tax"), _amount(invoice.untaxed_amount)),
        (_("Tax"), _amount(invoice.tax_amount)),
        (_("Total"), _amount(invoice.total_amount)),
    ]
    if invoice.state == State.POSTED:
        fields.append((_("Open amount"), _amount(invoice.open_amount)))
        fields.append((_("Posted at"), timezone.localtime(invoice.posted_at).strftime("%Y-%m-%d %H:%M")))
    if invoice.voucher_id:
        fields.append((_("Voucher"), _link("finance:voucher_detail", invoice.voucher_id, invoice.voucher)))
    if invoice.hold_reason:
        label = _("Held because") if invoice.state == State.HELD else _("Released although")
        fields.append((label, invoice.hold_reason))
    fields.append((_("Notes"), invoice.notes))
    lines = list(
        invoice.lines.select_related("product", "account", "receipt_line__receipt", "delivery_line__delivery")
    )
    allocations = [
        (a, a.payment or a.credit_note, _payment_link(a))
        for a in invoice.allocations.select_related("payment", "credit_note").order_by("allocated_on")
    ] + [
        (a, a.invoice or a.refund, _detail_url(a.invoice) if a.invoice_id else _payment_url(a.refund_id))
        for a in invoice.allocations_given.select_related("invoice", "refund").order_by("allocated_on")
    ]
    sections = [
        {
            "title": _("Lines"),
            "template": "finance/documents/_lines.html",
            "lines": lines,
            "invoice": invoice,
        },
        {
            "title": _("Allocations"),
            "template": "finance/documents/_allocations.html",
            "rows": allocations,
            "invoice": invoice,
        },
    ]
    number = invoice.number or invoice.get_kind_display()
    return detail_page(
        request,
        obj=invoice,
        title=f"{number} · {invoice.partner.name}",
        fields=fields,
        actions=actions,
        edit_url=reverse(area["page"]("edit"), args=[pk]) if editable and manage else None,
        back_url=reverse(area["page"]("list")),
        sections=sections,
    )


def _payment_link(allocation) -> str | None:
    if allocation.credit_note_id:
        return _detail_url(allocation.credit_note)
    return _payment_url(allocation.payment_id)


def _payment_url(payment_id) -> str | None:
    try:
        return reverse("finance:payment_detail", args=[payment_id])
    except NoReverseMatch:
        return None


@company_view(perm=VIEW, module=ERP)
def invoice_detail(request: HttpRequest, pk) -> HttpResponse:
    """Any invoice, bill or credit note (the record registry's link): bills open on their own page."""
    invoice = access_invoice(user=request.user, company=request.company, id=pk)
    if not invoice.is_sales:
        return redirect(_detail_url(invoice))
    return _detail(request, invoice)


@company_view(perm=VIEW, module=ERP)
def bill_detail(request: HttpRequest, pk) -> HttpResponse:
    return _detail(request, _one(request, pk, Invoice.PURCHASE_KINDS))


# Forms


def _line_in(row: dict, kept: dict) -> InvoiceLineIn:
    replaced: InvoiceLine | None = kept.get(row.get("line_id") or "")
    return InvoiceLineIn(
        quantity=row["quantity"],
        unit_price=row["unit_price"],
        tax_rate=row["tax_rate"],
        product=row.get("product"),
        description=row.get("description") or "",
        account=row.get("account"),
        delivery_line=replaced.delivery_line if replaced else None,
        sales_return_line=replaced.sales_return_line if replaced else None,
        receipt_line=replaced.receipt_line if replaced else None,
    )


def _form_page(request: HttpRequest, sales: bool, invoice: Invoice | None) -> HttpResponse:
    area = _area(sales)
    u, c = request.user, request.company
    if invoice is not None and invoice.state not in (State.DRAFT, State.HELD):
        return redirect(_detail_url(invoice))
    header, lines = document_initial(invoice) if invoice else ({"invoice_date": timezone.localdate()}, [])
    credited = (
        invoices_visible(user=u, company=c, kinds=(Kind.CUSTOMER_INVOICE if sales else Kind.SUPPLIER_BILL,))
        .filter(state=State.POSTED)
        .select_related("partner")
        .order_by("-invoice_date", "-number")
    )
    form = DocumentForm(
        request.POST or None,
        kinds=area["kinds"],
        partners=partners_visible(user=u, company=c, kind=area["partner_kind"]),
        credited=credited,
        editing=invoice is not None,
        initial=header,
    )
    formset = DocumentLineFormSet(
        request.POST or None, initial=lines, form_kwargs={"company": c}, prefix="lines"
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = dict(form.cleaned_data)
            kept = {str(ln.pk): ln for ln in invoice.lines.all()} if invoice else {}
            rows = [_line_in(f.cleaned_data, kept) for f in formset.used_forms()]
            try:
                if invoice is None:
                    saved = invoice_services.invoice_create(
                        actor=u,
                        company=c,
                        kind=data["kind"],
                        partner=data["partner"],
                        invoice_date=data["invoice_date"],
                        lines=rows,
                        due_date=data["due_date"],
                        prices_include_tax=data["prices_include_tax"],
                        partner_reference=data["partner_reference"],
                        notes=data["notes"],
                        credited_invoice=data["credited_invoice"],
                    )
                else:
                    saved = invoice_services.invoice_update(
                        actor=u,
                        company=c,
                        invoice=invoice,
                        version=data["version"],
                        partner=data["partner"],
                        invoice_date=data["invoice_date"],
                        due_date=data["due_date"],
                        prices_include_tax=data["prices_include_tax"],
                        partner_reference=data["partner_reference"],
                        notes=data["notes"],
                        lines=rows,
                    )
            except DomainError as exc:
                if isinstance(exc, (NotFound, NotPermitted)):
                    return domain_error_page(request, exc)
                rest = formset.attach_errors(exc.fields)
                if rest or not exc.fields:
                    exc.fields = rest
                    attach_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(_detail_url(saved))
        status = 400
    if invoice is not None:
        title = _("Edit %(document)s") % {"document": invoice.number or invoice.get_kind_display()}
        back = _detail_url(invoice)
    else:
        title = _("New invoice") if sales else _("New bill")
        back = reverse(area["page"]("list"))
    ctx = {"form": form, "formset": formset, "title": title, "back_url": back}
    return render(request, "finance/documents/form.html", ctx, status=status)


@company_view(perm=MANAGE_INVOICE, module=ERP)
def invoice_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, True, None)


@company_view(perm=MANAGE_INVOICE, module=ERP)
def invoice_edit(request: HttpRequest, pk) -> HttpResponse:
    return _form_page(request, True, _one(request, pk, Invoice.SALES_KINDS))


@company_view(perm=MANAGE_INVOICE, module=ERP)
def bill_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, False, None)


@company_view(perm=MANAGE_INVOICE, module=ERP)
def bill_edit(request: HttpRequest, pk) -> HttpResponse:
    return _form_page(request, False, _one(request, pk, Invoice.PURCHASE_KINDS))


# Buttons


def _access_sales(*, user, company, id) -> Invoice:
    return _of_kinds(access_invoice(user=user, company=company, id=id), Invoice.SALES_KINDS)


def _access_purchase(*, user, company, id) -> Invoice:
    return _of_kinds(access_invoice(user=user, company=company, id=id), Invoice.PURCHASE_KINDS)


def _button(access_one, service, param: str, detail: str, done) -> Any:
    return document_action(
        access_one=access_one, service=service, param=param, detail=detail, module=ERP, done=done
    )


invoice_post = _button(
    _access_sales, invoice_services.invoice_post, "invoice", "finance:invoice_detail", lambda: _("Posted.")
)
invoice_cancel = _button(
    _access_sales,
    invoice_services.invoice_cancel,
    "invoice",
    "finance:invoice_detail",
    lambda: _("Cancelled."),
)
bill_cancel = _button(
    _access_purchase,
    invoice_services.invoice_cancel,
    "invoice",
    "finance:bill_detail",
    lambda: _("Cancelled."),
)
bill_release = _button(
    _access_purchase,
    invoice_services.bill_release,
    "bill",
    "finance:bill_detail",
    lambda: _("Released and posted."),
)


@require_POST
@company_view(module=ERP)
def bill_post(request: HttpRequest, pk) -> HttpResponse:
    """Post, or hold: a bill the three-way match stops says why on its page."""
    bill = _access_purchase(user=request.user, company=request.company, id=pk)
    held: list[Invoice] = []

    def post() -> None:
        held.append(invoice_services.invoice_post(actor=request.user, company=request.company, invoice=bill))

    response = run_action(request, post, reverse("finance:bill_detail", args=[pk]))
    if held and held[0].state == State.HELD:
        messages.warning(request, _("Held: %(reason)s") % {"reason": held[0].hold_reason})
    elif held:
        messages.success(request, _("Posted."))
    return response


urlpatterns = [
    path("invoices/", invoice_list, name="invoice_list"),
    path("invoices/new/", invoice_new, name="invoice_new"),
    path("invoices/new/by-hand/", invoice_create, name="invoice_create"),
    path("invoices/from-delivery/<uuid:pk>/", invoice_from_delivery, name="invoice_from_delivery"),
    path("invoices/from-return/<uuid:pk>/", invoice_from_return, name="invoice_from_return"),
    path("invoices/<uuid:pk>/", invoice_detail, name="invoice_detail"),
    path("invoices/<uuid:pk>/edit/", invoice_edit, name="invoice_edit"),
    path("invoices/<uuid:pk>/post/", invoice_post, name="invoice_post"),
    path("invoices/<uuid:pk>/cancel/", invoice_cancel, name="invoice_cancel"),
    path("bills/", bill_list, name="bill_list"),
    path("bills/new/", bill_new, name="bill_new"),
    path("bills/new/by-hand/", bill_create, name="bill_create"),
    path("bills/from-receipt/<uuid:pk>/", bill_from_receipt, name="bill_from_receipt"),
    path("bills/<uuid:pk>/", bill_detail, name="bill_detail"),
    path("bills/<uuid:pk>/edit/", bill_edit, name="bill_edit"),
    path("bills/<uuid:pk>/post/", bill_post, name="bill_post"),
    path("bills/<uuid:pk>/release/", bill_release, name="bill_release"),
    path("bills/<uuid:pk>/cancel/", bill_cancel, name="bill_cancel"),
]

register_nav(
    NavItem("finance", gettext_lazy("Invoices"), "finance:invoice_list", VIEW, module=ERP, order=20),
    NavItem("finance", gettext_lazy("Bills"), "finance:bill_list", VIEW, module=ERP, order=30),
)
