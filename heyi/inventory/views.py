"""Inventory pages (ERP module): warehouses and their bins, stock, moves, batches, transfers,
counts, alerts and settings."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from heyi.platform import modules
from heyi.platform.access import has_perm
from heyi.platform.errors import DomainError, NotFound, NotPermitted
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
from .access import (
    access_batch,
    access_location,
    access_stock_alert,
    access_stock_count,
    access_stock_move,
    access_transfer,
    access_warehouse,
)
from .alert_actions import alert_actions
from .forms import (
    BatchForm,
    CountLineFormSet,
    LocationForm,
    SettingsForm,
    StockCountForm,
    TransferForm,
    TransferLineFormSet,
    WarehouseForm,
)
from .models import CostAdjustment, StockAlert, StockCount, StockMove, Transfer, Warehouse
from .permissions import (
    COUNT_STOCK,
    MANAGE_SETTINGS,
    MANAGE_WAREHOUSE,
    MOVE_STOCK,
    VIEW_STOCK,
    VIEW_WAREHOUSE,
)
from .services import batches, counts, locations, moves, transfers, warehouses
from .services import settings as inventory_settings

ERP = modules.ERP


def _qty(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _num(value: Decimal) -> Decimal:
    """A quantity without trailing zeros that stays a number in exports."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _can(request: HttpRequest, perm: str) -> bool:
    return has_perm(request.user, request.company, perm)


# Warehouses and locations ---------------------------------------------------------------------


