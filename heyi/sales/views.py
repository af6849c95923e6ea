"""Sales pages (ERP module): orders, deliveries, returns and the gross margin report."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from heyi.inventory.selectors import stock_warehouses
from heyi.partners.access import CUSTOMER, partners_visible
from heyi.platform import access as platform_access
from heyi.platform import modules
from heyi.platform.errors import DomainError, NotFound, NotPermitted
from heyi.platform.models import Role, User
from heyi.platform.permissions import MANAGE_COMPANY
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
)

from . import selectors
from .access import access_delivery, access_sales_order, access_sales_return
from .forms import LineFormSet, OrderForm, QuantitiesForm, SettingsForm, ShipForm, order_initial
from .models import Delivery, DeliveryLine, SalesOrder, SalesOrderLine, SalesReturn
from .permissions import CONFIRM_ORDER, MANAGE_ORDER, MANAGE_RETURN, SHIP_DELIVERY, VIEW_ORDER
from .services import deliveries as delivery_services
from .services import orders as order_services
from .services import returns as return_services
from .services.common import sales_settings

ERP = modules.ERP


def _can(request: HttpRequest, perm: str) -> bool:
    return platform_access.has_perm(request.user, request.company, perm)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _qty(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _order_url(order) -> str:
    return reverse("sales:order_detail", args=[order.pk])


def _delivery_url(delivery) -> str:
    return reverse("sales:delivery_detail", args=[delivery.pk])


def _return_url(sales_return) -> str:
    return reverse("sales:return_detail", args=[sales_return.pk])


# Orders


@company_view(perm=VIEW_ORDER, module=ERP)
def order_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.order_list(user=request.user, company=request.company, q=request.GET.get("q", ""))
    people = User.objects.filter(pk__in=qs.values("owner_id")).order_by("username")
    spec = ListSpec(
        title=_("Sales orders"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("order_date", _("Order date")),
            Column("customer", _("Customer"), value=lambda o: o.customer.name, link=True),
            Column("owner", _("Salesperson"), value=lambda o: str(o.owner)),
            Column("state", _("State"), value=lambda o: o.get_state_display()),
            Column("untaxed_amount", _("Amount excl. tax"), numeric=True),
            Column("total_amount", _("Total"), numeric=True),
        ],
        ordering_fields=("number", "order_date", "total_amount", "created_at", "state"),
        default_ordering="-order_date",
        filters=[
            Filter("state", _("State"), SalesOrder.State.choices),
            Filter("owner", _("Salesperson"), [(str(u.pk), str(u)) for u in people], lookup="owner"),
        ],
        create_url=reverse("sales:order_create") if _can(request, MANAGE_ORDER) else None,
        export_name="sales-orders",
        row_url=_order_url,
    )
    return list_page(request, qs, spec)


def _can_assign(request: HttpRequest) -> bool:
    scope = platform_access.grants(request.user, request.company).scope_for(MANAGE_ORDER)
    return scope in (Role.Scope.COMPANY, Role.Scope.DEPARTMENT)


def _order_form_page(request: HttpRequest, order: SalesOrder | None) -> HttpResponse:
    c = request.company
    customers = partners_visible(user=request.user, company=c, kind=CUSTOMER)
    header, lines = order_initial(order) if order else ({"order_date": timezone.localdate()}, [])
    form = OrderForm(
        request.POST or None, company=c, customers=customers, can_assign=_can_assign(request), initial=header
    )
    formset = LineFormSet(request.POST or None, initial=lines, form_kwargs={"company": c}, prefix="lines")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            owner = data.pop("salesperson", None)
            try:
                if order is None:
                    saved = order_services.sales_order_create(
                        actor=request.user, company=c, owner=owner, lines=formset.lines(), **data
                    )
                else:
                    if owner is not None:
                        data["owner"] = owner
                    data["lines"] = formset.lines()
                    saved = order_services.sales_order_update(
                        actor=request.user, company=c, order=order, data=data, version=version
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
                return redirect(_order_url(saved))
        status = 400
    title = _("Edit %(number)s") % {"number": order.number} if order else _("New sales order")
    back = _order_url(order) if order else reverse("sales:order_list")
    ctx = {"form": form, "formset": formset, "title": title, "back_url": back}
    return render(request, "sales/order_form.html", ctx, status=status)


@company_view(perm=MANAGE_ORDER, module=ERP)
def order_create(request: HttpRequest) -> HttpResponse:
    return _order_form_page(request, None)


@company_view(perm=MANAGE_ORDER, module=ERP)
def order_edit(request: HttpRequest, pk) -> HttpResponse:
    return _order_form_page(request, access_sales_order(user=request.user, company=request.company, id=pk))


@company_view(perm=VIEW_ORDER, module=ERP)
def order_detail(request: HttpRequest, pk) -> HttpResponse:
    order = access_sales_order(user=request.user, company=request.company, id=pk)
    S = SalesOrder.State
    actions = []
    if order.state == S.DRAFT and _can(request, CONFIRM_ORDER):
        actions.append(post_action(_("Confirm"), reverse("sales:order_confirm", args=[pk]), "is-success"))
    if order.state in SalesOrder.OPEN_FOR_DELIVERY and (
        _can(request, MANAGE_ORDER) or _can(request, SHIP_DELIVERY)
    ):
        actions.append(
            {
                "label": _("Create delivery"),
                "url": reverse("sales:delivery_create", args=[pk]),
                "css": "is-info",
            }
        )
    if order.state in (S.PARTIALLY_DELIVERED, S.DELIVERED) and _can(request, CONFIRM_ORDER):
        actions.append(post_action(_("Close"), reverse("sales:order_close", args=[pk]), "is-light"))
    if order.state in (S.DRAFT, S.CONFIRMED) and _can(request, CONFIRM_ORDER):
        actions.append(
            post_action(_("Cancel order"), reverse("sales:order_cancel", args=[pk]), "is-danger is-light")
        )
    revenue, cost = selectors.order_margin(order)
    fields = [
        (_("Number"), order.number),
        (_("State"), order.get_state_display()),
        (_("Customer"), order.customer.name),
        (_("Salesperson"), str(order.owner)),
        (_("Order date"), order.order_date),
        (_("Delivery address"), order.delivery_address),
        (_("Warehouse"), order.warehouse or ""),
        (_("Amount excl. tax"), _amount(order.untaxed_amount)),
        (_("Tax"), _amount(order.tax_amount)),
        (_("Total"), _amount(order.total_amount)),
        (
            _("Gross margin"),
            f"{_amount(revenue - cost)} ({_amount(revenue)} - {_amount(cost)})" if revenue else "",
        ),
        (_("Notes"), order.notes),
    ]
    sections = [
        {
            "title": _("Lines"),
            "template": "sales/_order_lines.html",
            "lines": order.lines.select_related("product", "unit"),
            "order": order,
        },
        {
            "title": _("Deliveries"),
            "template": "sales/_documents.html",
            "rows": [
                (d, _delivery_url(d), d.get_state_display(), d.tracking_number)
                for d in order.deliveries.all()
            ],
        },
    ]
    return detail_page(
        request,
        obj=order,
        title=f"{order.number} · {order.customer.name}",
        fields=fields,
        actions=actions,
        edit_url=reverse("sales:order_edit", args=[pk])
        if order.state == S.DRAFT and _can(request, MANAGE_ORDER)
        else None,
        back_url=reverse("sales:order_list"),
        sections=sections,
    )


def _order_action(service, done_message):
    return document_action(
        access_one=access_sales_order,
        service=service,
        param="order",
        detail="sales:order_detail",
        module=ERP,
        done=done_message,
    )


order_confirm = _order_action(order_services.sales_order_confirm, lambda: _("The order is confirmed."))
order_cancel = _order_action(order_services.sales_order_cancel, lambda: _("The order is cancelled."))
order_close = _order_action(order_services.sales_order_close, lambda: _("The order is closed."))


@company_view(perm=MANAGE_COMPANY, module=ERP)
def sales_settings_edit(request: HttpRequest) -> HttpResponse:
    current = sales_settings(request.company)
    form = SettingsForm(request.POST or None, initial={"on_shortage": current.on_shortage})
    return form_page(
        request,
        form=form,
        title=_("Sales settings"),
        on_valid=lambda data: order_services.sales_settings_update(
            actor=request.user, company=request.company, on_shortage=data["on_shortage"]
        ),
        success_url=lambda s: reverse("sales:order_list"),
        back_url=reverse("sales:order_list"),
    )


# Deliveries


@company_view(perm=VIEW_ORDER, module=ERP)
def delivery_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.delivery_list(user=request.user, company=request.company, q=request.GET.get("q", ""))
    spec = ListSpec(
        title=_("Deliveries"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("order", _("Sales order"), value=lambda d: d.order.number),
            Column("customer", _("Customer"), value=lambda d: d.order.customer.name),
            Column("state", _("State"), value=lambda d: d.get_state_display()),
            Column("carrier", _("Carrier")),
            Column("tracking_number", _("Tracking number")),
            Column("shipped_at", _("Shipped at")),
        ],
        ordering_fields=("number", "created_at", "shipped_at", "state"),
        default_ordering="-created_at",
        filters=[Filter("state", _("State"), Delivery.State.choices)],
        export_name="deliveries",
        row_url=_delivery_url,
    )
    return list_page(request, qs, spec)


def _stock_warehouses(request: HttpRequest):
    return stock_warehouses(request.company)


@company_view(perm=VIEW_ORDER, module=ERP)
def delivery_create(request: HttpRequest, pk) -> HttpResponse:
    order = access_sales_order(user=request.user, company=request.company, id=pk)
    remaining = delivery_services.open_quantities(order)
    rows = []
    for line in order.lines.select_related("product", "unit", "order"):
        left = remaining[line.pk]
        if left <= 0:
            continue
        stocked = order_services.stocked(line.product)
        rows.append(
            {
                "id": str(line.pk),
                "label": f"{line.position}. {line.product.name} ({line.unit.name})",
                "max": left,
                "initial": left,
                "help": _("%(left)s left to deliver, %(reserved)s reserved")
                % {"left": _qty(left), "reserved": _qty(line.reserved_quantity)},
                "stocked": stocked,
                "warehouse": delivery_services.suggested_warehouse(request.company, line)
                if stocked
                else None,
            }
        )
    form = QuantitiesForm(
        request.POST or None, rows=rows, warehouses=_stock_warehouses(request), with_carrier=True
    )

    def save(data: dict) -> Delivery:
        lines = order.lines.in_bulk()
        chosen = [
            {"order_line": lines[SalesOrderLine._meta.pk.to_python(i)], "quantity": q, "warehouse": w}
            for i, q, w in form.chosen()
        ]
        return delivery_services.delivery_create(
            actor=request.user,
            company=request.company,
            order=order,
            lines=chosen,
            carrier=data.get("carrier", ""),
            tracking_number=data.get("tracking_number", ""),
        )

    return form_page(
        request,
        form=form,
        title=_("New delivery for %(number)s") % {"number": order.number},
        on_valid=save,
        success_url=_delivery_url,
        back_url=_order_url(order),
    )


@company_view(perm=VIEW_ORDER, module=ERP)
def delivery_detail(request: HttpRequest, pk) -> HttpResponse:
    delivery = access_delivery(user=request.user, company=request.company, id=pk)
    D = Delivery.State
    actions = []
    if delivery.state in (D.DRAFT, D.PICKED) and _can(request, SHIP_DELIVERY):
        actions.append(
            post_action(_("Pick and pack"), reverse("sales:delivery_confirm", args=[pk]), "is-info")
        )
    if delivery.state == D.PACKED and _can(request, SHIP_DELIVERY):
        actions.append(
            {"label": _("Ship"), "url": reverse("sales:delivery_ship", args=[pk]), "css": "is-success"}
        )
    if delivery.state == D.SHIPPED and _can(request, MANAGE_RETURN):
        actions.append(
            {
                "label": _("Record a return"),
                "url": reverse("sales:return_create", args=[pk]),
                "css": "is-warning",
            }
        )
    if delivery.state in Delivery.OPEN and (_can(request, SHIP_DELIVERY) or _can(request, MANAGE_ORDER)):
        actions.append(
            post_action(
                _("Cancel delivery"), reverse("sales:delivery_cancel", args=[pk]), "is-danger is-light"
            )
        )
    fields = [
        (_("Number"), delivery.number),
        (_("State"), delivery.get_state_display()),
        (_("Sales order"), delivery.order.number),
        (_("Customer"), delivery.order.customer.name),
        (_("Delivery address"), delivery.delivery_address),
        (_("Carrier"), delivery.carrier),
        (_("Tracking number"), delivery.tracking_number),
        (_("Shipped at"), delivery.shipped_at),
        (_("Notes"), delivery.notes),
    ]
    sections = [
        {
            "title": _("Lines"),
            "template": "sales/_delivery_lines.html",
            "lines": delivery.lines.select_related("product", "order_line__unit", "warehouse", "batch"),
        },
        {
            "title": _("Returns"),
            "template": "sales/_documents.html",
            "rows": [(r, _return_url(r), r.get_state_display(), "") for r in delivery.returns.all()],
        },
    ]
    return detail_page(
        request,
        obj=delivery,
        title=f"{delivery.number} · {delivery.order.customer.name}",
        fields=fields,
        actions=actions,
        back_url=_order_url(delivery.order),
        sections=sections,
    )


def _delivery_action(service, done_message):
    return document_action(
        access_one=access_delivery,
        service=service,
        param="delivery",
        detail="sales:delivery_detail",
        module=ERP,
        done=done_message,
    )


delivery_confirm = _delivery_action(delivery_services.delivery_confirm, lambda: _("Picked and packed."))
delivery_cancel = _delivery_action(delivery_services.delivery_cancel, lambda: _("The delivery is cancelled."))


@company_view(perm=SHIP_DELIVERY, module=ERP)
def delivery_ship(request: HttpRequest, pk) -> HttpResponse:
    delivery = access_delivery(user=request.user, company=request.company, id=pk)
    form = ShipForm(
        request.POST or None,
        initial={"carrier": delivery.carrier, "tracking_number": delivery.tracking_number},
    )
    return form_page(
        request,
        form=form,
        title=_("Ship %(number)s") % {"number": delivery.number},
        on_valid=lambda data: delivery_services.delivery_ship(
            actor=request.user, company=request.company, delivery=delivery, **data
        ),
        success_url=_delivery_url,
        back_url=_delivery_url(delivery),
    )


# Returns


@company_view(perm=VIEW_ORDER, module=ERP)
def return_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.return_list(user=request.user, company=request.company, q=request.GET.get("q", ""))
    spec = ListSpec(
        title=_("Sales returns"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("delivery", _("Delivery"), value=lambda r: r.delivery.number),
            Column("customer", _("Customer"), value=lambda r: r.delivery.order.customer.name),
            Column("state", _("State"), value=lambda r: r.get_state_display()),
            Column("received_at", _("Received at")),
        ],
        ordering_fields=("number", "created_at", "state"),
        default_ordering="-created_at",
        filters=[Filter("state", _("State"), SalesReturn.State.choices)],
        export_name="sales-returns",
        row_url=_return_url,
    )
    return list_page(request, qs, spec)


@company_view(perm=MANAGE_RETURN, module=ERP)
def return_create(request: HttpRequest, pk) -> HttpResponse:
    delivery = access_delivery(user=request.user, company=request.company, id=pk)
    left = return_services.returnable(delivery)
    rows = []
    for line in delivery.lines.select_related("product", "order_line__unit", "warehouse"):
        if left[line.pk] <= 0:
            continue
        rows.append(
            {
                "id": str(line.pk),
                "label": f"{line.product.name} ({line.order_line.unit.name})",
                "max": left[line.pk],
                "initial": Decimal(0),
                "help": _("%(left)s can come back") % {"left": _qty(left[line.pk])},
                "stocked": line.warehouse_id is not None,
                "warehouse": line.warehouse,
            }
        )
    form = QuantitiesForm(
        request.POST or None, rows=rows, warehouses=_stock_warehouses(request), with_carrier=False
    )
    form.fields["reason"] = forms.CharField(label=_("Reason"), max_length=4000, required=False)

    def save(data: dict) -> SalesReturn:
        lines = DeliveryLine.objects.filter(company=request.company, delivery=delivery).in_bulk()
        chosen = [
            {"delivery_line": lines[DeliveryLine._meta.pk.to_python(i)], "quantity": q, "warehouse": w}
            for i, q, w in form.chosen()
        ]
        return return_services.sales_return_create(
            actor=request.user,
            company=request.company,
            delivery=delivery,
            lines=chosen,
            reason=data.get("reason", ""),
        )

    return form_page(
        request,
        form=form,
        title=_("Return from %(number)s") % {"number": delivery.number},
        on_valid=save,
        success_url=_return_url,
        back_url=_delivery_url(delivery),
    )


@company_view(perm=VIEW_ORDER, module=ERP)
def return_detail(request: HttpRequest, pk) -> HttpResponse:
    sales_return = access_sales_return(user=request.user, company=request.company, id=pk)
    actions = []
    if sales_return.state == SalesReturn.State.DRAFT and _can(request, MANAGE_RETURN):
        actions.append(
            post_action(_("Receive into stock"), reverse("sales:return_confirm", args=[pk]), "is-success")
        )
        actions.append(
            post_action(_("Cancel return"), reverse("sales:return_cancel", args=[pk]), "is-danger is-light")
        )
    fields = [
        (_("Number"), sales_return.number),
        (_("State"), sales_return.get_state_display()),
        (_("Delivery"), sales_return.delivery.number),
        (_("Customer"), sales_return.delivery.order.customer.name),
        (_("Reason"), sales_return.reason),
        (_("Received at"), sales_return.received_at),
    ]
    sections = [
        {
            "title": _("Lines"),
            "template": "sales/_return_lines.html",
            "lines": sales_return.lines.select_related(
                "delivery_line__product", "delivery_line__order_line__unit", "warehouse"
            ),
        }
    ]
    return detail_page(
        request,
        obj=sales_return,
        title=sales_return.number,
        fields=fields,
        actions=actions,
        back_url=_delivery_url(sales_return.delivery),
        sections=sections,
    )


def _return_action(service, done_message):
    return document_action(
        access_one=access_sales_return,
        service=service,
        param="sales_return",
        detail="sales:return_detail",
        module=ERP,
        done=done_message,
    )


return_confirm = _return_action(
    return_services.sales_return_confirm, lambda: _("The goods are back in stock.")
)
return_cancel = _return_action(return_services.sales_return_cancel, lambda: _("The return is cancelled."))


# Margins


@company_view(perm=VIEW_ORDER, module=ERP)
def margins(request: HttpRequest) -> HttpResponse:
    group = request.GET.get("group", "order")
    if group not in selectors.MARGIN_GROUPS:
        group = "order"
    items = selectors.margins(user=request.user, company=request.company, group=group)
    revenue = sum((m.revenue for m in items), Decimal("0.00"))
    cost = sum((m.cost for m in items), Decimal("0.00"))
    groups = [
        ("order", _("Order")),
        ("product", _("Product")),
        ("customer", _("Customer")),
        ("salesperson", _("Salesperson")),
        ("line", _("Line")),
    ]
    ctx = {
        "title": _("Gross margin"),
        "group": group,
        "groups": groups,
        "items": items,
        "revenue": revenue,
        "cost": cost,
        "margin": revenue - cost,
    }
    return render(request, "sales/margins.html", ctx)
