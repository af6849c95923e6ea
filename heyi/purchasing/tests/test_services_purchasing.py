"""Requisitions from shortages and alerts, the approval seam, the best price, bad input."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from heyi.approvals.models import ApprovalInstance
from heyi.approvals.services.tasks import approval_task_approve
from heyi.approvals.services.templates import approval_template_create
from heyi.inventory.events import StockShortage
from heyi.inventory.models import StockAlert
from heyi.platform.errors import InvalidTransition, NotPermitted, StaleVersion
from heyi.platform.eventbus import publish
from heyi.purchasing import approval
from heyi.purchasing.errors import AlreadyRequested, NoSupplier
from heyi.purchasing.models import PurchaseOrder, PurchaseRequisition
from heyi.purchasing.selectors import best_supplier_price
from heyi.purchasing.services.orders import (
    OrderLineIn,
    purchase_order_confirm,
    purchase_order_create,
    purchase_order_from_requisitions,
    purchase_order_update,
)
from heyi.purchasing.services.requisitions import (
    RequisitionLineIn,
    purchase_requisition_create,
    purchase_requisition_from_alert,
    purchase_requisition_submit,
)

D = Decimal


def _confirmed(company, buyer, supplier, product, price, days_ago, unit=None, quantity="10"):
    order = purchase_order_create(
        actor=buyer,
        company=company,
        supplier=supplier,
        order_date=datetime.date.today() - datetime.timedelta(days=days_ago),
        lines=[OrderLineIn(product=product, quantity=D(quantity), unit=unit, unit_price=D(price))],
    )
    return purchase_order_confirm(actor=buyer, company=company, order=order)


def test_the_best_price_is_each_suppliers_latest_recent_price_ties_to_the_most_recent(
    company, buyer, supplier, supplier2, toner, box
):
    assert best_supplier_price(company, toner) is None
    _confirmed(company, buyer, supplier, toner, "290", days_ago=400)  # too old to count
    _confirmed(company, buyer, supplier2, toner, "300", days_ago=30)
    _confirmed(company, buyer, supplier, toner, "3000", days_ago=10, unit=box, quantity="1")  # 300 per piece
    best = best_supplier_price(company, toner)
    assert best.supplier_id == supplier.pk and best.base_unit_price == D("300.000000")
    assert best.unit_price_in(box, toner) == D("3000.000000")
    _confirmed(company, buyer, supplier2, toner, "299.5", days_ago=1)
    assert best_supplier_price(company, toner).supplier_id == supplier2.pk


def test_a_shortage_event_adds_lines_to_one_open_automatic_requisition(company, admin, toner, resistor):
    def shortage(product, quantity, reference):
        with transaction.atomic():
            publish(
                StockShortage(
                    company_id=company.pk,
                    actor_id=admin.pk,
                    subject_type="sales.order_line",
                    subject_id=f"{reference}-1",
                    product_id=str(product.pk),
                    shortfall=D(quantity),
                    reference=reference,
                )
            )

    shortage(toner, "7", "SO-2026-000001")
    shortage(resistor, "2500", "SO-2026-000002")
    requisition = PurchaseRequisition.objects.get()
    assert requisition.source == "shortage" and requisition.status == "approved"
    assert [(line.product, line.quantity) for line in requisition.lines.all()] == [
        (toner, D(7)),
        (resistor, D(2500)),
    ]
    assert requisition.lines.first().origin_reference == "SO-2026-000001"

    requisition.status = "ordered"  # as if a buyer had ordered it
    requisition.save()
    shortage(toner, "1", "SO-2026-000003")
    assert PurchaseRequisition.objects.filter(source="shortage", status="approved").count() == 1


def test_a_stock_alert_proposes_up_to_the_reorder_point_once(company, buyer, toner):
    alert = StockAlert.objects.create(company=company, product=toner, available=D(8), safety_stock=D(20))
    requisition = purchase_requisition_from_alert(actor=buyer, company=company, alert=alert)
    line = requisition.lines.get()
    assert requisition.source == "stock_alert" and requisition.status == "draft"
    assert line.quantity == D(42)  # reorder point 50 - available 8
    with pytest.raises(AlreadyRequested):
        purchase_requisition_from_alert(actor=buyer, company=company, alert=alert)


def test_the_approval_seam_holds_documents_until_the_engine_decides(
    company, admin, clerk, buyer, supplier, toner
):
    boss = {
        "nodes": [
            {"id": "start", "type": "start", "next": "boss"},
            {
                "id": "boss",
                "type": "approve",
                "name": "总经理",
                "approvers": [{"kind": "user", "user": str(admin.pk)}],
                "next": "end",
            },
            {"id": "end", "type": "end"},
        ]
    }
    for code, kind in (("requisitions", approval.REQUISITION), ("orders", approval.ORDER)):
        approval_template_create(
            actor=admin, company=company, code=code, name=code, document_type=kind, flow=boss
        )
    requisition = purchase_requisition_create(
        actor=clerk, company=company, lines=[RequisitionLineIn(product=toner, quantity=D(1))]
    )
    purchase_requisition_submit(actor=clerk, company=company, requisition=requisition)
    requisition.refresh_from_db()
    assert requisition.status == "submitted"
    order = purchase_order_create(
        actor=buyer, company=company, supplier=supplier, lines=[OrderLineIn(product=toner, quantity=D(1))]
    )
    purchase_order_confirm(actor=buyer, company=company, order=order)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SUBMITTED
    requests = {r.document_type: r for r in ApprovalInstance.objects.filter(company=company)}
    assert set(requests) == {approval.REQUISITION, approval.ORDER}
    assert requests[approval.ORDER].values == {"amount": str(order.total_gross), "supplier": supplier.name}
    for request in requests.values():
        approval_task_approve(actor=admin, company=company, instance=request)
    requisition.refresh_from_db()
    order.refresh_from_db()
    assert (requisition.status, order.status) == ("approved", "confirmed")
    assert (requisition.decided_by, order.confirmed_by) == (admin, admin)


def test_ordering_a_requisition_without_supplier_or_history_is_refused(company, clerk, buyer, toner):
    requisition = purchase_requisition_create(
        actor=clerk, company=company, lines=[RequisitionLineIn(product=toner, quantity=D(1))]
    )
    purchase_requisition_submit(actor=clerk, company=company, requisition=requisition)
    with pytest.raises(NoSupplier):
        purchase_order_from_requisitions(actor=buyer, company=company, requisitions=[requisition])
    requisition.refresh_from_db()
    assert requisition.status == "approved" and PurchaseOrder.objects.count() == 0


def test_versions_permissions_and_states(company, clerk, buyer, supplier, toner):
    with pytest.raises(NotPermitted):
        purchase_order_create(
            actor=clerk, company=company, supplier=supplier, lines=[OrderLineIn(product=toner, quantity=D(1))]
        )
    order = purchase_order_create(
        actor=buyer, company=company, supplier=supplier, lines=[OrderLineIn(product=toner, quantity=D(1))]
    )
    purchase_order_update(actor=buyer, company=company, order=order, data={"notes": "a"}, version=1)
    with pytest.raises(StaleVersion):
        purchase_order_update(actor=buyer, company=company, order=order, data={"notes": "b"}, version=1)
    purchase_order_confirm(actor=buyer, company=company, order=order)
    with pytest.raises(InvalidTransition):
        purchase_order_confirm(actor=buyer, company=company, order=order)
