"""T22 through the API: fifty salespeople confirm orders for the only unit in stock at once.

The company refuses shortages, so exactly one confirmation may win. On PostgreSQL the others
get a clean 422 `insufficient_stock`; on SQLite, where writers queue on one lock, a request
may also get 503 `busy` to retry, but never a 500 and never an oversold unit.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from conftest import ApiClient
from heyi.inventory.models import StockBalance
from heyi.inventory.selectors import stock_differences
from heyi.inventory.tests.factories import make_product, make_warehouse, receive
from heyi.partners.services.partners import partner_create
from heyi.sales.services.orders import sales_order_create, sales_settings_update

from .figures import report

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_t22_fifty_confirmations_for_the_last_unit_sell_it_once(company, admin):
    sales_settings_update(actor=admin, company=company, on_shortage="refuse")
    product = make_product(company, admin, "PRJ-LAST", "最后一台投影仪")
    store = make_warehouse(company, admin, "HZ01")
    receive(company, admin, product, store, 1, "2800")
    customer = partner_create(actor=admin, company=company, name="杭州星辰科技有限公司", is_customer=True)
    orders = [
        sales_order_create(
            actor=admin,
            company=company,
            customer=customer,
            lines=[{"product": product, "quantity": Decimal(1)}],
        )
        for _ in range(THREADS)
    ]
    headers = ApiClient(admin, company).headers
    barrier = threading.Barrier(THREADS)
    answers: list = [None] * THREADS

    def confirm(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            answers[i] = Client(raise_request_exception=False).post(
                f"/api/v1/sales-orders/{orders[i].pk}/confirm", headers=headers
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    statuses = [a.status_code for a in answers]
    won = statuses.count(200)
    codes = {a.json()["error"]["code"] for a in answers if a.status_code != 200}
    allowed = {200, 422} if connection.vendor == "postgresql" else {200, 422, 503}
    assert set(statuses) <= allowed, statuses
    assert codes <= {"insufficient_stock", "busy"}
    assert won == 1 if connection.vendor == "postgresql" else won <= 1
    balance = StockBalance.objects.get(company=company, product=product, warehouse=store)
    assert (balance.on_hand, balance.reserved) == (Decimal(1), Decimal(won))
    assert stock_differences(company) == []
    report(
        f"T22 last-unit race via the API ({connection.vendor}): {THREADS} concurrent confirmations on 1 unit: "
        f"{won} succeeded, 0 oversold, 0 negative balances, {statuses.count(422)} x 422, "
        f"{statuses.count(503)} x 503, 0 x 500"
    )
