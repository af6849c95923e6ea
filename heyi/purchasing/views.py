"""Purchasing pages (ERP module): lists, detail pages with lines and actions, forms with lines."""

from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.approvals.selectors_documents import approval_of_document
from heyi.inventory.access import access_stock_alert
from heyi.inventory.models import StockAlert
from heyi.inventory.selectors import stock_alert_list
from heyi.platform import modules
from heyi.platform.access import has_perm, require_perm
from heyi.platform.errors import DomainError
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
    run_action,
)

from . import access, selectors
from .approval import ORDER, REQUISITION
from .forms import (
    InspectionLineForm,
    OrderForm,
    OrderLineForm,
    ReceiptForm,
    ReceiptLineForm,
    RequisitionForm,
    RequisitionLineForm,
    ReturnForm,
    ReturnLineForm,
    SettingsForm,
)
from .models import PurchaseOrder, PurchaseRequisition, PurchaseReturn, Receipt
from .permissions import CONFIRM_ORDER, INSPECT, MANAGE_ORDER, MANAGE_REQUISITION, RECEIVE, VIEW
from .services import orders, receipts, requisitions
from .services.settings import purchasing_settings_update

ERP = modules.ERP


def _q(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _post(url: str, label: Any, css: str = "") -> dict:
    return {"label": label, "url": url, "method": "post", "css": css}


def _approval_sections(request: HttpRequest, document_type: str, document: Any) -> list[dict]:
    """The document's latest approval request and its decisions, when it went through one."""
    approval = approval_of_document(request.company, document_type, document.pk)
    if approval is None:
        return []
    return [{"title": _("Approval"), "template": "approvals/_document_approval.html", "approval": approval}]


class LineFormSet(django_forms.BaseFormSet):
    def __init__(self, *args, company=None, **kwargs):
        self.company = company
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"company": self.company} if self.company is not None else {}


def _formset(form_class, request: HttpRequest, initial: list[dict], extra: int, company_arg: bool = True):
    cls = django_forms.formset_factory(form_class, formset=LineFormSet, extra=extra, max_num=500)
    return cls(
        request.POST or None,
        initial=initial,
        prefix="lines",
        company=request.company if company_arg else None,
    )


def _document_form(
    request: HttpRequest,
    *,
    title: Any,
    header,
    formset,
    rows: list[dict] | None,
    row_labels: list,
    save,
    back_url: str,
    intro: Any = "",
) -> HttpResponse:
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if header.is_valid() and formset.is_valid():
            try:
                result = save(
                    header.cleaned_data,
                    [f.cleaned_data for f in formset.forms if f.has_changed() or f.initial],
                )
            except DomainError as exc:
                if exc.status in (403, 404):
                    return domain_error_page(request, exc)
                attach_errors(header, exc)
                errors = [str(e) for errs in exc.fields.values() for e in errs if exc.fields] or []
            else:
                messages.success(request, _("Saved."))
                return redirect(result)
        status = 400
    rows = rows or [{"cells": [], "form": f} for f in formset.forms]
    for row, form in zip(rows, formset.forms, strict=False):
        row["form"] = form
    return render(
        request,
        "purchasing/document_form.html",
        {
            "title": title,
            "header": header,
            "formset": formset,
            "rows": rows,
            "row_labels": row_labels,
            "back_url": back_url,
            "errors": errors,
            "intro": intro,
        },
        status=status,
    )


# Requisitions


@company_view(perm=MANAGE_REQUISITION, module=ERP)
def requisition_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.requisition_list(user=request.user, company=request.company)
    can_order = has_perm(request.user, request.company, MANAGE_ORDER)
    spec = ListSpec(
        title=_("Purchase requisitions"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("owner", _("Requester")),
            Column("source", _("Source"), value=lambda r: r.get_source_display()),
            Column("status", _("Status"), value=lambda r: r.get_status_display()),
            Column("lines", _("Lines"), value=lambda r: r.lines.count(), numeric=True),
            Column("created_at", _("Created")),
        ],
        search_fields=("number", "notes"),
        ordering_fields=("number", "created_at", "status"),
        filters=[
            Filter("status", _("Status"), PurchaseRequisition.Status.choices),
            Filter("source", _("Source"), PurchaseRequisition.Source.choices),
        ],
        create_url=reverse("purchasing:requisition_create"),
        export_name="purchase-requisitions",
        row_url=lambda r: reverse("purchasing:requisition_detail", args=[r.pk]),
        extra={"can_order": can_order},
    )
    return list_page(request, qs, spec)


