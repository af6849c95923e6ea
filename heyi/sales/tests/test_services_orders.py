"""Orders as the sales team uses them: numbering, draft edits, confirmation with reservations,
cancel and close, and bad input that changes nothing."""

from decimal import Decimal

import pytest

from heyi.catalog.errors import UnitNotConvertible
from heyi.catalog.models import Unit
from heyi.catalog.services.products import product_create
from heyi.catalog.services.units import unit_create
from heyi.inventory.errors import InsufficientStock
from heyi.inventory.models import Reservation, StockBalance
from heyi.inventory.selectors import stock_available, stock_differences
from heyi.partners.services.partners import partner_create
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import AuditEntry, OutboxEvent
from heyi.sales.models import SalesOrder, SalesOrderLine, SalesSettings
from heyi.sales.services.orders import (
    sales_order_cancel,
    sales_order_close,
    sales_order_confirm,
    sales_order_create,
    sales_order_update,
    sales_settings_update,
)


def test_a_new_order_is_a_numbered_draft_with_the_products_price_and_tax(company, admin, new_order, printer):
    order = new_order([(printer, "2")])
    assert order.state == "draft" and order.number.startswith("SO-") and order.number.endswith("-000001")
    line = order.lines.get()
    assert line.unit == printer.base_unit and line.unit_price == Decimal("2680")
    assert line.tax_rate == Decimal("0.13") and line.net_amount == Decimal("5360.00")
    assert order.total_amount == Decimal("6056.80") and order.owner == admin
    assert AuditEntry.objects.filter(object_id=str(order.pk), action="create").exists()
    assert new_order([(printer, "1")]).number.endswith("-000002")


def test_a_line_in_boxes_converts_to_the_base_unit(company, admin, customer, paper, units):
    order = sales_order_create(
        actor=admin,
        company=company,
        customer=customer,
        lines=[
            {"product": paper, "quantity": Decimal(3), "unit": units["box"], "unit_price": Decimal("210")}
        ],
    )
    line = order.lines.get()
    assert line.base_quantity == Decimal(30) and line.net_amount == Decimal("630.00")


@pytest.mark.parametrize("quantity", ["0", "-1"])
def test_zero_or_negative_quantity_is_refused(company, admin, customer, printer, quantity):
    with pytest.raises(ValidationFailed) as exc:
        sales_order_create(
            actor=admin,
            company=company,
            customer=customer,
            lines=[{"product": printer, "quantity": Decimal(quantity)}],
        )
    assert "lines[0].quantity" in exc.value.fields
    assert SalesOrder.objects.count() == 0


def test_a_unit_that_cannot_convert_is_refused(company, admin, customer, printer, units):
    with pytest.raises(UnitNotConvertible) as exc:
        sales_order_create(
            actor=admin,
            company=company,
            customer=customer,
            lines=[{"product": printer, "quantity": Decimal(1), "unit": units["kg"]}],
        )
    assert exc.value.status == 422 and "lines[0].unit" in exc.value.fields
    assert SalesOrder.objects.count() == 0 and SalesOrderLine.objects.count() == 0


def test_another_companys_product_or_customer_is_not_found(
    company, other_company, admin, outsider, customer, printer
):
    kg = unit_create(
        actor=outsider, company=other_company, code="kg", name="千克", category=Unit.Category.WEIGHT, ratio=1
    )
    tea = product_create(actor=outsider, company=other_company, sku="TEA", name="龙井", base_unit=kg)
    theirs = partner_create(actor=outsider, company=other_company, name="广州白云商贸", is_customer=True)
    with pytest.raises(ValidationFailed) as exc:
        sales_order_create(
            actor=admin, company=company, customer=customer, lines=[{"product": tea, "quantity": 1}]
        )
    assert "lines[0].product" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        sales_order_create(
            actor=admin, company=company, customer=theirs, lines=[{"product": printer, "quantity": 1}]
        )
    assert "customer" in exc.value.fields
    assert SalesOrder.objects.count() == 0


def test_bad_discount_price_and_rate_are_named_by_line(company, admin, customer, printer):
    with pytest.raises(ValidationFailed) as exc:
        sales_order_create(
            actor=admin,
            company=company,
            customer=customer,
            lines=[
                {"product": printer, "quantity": 1, "discount_percent": Decimal(101)},
                {"product": printer, "quantity": 1, "unit_price": Decimal(-1), "tax_rate": Decimal(13)},
            ],
        )
    assert set(exc.value.fields) == {"lines[0].discount_percent", "lines[1].unit_price", "lines[1].tax_rate"}


def test_a_draft_is_edited_with_its_version_and_a_stale_one_is_refused(
    company, admin, new_order, printer, paper
):
    order = new_order([(printer, "1")])
    changed = sales_order_update(
        actor=admin,
        company=company,
        order=order,
        data={
            "notes": "加急",
            "lines": [{"product": paper, "quantity": Decimal(10), "unit_price": Decimal("20")}],
        },
        version=1,
    )
    assert changed.version == 2 and changed.notes == "加急"
    assert changed.untaxed_amount == Decimal("200.00") and changed.lines.get().product == paper
    with pytest.raises(StaleVersion):
        sales_order_update(actor=admin, company=company, order=order, data={"notes": "旧"}, version=1)
    assert SalesOrder.objects.get(pk=order.pk).notes == "加急"


