"""Deliveries and returns: partial shipments, backorders, over-shipping refused, batches first to
expire first, returns at the shipped cost, and the ledger in step after each."""

from decimal import Decimal

import pytest

from heyi.inventory.models import Batch, StockMove
from heyi.inventory.selectors import stock_available, stock_differences
from heyi.inventory.services.ledger import MoveLine, Origin, stock_receive
from heyi.platform.errors import InvalidTransition, NotPermitted
from heyi.platform.models import OutboxEvent
from heyi.sales.errors import NothingToDeliver, OverDelivery, OverReturn
from heyi.sales.services.deliveries import (
    delivery_cancel,
    delivery_confirm,
    delivery_create,
    delivery_pick,
    delivery_ship,
)
from heyi.sales.services.orders import sales_order_cancel, sales_order_close
from heyi.sales.services.returns import sales_return_confirm, sales_return_create


def _ship(company, actor, delivery, **kw):
    delivery_confirm(actor=actor, company=company, delivery=delivery)
    return delivery_ship(actor=actor, company=company, delivery=delivery, **kw)


def test_a_delivery_takes_what_can_go_and_the_rest_is_a_backorder(
    company, admin, printer, hangzhou, receive, confirmed
):
    receive(printer, hangzhou, 3, "2000")
    order = confirmed([(printer, "5")])
    first = delivery_create(actor=admin, company=company, order=order)
    assert first.number.startswith("DN-") and first.lines.get().quantity == 3
    shipped = _ship(company, admin, first, carrier="顺丰速运", tracking_number="SF1234567890")
    assert shipped.state == "shipped" and shipped.tracking_number == "SF1234567890"
    order.refresh_from_db()
    line = order.lines.get()
    assert (
        order.state == "partially_delivered" and line.delivered_quantity == 3 and line.reserved_quantity == 0
    )
    assert shipped.lines.get().cost_amount == Decimal("6000.00")
    with pytest.raises(NothingToDeliver):
        delivery_create(actor=admin, company=company, order=order)

    receive(printer, hangzhou, 4, "2300")
    second = delivery_create(actor=admin, company=company, order=order)
    assert second.lines.get().quantity == 2
    _ship(company, admin, second)
    order.refresh_from_db()
    assert order.state == "delivered" and order.lines.get().delivered_quantity == 5
    assert stock_available(company, printer) == 2
    assert OutboxEvent.objects.filter(type="sales.delivery_shipped").count() == 2
    assert sales_order_close(actor=admin, company=company, order=order).state == "closed"
    assert stock_differences(company) == []


def test_more_than_is_left_to_deliver_is_refused_and_nothing_moves(
    company, admin, printer, hangzhou, receive, confirmed
):
    receive(printer, hangzhou, 10, "2000")
    order = confirmed([(printer, "4")])
    line = order.lines.get()
    with pytest.raises(OverDelivery) as exc:
        delivery_create(
            actor=admin, company=company, order=order, lines=[{"order_line": line, "quantity": Decimal(5)}]
        )
    assert exc.value.status == 422 and "lines[0].quantity" in exc.value.fields
    first = delivery_create(
        actor=admin, company=company, order=order, lines=[{"order_line": line, "quantity": 3}]
    )
    with pytest.raises(OverDelivery):
        delivery_create(
            actor=admin, company=company, order=order, lines=[{"order_line": line, "quantity": 2}]
        )
    _ship(company, admin, first)
    assert StockMove.objects.filter(kind="delivery").count() == 1
    assert stock_differences(company) == []


def test_shipping_more_than_is_left_is_refused_at_ship_time(
    company, admin, printer, hangzhou, receive, confirmed
):
    receive(printer, hangzhou, 10, "2000")
    order = confirmed([(printer, "4")])
    line = order.lines.get()
    first = delivery_create(
        actor=admin, company=company, order=order, lines=[{"order_line": line, "quantity": 4}]
    )
    delivery_cancel(actor=admin, company=company, delivery=first)
    second = delivery_create(
        actor=admin, company=company, order=order, lines=[{"order_line": line, "quantity": 4}]
    )
    _ship(company, admin, second)
    # the cancelled note cannot come back to life and ship the same goods twice
    with pytest.raises(InvalidTransition):
        delivery_pick(actor=admin, company=company, delivery=first)
    assert order.lines.get().delivered_quantity == 4
    assert stock_differences(company) == []


def test_shipping_needs_packing_and_the_warehouse_permission(
    company, admin, sales, warehouse_user, printer, hangzhou, receive, confirmed
):
    receive(printer, hangzhou, 2, "2000")
    order = confirmed([(printer, "1")], owner=sales)
    delivery = delivery_create(actor=sales, company=company, order=order)
    with pytest.raises(InvalidTransition):
        delivery_ship(actor=warehouse_user, company=company, delivery=delivery)
    with pytest.raises(NotPermitted):
        delivery_confirm(actor=sales, company=company, delivery=delivery)
    _ship(company, warehouse_user, delivery)
    assert delivery.lines.get().move.kind == "delivery"