def _requisition_save(request: HttpRequest, requisition: PurchaseRequisition | None):
    def save(header: dict, lines: list[dict]) -> str:
        items = [
            requisitions.RequisitionLineIn(
                product=line["product"],
                quantity=line["quantity"],
                unit=line.get("unit"),
                needed_by=line.get("needed_by"),
                supplier=line.get("supplier"),
                reason=line.get("reason", ""),
            )
            for line in lines
            if line.get("product")
        ]
        if requisition is None:
            done = requisitions.purchase_requisition_create(
                actor=request.user, company=request.company, lines=items, notes=header["notes"]
            )
        else:
            done = requisitions.purchase_requisition_update(
                actor=request.user,
                company=request.company,
                requisition=requisition,
                data={"notes": header["notes"]},
                lines=items,
                version=header.get("version"),
            )
        return reverse("purchasing:requisition_detail", args=[done.pk])

    return save


REQ_LABELS: list = []


@company_view(perm=MANAGE_REQUISITION, module=ERP)
def requisition_create(request: HttpRequest) -> HttpResponse:
    return _document_form(
        request,
        title=_("New purchase requisition"),
        header=RequisitionForm(request.company, request.POST or None),
        formset=_formset(RequisitionLineForm, request, [], extra=5),
        rows=None,
        row_labels=REQ_LABELS,
        save=_requisition_save(request, None),
        back_url=reverse("purchasing:requisition_list"),
    )


@company_view(perm=MANAGE_REQUISITION, module=ERP)
def requisition_edit(request: HttpRequest, pk) -> HttpResponse:
    requisition = access.access_requisition(user=request.user, company=request.company, id=pk)
    initial = [
        {
            "product": line.product_id,
            "quantity": line.quantity,
            "unit": line.unit_id,
            "needed_by": line.needed_by,
            "supplier": line.supplier_id,
            "reason": line.reason,
        }
        for line in requisition.lines.all()
    ]
    return _document_form(
        request,
        title=_("Edit %(number)s") % {"number": requisition.number},
        header=RequisitionForm(
            request.company,
            request.POST or None,
            initial={"notes": requisition.notes, "version": requisition.version},
        ),
        formset=_formset(RequisitionLineForm, request, initial, extra=2),
        rows=None,
        row_labels=REQ_LABELS,
        save=_requisition_save(request, requisition),
        back_url=reverse("purchasing:requisition_detail", args=[pk]),
    )


@company_view(perm=MANAGE_REQUISITION, module=ERP)
def requisition_detail(request: HttpRequest, pk) -> HttpResponse:
    requisition = access.access_requisition(user=request.user, company=request.company, id=pk)
    status = requisition.status
    actions = []
    if status == PurchaseRequisition.Status.DRAFT:
        actions.append(_post(reverse("purchasing:requisition_submit", args=[pk]), _("Submit"), "is-primary"))
    if status == PurchaseRequisition.Status.APPROVED and has_perm(
        request.user, request.company, MANAGE_ORDER
    ):
        actions.append(
            _post(
                reverse("purchasing:requisition_order", args=[pk]), _("Create purchase order"), "is-primary"
            )
        )
    if PurchaseRequisition.Status.CANCELLED in PurchaseRequisition.TRANSITIONS[status]:
        actions.append(_post(reverse("purchasing:requisition_cancel", args=[pk]), _("Cancel"), "is-warning"))
    rows = []
    for line in requisition.lines.select_related("product", "unit", "supplier", "order_line__order"):
        best = (
            selectors.best_supplier_price(request.company, line.product) if line.supplier_id is None else None
        )
        rows.append(
            [
                line.product,
                line.reason,
                line.needed_by,
                line.supplier or (f"{best.supplier_name} ({_('Best recent price')})" if best else ""),
                (best.unit_price_in(line.unit, line.product) if best else line.unit_price),
                f"{_q(line.quantity)} {line.unit}",
                line.order_line.order.number if line.order_line_id else "",
            ]
        )
    return detail_page(
        request,
        obj=requisition,
        title=f"{_('Purchase requisition')} {requisition.number}",
        fields=[
            (_("Number"), requisition.number),
            (_("Requester"), requisition.owner),
            (_("Source"), requisition.get_source_display()),
            (_("Status"), requisition.get_status_display()),
            (_("Submitted at"), requisition.submitted_at),
            (_("Notes"), requisition.notes),
        ],
        actions=actions,
        edit_url=reverse("purchasing:requisition_edit", args=[pk]) if status == "draft" else None,
        back_url=reverse("purchasing:requisition_list"),
        sections=[
            {
                "title": _("Lines"),
                "template": "purchasing/_lines.html",
                "headers": [
                    _("Product"),
                    _("Reason"),
                    _("Needed by"),
                    _("Supplier"),
                    _("Unit price (excl. tax)"),
                    _("Quantity"),
                    _("Purchase order"),
                ],
                "text_columns": 4,
                "rows": rows,
            },
            *_approval_sections(request, REQUISITION, requisition),
        ],
    )


