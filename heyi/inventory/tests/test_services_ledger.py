"""The stock ledger as a warehouse keeper and a cost accountant see it."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import make_member
from heyi.catalog.errors import UnitNotConvertible
from heyi.catalog.services.products import product_unit_create
from heyi.catalog.services.units import unit_create
from heyi.inventory.errors import AlreadyReversed, InsufficientStock, NotReserved
from heyi.inventory.models import (
    CostAdjustment,
    InventorySettings,
    ProductValuation,
    StockAlert,
    StockBalance,
    StockMove,
    Warehouse,
)
from heyi.inventory.selectors import batches_fefo, reserved_for, stock_available, stock_differences
from heyi.inventory.services.ledger import (
    MoveLine,
    Origin,
    stock_issue,
    stock_move_reverse,
    stock_release,
    stock_reserve,
    stock_transfer,
)
from heyi.inventory.services.warehouses import special_warehouse
from heyi.platform.errors import ValidationFailed
from heyi.platform.models import Notification, OutboxEvent

from .factories import make_product, make_warehouse, receive

D = Decimal
ORDER = Origin("sales.order_line", "line-1", "SO-2026-000001")


@pytest.fixture
def printer(company, admin):
    return make_product(company, admin, "PRN-001", "激光打印机")


@pytest.fixture
def hz(company, admin):
    return make_warehouse(company, admin, "HZ", priority=1)


@pytest.fixture
def sh(company, admin):
    return make_warehouse(company, admin, "SH", priority=2)


def _issue(company, admin, product, warehouse, quantity, **line):
    return stock_issue(
        actor=admin,
        company=company,
        origin=Origin("sales.delivery", "dn-1", "DN-2026-000001"),
        lines=[MoveLine(product, warehouse, D(quantity), **line)],
    )


def _valuation(company, product):
    v = ProductValuation.objects.get(company=company, product=product)
    return v.quantity, v.value, v.average_cost


def _balance(company, product, warehouse):
    b = StockBalance.objects.get(company=company, product=product, warehouse=warehouse)
    return b.on_hand, b.reserved


def test_moving_average_follows_a_hand_computed_example(company, admin, printer, hz):
    receive(company, admin, printer, hz, 10, "10")
    receive(company, admin, printer, hz, 30, "14")
    assert _valuation(company, printer) == (D("40"), D("520.00"), D("13.000000"))
    (out,) = _issue(company, admin, printer, hz, 15)
    assert (out.quantity, out.unit_cost, out.value) == (D("-15"), D("13"), D("-195.00"))
    receive(company, admin, printer, hz, 5, "19")
    assert _valuation(company, printer) == (D("30"), D("420.00"), D("14.000000"))
    (last,) = _issue(company, admin, printer, hz, 30)
    assert last.value == D("-420.00")
    assert _valuation(company, printer)[:2] == (D("0"), D("0.00"))
    assert stock_differences(company) == []


def test_the_last_unit_out_takes_the_remaining_value_so_no_cent_is_left(company, admin, printer, hz):
    receive(company, admin, printer, hz, 3, "10")
    receive(company, admin, printer, hz, 0 + 1, "10.01")
    moves = [_issue(company, admin, printer, hz, 1)[0] for _ in range(4)]
    assert sum(m.value for m in moves) == D("-40.01")
    assert _valuation(company, printer)[:2] == (D("0"), D("0.00"))


def test_units_are_converted_on_every_move(company, admin, printer, hz):
    box = unit_create(actor=admin, company=company, code="box", name="箱", category="count", ratio=None)
    product_unit_create(actor=admin, company=company, product=printer, unit=box, factor=D("12"))
    move = receive(company, admin, printer, hz, 2, "120", unit=box)
    assert (move.quantity, move.entered_quantity, move.entered_unit, move.unit_cost) == (
        D("24"),
        D("2"),
        box,
        D("10"),
    )
    kg = unit_create(actor=admin, company=company, code="kg", name="千克", category="weight", ratio=D(1))
    with pytest.raises(UnitNotConvertible):
        _issue(company, admin, printer, hz, 1, unit=kg)
    assert _balance(company, printer, hz) == (D("24"), D("0"))


def test_a_reservation_holds_stock_that_only_its_own_delivery_may_take(company, admin, printer, hz):
    receive(company, admin, printer, hz, 10, "50")
    assert stock_reserve(actor=admin, company=company, origin=ORDER, product=printer, quantity=D(8)) == D(8)
    assert stock_available(company, printer) == D(2)
    with pytest.raises(InsufficientStock) as caught:
        _issue(company, admin, printer, hz, 3)
    assert caught.value.code == "insufficient_stock"
    assert _balance(company, printer, hz) == (D("10"), D("8")), "a refused issue changes nothing"
    with pytest.raises(NotReserved):
        _issue(company, admin, printer, hz, 9, reservation=ORDER)
    _issue(company, admin, printer, hz, 5, reservation=ORDER)
    assert _balance(company, printer, hz) == (D("5"), D("3"))
    assert stock_release(actor=admin, company=company, origin=ORDER) == D(3)
    assert _balance(company, printer, hz) == (D("5"), D("0"))
    assert stock_differences(company) == []


def test_reservations_take_warehouses_in_priority_order_and_can_be_partial(company, admin, printer, hz, sh):
    receive(company, admin, printer, sh, 4, "50")
    receive(company, admin, printer, hz, 3, "50")
    held = stock_reserve(actor=admin, company=company, origin=ORDER, product=printer, quantity=D(6))
    assert held == D(6)
    assert _balance(company, printer, hz) == (D("3"), D("3")), "the first warehouse is emptied first"
    assert _balance(company, printer, sh) == (D("4"), D("3"))
    other = Origin("sales.order_line", "line-2", "SO-2026-000002")
    with pytest.raises(InsufficientStock):
        stock_reserve(actor=admin, company=company, origin=other, product=printer, quantity=D(5))
    assert stock_reserve(
        actor=admin, company=company, origin=other, product=printer, quantity=D(5), partial=True
    ) == D(1)
    shortage = OutboxEvent.objects.get(company=company, type="inventory.stock_shortage")
    assert shortage.subject_id == "line-2" and D(shortage.data["shortfall"]) == D(4)


def test_negative_stock_is_refused_unless_the_company_allows_it(company, admin, printer, hz):
    with pytest.raises(InsufficientStock):
        _issue(company, admin, printer, hz, 1)
    assert not StockMove.objects.filter(company=company).exists()
    InventorySettings.objects.create(company=company, allow_negative_stock=True)
    _issue(company, admin, printer, hz, 2)
    assert _balance(company, printer, hz) == (D("-2"), D("0"))
    assert stock_differences(company) == []


def test_a_transfer_goes_through_transit_and_keeps_the_value(company, admin, printer, hz, sh):
    receive(company, admin, printer, hz, 10, "12.5")
    transit = special_warehouse(company=company, kind=Warehouse.Kind.TRANSIT)
    shipped = stock_transfer(
        actor=admin,
        company=company,
        origin=Origin("inventory.transfer", "t1", "TR-1"),
        lines=[MoveLine(printer, hz, D(4))],
        to_warehouse=transit,
    )
    assert [(m.warehouse, m.quantity, m.value) for m in shipped] == [
        (hz, D("-4"), D("-50.00")),
        (transit, D("4"), D("50.00")),
    ]
    assert stock_available(company, printer) == D(6), "goods in transit are not available"
    stock_transfer(
        actor=admin,
        company=company,
        origin=Origin("inventory.transfer", "t1", "TR-1"),
        lines=[MoveLine(printer, transit, D(4))],
        to_warehouse=sh,
    )
    assert _balance(company, printer, sh) == (D("4"), D("0"))
    assert _valuation(company, printer) == (D("10"), D("125.00"), D("12.500000"))
    assert stock_differences(company) == []


def test_a_move_is_reversed_once_and_never_edited(company, admin, printer, hz):
    move = receive(company, admin, printer, hz, 5, "20")
    reversal = stock_move_reverse(actor=admin, company=company, move=move)
    assert (reversal.quantity, reversal.value, reversal.reverses) == (D("-5"), D("-100.00"), move)
    assert _balance(company, printer, hz) == (D("0"), D("0"))
    with pytest.raises(AlreadyReversed):
        stock_move_reverse(actor=admin, company=company, move=move)
    assert StockMove.objects.filter(company=company).count() == 2


def test_a_back_dated_receipt_revalues_later_deliveries_of_that_product_only(company, admin, printer, hz):
    toner = make_product(company, admin, "TNR-01", "硒鼓")
    day = lambda n: datetime.datetime(2026, 3, n, 9, tzinfo=datetime.UTC)  # noqa: E731
    receive(company, admin, printer, hz, 10, "10", when=day(1))
    receive(company, admin, toner, hz, 10, "10", when=day(1))
    delivery = stock_issue(
        actor=admin,
        company=company,
        origin=Origin("sales.delivery", "d3", "DN-3"),
        lines=[MoveLine(printer, hz, D(10)), MoveLine(toner, hz, D(5))],
        occurred_at=day(3),
    )
    assert delivery[0].value == D("-100.00")
    late = receive(company, admin, printer, hz, 10, "20", when=day(2))
    adjustment = CostAdjustment.objects.get(company=company)
    assert (adjustment.move, adjustment.cause, adjustment.amount) == (delivery[0], late, D("-50.00"))
    assert _valuation(company, printer) == (D("10"), D("150.00"), D("15.000000"))
    assert _valuation(company, toner) == (D("5"), D("50.00"), D("10.000000")), "other products untouched"
    assert stock_differences(company) == []


def test_a_back_dated_delivery_that_would_have_taken_stock_below_zero_is_refused(company, admin, printer, hz):
    receive(company, admin, printer, hz, 10, "10", when=datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC))
    with pytest.raises(InsufficientStock):
        stock_issue(
            actor=admin,
            company=company,
            origin=Origin("sales.delivery", "d", "DN"),
            lines=[MoveLine(printer, hz, D(4))],
            occurred_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        )
    assert StockMove.objects.filter(company=company).count() == 1
    assert stock_differences(company) == []


def test_batches_are_suggested_first_expiry_first_out(company, admin, printer, hz):
    from heyi.inventory.models import Batch

    late = Batch.objects.create(
        company=company, product=printer, code="B-LATE", expiry_date=datetime.date(2027, 6, 1)
    )
    soon = Batch.objects.create(
        company=company, product=printer, code="B-SOON", expiry_date=datetime.date(2027, 1, 1)
    )
    receive(company, admin, printer, hz, 5, "10", batch=late)
    receive(company, admin, printer, hz, 3, "10", batch=soon)
    assert batches_fefo(company, printer, hz) == [(soon, D("3")), (late, D("5"))]
    with pytest.raises(InsufficientStock):
        _issue(company, admin, printer, hz, 4, batch=soon)
    _issue(company, admin, printer, hz, 3, batch=soon)
    assert batches_fefo(company, printer, hz) == [(late, D("5"))]
    assert stock_differences(company) == []


def test_falling_below_safety_stock_alerts_purchasing_once_and_closes_when_refilled(company, admin, hz):
    buyer = make_member(company, "buyer", roles=["purchasing"])
    paper = make_product(company, admin, "PAPER-A4", "A4复印纸", safety_stock=D("20"))
    receive(company, admin, paper, hz, 30, "18")
    _issue(company, admin, paper, hz, 12)
    alert = StockAlert.objects.get(company=company, product=paper)
    assert (alert.state, alert.available, alert.safety_stock) == ("open", D("18"), D("20"))
    _issue(company, admin, paper, hz, 1)
    assert StockAlert.objects.filter(company=company).count() == 1, "one open alert per product"
    assert OutboxEvent.objects.filter(company=company, type="inventory.stock_below_safety").count() == 1
    assert (
        Notification.objects.filter(
            company=company, recipient=buyer, kind="inventory.stock_below_safety"
        ).count()
        == 1
    )
    receive(company, admin, paper, hz, 10, "18")
    alert.refresh_from_db()
    assert alert.state == "closed"


@pytest.mark.parametrize(
    "quantity, field",
    [(D("0"), "quantity"), (D("-3"), "quantity"), (D("NaN"), "quantity"), (D("Infinity"), "quantity")],
)
def test_bad_quantities_are_refused_per_line(company, admin, printer, hz, quantity, field):
    with pytest.raises(ValidationFailed) as caught:
        _issue(company, admin, printer, hz, quantity)
    assert f"lines[0].{field}" in caught.value.fields


def test_another_companys_product_or_warehouse_is_not_found(
    company, admin, printer, hz, other_company, outsider
):
    theirs = make_product(other_company, outsider, "X-1")
    their_wh = make_warehouse(other_company, outsider, "X")
    with pytest.raises(ValidationFailed) as caught:
        receive(company, admin, theirs, hz, 1, "1")
    assert caught.value.fields == {"lines[0].product": ["Not found."]}
    with pytest.raises(ValidationFailed) as caught:
        receive(company, admin, printer, their_wh, 1, "1")
    assert caught.value.fields == {"lines[0].warehouse": ["Not found."]}
    assert not StockMove.objects.exists()


def test_check_stock_finds_a_balance_changed_behind_the_ledgers_back(company, admin, printer, hz):
    receive(company, admin, printer, hz, 5, "10")
    call_command("check_stock")
    StockBalance.objects.filter(company=company).update(on_hand=D("6"))
    with pytest.raises(CommandError):
        call_command("check_stock", company=company.code)
    assert any("on hand" in line for line in stock_differences(company))
    StockBalance.objects.filter(company=company).update(on_hand=D("5"))


def test_a_count_that_finds_less_than_is_reserved_takes_it_from_the_newest_reservations(
    company, admin, printer, hz
):
    receive(company, admin, printer, hz, 10, "10")
    first, newest = ORDER, Origin("sales.order_line", "line-2", "SO-2026-000002")
    stock_reserve(actor=admin, company=company, origin=first, product=printer, quantity=D(6))
    stock_reserve(actor=admin, company=company, origin=newest, product=printer, quantity=D(3))
    stock_issue(
        actor=admin,
        company=company,
        origin=Origin("inventory.stock_count", "sc-1", "SC-2026-000001"),
        lines=[MoveLine(printer, hz, D(5))],
        kind=StockMove.Kind.ADJUSTMENT,
    )
    assert _balance(company, printer, hz) == (D("5"), D("5"))
    assert reserved_for(company, first.type, first.id) == D(5)
    assert reserved_for(company, newest.type, newest.id) == D(0)
    shortages = OutboxEvent.objects.filter(company=company, type="inventory.stock_shortage").order_by(
        "occurred_at"
    )
    assert [(e.subject_id, D(e.data["shortfall"])) for e in shortages] == [("line-2", D(3)), ("line-1", D(1))]
    with pytest.raises(InsufficientStock):
        _issue(company, admin, printer, hz, 1)
