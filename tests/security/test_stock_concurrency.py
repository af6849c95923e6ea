"""T22, T23 (first receipt racing a delivery) and T28: the stock ledger under concurrent writers.

PostgreSQL only: threads need committed data and real row locks. Each thread uses its own
connection, all start together at a barrier, and the ledger check runs after each race.
"""

from decimal import Decimal

import pytest
from django.db import connection

from heyi.inventory.errors import InsufficientStock
from heyi.inventory.models import StockBalance, StockMove, Warehouse
from heyi.inventory.selectors import stock_available, stock_differences
from heyi.inventory.services.ledger import MoveLine, Origin, stock_issue, stock_reserve, stock_transfer
from heyi.inventory.tests.factories import make_product, make_warehouse, receive
from heyi.platform import retrying

from .figures import report
from .racing import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
]


def test_t22_fifty_orders_for_the_last_units_reserve_exactly_the_stock_there_is(company, admin):
    hz = make_warehouse(company, admin, "HZ")
    sh = make_warehouse(company, admin, "SH", priority=20)
    product = make_product(company, admin, "LAST-1", "最后几台投影仪")
    receive(company, admin, product, hz, 3, "100")
    receive(company, admin, product, sh, 2, "100")

    def order(i: int):
        origin = Origin("sales.order_line", f"line-{i}", f"SO-{i}")
        return stock_reserve(
            actor=admin, company=company, origin=origin, product=product, quantity=Decimal(1)
        )

    results = race(50, order)
    won = [r for r in results if isinstance(r, Decimal)]
    refused = [r for r in results if isinstance(r, InsufficientStock)]
    other = [r for r in results if not isinstance(r, Decimal | InsufficientStock)]
    assert not other, other
    assert len(won) == 5 and len(refused) == 45
    assert all(e.code == "insufficient_stock" for e in refused)
    assert stock_available(company, product) == 0
    assert all(b.reserved == b.on_hand for b in StockBalance.objects.filter(company=company, product=product))
    assert stock_differences(company) == []
    report(
        f"T22 last-unit race: 50 concurrent order attempts on 5 units: {len(won)} succeeded, "
        f"0 oversold, 0 negative balances, {len(refused)} x insufficient_stock, 0 errors"
    )


def test_t23_first_receipts_racing_deliveries_never_leave_a_negative_or_a_wrong_balance(company, admin):
    product = make_product(company, admin, "NEW-1", "新品")
    outcomes = {"received": 0, "delivered": 0, "refused": 0}
    for round_ in range(10):
        warehouse = make_warehouse(company, admin, f"W{round_}")

        def act(i: int, warehouse=warehouse, round_=round_):
            if i % 2 == 0:
                return receive(company, admin, product, warehouse, 1, "10")
            return stock_issue(
                actor=admin,
                company=company,
                origin=Origin("sales.delivery", f"d-{round_}-{i}", "DN"),
                lines=[MoveLine(product, warehouse, Decimal(1))],
            )

        for i, result in enumerate(race(6, act)):
            if isinstance(result, InsufficientStock):
                outcomes["refused"] += 1
            else:
                assert not isinstance(result, Exception), result
                outcomes["received" if i % 2 == 0 else "delivered"] += 1
        balance = StockBalance.objects.get(company=company, product=product, warehouse=warehouse)
        assert balance.on_hand >= 0
        moves = StockMove.objects.filter(company=company, product=product, warehouse=warehouse)
        assert balance.on_hand == sum(m.quantity for m in moves)
    assert outcomes["received"] == 30
    assert stock_differences(company) == []
    report(
        "T23 first receipt racing deliveries: 10 new item/warehouse pairs, "
        f"{outcomes['delivered']} deliveries, {outcomes['refused']} refused, 0 negative, 0 differences"
    )


def test_t28_opposite_transfers_at_the_same_moment_both_go_through(company, admin):
    a = make_warehouse(company, admin, "A")
    b = make_warehouse(company, admin, "B")
    products = [make_product(company, admin, f"P-{i}") for i in range(4)]
    for product in products:
        receive(company, admin, product, a, 50, "10")
        receive(company, admin, product, b, 50, "10")
    retrying.retries_used["count"] = 0

    def transfer(i: int):
        source, target = (a, b) if i % 2 == 0 else (b, a)
        lines = [MoveLine(p, source, Decimal(1)) for p in (products if i % 2 == 0 else reversed(products))]
        return stock_transfer(
            actor=admin,
            company=company,
            origin=Origin("inventory.transfer", f"t-{i}", f"TR-{i}"),
            lines=lines,
            to_warehouse=target,
        )

    results = race(10, transfer)
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures
    for product in products:
        on_a = StockBalance.objects.get(company=company, product=product, warehouse=a).on_hand
        on_b = StockBalance.objects.get(company=company, product=product, warehouse=b).on_hand
        assert (on_a, on_b) == (Decimal(50), Decimal(50))
    assert Warehouse.objects.filter(company=company).count() == 2
    assert stock_differences(company) == []
    report(
        f"T28 opposite transfers: 10 concurrent (5 A->B, 5 B->A, 4 products each): 10 succeeded, "
        f"{retrying.retries_used['count']} retries used (max 5 per request), 0 final failures"
    )