def test_confirm_reserves_stock_and_publishes(company, admin, printer, hangzhou, receive, confirmed):
    receive(printer, hangzhou, 10, "2000")
    order = confirmed([(printer, "4")])
    assert order.state == "confirmed" and order.confirmed_at is not None
    assert order.lines.get().reserved_quantity == 4
    assert stock_available(company, printer) == 6
    event = OutboxEvent.objects.get(type="sales.order_confirmed", subject_id=str(order.pk))
    assert event.data["shortages"] == []
    with pytest.raises(InvalidTransition):
        sales_order_confirm(actor=admin, company=company, order=order)
    assert stock_differences(company) == []


def test_the_orders_warehouse_is_reserved_first_then_the_others(
    company, admin, printer, hangzhou, shanghai, receive, confirmed
):
    receive(printer, hangzhou, 5, "2000")
    receive(printer, shanghai, 2, "2000")
    order = confirmed([(printer, "4")], warehouse=shanghai)
    held = {r.warehouse_id: r.quantity for r in Reservation.objects.filter(company=company)}
    assert held == {shanghai.pk: 2, hangzhou.pk: 2}
    assert order.lines.get().reserved_quantity == 4


def test_a_shortage_with_backorder_confirms_what_there_is(
    company, admin, printer, hangzhou, receive, confirmed
):
    receive(printer, hangzhou, 3, "2000")
    order = confirmed([(printer, "5")])
    assert order.state == "confirmed" and order.lines.get().reserved_quantity == 3
    event = OutboxEvent.objects.get(type="sales.order_confirmed")
    assert event.data["shortages"][0]["quantity"] == "2.0000"
    assert OutboxEvent.objects.filter(type="inventory.stock_shortage").count() == 1
    assert stock_differences(company) == []


def test_a_shortage_with_refuse_changes_nothing(company, admin, printer, hangzhou, receive, new_order, paper):
    sales_settings_update(actor=admin, company=company, on_shortage=SalesSettings.OnShortage.REFUSE)
    receive(printer, hangzhou, 3, "2000")
    receive(paper, hangzhou, 100, "15")
    order = new_order([(paper, "10"), (printer, "5")])
    with pytest.raises(InsufficientStock) as exc:
        sales_order_confirm(actor=admin, company=company, order=order)
    assert exc.value.code == "insufficient_stock" and exc.value.status == 422
    assert "lines[1].quantity" in exc.value.fields
    order.refresh_from_db()
    assert order.state == "draft" and order.version == 1
    assert not Reservation.objects.exists()
    assert set(StockBalance.objects.values_list("reserved", flat=True)) == {0}
    assert stock_differences(company) == []


def test_services_are_not_reserved(company, admin, installation, confirmed):
    order = confirmed([(installation, "2")])
    assert order.state == "confirmed" and not Reservation.objects.exists()


def test_cancel_releases_the_reservation(company, admin, printer, hangzhou, receive, confirmed):
    receive(printer, hangzhou, 5, "2000")
    order = confirmed([(printer, "4")])
    cancelled = sales_order_cancel(actor=admin, company=company, order=order)
    assert cancelled.state == "cancelled" and cancelled.lines.get().reserved_quantity == 0
    assert stock_available(company, printer) == 5 and not Reservation.objects.exists()
    assert OutboxEvent.objects.filter(type="sales.order_cancelled").exists()
    with pytest.raises(InvalidTransition):
        sales_order_close(actor=admin, company=company, order=cancelled)
    assert stock_differences(company) == []


def test_a_confirmed_order_is_no_longer_editable(company, admin, new_order, printer):
    order = sales_order_confirm(actor=admin, company=company, order=new_order([(printer, "1")]))
    with pytest.raises(InvalidTransition):
        sales_order_update(
            actor=admin, company=company, order=order, data={"notes": "x"}, version=order.version
        )


def test_a_salesperson_sees_and_confirms_only_their_own_orders(
    company, admin, sales, sales2, sales_manager, printer, customer, new_order
):
    mine = new_order([(printer, "1")], actor=sales)
    assert mine.owner == sales
    with pytest.raises(NotFound):
        sales_order_confirm(actor=sales2, company=company, order=mine)
    sales_order_confirm(actor=sales_manager, company=company, order=mine)
    with pytest.raises(ValidationFailed) as exc:
        new_order([(printer, "1")], actor=sales, owner=sales2)
    assert "owner" in exc.value.fields
    assert new_order([(printer, "1")], actor=sales_manager, owner=sales2).owner == sales2


def test_finance_sees_but_does_not_sell(company, finance, customer, printer):
    with pytest.raises(NotPermitted):
        sales_order_create(
            actor=finance, company=company, customer=customer, lines=[{"product": printer, "quantity": 1}]
        )