@require_POST
@company_view(perm=MANAGE_REQUISITION, module=ERP)
def requisition_submit(request: HttpRequest, pk) -> HttpResponse:
    requisition = access.access_requisition(user=request.user, company=request.company, id=pk)
    return run_action(
        request,
        lambda: requisitions.purchase_requisition_submit(
            actor=request.user, company=request.company, requisition=requisition
        ),
        reverse("purchasing:requisition_detail", args=[pk]),
    )


@require_POST
@company_view(perm=MANAGE_REQUISITION, module=ERP)
def requisition_cancel(request: HttpRequest, pk) -> HttpResponse:
    requisition = access.access_requisition(user=request.user, company=request.company, id=pk)
    return run_action(
        request,
        lambda: requisitions.purchase_requisition_cancel(
            actor=request.user, company=request.company, requisition=requisition
        ),
        reverse("purchasing:requisition_detail", args=[pk]),
    )


@require_POST
@company_view(perm=MANAGE_ORDER, module=ERP)
def requisition_order(request: HttpRequest, pk) -> HttpResponse:
    requisition = access.access_requisition(user=request.user, company=request.company, id=pk)
    made: list = []

    def run():
        made.extend(
            orders.purchase_order_from_requisitions(
                actor=request.user, company=request.company, requisitions=[requisition]
            )
        )

    response = run_action(request, run, reverse("purchasing:requisition_detail", args=[pk]))
    if len(made) == 1:
        return redirect("purchasing:order_detail", pk=made[0].pk)
    if made:
        return redirect("purchasing:order_list")
    return response


@require_POST
@company_view(perm=MANAGE_ORDER, module=ERP)
def order_from_requisitions(request: HttpRequest) -> HttpResponse:
    found = [
        access.access_requisition(user=request.user, company=request.company, id=pk)
        for pk in request.POST.getlist("requisition")[:100]
    ]
    return run_action(
        request,
        lambda: orders.purchase_order_from_requisitions(
            actor=request.user, company=request.company, requisitions=found
        ),
        reverse("purchasing:order_list"),
    )


# Orders


@company_view(perm=VIEW, module=ERP)
def order_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.order_list(user=request.user, company=request.company)
    spec = ListSpec(
        title=_("Purchase orders"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("supplier", _("Supplier"), link=True),
            Column("order_date", _("Order date")),
            Column("expected_date", _("Expected date")),
            Column("status", _("Status"), value=lambda o: o.get_status_display()),
            Column("total_net", _("Total excl. tax"), numeric=True),
            Column("total_gross", _("Total incl. tax"), numeric=True),
            Column("owner", _("Buyer")),
        ],
        search_fields=("number", "supplier__name", "supplier__mnemonic", "notes"),
        ordering_fields=("number", "order_date", "total_gross", "created_at"),
        filters=[Filter("status", _("Status"), PurchaseOrder.Status.choices)],
        create_url=reverse("purchasing:order_create")
        if has_perm(request.user, request.company, MANAGE_ORDER)
        else None,
        export_name="purchase-orders",
        row_url=lambda o: reverse("purchasing:order_detail", args=[o.pk]),
    )
    return list_page(request, qs, spec)


