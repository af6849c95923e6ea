"""Stock benchmark on PostgreSQL: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heyi_bench .venv/bin/python bench/stock.py

Builds (once; kept between runs) a company with 10,000 products, 2 warehouses and 1,000,000
stock moves with balances and valuations that agree with them, then measures:
- reading the available stock of one product (`stock_available`), 1,000 random products;
- confirming a 20-line sales order, which reserves every line, 50 orders.
Seeding writes rows in bulk (the services would take hours for a million moves); the
measured operations go through the real services.
"""

import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heyi.settings.test")
if "postgres" not in os.environ.get("DATABASE_URL", ""):
    sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/heyi_bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

PRODUCTS = 10_000
MOVES = 1_000_000
CODE = "bench"


def seed():
    from heyi.catalog.models import Product, Unit
    from heyi.inventory.models import StockMove, Warehouse
    from heyi.partners.models import Partner
    from heyi.platform import modules
    from heyi.platform.models import Company, User
    from heyi.platform.services.tenancy import company_create, membership_add

    company = Company.objects.filter(code=CODE).first()
    if company is not None and StockMove.objects.filter(company=company).count() >= MOVES:
        return company
    if company is None:
        company = company_create(
            actor=None, name="基准测试公司", code=CODE, modules_on=tuple(modules.MODULES)
        )
        user = User.objects.create_user(username="bench-admin", password="bench-pw-1234")
        membership_add(actor=None, company=company, user=user, role_codes=["admin"])
    user = User.objects.get(username="bench-admin")
    unit = Unit.objects.get_or_create(
        company=company, code="pcs", defaults={"name": "个", "category": "count", "ratio": 1}
    )[0]
    warehouses = [
        Warehouse.objects.get_or_create(company=company, code=code, defaults={"name": name, "priority": i})[0]
        for i, (code, name) in enumerate([("HZ", "杭州总仓"), ("SH", "上海分仓")])
    ]
    Partner.objects.get_or_create(
        company=company, code="C-BENCH", defaults={"name": "基准客户", "is_customer": True, "owner": user}
    )
    existing = Product.objects.filter(company=company).count()
    Product.objects.bulk_create(
        [
            Product(
                company=company,
                sku=f"B{i:05d}",
                name=f"商品{i}",
                base_unit=unit,
                sale_price=100,
                purchase_price=60,
            )
            for i in range(existing, PRODUCTS)
        ],
        batch_size=2000,
    )
    product_ids = list(Product.objects.filter(company=company).values_list("pk", flat=True))
    rng = random.Random(7)
    now = timezone.now()
    done = StockMove.objects.filter(company=company).count()
    print(f"seeding {MOVES - done:,} moves ...", flush=True)
    while done < MOVES:
        batch = []
        for _ in range(min(20_000, MOVES - done)):
            receipt = rng.random() < 0.6
            quantity = Decimal(rng.randint(1, 20)) * (1 if receipt else -1)
            batch.append(
                StockMove(
                    company=company,
                    product_id=rng.choice(product_ids),
                    warehouse=rng.choice(warehouses),
                    kind=StockMove.Kind.RECEIPT if receipt else StockMove.Kind.DELIVERY,
                    quantity=quantity,
                    entered_quantity=quantity,
                    entered_unit=unit,
                    unit_cost=Decimal("60"),
                    value=quantity * 60,
                    occurred_at=now,
                    origin_type="bench.seed",
                    origin_id=str(done),
                    reference="SEED",
                )
            )
            done += 1
        StockMove.objects.bulk_create(batch)
        print(f"  {done:,}", flush=True)
    with connection.cursor() as cursor:
        # Balances and valuations straight from the ledger; a large receipt per product keeps
        # every balance positive, so orders below have stock to reserve.
        cursor.execute(
            "INSERT INTO inventory_stockmove (id, created_at, updated_at, company_id, product_id, warehouse_id,"
            " kind, quantity, entered_quantity, entered_unit_id, unit_cost, value, occurred_at, origin_type,"
            " origin_id, reference)"
            " SELECT gen_random_uuid(), now(), now(), %s, p.id, w.id, 'receipt', 100000, 100000, %s, 60, 6000000,"
            " now(), 'bench.seed', 'opening', 'SEED' FROM catalog_product p CROSS JOIN inventory_warehouse w"
            " WHERE p.company_id = %s AND w.company_id = %s",
            [company.pk, unit.pk, company.pk, company.pk],
        )
        cursor.execute("DELETE FROM inventory_stockbalance WHERE company_id = %s", [company.pk])
        cursor.execute("DELETE FROM inventory_productvaluation WHERE company_id = %s", [company.pk])
        cursor.execute(
            "INSERT INTO inventory_stockbalance (id, created_at, updated_at, company_id, product_id, warehouse_id,"
            " on_hand, reserved) SELECT gen_random_uuid(), now(), now(), company_id, product_id, warehouse_id,"
            " SUM(quantity), 0 FROM inventory_stockmove WHERE company_id = %s GROUP BY company_id, product_id,"
            " warehouse_id",
            [company.pk],
        )
        cursor.execute(
            "INSERT INTO inventory_productvaluation (id, created_at, updated_at, company_id, product_id, quantity,"
            " value, average_cost) SELECT gen_random_uuid(), now(), now(), company_id, product_id, SUM(quantity),"
            " SUM(value), 60 FROM inventory_stockmove WHERE company_id = %s GROUP BY company_id, product_id",
            [company.pk],
        )
        cursor.execute("ANALYZE")
    return company


def timed(fn, runs):
    figures = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        figures.append((time.perf_counter() - start) * 1000)
    return statistics.median(figures), sorted(figures)[int(len(figures) * 0.95) - 1]


def main():
    call_command("migrate", verbosity=0)
    company = seed()
    from heyi.catalog.models import Product
    from heyi.inventory.models import StockMove
    from heyi.inventory.selectors import stock_available
    from heyi.partners.models import Partner
    from heyi.platform.models import User
    from heyi.sales.services.orders import sales_order_confirm, sales_order_create

    user = User.objects.get(username="bench-admin")
    customer = Partner.objects.get(company=company, code="C-BENCH")
    products = list(Product.objects.filter(company=company).select_related("base_unit"))
    rng = random.Random(11)
    moves = StockMove.objects.filter(company=company).count()

    read = timed(lambda: stock_available(company, rng.choice(products)), 1000)

    orders = []
    for _ in range(50):
        lines = [{"product": p, "quantity": Decimal(rng.randint(1, 5))} for p in rng.sample(products, 20)]
        orders.append(sales_order_create(actor=user, company=company, customer=customer, lines=lines))
    pending = iter(orders)
    confirm = timed(lambda: sales_order_confirm(actor=user, company=company, order=next(pending)), 50)

    print(
        f"machine: {os.cpu_count()} cores, PostgreSQL {connection.pg_version}, {moves:,} moves, {len(products):,} products"
    )
    print(f"stock_available(one product): median {read[0]:.2f} ms, p95 {read[1]:.2f} ms (target < 5 ms)")
    print(
        f"confirm a 20-line sales order with reservation: median {confirm[0]:.1f} ms, p95 {confirm[1]:.1f} ms (target < 50 ms)"
    )


if __name__ == "__main__":
    main()
