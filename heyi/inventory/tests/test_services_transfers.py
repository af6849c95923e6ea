"""Transfers (调拨): goods leave one warehouse, wait in transit and arrive in another."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from heyi.catalog.services.products import product_unit_create
from heyi.catalog.services.units import unit_create
from heyi.inventory.errors import InsufficientStock
from heyi.inventory.models import BatchBalance, ProductValuation, StockBalance, StockMove, Transfer, Warehouse
from heyi.inventory.selectors import stock_differences
from heyi.inventory.services.batches import batch_create
from heyi.inventory.services.transfers import (
    TransferLineIn,
    transfer_cancel,
    transfer_create,
    transfer_receive,
    transfer_ship,
    transfer_update,
)
from heyi.inventory.services.warehouses import special_warehouse, warehouse_create
from heyi.platform.errors import Conflict, InvalidTransition, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import AuditEntry

from .factories import make_product, make_warehouse, receive

D = Decimal


@pytest.fixture
def printer(company, admin):
    return make_product(company, admin, "PRN-001", "激光打印机")


@pytest.fixture
def hz(company, admin):
    return make_warehouse(company, admin, "HZ", priority=1)


@pytest.fixture
def sh(company, admin):
    return make_warehouse(company, admin, "SH", priority=2)


def _on_hand(company, product, warehouse):
    row = StockBalance.objects.filter(company=company, product=product, warehouse=warehouse).first()
    return row.on_hand if row else D(0)


def _value(company, product):
    return ProductValuation.objects.get(company=company, product=product).value


def test_goods_wait_in_transit_between_ship_and_receive_and_keep_their_value(company, admin, printer, hz, sh):
    receive(company, admin, printer, hz, 10, "2050")
    transfer = transfer_create(
        actor=admin,
        company=company,
        from_warehouse=hz,
        to_warehouse=sh,
        lines=[TransferLineIn(printer, D(4))],
        note="上海展会备货",
    )
    year = timezone.localdate().year
    assert (transfer.number, transfer.state, transfer.version) == (f"TR-{year}-000001", "draft", 1)
    assert _on_hand(company, printer, hz) == 10, "a draft moves nothing"

    transfer_ship(actor=admin, company=company, transfer=transfer)
    transfer.refresh_from_db()
    transit = special_warehouse(company=company, kind=Warehouse.Kind.TRANSIT)
    assert transfer.state == Transfer.State.IN_TRANSIT and transfer.shipped_at is not None
    assert (
        _on_hand(company, printer, hz),
        _on_hand(company, printer, transit),
        _on_hand(company, printer, sh),
    ) == (
        6,
        4,
        0,
    )
    assert _value(company, printer) == D("20500.00"), "moving goods does not change what they are worth"

    transfer_receive(actor=admin, company=company, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.RECEIVED and transfer.received_at is not None
    assert (
        _on_hand(company, printer, hz),
        _on_hand(company, printer, transit),
        _on_hand(company, printer, sh),
    ) == (
        6,
        0,
        4,
    )
    assert _value(company, printer) == D("20500.00")
    moves = StockMove.objects.filter(
        company=company, origin_type="inventory.transfer", origin_id=str(transfer.pk)
    )
    assert moves.count() == 4 and {m.reference for m in moves} == {transfer.number}
    arrived = moves.get(warehouse=sh)
    assert (arrived.quantity, arrived.value, arrived.kind) == (D(4), D("8200.00"), StockMove.Kind.TRANSFER)
    assert sum(m.value for m in moves) == 0
    assert AuditEntry.objects.filter(object_id=str(transfer.pk), action="transition").count() == 2
    assert stock_differences(company) == []


def test_boxes_and_batches_move_in_base_units_with_their_batch(company, admin, printer, hz, sh):
    box = unit_create(actor=admin, company=company, code="box", name="箱", category="count", ratio=None)
    product_unit_create(actor=admin, company=company, product=printer, unit=box, factor=D(12))
    lot = batch_create(
        actor=admin, company=company, product=printer, code="L2026-01", expiry_date=datetime.date(2027, 6, 30)
    )
    receive(company, admin, printer, hz, 36, "100", batch=lot)
    transfer = transfer_create(
        actor=admin,
        company=company,
        from_warehouse=hz,
        to_warehouse=sh,
        lines=[TransferLineIn(printer, D(2), box, lot)],
    )
    transfer_ship(actor=admin, company=company, transfer=transfer)
    transfer_receive(actor=admin, company=company, transfer=transfer)
    assert _on_hand(company, printer, sh) == 24
    assert BatchBalance.objects.get(company=company, warehouse=sh, batch=lot).on_hand == 24
    assert BatchBalance.objects.get(company=company, warehouse=hz, batch=lot).on_hand == 12
    assert stock_differences(company) == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"quantity": D(0)}, "lines[0].quantity"),
        ({"quantity": D(-3)}, "lines[0].quantity"),
        ({"to": "hz"}, "to_warehouse_id"),
        ({"to": "transit"}, "to_warehouse_id"),
        ({"product": "theirs"}, "lines[0].product_id"),
        ({"to": "theirs"}, "to_warehouse_id"),
        ({"batch": "theirs"}, "lines[0].batch_id"),
    ],
)
def test_bad_transfers_are_refused_and_write_nothing(
    company, admin, other_company, outsider, printer, hz, sh, change, field
):
    their_product = make_product(other_company, outsider, "X-1")
    their_warehouse = make_warehouse(other_company, outsider, "X")
    their_batch = batch_create(actor=outsider, company=other_company, product=their_product, code="B1")
    to = {
        "hz": hz,
        "transit": special_warehouse(company=company, kind=Warehouse.Kind.TRANSIT),
        "theirs": their_warehouse,
    }.get(change.get("to"), sh)
    line = TransferLineIn(
        their_product if change.get("product") else printer,
        change.get("quantity", D(1)),
        batch=their_batch if change.get("batch") else None,
    )
    with pytest.raises(ValidationFailed) as caught:
        transfer_create(actor=admin, company=company, from_warehouse=hz, to_warehouse=to, lines=[line])
    assert field in caught.value.fields
    assert not Transfer.objects.exists()
    assert stock_differences(company) == []


def test_shipping_more_than_is_there_is_refused_and_the_transfer_stays_a_draft(
    company, admin, printer, hz, sh
):
    receive(company, admin, printer, hz, 3, "2050")
    transfer = transfer_create(
        actor=admin,
        company=company,
        from_warehouse=hz,
        to_warehouse=sh,
        lines=[TransferLineIn(printer, D(5))],
    )
    with pytest.raises(InsufficientStock):
        transfer_ship(actor=admin, company=company, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.DRAFT and transfer.shipped_at is None
    assert not StockMove.objects.filter(origin_type="inventory.transfer").exists()
    assert _on_hand(company, printer, hz) == 3
    assert stock_differences(company) == []


def test_a_draft_is_edited_with_its_version_and_frozen_once_shipped(company, admin, printer, hz, sh):
    receive(company, admin, printer, hz, 10, "2050")
    transfer = transfer_create(
        actor=admin,
        company=company,
        from_warehouse=hz,
        to_warehouse=sh,
        lines=[TransferLineIn(printer, D(1))],
    )
    transfer = transfer_update(
        actor=admin,
        company=company,
        transfer=transfer,
        data={},
        lines=[TransferLineIn(printer, D(3))],
        version=1,
    )
    assert transfer.version == 2 and transfer.lines.get().quantity == 3
    with pytest.raises(StaleVersion):
        transfer_update(actor=admin, company=company, transfer=transfer, data={"note": "旧"}, version=1)
    transfer_ship(actor=admin, company=company, transfer=transfer)
    with pytest.raises(Conflict):
        transfer_update(actor=admin, company=company, transfer=transfer, data={"note": "晚了"}, version=None)
    with pytest.raises(InvalidTransition):
        transfer_cancel(actor=admin, company=company, transfer=transfer)
    assert _on_hand(company, printer, hz) == 7
    assert stock_differences(company) == []


def test_a_cancelled_draft_is_never_shipped(company, admin, printer, hz, sh):
    receive(company, admin, printer, hz, 10, "2050")
    transfer = transfer_create(
        actor=admin,
        company=company,
        from_warehouse=hz,
        to_warehouse=sh,
        lines=[TransferLineIn(printer, D(1))],
    )
    transfer_cancel(actor=admin, company=company, transfer=transfer)
    with pytest.raises(InvalidTransition):
        transfer_ship(actor=admin, company=company, transfer=transfer)
    with pytest.raises(InvalidTransition):
        transfer_receive(actor=admin, company=company, transfer=transfer)
    assert _on_hand(company, printer, hz) == 10
    assert stock_differences(company) == []


def test_the_destination_may_be_a_quarantine_warehouse_but_not_an_inactive_one(company, admin, printer, hz):
    receive(company, admin, printer, hz, 2, "2050")
    quarantine = warehouse_create(actor=admin, company=company, code="QC", name="待检区", kind="quarantine")
    transfer = transfer_create(
        actor=admin,
        company=company,
        from_warehouse=hz,
        to_warehouse=quarantine,
        lines=[TransferLineIn(printer, D(2))],
    )
    transfer_ship(actor=admin, company=company, transfer=transfer)
    transfer_receive(actor=admin, company=company, transfer=transfer)
    assert _on_hand(company, printer, quarantine) == 2
    quarantine.is_active = False
    quarantine.save()
    with pytest.raises(ValidationFailed) as caught:
        transfer_create(
            actor=admin,
            company=company,
            from_warehouse=quarantine,
            to_warehouse=hz,
            lines=[TransferLineIn(printer, D(1))],
        )
    assert "from_warehouse_id" in caught.value.fields
    assert stock_differences(company) == []


def test_a_salesperson_cannot_move_stock(company, admin, sales, printer, hz, sh):
    receive(company, admin, printer, hz, 2, "2050")
    with pytest.raises(NotPermitted):
        transfer_create(
            actor=sales,
            company=company,
            from_warehouse=hz,
            to_warehouse=sh,
            lines=[TransferLineIn(printer, D(1))],
        )
    transfer = transfer_create(
        actor=admin,
        company=company,
        from_warehouse=hz,
        to_warehouse=sh,
        lines=[TransferLineIn(printer, D(1))],
    )
    with pytest.raises(NotPermitted):
        transfer_ship(actor=sales, company=company, transfer=transfer)
    assert Transfer.objects.get().state == Transfer.State.DRAFT
    assert stock_differences(company) == []
