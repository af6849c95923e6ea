"""Stock counts (盘点): count a warehouse and book what differs, at the moving-average cost."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from heyi.inventory.models import ProductValuation, StockBalance, StockCount, StockMove
from heyi.inventory.selectors import stock_differences
from heyi.inventory.services.batches import batch_create
from heyi.inventory.services.counts import (
    CountLineIn,
    stock_count_cancel,
    stock_count_create,
    stock_count_post,
    stock_count_start,
    stock_count_update,
)
from heyi.inventory.services.ledger import MoveLine, Origin, stock_issue
from heyi.platform.errors import Conflict, InvalidTransition, NotPermitted, StaleVersion, ValidationFailed

from .factories import make_product, make_warehouse, receive

D = Decimal


@pytest.fixture
def hz(company, admin):
    return make_warehouse(company, admin, "HZ")


@pytest.fixture
def toner(company, admin):
    return make_product(company, admin, "CON-TN-CF228", "惠普硒鼓 CF228A")


@pytest.fixture
def paper(company, admin):
    return make_product(company, admin, "CON-A4-70G", "A4复印纸")


def _valuation(company, product):
    v = ProductValuation.objects.get(company=company, product=product)
    return v.quantity, v.value


def _on_hand(company, product, warehouse):
    return StockBalance.objects.get(company=company, product=product, warehouse=warehouse).on_hand


def test_a_count_books_a_gain_at_the_average_cost_and_a_loss_at_it_too(company, admin, hz, toner, paper):
    receive(company, admin, toner, hz, 10, "300")
    receive(company, admin, toner, hz, 10, "340")  # average 320
    receive(company, admin, paper, hz, 50, "16.8")
    count = stock_count_create(
        actor=admin,
        company=company,
        warehouse=hz,
        lines=[CountLineIn(toner), CountLineIn(paper)],
        note="月末盘点",
    )
    assert count.number == f"SC-{timezone.localdate().year}-000001"
    assert [line.system_quantity for line in count.lines.all()] == [D(20), D(50)]
    stock_count_start(actor=admin, company=company, count=count)
    count.refresh_from_db()
    count = stock_count_update(
        actor=admin,
        company=company,
        count=count,
        data={},
        lines=[CountLineIn(toner, counted_quantity=D(22)), CountLineIn(paper, counted_quantity=D(47))],
        version=count.version,
    )
    stock_count_post(actor=admin, company=company, count=count)
    count.refresh_from_db()
    assert count.state == StockCount.State.POSTED and count.posted_at is not None

    gain, loss = count.lines.order_by("position")
    assert (gain.difference, gain.unit_cost, gain.value) == (D(2), D("320"), D("640.00"))
    assert (loss.difference, loss.unit_cost, loss.value) == (D(-3), D("16.8"), D("-50.40"))
    moves = StockMove.objects.filter(
        company=company, origin_type="inventory.stock_count", origin_id=str(count.pk)
    )
    assert {(m.kind, m.quantity) for m in moves} == {("adjustment", D(2)), ("adjustment", D(-3))}
    assert _valuation(company, toner) == (D(22), D("7040.00"))
    assert _valuation(company, paper) == (D(47), D("789.60"))
    assert _on_hand(company, toner, hz) == 22 and _on_hand(company, paper, hz) == 47
    assert stock_differences(company) == []


def test_goods_that_moved_during_the_count_are_not_booked_twice(company, admin, hz, toner):
    receive(company, admin, toner, hz, 10, "300")
    count = stock_count_create(actor=admin, company=company, warehouse=hz, lines=[CountLineIn(toner)])
    stock_count_start(actor=admin, company=company, count=count)
    stock_issue(
        actor=admin,
        company=company,
        origin=Origin("sales.delivery", "dn-1", "DN-2026-000001"),
        lines=[MoveLine(toner, hz, D(3))],
    )
    count.refresh_from_db()
    stock_count_update(
        actor=admin,
        company=company,
        count=count,
        data={},
        lines=[CountLineIn(toner, counted_quantity=D(6))],
        version=None,
    )
    stock_count_post(actor=admin, company=company, count=count)
    line = count.lines.get()
    assert (line.system_quantity, line.posted_system_quantity, line.difference) == (D(10), D(7), D(-1))
    assert _on_hand(company, toner, hz) == 6
    assert stock_differences(company) == []


def test_starting_an_empty_count_lists_every_batch_and_the_stock_in_no_batch(
    company, admin, hz, toner, paper
):
    lot = batch_create(
        actor=admin, company=company, product=toner, code="L1", expiry_date=datetime.date(2027, 1, 31)
    )
    receive(company, admin, toner, hz, 4, "300", batch=lot)
    receive(company, admin, toner, hz, 2, "300")
    receive(company, admin, paper, hz, 5, "16.8")
    count = stock_count_create(actor=admin, company=company, warehouse=hz)
    stock_count_start(actor=admin, company=company, count=count)
    rows = [
        (line.product.sku, line.batch.code if line.batch else None, line.system_quantity)
        for line in count.lines.all()
    ]
    assert rows == [("CON-A4-70G", None, D(5)), ("CON-TN-CF228", None, D(2)), ("CON-TN-CF228", "L1", D(4))]
    stock_count_update(
        actor=admin,
        company=company,
        count=count,
        data={},
        lines=[
            CountLineIn(paper, counted_quantity=D(5)),
            CountLineIn(toner, counted_quantity=D(2)),
            CountLineIn(toner, lot, counted_quantity=D(3)),
        ],
        version=None,
    )
    stock_count_post(actor=admin, company=company, count=count)
    moves = list(StockMove.objects.filter(company=company, origin_type="inventory.stock_count"))
    assert [(m.product.sku, m.batch_id, m.quantity) for m in moves] == [("CON-TN-CF228", lot.pk, D(-1))]
    assert stock_differences(company) == []


@pytest.mark.parametrize(
    "line, field",
    [
        ("negative", "lines[0].counted_quantity"),
        ("theirs", "lines[0].product_id"),
        ("their_batch", "lines[0].batch_id"),
        ("twice", "lines[1].product_id"),
    ],
)
def test_bad_count_lines_are_refused_and_write_nothing(
    company, admin, other_company, outsider, hz, toner, line, field
):
    their_product = make_product(other_company, outsider, "X-1")
    their_batch = batch_create(actor=outsider, company=other_company, product=their_product, code="B1")
    lines = {
        "negative": [CountLineIn(toner, counted_quantity=D(-1))],
        "theirs": [CountLineIn(their_product)],
        "their_batch": [CountLineIn(toner, their_batch)],
        "twice": [CountLineIn(toner), CountLineIn(toner)],
    }[line]
    with pytest.raises(ValidationFailed) as caught:
        stock_count_create(actor=admin, company=company, warehouse=hz, lines=lines)
    assert field in caught.value.fields
    assert not StockCount.objects.exists()


def test_a_count_is_posted_only_from_counting_with_every_line_counted(company, admin, hz, toner):
    receive(company, admin, toner, hz, 10, "300")
    count = stock_count_create(actor=admin, company=company, warehouse=hz, lines=[CountLineIn(toner)])
    with pytest.raises(InvalidTransition):
        stock_count_post(actor=admin, company=company, count=count)
    stock_count_start(actor=admin, company=company, count=count)
    with pytest.raises(ValidationFailed) as caught:
        stock_count_post(actor=admin, company=company, count=count)
    assert "lines[0].counted_quantity" in caught.value.fields
    count.refresh_from_db()
    assert count.state == StockCount.State.COUNTING
    with pytest.raises(StaleVersion):
        stock_count_update(actor=admin, company=company, count=count, data={"note": "旧"}, version=1)
    stock_count_cancel(actor=admin, company=company, count=count)
    with pytest.raises(Conflict):
        stock_count_update(actor=admin, company=company, count=count, data={"note": "晚了"}, version=None)
    assert not StockMove.objects.filter(origin_type="inventory.stock_count").exists()
    assert stock_differences(company) == []


def test_a_salesperson_cannot_count_or_post(company, admin, sales, hz, toner):
    receive(company, admin, toner, hz, 10, "300")
    with pytest.raises(NotPermitted):
        stock_count_create(actor=sales, company=company, warehouse=hz)
    count = stock_count_create(
        actor=admin, company=company, warehouse=hz, lines=[CountLineIn(toner, counted_quantity=D(1))]
    )
    stock_count_start(actor=admin, company=company, count=count)
    with pytest.raises(NotPermitted):
        stock_count_post(actor=sales, company=company, count=count)
    assert _on_hand(company, toner, hz) == 10
    assert stock_differences(company) == []
