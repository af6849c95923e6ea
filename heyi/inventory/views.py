"""Warehouse pages (ERP module)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform import modules
from heyi.platform.access import has_perm
from heyi.platform.webkit import Column, Filter, ListSpec, company_view, detail_page, form_page, list_page

from . import selectors
from .access import access_warehouse
from .forms import WarehouseForm
from .models import StockAlert
from .permissions import MANAGE_WAREHOUSE, VIEW_STOCK, VIEW_WAREHOUSE
from .services import warehouses


@company_view(perm=VIEW_WAREHOUSE, module=modules.ERP)
def warehouse_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.warehouse_list(user=request.user, company=request.company)
    can_manage = has_perm(request.user, request.company, MANAGE_WAREHOUSE)
    spec = ListSpec(
        title=_("Warehouses"),
        columns=[
            Column("code", _("Code"), link=True),
            Column("name", _("Name"), link=True),
            Column("address", _("Address")),
            Column("manager", _("Manager")),
            Column("is_active", _("Active")),
        ],
        search_fields=("code", "name", "address", "mnemonic"),
        ordering_fields=("code", "name", "created_at"),
        default_ordering="code",
        filters=[
            Filter("active", _("Active"), [("1", _("Active")), ("0", _("Inactive"))], lookup="is_active")
        ],
        create_url=reverse("inventory:warehouse_create") if can_manage else None,
        import_url=reverse("web:import_start", args=["inventory.warehouse"]) if can_manage else None,
        export_name="warehouses",
        row_url=lambda w: reverse("inventory:warehouse_detail", args=[w.pk]),
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_WAREHOUSE, module=modules.ERP)
def warehouse_detail(request: HttpRequest, pk) -> HttpResponse:
    warehouse = access_warehouse(user=request.user, company=request.company, id=pk)
    can_manage = has_perm(request.user, request.company, MANAGE_WAREHOUSE)
    actions = []
    if can_manage and warehouse.is_active:
        actions.append(
            {
                "label": _("Deactivate"),
                "url": reverse("inventory:warehouse_deactivate", args=[pk]),
                "method": "post",
                "css": "is-warning",
            }
        )
    return detail_page(
        request,
        obj=warehouse,
        title=str(warehouse),
        fields=[
            (_("Code"), warehouse.code),
            (_("Name"), warehouse.name),
            (_("Address"), warehouse.address),
            (_("Manager"), warehouse.manager),
            (_("Active"), warehouse.is_active),
        ],
        actions=actions,
        edit_url=reverse("inventory:warehouse_edit", args=[pk]) if can_manage else None,
        back_url=reverse("inventory:warehouse_list"),
    )


@company_view(perm=MANAGE_WAREHOUSE, module=modules.ERP)
def warehouse_create(request: HttpRequest) -> HttpResponse:
    def save(data: dict):
        data.pop("version", None)
        return warehouses.warehouse_create(actor=request.user, company=request.company, **data)

    return form_page(
        request,
        form=WarehouseForm(request.company, request.POST or None),
        title=_("New warehouse"),
        on_valid=save,
        success_url=lambda w: reverse("inventory:warehouse_detail", args=[w.pk]),
        back_url=reverse("inventory:warehouse_list"),
    )


@company_view(perm=MANAGE_WAREHOUSE, module=modules.ERP)
def warehouse_edit(request: HttpRequest, pk) -> HttpResponse:
    warehouse = access_warehouse(user=request.user, company=request.company, id=pk)
    form = WarehouseForm(
        request.company,
        request.POST or None,
        initial={
            "code": warehouse.code,
            "name": warehouse.name,
            "address": warehouse.address,
            "manager": warehouse.manager_id,
            "is_active": warehouse.is_active,
            "version": warehouse.version,
        },
    )

    def save(data: dict):
        version = data.pop("version")
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
@company_view(perm=MANAGE_WAREHOUSE, module=modules.ERP)
def warehouse_deactivate(request: HttpRequest, pk) -> HttpResponse:
    warehouse = access_warehouse(user=request.user, company=request.company, id=pk)
    warehouses.warehouse_deactivate(actor=request.user, company=request.company, warehouse=warehouse)
    return redirect("inventory:warehouse_detail", pk=pk)


@company_view(perm=VIEW_STOCK, module=modules.ERP)
def stock_alert_list(request: HttpRequest) -> HttpResponse:
    qs = StockAlert.objects.filter(company=request.company).select_related("product", "product__base_unit")
    spec = ListSpec(
        title=_("Stock alerts"),
        columns=[
            Column("product", _("Product")),
            Column("available", _("Available")),
            Column("safety_stock", _("Safety stock")),
            Column("state", _("State")),
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
    )
    return list_page(request, qs, spec)
