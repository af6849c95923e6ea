"""T23: random receipts, reservations and their release (an order cancelled), deliveries,
customer returns, transfers, counts, reversals and back-dated receipts, checked after every
step against a plain model of what stock must be.

Invariants: the kept balances equal the ledger (`stock_differences` is empty), on hand and
reserved equal the model's, and nothing available is ever negative. The profile `ci` (set by
HYPOTHESIS_PROFILE) runs 200 examples of 50 steps; a failure prints the steps to replay it.
"""

import datetime
import itertools
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from conftest import make_company, make_member
from heyi.inventory.errors import AlreadyReversed, InsufficientStock
from heyi.inventory.models import StockBalance, StockMove
from heyi.inventory.selectors import stock_differences
from heyi.inventory.services.ledger import (
    MoveLine,
    Origin,
    stock_issue,
    stock_move_reverse,
    stock_receive,
    stock_release,
    stock_reserve,
    stock_transfer,
)

from .factories import make_product, make_warehouse

settings.register_profile("ci", max_examples=200, stateful_step_count=50, deadline=None)
settings.register_profile("dev", max_examples=20, stateful_step_count=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

D = Decimal
QUANTITIES = st.integers(min_value=1, max_value=12).map(Decimal)
COSTS = st.integers(min_value=100, max_value=9999).map(lambda c: Decimal(c) / 100)
_companies = itertools.count()


class StockMachine(RuleBasedStateMachine):
    origins = Bundle("origins")
    receipts = Bundle("receipts")

    def __init__(self) -> None:
        super().__init__()
        n = next(_companies)
        self.company = make_company(f"machine{n}", f"状态机公司{n}")
        self.actor = make_member(self.company, f"machine{n}", roles=["admin"])
        self.products = [make_product(self.company, self.actor, f"P{i}") for i in range(2)]
        self.warehouses = [make_warehouse(self.company, self.actor, f"W{i}", priority=i) for i in range(2)]
        self.on_hand = {(p.pk, w.pk): D(0) for p in self.products for w in self.warehouses}
        self.reserved = dict.fromkeys(self.on_hand, D(0))
        self.held: dict[str, dict] = {}
        self.serial = itertools.count()

    def _available(self, key) -> Decimal:
        return self.on_hand[key] - self.reserved[key]

    def _origin(self, kind: str) -> Origin:
        n = next(self.serial)
        return Origin(kind, f"{kind}-{n}", f"DOC-{n}")

    @rule(target=receipts, p=st.integers(0, 1), w=st.integers(0, 1), quantity=QUANTITIES, cost=COSTS)
    def receive(self, p, w, quantity, cost):
        product, warehouse = self.products[p], self.warehouses[w]
        (move,) = stock_receive(
            actor=self.actor,
            company=self.company,
            origin=self._origin("receipt"),
            lines=[MoveLine(product, warehouse, quantity, unit_cost=cost)],
        )
        self.on_hand[(product.pk, warehouse.pk)] += quantity
        return move

    @rule(
        target=receipts,
        p=st.integers(0, 1),
        w=st.integers(0, 1),
        quantity=QUANTITIES,
        cost=COSTS,
        days=st.integers(1, 30),
    )
    def receive_back_dated(self, p, w, quantity, cost, days):
        product, warehouse = self.products[p], self.warehouses[w]
        (move,) = stock_receive(
            actor=self.actor,
            company=self.company,
            origin=self._origin("receipt"),
            lines=[MoveLine(product, warehouse, quantity, unit_cost=cost)],
            occurred_at=timezone.now() - datetime.timedelta(days=days),
        )
        self.on_hand[(product.pk, warehouse.pk)] += quantity
        return move

    @rule(p=st.integers(0, 1), w=st.integers(0, 1), quantity=QUANTITIES)
    def customer_return(self, p, w, quantity):
        """Goods back from a customer come in without a price of their own, at the average."""
        product, warehouse = self.products[p], self.warehouses[w]
        stock_receive(
            actor=self.actor,
            company=self.company,
            origin=self._origin("return"),
            lines=[MoveLine(product, warehouse, quantity)],
            kind=StockMove.Kind.CUSTOMER_RETURN,
        )
        self.on_hand[(product.pk, warehouse.pk)] += quantity

    @rule(target=origins, p=st.integers(0, 1), quantity=QUANTITIES)
    def reserve(self, p, quantity):
        product, origin = self.products[p], self._origin("order_line")
        got = stock_reserve(
            actor=self.actor,
            company=self.company,
            origin=origin,
            product=product,
            quantity=quantity,
            partial=True,
        )
        remaining, per_warehouse = quantity, {}
        for warehouse in self.warehouses:
            key = (product.pk, warehouse.pk)
            take = min(remaining, max(self._available(key), D(0)))
            if take > 0:
                self.reserved[key] += take
                per_warehouse[warehouse.pk] = take
                remaining -= take
        assert got == quantity - remaining
        self.held[origin.id] = {"origin": origin, "product": product, "warehouses": per_warehouse}
        return origin.id

    @rule(origin_id=consumes(origins))
    def release(self, origin_id):
        held = self.held.pop(origin_id)
        released = stock_release(actor=self.actor, company=self.company, origin=held["origin"])
        assert released == sum(held["warehouses"].values(), D(0))
        for warehouse_id, quantity in held["warehouses"].items():
            self.reserved[(held["product"].pk, warehouse_id)] -= quantity

    @rule(origin_id=origins, part=st.integers(1, 3))
    def deliver_reserved(self, origin_id, part):
        held = self.held.get(origin_id)
        if not held or not held["warehouses"]:
            return
        warehouse_id, quantity = next(iter(held["warehouses"].items()))
        quantity = max(D(1), (quantity / part).quantize(D(1)))
        warehouse = next(w for w in self.warehouses if w.pk == warehouse_id)
        stock_issue(
            actor=self.actor,
            company=self.company,
            origin=self._origin("delivery"),
            lines=[MoveLine(held["product"], warehouse, quantity, reservation=held["origin"])],
        )
        key = (held["product"].pk, warehouse_id)
        self.on_hand[key] -= quantity
        self.reserved[key] -= quantity
        held["warehouses"][warehouse_id] -= quantity
        if held["warehouses"][warehouse_id] == 0:
            del held["warehouses"][warehouse_id]

    @rule(p=st.integers(0, 1), w=st.integers(0, 1), quantity=QUANTITIES)
    def issue_free_stock(self, p, w, quantity):
        product, warehouse = self.products[p], self.warehouses[w]
        key = (product.pk, warehouse.pk)
        expected_ok = self._available(key) >= quantity
        try:
            stock_issue(
                actor=self.actor,
                company=self.company,
                origin=self._origin("issue"),
                lines=[MoveLine(product, warehouse, quantity)],
            )
        except InsufficientStock:
            assert not expected_ok, "refused although the stock was there"
            return
        assert expected_ok, "issued stock that was not available"
        self.on_hand[key] -= quantity

    @rule(p=st.integers(0, 1), source=st.integers(0, 1), quantity=QUANTITIES)
    def transfer(self, p, source, quantity):
        product = self.products[p]
        from_wh, to_wh = self.warehouses[source], self.warehouses[1 - source]
        expected_ok = self._available((product.pk, from_wh.pk)) >= quantity
        try:
            stock_transfer(
                actor=self.actor,
                company=self.company,
                origin=self._origin("transfer"),
                lines=[MoveLine(product, from_wh, quantity)],
                to_warehouse=to_wh,
            )
        except InsufficientStock:
            assert not expected_ok
            return
        assert expected_ok
        self.on_hand[(product.pk, from_wh.pk)] -= quantity
        self.on_hand[(product.pk, to_wh.pk)] += quantity

    @rule(p=st.integers(0, 1), w=st.integers(0, 1), counted=st.integers(0, 30).map(Decimal))
    def count(self, p, w, counted):
        product, warehouse = self.products[p], self.warehouses[w]
        key = (product.pk, warehouse.pk)
        difference = counted - self.on_hand[key]
        if difference == 0:
            return
        post = stock_receive if difference > 0 else stock_issue
        post(
            actor=self.actor,
            company=self.company,
            origin=self._origin("count"),
            lines=[MoveLine(product, warehouse, abs(difference))],
            kind=StockMove.Kind.ADJUSTMENT,
        )
        self.on_hand[key] = counted
        excess = self.reserved[key] - counted
        for held in reversed(list(self.held.values())):
            if excess <= 0:
                break
            give_up = min(excess, held["warehouses"].get(warehouse.pk, D(0)))
            if held["product"].pk != product.pk or give_up == 0:
                continue
            held["warehouses"][warehouse.pk] -= give_up
            if held["warehouses"][warehouse.pk] == 0:
                del held["warehouses"][warehouse.pk]
            self.reserved[key] -= give_up
            excess -= give_up

    @rule(move=consumes(receipts))
    def reverse_receipt(self, move):
        key = (move.product_id, move.warehouse_id)
        expected_ok = self._available(key) >= move.quantity
        try:
            stock_move_reverse(actor=self.actor, company=self.company, move=move)
        except InsufficientStock:
            assert not expected_ok
            return
        except AlreadyReversed:
            raise AssertionError("a receipt was reversed twice") from None
        assert expected_ok
        self.on_hand[key] -= move.quantity

    @invariant()
    def stock_agrees_with_the_ledger_and_the_model(self):
        assert stock_differences(self.company) == []
        for balance in StockBalance.objects.filter(company=self.company, warehouse__in=self.warehouses):
            key = (balance.product_id, balance.warehouse_id)
            assert (balance.on_hand, balance.reserved) == (self.on_hand[key], self.reserved[key])
            assert balance.on_hand - balance.reserved >= 0


@pytest.mark.slow
@pytest.mark.django_db
def test_t23_random_stock_histories_keep_every_invariant():
    run_state_machine_as_test(
        StockMachine,
        settings=settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]),
    )