def _order_save(request: HttpRequest, order: PurchaseOrder | None):
    def save(header: dict, lines: list[dict]) -> str:
        items = [
            orders.OrderLineIn(
                product=line["product"],
                quantity=line["quantity"],
                unit=line.get("unit"),
                unit_price=line.get("unit_price"),
                tax_rate=line.get("tax_rate"),
            )
            for line in lines
            if line.get("product")
        ]
        data = {k: header[k] for k in ("supplier", "order_date", "expected_date", "warehouse", "notes")}
        if order is None:
            done = orders.purchase_order_create(
                actor=request.user, company=request.company, lines=items, **data
            )
        else:
            if data["order_date"] is None:
                data.pop("order_date")
            done = orders.purchase_order_update(
                actor=request.user,
                company=request.company,
                order=order,
                data=data,
                lines=items,
                version=header.get("version"),
            )
        return reverse("purchasing:order_detail", args=[done.pk])

    return save


@company_view(perm=MANAGE_ORDER, module=ERP)
def order_create(request: HttpRequest) -> HttpResponse:
    return _document_form(
        request,
        title=_("New purchase order"),
        header=OrderForm(request.company, request.POST or None),
        formset=_formset(OrderLineForm, request, [], extra=5),
        rows=None,
        row_labels=[],
        save=_order_save(request, None),
        back_url=reverse("purchasing:order_list"),
    )


@company_view(perm=MANAGE_ORDER, module=ERP)
def order_edit(request: HttpRequest, pk) -> HttpResponse:
    order = access.access_order(user=request.user, company=request.company, id=pk)
    initial = [
        {
            "product": line.product_id,
            "quantity": line.quantity,
            "unit": line.unit_id,
            "unit_price": line.unit_price,
            "tax_rate": str(line.tax_rate.quantize(Decimal("0.01"))),
        }
        for line in order.lines.all()
    ]
    header = OrderForm(
        request.company,
        request.POST or None,
        initial={
            "supplier": order.supplier_id,
            "order_date": order.order_date,
            "expected_date": order.expected_date,
            "warehouse": order.warehouse_id,
            "notes": order.notes,
            "version": order.version,
        },
    )
    return _document_form(
        request,
        title=_("Edit %(number)s") % {"number": order.number},
        header=header,
        formset=_formset(OrderLineForm, request, initial, extra=2),
        rows=None,
        row_labels=[],
        save=_order_save(request, order),
        back_url=reverse("purchasing:order_detail", args=[pk]),
    )