@company_view(perm=VIEW_WAREHOUSE, module=ERP)
def warehouse_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.warehouse_list(user=request.user, company=request.company)
    can_manage = _can(request, MANAGE_WAREHOUSE)
    spec = ListSpec(
        title=_("Warehouses"),
        columns=[
            Column("code", _("Code"), link=True),
            Column("name", _("Name"), link=True),
            Column("kind", _("Kind"), value=lambda w: w.get_kind_display()),
            Column("priority", _("Priority"), numeric=True),
            Column("address", _("Address")),
            Column("manager", _("Manager")),
            Column("is_active", _("Active")),
        ],
        search_fields=("code", "name", "address", "mnemonic"),
        ordering_fields=("code", "name", "priority", "created_at"),
        default_ordering="code",
        filters=[
            Filter("kind", _("Kind"), Warehouse.Kind.choices),
            Filter("active", _("Active"), [("1", _("Active")), ("0", _("Inactive"))], lookup="is_active"),
        ],
        create_url=reverse("inventory:warehouse_create") if can_manage else None,
        import_url=reverse("web:import_start", args=["inventory.warehouse"]) if can_manage else None,
        export_name="warehouses",
        row_url=lambda w: reverse("inventory:warehouse_detail", args=[w.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_WAREHOUSE, module=ERP)
def warehouse_detail(request: HttpRequest, pk) -> HttpResponse:
    warehouse = access_warehouse(user=request.user, company=request.company, id=pk)
    can_manage = _can(request, MANAGE_WAREHOUSE)
    actions = []
    if _can(request, VIEW_STOCK):
        actions.append(
            {"label": _("Stock"), "url": reverse("inventory:stock_list") + f"?warehouse={warehouse.pk}"}
        )
    if can_manage and warehouse.is_active:
        actions.append(
            post_action(_("Deactivate"), reverse("inventory:warehouse_deactivate", args=[pk]), "is-warning")
        )
    bins = list(selectors.location_list(user=request.user, company=request.company, warehouse=warehouse))
    return detail_page(
        request,
        obj=warehouse,
        title=str(warehouse),
        fields=[
            (_("Code"), warehouse.code),
            (_("Name"), warehouse.name),
            (_("Kind"), warehouse.get_kind_display()),
            (_("Priority"), warehouse.priority),
            (_("Address"), warehouse.address),
            (_("Manager"), warehouse.manager),
            (_("Active"), warehouse.is_active),
        ],
        actions=actions,
        edit_url=reverse("inventory:warehouse_edit", args=[pk]) if can_manage else None,
        back_url=reverse("inventory:warehouse_list"),
        sections=[
            {
                "title": _("Locations"),
                "template": "inventory/_locations.html",
                "warehouse": warehouse,
                "rows": bins,
                "can_manage": can_manage and warehouse.is_active,
                "form": LocationForm(),
            }
        ],
    )


@company_view(perm=MANAGE_WAREHOUSE, module=ERP)
def warehouse_create(request: HttpRequest) -> HttpResponse:
    def save(data: dict):
        data.pop("version", None)
        data = {k: v for k, v in data.items() if v not in (None, "") or k in ("address", "manager")}
        return warehouses.warehouse_create(actor=request.user, company=request.company, **data)

    return form_page(
        request,
        form=WarehouseForm(request.company, request.POST or None),
        title=_("New warehouse"),
        on_valid=save,
        success_url=lambda w: reverse("inventory:warehouse_detail", args=[w.pk]),
        back_url=reverse("inventory:warehouse_list"),
    )


@company_view(perm=MANAGE_WAREHOUSE, module=ERP)
def warehouse_edit(request: HttpRequest, pk) -> HttpResponse:
    warehouse = access_warehouse(user=request.user, company=request.company, id=pk)
    form = WarehouseForm(
        request.company,
        request.POST or None,
        creating=False,
        initial={
            "code": warehouse.code,
            "name": warehouse.name,
            "address": warehouse.address,
            "manager": warehouse.manager_id,
            "priority": warehouse.priority,
            "is_active": warehouse.is_active,
            "version": warehouse.version,
        },
    )

    def save(data: dict):
        version = data.pop("version")
        if data.get("priority") is None:
            data.pop("priority", None)
        return warehouses.warehouse_update(
            actor=request.user, company=request.company, warehouse=warehouse, data=data, version=version
        )

    return form_page(
        request,
        form=form,
        title=_("Edit %(warehouse)s") % {"warehouse": warehouse},
        on_valid=save,
        success_url=lambda w: reverse("inventory:warehouse_detail", args=[w.pk]),
        back_url=reverse("inventory:warehouse_detail", args=[pk]),
    )


@require_POST
@company_view(perm=MANAGE_WAREHOUSE, module=ERP)
def warehouse_deactivate(request: HttpRequest, pk) -> HttpResponse:
    warehouse = access_warehouse(user=request.user, company=request.company, id=pk)
    warehouses.warehouse_deactivate(actor=request.user, company=request.company, warehouse=warehouse)
    return redirect("inventory:warehouse_detail", pk=pk)


@company_view(perm=MANAGE_WAREHOUSE, module=ERP)
def location_create(request: HttpRequest, pk) -> HttpResponse:
    warehouse = access_warehouse(user=request.user, company=request.company, id=pk)

    def save(data: dict):
        data.pop("version", None)
        return locations.location_create(
            actor=request.user, company=request.company, warehouse=warehouse, **data
        )

    return form_page(
        request,
        form=LocationForm(request.POST or None),
        title=_("New location in %(warehouse)s") % {"warehouse": warehouse},
        on_valid=save,
        success_url=lambda _loc: reverse("inventory:warehouse_detail", args=[pk]),
        back_url=reverse("inventory:warehouse_detail", args=[pk]),
    )


@company_view(perm=MANAGE_WAREHOUSE, module=ERP)
def location_edit(request: HttpRequest, pk) -> HttpResponse:
    location = access_location(user=request.user, company=request.company, id=pk)
    form = LocationForm(
        request.POST or None,
        initial={
            "code": location.code,
            "name": location.name,
            "is_active": location.is_active,
            "version": location.version,
        },
    )

    def save(data: dict):
        version = data.pop("version")
        return locations.location_update(
            actor=request.user, company=request.company, location=location, data=data, version=version
        )

    back = reverse("inventory:warehouse_detail", args=[location.warehouse_id])
    return form_page(
        request,
        form=form,
        title=_("Edit location %(location)s") % {"location": location},
        on_valid=save,
        success_url=lambda _loc: back,
        back_url=back,
    )


@require_POST
@company_view(perm=MANAGE_WAREHOUSE, module=ERP)
def location_deactivate(request: HttpRequest, pk) -> HttpResponse:
    location = access_location(user=request.user, company=request.company, id=pk)
    locations.location_deactivate(actor=request.user, company=request.company, location=location)
    return redirect("inventory:warehouse_detail", pk=location.warehouse_id)


# Settings -------------------------------------------------------------------------------------


@company_view(perm=MANAGE_SETTINGS, module=ERP)
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = selectors.inventory_settings(request.company)
    form = SettingsForm(request.POST or None, initial={"allow_negative_stock": current.allow_negative_stock})
    return form_page(
        request,
        form=form,
        title=_("Inventory settings"),
        on_valid=lambda data: inventory_settings.inventory_settings_update(
            actor=request.user, company=request.company, data=data
        ),
        success_url=lambda _s: reverse("inventory:settings"),
    )


# Stock ----------------------------------------------------------------------------------------


def _warehouse_choices(request: HttpRequest) -> list[tuple[str, str]]:
    qs = selectors.warehouse_list(user=request.user, company=request.company).order_by("kind", "code")
    return [(str(w.pk), f"{w.code} {w.name}") for w in qs]


@company_view(perm=VIEW_STOCK, module=ERP)
def stock_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.stock_levels(user=request.user, company=request.company)
    if request.GET.get("product"):
        qs = qs.filter(product_id__in=_uuid_or_none(request.GET["product"]))
    spec = ListSpec(
        title=_("Stock"),
        columns=[
            Column("product__sku", _("SKU"), link=True),
            Column("product__name", _("Product"), link=True),
            Column("warehouse", _("Warehouse"), value=lambda b: f"{b.warehouse.code} {b.warehouse.name}"),
            Column("warehouse__kind", _("Kind"), value=lambda b: b.warehouse.get_kind_display()),
            Column("product__base_unit", _("Unit"), value=lambda b: b.product.base_unit.name),
            Column("on_hand", _("On hand"), value=lambda b: _num(b.on_hand), numeric=True),
            Column("reserved", _("Reserved"), value=lambda b: _num(b.reserved), numeric=True),
            Column("available", _("Available"), value=lambda b: _num(b.available_qty), numeric=True),
        ],
        search_fields=("product__sku", "product__name", "product__mnemonic"),
        ordering_fields=("product__sku", "warehouse__code", "on_hand", "reserved", "available_qty"),
        default_ordering="product__sku",
        filters=[Filter("warehouse", _("Warehouse"), _warehouse_choices(request), lookup="warehouse_id")],
        export_name="stock",
        row_url=lambda b: reverse("catalog:product_detail", args=[b.product_id]),
    )
    return list_page(request, qs, spec)


def _uuid_or_none(value: str) -> list:
    import uuid

    try:
        return [uuid.UUID(value)]
    except ValueError:
        return []


# Stock moves ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodFilter(Filter):
    """Moves of a recent period, in the company's calendar."""

    company: Any = None

    def apply(self, qs, value):
        today = timezone.localdate()
        starts = {
            "today": today,
            "7": today - datetime.timedelta(days=6),
            "30": today - datetime.timedelta(days=29),
            "month": today.replace(day=1),
            "year": today.replace(month=1, day=1),
        }
        if value not in starts:
            return qs
        return qs.filter(
            occurred_at__gte=datetime.datetime.combine(
                starts[value], datetime.time.min, timezone.get_current_timezone()
            )
        )


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _move_url(move: StockMove) -> str:
    return reverse("inventory:stock_move_detail", args=[move.pk])


@company_view(perm=VIEW_STOCK, module=ERP)
def stock_move_list(request: HttpRequest) -> HttpResponse:
    product_ids = _uuid_or_none(request.GET.get("product", ""))
    qs = selectors.stock_move_list(
        user=request.user,
        company=request.company,
        date_from=_date(request.GET.get("date_from")),
        date_to=_date(request.GET.get("date_to")),
    )
    if request.GET.get("product"):
        qs = qs.filter(product_id__in=product_ids)
    spec = ListSpec(
        title=_("Stock moves"),
        columns=[
            Column("occurred_at", _("Date"), link=True),
            Column("kind", _("Kind"), value=lambda m: m.get_kind_display(), link=True),
            Column("reference", _("Reference")),
            Column("product__sku", _("SKU")),
            Column("product__name", _("Product")),
            Column("warehouse__code", _("Warehouse")),
            Column("batch__code", _("Batch")),
            Column("quantity", _("Quantity"), value=lambda m: _num(m.quantity), numeric=True),
            Column("product__base_unit", _("Unit"), value=lambda m: m.product.base_unit.name),
            Column("unit_cost", _("Unit cost"), value=lambda m: _money(m.unit_cost), numeric=True),
            Column("value", _("Value"), value=lambda m: m.value, numeric=True),
        ],
        search_fields=("reference", "product__sku", "product__name", "product__mnemonic"),
        ordering_fields=("occurred_at", "quantity", "value", "kind", "reference"),
        default_ordering="-occurred_at",
        filters=[
            Filter("warehouse", _("Warehouse"), _warehouse_choices(request), lookup="warehouse_id"),
            Filter("kind", _("Kind"), StockMove.Kind.choices),
            PeriodFilter(
                "period",
                _("Period"),
                [
                    ("today", _("Today")),
                    ("7", _("Last 7 days")),
                    ("30", _("Last 30 days")),
                    ("month", _("This month")),
                    ("year", _("This year")),
                ],
            ),
        ],
        export_name="stock-moves",
        row_url=_move_url,
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_STOCK, module=ERP)
def stock_move_detail(request: HttpRequest, pk) -> HttpResponse:
    move = access_stock_move(user=request.user, company=request.company, id=pk)
    reversal = StockMove.objects.filter(company=request.company, reverses=move).first()
    actions = []
    if _can(request, MOVE_STOCK) and reversal is None and move.kind != StockMove.Kind.REVERSAL:
        actions.append(
            post_action(_("Reverse"), reverse("inventory:stock_move_reverse", args=[pk]), "is-warning")
        )
    adjustments = list(
        CostAdjustment.objects.filter(company=request.company, move=move)
        .select_related("cause")
        .order_by("created_at")
    )
    fields = [
        (_("Date"), timezone.localtime(move.occurred_at).strftime("%Y-%m-%d %H:%M")),
        (_("Kind"), move.get_kind_display()),
        (_("Reference"), move.reference),
        (_("Product"), f"{move.product.sku} {move.product.name}"),
        (_("Warehouse"), move.warehouse),
        (pgettext("bin", "Location"), move.location),
        (_("Batch"), move.batch),
        (_("Quantity"), f"{_qty(move.quantity)} {move.product.base_unit.name}"),
        (_("Quantity as entered"), f"{_qty(move.entered_quantity)} {move.entered_unit.name}"),
        (_("Unit cost"), _money(move.unit_cost)),
        (_("Value"), _money(move.value)),
        (_("Value as finally costed"), _money(selectors.move_cost(request.company, move))),
        (_("By"), move.actor),
    ]
    if move.reverses_id:
        fields.append((_("Reverses"), move.reverses))
    if reversal is not None:
        fields.append((_("Reversed by"), reversal))
    return detail_page(
        request,
        obj=move,
        title=_("Stock move %(reference)s") % {"reference": move.reference or move.get_kind_display()},
        fields=fields,
        actions=actions,
        back_url=reverse("inventory:stock_move_list"),
        sections=[
            {
                "title": _("Cost adjustments"),
                "template": "inventory/_cost_adjustments.html",
                "rows": adjustments,
                "move": move,
                "reversal": reversal,
            }
        ],
    )


@require_POST
@company_view(perm=MOVE_STOCK, module=ERP)
def stock_move_reverse(request: HttpRequest, pk) -> HttpResponse:
    move = access_stock_move(user=request.user, company=request.company, id=pk)
    try:
        reversal = moves.stock_move_reverse(actor=request.user, company=request.company, move=move)
    except DomainError as exc:
        if isinstance(exc, (NotFound, NotPermitted)):
            raise
        messages.error(request, str(exc.message))
        return redirect("inventory:stock_move_detail", pk=pk)
    messages.success(request, _("The move was reversed."))
    return redirect("inventory:stock_move_detail", pk=reversal.pk)


# Batches --------------------------------------------------------------------------------------


@company_view(perm=VIEW_STOCK, module=ERP)
def batch_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.batch_list(user=request.user, company=request.company)
    spec = ListSpec(
        title=_("Batches"),
        columns=[
            Column("code", _("Batch"), link=True),
            Column("product__sku", _("SKU")),
            Column("product__name", _("Product")),
            Column("manufactured_on", _("Manufactured on")),
            Column("expiry_date", _("Expiry date")),
        ],
        search_fields=("code", "product__sku", "product__name", "product__mnemonic"),
        ordering_fields=("code", "expiry_date", "created_at"),
        default_ordering="expiry_date",
        create_url=reverse("inventory:batch_create") if _can(request, MOVE_STOCK) else None,
        export_name="batches",
        row_url=lambda b: reverse("inventory:batch_detail", args=[b.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_STOCK, module=ERP)
def batch_detail(request: HttpRequest, pk) -> HttpResponse:
    batch = access_batch(user=request.user, company=request.company, id=pk)
    stock = selectors.batch_stock(request.company, [batch.pk]).get(batch.pk, [])
    return detail_page(
        request,
        obj=batch,
        title=_("Batch %(code)s") % {"code": batch.code},
        fields=[
            (_("Batch"), batch.code),
            (_("Product"), f"{batch.product.sku} {batch.product.name}"),
            (_("Manufactured on"), batch.manufactured_on),
            (_("Expiry date"), batch.expiry_date),
        ],
        actions=[
            {
                "label": _("Stock moves"),
                "url": reverse("inventory:stock_move_list") + f"?product={batch.product_id}&q={batch.code}",
            }
        ],
        back_url=reverse("inventory:batch_list"),
        sections=[
            {
                "title": _("On hand"),
                "template": "inventory/_batch_stock.html",
                "rows": [(w, _qty(q)) for w, q in stock],
                "unit": batch.product.base_unit.name,
            }
        ],
    )


@company_view(perm=MOVE_STOCK, module=ERP)
def batch_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        form=BatchForm(request.company, request.POST or None),
        title=_("New batch"),
        on_valid=lambda data: batches.batch_create(actor=request.user, company=request.company, **data),
        success_url=lambda b: reverse("inventory:batch_detail", args=[b.pk]),
        back_url=reverse("inventory:batch_list"),
    )


# Documents: transfers and counts --------------------------------------------------------------


def _document_form_page(
    request: HttpRequest,
    *,
    form,
    formset,
    title: Any,
    save,
    success_url,
    back_url: str,
    columns: list[tuple[str, Any]],
) -> HttpResponse:
    """A header form and its lines; the service's errors show on the form."""
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                saved = save(dict(form.cleaned_data), formset.lines())
            except DomainError as exc:
                if isinstance(exc, (NotFound, NotPermitted)):
                    return domain_error_page(request, exc)
                attach_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(success_url(saved))
        status = 400
    ctx = {"form": form, "formset": formset, "title": title, "back_url": back_url, "columns": columns}
    return render(request, "inventory/document_form.html", ctx, status=status)


def _transfer_url(transfer: Transfer) -> str:
    return reverse("inventory:transfer_detail", args=[transfer.pk])


@company_view(perm=VIEW_STOCK, module=ERP)
def transfer_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.transfer_list(user=request.user, company=request.company)
    spec = ListSpec(
        title=_("Transfers"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("from_warehouse", _("From warehouse")),
            Column("to_warehouse", _("To warehouse")),
            Column("state", _("State"), value=lambda t: t.get_state_display()),
            Column("shipped_at", _("Shipped at")),
            Column("received_at", _("Received at")),
            Column("created_at", _("Created at")),
        ],
        search_fields=("number", "from_warehouse__name", "to_warehouse__name", "note"),
        ordering_fields=("number", "created_at", "shipped_at"),
        default_ordering="-created_at",
        filters=[Filter("state", _("State"), Transfer.State.choices)],
        create_url=reverse("inventory:transfer_create") if _can(request, MOVE_STOCK) else None,
        export_name="transfers",
        row_url=_transfer_url,
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_STOCK, module=ERP)
def transfer_detail(request: HttpRequest, pk) -> HttpResponse:
    transfer = access_transfer(user=request.user, company=request.company, id=pk)
    can_move = _can(request, MOVE_STOCK)
    actions: list[dict] = []
    if can_move and transfer.state == Transfer.State.DRAFT:
        actions += [
            post_action(_("Ship"), reverse("inventory:transfer_ship", args=[pk]), "is-primary"),
            post_action(
                _("Cancel transfer"), reverse("inventory:transfer_cancel", args=[pk]), "is-danger is-light"
            ),
        ]
    if can_move and transfer.state == Transfer.State.IN_TRANSIT:
        actions.append(
            post_action(_("Receive"), reverse("inventory:transfer_receive", args=[pk]), "is-primary")
        )
    lines = list(transfer.lines.select_related("product", "unit", "batch"))
    moved = list(
        StockMove.objects.filter(
            company=request.company, origin_type=transfers.ORIGIN_TYPE, origin_id=str(pk)
        )
        .select_related("product", "warehouse")
        .order_by("occurred_at", "created_at")
    )
    return detail_page(
        request,
        obj=transfer,
        title=_("Transfer %(number)s") % {"number": transfer.number},
        fields=[
            (_("Number"), transfer.number),
            (_("State"), transfer.get_state_display()),
            (_("From warehouse"), transfer.from_warehouse),
            (_("To warehouse"), transfer.to_warehouse),
            (_("Note"), transfer.note),
            (_("Shipped at"), _when(transfer.shipped_at)),
            (_("Received at"), _when(transfer.received_at)),
        ],
        actions=actions,
        edit_url=reverse("inventory:transfer_edit", args=[pk])
        if can_move and transfer.state == Transfer.State.DRAFT
        else None,
        back_url=reverse("inventory:transfer_list"),
        sections=[
            {
                "title": _("Lines"),
                "template": "inventory/_transfer_lines.html",
                "rows": [(line, _qty(line.quantity)) for line in lines],
            },
            {
                "title": _("Stock moves"),
                "template": "inventory/_moves.html",
                "rows": [(m, _qty(m.quantity), _money(m.value)) for m in moved],
            },
        ],
    )


def _when(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _transfer_lines(lines: list[dict]) -> list[transfers.TransferLineIn]:
    return [transfers.TransferLineIn(**line) for line in lines]


TRANSFER_COLUMNS = [
    ("product", _("Product")),
    ("quantity", _("Quantity")),
    ("unit", _("Unit")),
    ("batch", _("Batch")),
]


def _transfer_form(request: HttpRequest, transfer: Transfer | None) -> HttpResponse:
    c = request.company
    header: dict = {}
    initial_lines: list[dict] = []
    if transfer is not None:
        header = {
            "from_warehouse": transfer.from_warehouse_id,
            "to_warehouse": transfer.to_warehouse_id,
            "note": transfer.note,
            "version": transfer.version,
        }
        initial_lines = [
            {
                "product": ln.product_id,
                "quantity": ln.quantity.normalize(),
                "unit": ln.unit_id,
                "batch": ln.batch_id,
            }
            for ln in transfer.lines.all()
        ]
    form = TransferForm(c, request.POST or None, initial=header)
    formset = TransferLineFormSet(
        request.POST or None, initial=initial_lines, form_kwargs={"company": c}, prefix="lines"
    )

    def save(data: dict, lines: list[dict]) -> Transfer:
        version = data.pop("version", None)
        if transfer is None:
            return transfers.transfer_create(
                actor=request.user, company=c, lines=_transfer_lines(lines), **data
            )
        return transfers.transfer_update(
            actor=request.user,
            company=c,
            transfer=transfer,
            data=data,
            lines=_transfer_lines(lines),
            version=version,
        )

    return _document_form_page(
        request,
        form=form,
        formset=formset,
        title=_("Edit %(number)s") % {"number": transfer.number} if transfer else _("New transfer"),
        save=save,
        success_url=_transfer_url,
        back_url=_transfer_url(transfer) if transfer else reverse("inventory:transfer_list"),
        columns=TRANSFER_COLUMNS,
    )


@company_view(perm=MOVE_STOCK, module=ERP)
def transfer_create(request: HttpRequest) -> HttpResponse:
    return _transfer_form(request, None)


@company_view(perm=MOVE_STOCK, module=ERP)
def transfer_edit(request: HttpRequest, pk) -> HttpResponse:
    return _transfer_form(request, access_transfer(user=request.user, company=request.company, id=pk))


def _transfer_action(service):
    return document_action(
        access_one=access_transfer,
        service=service,
        param="transfer",
        detail="inventory:transfer_detail",
        perm=MOVE_STOCK,
        module=ERP,
    )


transfer_ship = _transfer_action(transfers.transfer_ship)
transfer_receive = _transfer_action(transfers.transfer_receive)
transfer_cancel = _transfer_action(transfers.transfer_cancel)


def _count_url(count: StockCount) -> str:
    return reverse("inventory:stock_count_detail", args=[count.pk])


@company_view(perm=VIEW_STOCK, module=ERP)
def stock_count_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.stock_count_list(user=request.user, company=request.company)
    spec = ListSpec(
        title=_("Stock counts"),
        columns=[
            Column("number", _("Number"), link=True),
            Column("warehouse", _("Warehouse")),
            Column("state", _("State"), value=lambda c: c.get_state_display()),
            Column("started_at", _("Started at")),
            Column("posted_at", _("Posted at")),
            Column("created_at", _("Created at")),
        ],
        search_fields=("number", "warehouse__name", "warehouse__code", "note"),
        ordering_fields=("number", "created_at", "posted_at"),
        default_ordering="-created_at",
        filters=[Filter("state", _("State"), StockCount.State.choices)],
        create_url=reverse("inventory:stock_count_create") if _can(request, COUNT_STOCK) else None,
        export_name="stock-counts",
        row_url=_count_url,
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_STOCK, module=ERP)
def stock_count_detail(request: HttpRequest, pk) -> HttpResponse:
    count = access_stock_count(user=request.user, company=request.company, id=pk)
    can_count = _can(request, COUNT_STOCK)
    open_states = (StockCount.State.DRAFT, StockCount.State.COUNTING)
    actions: list[dict] = []
    if can_count and count.state == StockCount.State.DRAFT:
        actions.append(
            post_action(_("Start counting"), reverse("inventory:stock_count_start", args=[pk]), "is-primary")
        )
    if can_count and count.state == StockCount.State.COUNTING:
        actions.append(post_action(_("Post"), reverse("inventory:stock_count_post", args=[pk]), "is-primary"))
    if can_count and count.state in open_states:
        actions.append(
            post_action(
                _("Cancel count"), reverse("inventory:stock_count_cancel", args=[pk]), "is-danger is-light"
            )
        )
    rows = []
    moved_since = False
    for line in count.lines.select_related("product__base_unit", "batch"):
        now = None
        if count.state in open_states:
            now = counts.system_quantity(request.company, count.warehouse, line.product, line.batch)
            moved_since = moved_since or now != line.system_quantity
        elif line.posted_system_quantity is not None:
            moved_since = moved_since or line.posted_system_quantity != line.system_quantity
        rows.append(
            {
                "line": line,
                "system": _qty(line.system_quantity),
                "now": _qty(now) if now is not None and now != line.system_quantity else "",
                "counted": _qty(line.counted_quantity),
                "posted_system": _qty(line.posted_system_quantity),
                "difference": _qty(line.difference),
                "unit_cost": _money(line.unit_cost),
                "value": _money(line.value),
            }
        )
    return detail_page(
        request,
        obj=count,
        title=_("Stock count %(number)s") % {"number": count.number},
        fields=[
            (_("Number"), count.number),
            (_("State"), count.get_state_display()),
            (_("Warehouse"), count.warehouse),
            (_("Note"), count.note),
            (_("Started at"), _when(count.started_at)),
            (_("Posted at"), _when(count.posted_at)),
        ],
        actions=actions,
        edit_url=reverse("inventory:stock_count_edit", args=[pk])
        if can_count and count.state in open_states
        else None,
        back_url=reverse("inventory:stock_count_list"),
        sections=[
            {
                "title": _("Lines"),
                "template": "inventory/_count_lines.html",
                "rows": rows,
                "posted": count.state == StockCount.State.POSTED,
                "moved_since": moved_since,
            }
        ],
    )


COUNT_COLUMNS = [
    ("product", _("Product")),
    ("batch", _("Batch")),
    ("counted_quantity", _("Counted quantity")),
]


def _count_lines(lines: list[dict]) -> list[counts.CountLineIn]:
    return [counts.CountLineIn(**line) for line in lines]


def _count_form(request: HttpRequest, count: StockCount | None) -> HttpResponse:
    c = request.company
    header: dict = {}
    initial_lines: list[dict] = []
    if count is not None:
        header = {"note": count.note, "version": count.version}
        initial_lines = [
            {
                "product": ln.product_id,
                "batch": ln.batch_id,
                "counted_quantity": ln.counted_quantity.normalize()
                if ln.counted_quantity is not None
                else None,
            }
            for ln in count.lines.all()
        ]
    form = StockCountForm(c, request.POST or None, initial=header, editing=count is not None)
    formset = CountLineFormSet(
        request.POST or None, initial=initial_lines, form_kwargs={"company": c}, prefix="lines"
    )

    def save(data: dict, lines: list[dict]) -> StockCount:
        version = data.pop("version", None)
        if count is None:
            return counts.stock_count_create(actor=request.user, company=c, lines=_count_lines(lines), **data)
        return counts.stock_count_update(
            actor=request.user, company=c, count=count, data=data, lines=_count_lines(lines), version=version
        )

    return _document_form_page(
        request,
        form=form,
        formset=formset,
        title=_("Edit %(number)s") % {"number": count.number} if count else _("New stock count"),
        save=save,
        success_url=_count_url,
        back_url=_count_url(count) if count else reverse("inventory:stock_count_list"),
        columns=COUNT_COLUMNS,
    )


@company_view(perm=COUNT_STOCK, module=ERP)
def stock_count_create(request: HttpRequest) -> HttpResponse:
    return _count_form(request, None)


@company_view(perm=COUNT_STOCK, module=ERP)
def stock_count_edit(request: HttpRequest, pk) -> HttpResponse:
    return _count_form(request, access_stock_count(user=request.user, company=request.company, id=pk))


def _count_action(service):
    return document_action(
        access_one=access_stock_count,
        service=service,
        param="count",
        detail="inventory:stock_count_detail",
        perm=COUNT_STOCK,
        module=ERP,
    )


stock_count_start = _count_action(counts.stock_count_start)
stock_count_post = _count_action(counts.stock_count_post)
stock_count_cancel = _count_action(counts.stock_count_cancel)


# Alerts ---------------------------------------------------------------------------------------


@company_view(perm=VIEW_STOCK, module=ERP)
def stock_alert_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.stock_alert_list(user=request.user, company=request.company)
    spec = ListSpec(
        title=_("Stock alerts"),
        columns=[
            Column("product", _("Product"), link=True),
            Column("available", _("Available"), value=lambda a: _num(a.available), numeric=True),
            Column(
                "safety_stock",
                _("Safety stock"),
                value=lambda a: _num(a.safety_stock),
                numeric=True,
            ),
            Column("state", _("State"), value=lambda a: a.get_state_display()),
            Column("created_at", _("Raised at")),
            Column("closed_at", _("Closed at")),
        ],
        search_fields=("product__sku", "product__name", "product__mnemonic"),
        ordering_fields=("created_at", "available"),
        default_ordering="-created_at",
        filters=[
            Filter("state", _("State"), list(StockAlert.State.choices), lookup="state"),
        ],
        export_name="stock-alerts",
        row_url=lambda a: reverse("inventory:stock_alert_detail", args=[a.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_STOCK, module=ERP)
def stock_alert_detail(request: HttpRequest, pk) -> HttpResponse:
    alert = access_stock_alert(user=request.user, company=request.company, id=pk)
    product = alert.product
    actions = []
    if alert.state == StockAlert.State.OPEN:
        actions = [
            post_action(action.label, action.url(alert), "is-primary")
            for action in alert_actions(request.user, request.company)
        ]
    return detail_page(
        request,
        obj=alert,
        title=_("Low stock: %(product)s") % {"product": product.name},
        fields=[
            (_("Product"), f"{product.sku} {product.name}"),
            (_("Available when raised"), _num(alert.available)),
            (_("Available now"), _num(selectors.stock_available(request.company, product))),
            (_("Safety stock"), _num(alert.safety_stock)),
            (_("Reorder point"), _num(product.reorder_point)),
            (_("State"), alert.get_state_display()),
            (_("Raised at"), alert.created_at),
            (_("Closed at"), alert.closed_at or ""),
        ],
        actions=actions,
        back_url=reverse("inventory:stock_alert_list"),
    )