def test_batches_are_suggested_first_expiry_first(company, admin, paper, hangzhou, confirmed):
    late = Batch.objects.create(company=company, product=paper, code="B-LATE", expiry_date="2027-12-31")
    early = Batch.objects.create(company=company, product=paper, code="B-EARLY", expiry_date="2027-03-31")
    stock_receive(
        actor=admin,
        company=company,
        origin=Origin(type="test.receipt", id="1"),
        lines=[
            MoveLine(
                product=paper, warehouse=hangzhou, quantity=Decimal(50), batch=late, unit_cost=Decimal(15)
            ),
            MoveLine(
                product=paper, warehouse=hangzhou, quantity=Decimal(50), batch=early, unit_cost=Decimal(15)
            ),
        ],
    )
    order = confirmed([(paper, "20")])
    delivery = delivery_create(actor=admin, company=company, order=order)
    assert delivery.lines.get().batch == early
    _ship(company, admin, delivery)
    assert stock_differences(company) == []


def test_a_return_comes_back_at_the_shipped_cost(company, admin, printer, hangzhou, receive, confirmed):
    receive(printer, hangzhou, 4, "2000")
    order = confirmed([(printer, "4")])
    delivery = _ship(company, admin, delivery_create(actor=admin, company=company, order=order))
    receive(printer, hangzhou, 4, "3000")  # the average is now 2500; the return must not use it
    dl = delivery.lines.get()
    sales_return = sales_return_create(
        actor=admin,
        company=company,
        delivery=delivery,
        lines=[{"delivery_line": dl, "quantity": Decimal(1)}],
        reason="外壳破损",
    )
    assert sales_return.number.startswith("SR-") and sales_return.state == "draft"
    with pytest.raises(OverReturn):
        sales_return_create(
            actor=admin, company=company, delivery=delivery, lines=[{"delivery_line": dl, "quantity": 4}]
        )
    received = sales_return_confirm(actor=admin, company=company, sales_return=sales_return)
    assert received.state == "received"
    move = received.lines.get().move
    assert (
        move.kind == "customer_return"
        and move.unit_cost == Decimal("2000")
        and move.value == Decimal("2000.00")
    )
    order.refresh_from_db()
    assert order.lines.get().returned_quantity == 1
    assert stock_available(company, printer) == 5
    assert OutboxEvent.objects.filter(type="sales.return_received").exists()
    assert stock_differences(company) == []


def test_cancelling_an_order_cancels_its_open_deliveries(
    company, admin, printer, hangzhou, receive, confirmed
):
    receive(printer, hangzhou, 5, "2000")
    order = confirmed([(printer, "2")])
    delivery = delivery_create(actor=admin, company=company, order=order)
    sales_order_cancel(actor=admin, company=company, order=order)
    delivery.refresh_from_db()
    assert delivery.state == "cancelled" and stock_available(company, printer) == 5
    assert stock_differences(company) == []


def test_a_service_line_ships_without_stock_and_cannot_come_back(company, admin, installation, confirmed):
    from heyi.platform.errors import ValidationFailed

    order = confirmed([(installation, "3")])
    delivery = _ship(company, admin, delivery_create(actor=admin, company=company, order=order))
    line = delivery.lines.get()
    assert line.warehouse is None and line.move is None and line.cost_amount == 0
    order.refresh_from_db()
    assert order.state == "delivered"
    with pytest.raises(ValidationFailed) as exc:
        sales_return_create(
            actor=admin, company=company, delivery=delivery, lines=[{"delivery_line": line, "quantity": 1}]
        )
    assert "lines[0].delivery_line" in exc.value.fields


def test_a_receipt_dated_before_a_shipment_moves_its_cost_into_the_orders_margin(
    company, admin, printer, hangzhou, confirmed
):
    import datetime

    from heyi.sales.selectors import order_margin

    march = lambda day: datetime.datetime(2026, 3, day, 9, tzinfo=datetime.UTC)  # noqa: E731
    stock_receive(
        actor=admin,
        company=company,
        origin=Origin("test.receipt", "r1", "GR-1"),
        lines=[MoveLine(printer, hangzhou, Decimal(10), unit_cost=Decimal("2000"))],
        occurred_at=march(1),
    )
    order = confirmed([(printer, 10, "2680")])
    _ship(company, admin, delivery_create(actor=admin, company=company, order=order))
    assert order_margin(order) == (Decimal("26800.00"), Decimal("20000.00"))
    stock_receive(
        actor=admin,
        company=company,
        origin=Origin("test.receipt", "r2", "GR-2"),
        lines=[MoveLine(printer, hangzhou, Decimal(10), unit_cost=Decimal("2200"))],
        occurred_at=march(2),
    )
    assert order_margin(order) == (Decimal("26800.00"), Decimal("21000.00")), (
        "shipped at the average of 2,100"
    )
    assert stock_differences(company) == []