@company_view(perm=VIEW, module=ERP)
def order_detail(request: HttpRequest, pk) -> HttpResponse:
    order = access.access_order(user=request.user, company=request.company, id=pk)
    user, company, status = request.user, request.company, order.status
    actions = []
    if status == PurchaseOrder.Status.DRAFT and has_perm(user, company, CONFIRM_ORDER):
        actions.append(_post(reverse("purchasing:order_confirm", args=[pk]), _("Confirm"), "is-primary"))
    if status in PurchaseOrder.RECEIVABLE and has_perm(user, company, RECEIVE):
        actions.append(
            {
                "label": _("Receive goods"),
                "url": reverse("purchasing:receipt_create", args=[pk]),
                "css": "is-primary",
            }
        )
    if PurchaseOrder.Status.CLOSED in PurchaseOrder.TRANSITIONS[status] and has_perm(
        user, company, CONFIRM_ORDER
    ):
        actions.append(_post(reverse("purchasing:order_close", args=[pk]), _("Close")))
    if PurchaseOrder.Status.CANCELLED in PurchaseOrder.TRANSITIONS[status] and has_perm(
        user, company, MANAGE_ORDER
    ):
        actions.append(_post(reverse("purchasing:order_cancel", args=[pk]), _("Cancel"), "is-warning"))
    lines = [
        [
            line.position,
            line.product,
            f"{_q(line.quantity)} {line.unit}",
            _q(line.received_quantity),
            line.unit_price.normalize(),
            f"{(line.tax_rate * 100).normalize():f}%",
            line.net_amount,
            line.tax_amount,
            line.gross_amount,
        ]
        for line in order.lines.select_related("product", "unit")
    ]
    receipt_rows = [
        [r.number, r.received_date, r.get_status_display()]
        for r in order.receipts.all().order_by("created_at")
    ]
    return detail_page(
        request,
        obj=order,
        title=f"{_('Purchase order')} {order.number}",
        fields=[
            (_("Number"), order.number),
            (_("Supplier"), order.supplier),
            (_("Status"), order.get_status_display()),
            (_("Order date"), order.order_date),
            (_("Expected date"), order.expected_date),
            (_("Receiving warehouse"), order.warehouse),
            (_("Buyer"), order.owner),
            (_("Notes"), order.notes),
        ],
        actions=actions,
        edit_url=reverse("purchasing:order_edit", args=[pk])
        if status == "draft" and has_perm(user, company, MANAGE_ORDER)
        else None,
        back_url=reverse("purchasing:order_list"),
        sections=[
            {
                "title": _("Lines"),
                "template": "purchasing/_lines.html",
                "headers": [
                    "#",
                    _("Product"),
                    _("Quantity"),
                    _("Received"),
                    _("Unit price (excl. tax)"),
                    _("VAT rate"),
                    _("Amount excl. tax"),
                    _("Tax"),
                    _("Amount incl. tax"),
                ],
                "text_columns": 2,
                "rows": lines,
                "totals": [
                    (_("Total excl. tax"), order.total_net),
                    (_("Tax"), order.total_tax),
                    (_("Total incl. tax"), order.total_gross),
                ],
            },
            {
                "title": _("Goods receipts"),
                "template": "purchasing/_lines.html",
                "headers": [_("Number"), _("Received on"), _("Status")],
                "text_columns": 3,
                "rows": receipt_rows,
                "links": [
                    (r.number, reverse("purchasing:receipt_detail", args=[r.pk]))
                    for r in order.receipts.all()
                ],
            },
            *_approval_sections(request, ORDER, order),
        ],
    )


def _order_action(service):
    return document_action(
        access_one=access.access_order,
        service=service,
        param="order",
        detail="purchasing:order_detail",
        perm=VIEW,
        module=ERP,
    )


order_confirm = _order_action(orders.purchase_order_confirm)
order_cancel = _order_action(orders.purchase_order_cancel)
order_close = _order_action(orders.purchase_order_close)


# Receipts


@company_view(perm=VIEW, module=ERP)
def receipt_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.receipt_list(user=request.user, company=request.company)
    spec = ListSpec(
        title=_("Goods receipts"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("order__number", _("Purchase order")),
            Column("supplier", _("Supplier")),
            Column("received_date", _("Received on")),
            Column("status", _("Status"), value=lambda r: r.get_status_display()),
        ],
        search_fields=("number", "order__number", "supplier__name", "delivery_note"),
        ordering_fields=("number", "received_date", "created_at"),
        filters=[Filter("status", _("Status"), Receipt.Status.choices)],
        export_name="goods-receipts",
        row_url=lambda r: reverse("purchasing:receipt_detail", args=[r.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=RECEIVE, module=ERP)
def receipt_create(request: HttpRequest, pk) -> HttpResponse:
    order = access.access_order(user=request.user, company=request.company, id=pk)
    order_lines = list(order.lines.select_related("product", "unit"))
    initial = [
        {"order_line": str(line.pk), "quantity": line.outstanding, "warehouse": order.warehouse_id}
        for line in order_lines
    ]
    rows = [
        {"cells": [line.product, f"{_q(line.quantity)} {line.unit}", _q(line.received_quantity)]}
        for line in order_lines
    ]
    by_pk = {str(line.pk): line for line in order_lines}

    def save(header: dict, lines: list[dict]) -> str:
        items = [
            receipts.ReceiptLineIn(
                order_line=by_pk[line["order_line"]],
                quantity=line["quantity"],
                warehouse=line.get("warehouse"),
                batch_code=line.get("batch_code", ""),
                expiry_date=line.get("expiry_date"),
            )
            for line in lines
            if line.get("order_line") in by_pk and line.get("quantity")
        ]
        done = receipts.receipt_create(
            actor=request.user, company=request.company, order=order, lines=items, **header
        )
        return reverse("purchasing:receipt_detail", args=[done.pk])

    return _document_form(
        request,
        title=_("Receive goods for %(number)s") % {"number": order.number},
        header=ReceiptForm(request.POST or None),
        formset=_formset(ReceiptLineForm, request, initial, extra=0),
        rows=rows,
        row_labels=[_("Product"), _("Ordered"), _("Received")],
        save=save,
        back_url=reverse("purchasing:order_detail", args=[pk]),
    )


@company_view(perm=VIEW, module=ERP)
def receipt_detail(request: HttpRequest, pk) -> HttpResponse:
    receipt = access.access_receipt(user=request.user, company=request.company, id=pk)
    user, company = request.user, request.company
    open_ = receipt.status in (Receipt.Status.DRAFT, Receipt.Status.INSPECTED)
    actions = []
    if open_ and has_perm(user, company, INSPECT):
        actions.append({"label": _("Inspect"), "url": reverse("purchasing:receipt_inspect", args=[pk])})
    if open_ and has_perm(user, company, RECEIVE):
        actions.append(
            _post(reverse("purchasing:receipt_confirm", args=[pk]), _("Confirm receipt"), "is-primary")
        )
        actions.append(_post(reverse("purchasing:receipt_cancel", args=[pk]), _("Cancel"), "is-warning"))
    if receipt.status == Receipt.Status.CONFIRMED and has_perm(user, company, MANAGE_ORDER):
        actions.append(
            {"label": _("Return to supplier"), "url": reverse("purchasing:return_create", args=[pk])}
        )
    rows = [
        [
            line.product,
            line.warehouse,
            line.batch_code,
            line.expiry_date,
            f"{_q(line.quantity)} {line.unit}",
            _q(line.accepted_quantity),
            _q(line.rejected_quantity),
            line.rejection_reason,
            _q(line.returned_quantity),
        ]
        for line in receipt.lines.select_related("product", "unit", "warehouse")
    ]
    return detail_page(
        request,
        obj=receipt,
        title=f"{_('Goods receipt')} {receipt.number}",
        fields=[
            (_("Number"), receipt.number),
            (_("Purchase order"), receipt.order.number),
            (_("Supplier"), receipt.supplier),
            (_("Received on"), receipt.received_date),
            (_("Status"), receipt.get_status_display()),
            (_("Supplier delivery note"), receipt.delivery_note),
            (_("Notes"), receipt.notes),
        ],
        actions=actions,
        back_url=reverse("purchasing:receipt_list"),
        sections=[
            {
                "title": _("Lines"),
                "template": "purchasing/_lines.html",
                "headers": [
                    _("Product"),
                    _("Warehouse"),
                    _("Batch"),
                    _("Expiry date"),
                    _("Quantity"),
                    _("Accepted"),
                    _("Rejected"),
                    _("Rejection reason"),
                    _("Returned"),
                ],
                "text_columns": 4,
                "rows": rows,
                "links": [
                    (receipt.order.number, reverse("purchasing:order_detail", args=[receipt.order_id]))
                ],
            }
        ],
    )


@company_view(perm=INSPECT, module=ERP)
def receipt_inspect(request: HttpRequest, pk) -> HttpResponse:
    receipt = access.access_receipt(user=request.user, company=request.company, id=pk)
    lines = list(receipt.lines.select_related("product", "unit"))
    initial = [
        {
            "line": str(line.pk),
            "accepted": line.quantity if line.accepted_quantity is None else line.accepted_quantity,
            "rejected": line.rejected_quantity or 0,
            "reason": line.rejection_reason,
        }
        for line in lines
    ]
    by_pk = {str(line.pk): line for line in lines}

    def save(header: dict, results: list[dict]) -> str:
        items = [
            receipts.InspectionIn(by_pk[r["line"]], r["accepted"], r["rejected"], r.get("reason", ""))
            for r in results
            if r.get("line") in by_pk
        ]
        receipts.receipt_inspect(actor=request.user, company=request.company, receipt=receipt, results=items)
        return reverse("purchasing:receipt_detail", args=[pk])

    return _document_form(
        request,
        title=_("Inspect %(number)s") % {"number": receipt.number},
        header=django_forms.Form(request.POST or None),
        formset=_formset(InspectionLineForm, request, initial, extra=0, company_arg=False),
        rows=[{"cells": [line.product, f"{_q(line.quantity)} {line.unit}"]} for line in lines],
        row_labels=[_("Product"), _("Received")],
        save=save,
        back_url=reverse("purchasing:receipt_detail", args=[pk]),
        intro=_("Accepted and rejected quantities must add up to the quantity received."),
    )


def _receipt_action(service):
    return document_action(
        access_one=access.access_receipt,
        service=service,
        param="receipt",
        detail="purchasing:receipt_detail",
        perm=VIEW,
        module=ERP,
    )


receipt_confirm = _receipt_action(receipts.receipt_confirm)
receipt_cancel = _receipt_action(receipts.receipt_cancel)


# Returns


@company_view(perm=MANAGE_ORDER, module=ERP)
def return_create(request: HttpRequest, pk) -> HttpResponse:
    receipt = access.access_receipt(user=request.user, company=request.company, id=pk)
    lines = list(receipt.lines.select_related("product", "unit", "warehouse"))
    initial = [
        {"receipt_line": str(line.pk), "quantity": None, "from_quarantine": bool(line.rejected_quantity)}
        for line in lines
    ]
    by_pk = {str(line.pk): line for line in lines}

    def save(header: dict, items: list[dict]) -> str:
        done = receipts.purchase_return_create(
            actor=request.user,
            company=request.company,
            receipt=receipt,
            lines=[
                receipts.ReturnLineIn(by_pk[i["receipt_line"]], i["quantity"], bool(i.get("from_quarantine")))
                for i in items
                if i.get("receipt_line") in by_pk and i.get("quantity")
            ],
            **header,
        )
        return reverse("purchasing:return_detail", args=[done.pk])

    return _document_form(
        request,
        title=_("Return goods of %(number)s") % {"number": receipt.number},
        header=ReturnForm(request.POST or None),
        formset=_formset(ReturnLineForm, request, initial, extra=0, company_arg=False),
        rows=[
            {
                "cells": [
                    line.product,
                    line.warehouse,
                    _q((line.accepted_quantity or 0) - line.returned_accepted),
                    _q((line.rejected_quantity or 0) - line.returned_rejected),
                ]
            }
            for line in lines
        ],
        row_labels=[
            _("Product"),
            _("Warehouse"),
            _("Returnable from stock"),
            _("Returnable from quarantine"),
        ],
        save=save,
        back_url=reverse("purchasing:receipt_detail", args=[pk]),
    )


@company_view(perm=VIEW, module=ERP)
def return_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.return_list(user=request.user, company=request.company)
    spec = ListSpec(
        title=_("Purchase returns"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("receipt__number", _("Goods receipt")),
            Column("supplier", _("Supplier")),
            Column("return_date", _("Return date")),
            Column("status", _("Status"), value=lambda r: r.get_status_display()),
            Column("reason", _("Reason")),
        ],
        search_fields=("number", "reason", "supplier__name"),
        ordering_fields=("number", "return_date", "created_at"),
        filters=[Filter("status", _("Status"), PurchaseReturn.Status.choices)],
        export_name="purchase-returns",
        row_url=lambda r: reverse("purchasing:return_detail", args=[r.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW, module=ERP)
def return_detail(request: HttpRequest, pk) -> HttpResponse:
    found = access.access_return(user=request.user, company=request.company, id=pk)
    actions = []
    if found.status == PurchaseReturn.Status.DRAFT:
        if has_perm(request.user, request.company, RECEIVE):
            actions.append(_post(reverse("purchasing:return_ship", args=[pk]), _("Ship"), "is-primary"))
        actions.append(_post(reverse("purchasing:return_cancel", args=[pk]), _("Cancel"), "is-warning"))
    rows = [
        [
            line.product,
            line.warehouse,
            _("yes") if line.from_quarantine else "",
            f"{_q(line.quantity)} {line.unit}",
        ]
        for line in found.lines.select_related("product", "unit", "warehouse")
    ]
    return detail_page(
        request,
        obj=found,
        title=f"{_('Purchase return')} {found.number}",
        fields=[
            (_("Number"), found.number),
            (_("Goods receipt"), found.receipt.number),
            (_("Supplier"), found.supplier),
            (_("Return date"), found.return_date),
            (_("Status"), found.get_status_display()),
            (_("Reason"), found.reason),
        ],
        actions=actions,
        back_url=reverse("purchasing:return_list"),
        sections=[
            {
                "title": _("Lines"),
                "template": "purchasing/_lines.html",
                "headers": [_("Product"), _("Warehouse"), _("From quarantine"), _("Quantity")],
                "text_columns": 3,
                "rows": rows,
            }
        ],
    )


def _return_action(service):
    return document_action(
        access_one=access.access_return,
        service=service,
        param="purchase_return",
        detail="purchasing:return_detail",
        perm=VIEW,
        module=ERP,
    )


return_ship = _return_action(receipts.purchase_return_ship)
return_cancel = _return_action(receipts.purchase_return_cancel)


# Supplier prices, reorder suggestions, settings


@company_view(perm=VIEW, module=ERP)
def price_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.supplier_price_list(user=request.user, company=request.company)
    spec = ListSpec(
        title=_("Supplier prices"),
        columns=[
            Column("date", _("Date")),
            Column("supplier", _("Supplier")),
            Column("product__sku", _("SKU")),
            Column("product__name", _("Product")),
            Column("unit_price", _("Unit price (excl. tax)"), numeric=True),
            Column("unit", _("Unit")),
            Column("quantity", _("Quantity"), numeric=True),
            Column("order__number", _("Purchase order")),
        ],
        search_fields=(
            "supplier__name",
            "supplier__mnemonic",
            "product__sku",
            "product__name",
            "product__mnemonic",
        ),
        ordering_fields=("date", "unit_price", "created_at"),
        default_ordering="-date",
        export_name="supplier-prices",
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW, module=ERP)
def alert_list(request: HttpRequest) -> HttpResponse:
    """Open low-stock alerts, each with the quantity a requisition would propose."""
    alerts = list(
        stock_alert_list(user=request.user, company=request.company, state=StockAlert.State.OPEN).order_by(
            "created_at"
        )[:500]
    )
    can_request = has_perm(request.user, request.company, MANAGE_REQUISITION)
    rows = [
        {
            "alert": alert,
            "proposed": _q(
                requisitions.proposed_reorder_quantity(alert.product, alert.available, alert.safety_stock)
            ),
            "best": selectors.best_supplier_price(request.company, alert.product),
        }
        for alert in alerts
    ]
    return render(
        request,
        "purchasing/alerts.html",
        {"title": _("Reorder suggestions"), "rows": rows, "can_request": can_request},
    )


@require_POST
@company_view(perm=MANAGE_REQUISITION, module=ERP)
def alert_requisition(request: HttpRequest, pk) -> HttpResponse:
    alert = access_stock_alert(user=request.user, company=request.company, id=pk)
    made: list = []

    def run():
        made.append(
            requisitions.purchase_requisition_from_alert(
                actor=request.user, company=request.company, alert=alert
            )
        )

    response = run_action(request, run, reverse("purchasing:alert_list"))
    return redirect("purchasing:requisition_detail", pk=made[0].pk) if made else response


@company_view(perm=CONFIRM_ORDER, module=ERP)
def settings_edit(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, request.company, CONFIRM_ORDER)
    current = selectors.purchasing_settings(request.company)
    return form_page(
        request,
        form=SettingsForm(
            request.POST or None,
            initial={"over_receipt_tolerance": current.over_receipt_tolerance, "version": current.version},
        ),
        title=_("Purchasing settings"),
        on_valid=lambda data: purchasing_settings_update(
            actor=request.user,
            company=request.company,
            over_receipt_tolerance=data["over_receipt_tolerance"],
            version=data.get("version") if current.pk else None,
        ),
        success_url=lambda _s: reverse("purchasing:settings_edit"),
        back_url=reverse("purchasing:order_list"),
    )
