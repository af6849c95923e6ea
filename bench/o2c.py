"""Order-to-cash benchmark: prints figures, asserts nothing.

    .venv/bin/python bench/o2c.py                  # SQLite, a fresh file database in WAL mode
    .venv/bin/python bench/o2c.py --database-url postgres://postgres@127.0.0.1:5432/heyi_o2c

N orders (default 200) of 3 lines each, for products with stock, go through the whole flow via
the services in one process: order created -> confirmed with reservation -> delivery created,
confirmed and shipped -> invoice from the delivery -> invoice posted -> customer receipt
created and posted, allocated to the invoice. The database is migrated fresh (PostgreSQL: the
database is dropped and created again).

Three passes of N orders each, so that counting does not slow the clock: the timed pass
(orders per second, mean/median/p95 ms per step), a pass counting queries per step with the
most frequent query shapes, and a pass under tracemalloc for peak memory. Then `check_stock`
and `check_books` over everything written.
"""

import argparse
import io
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STEPS = (
    "order_create",
    "order_confirm",
    "delivery_create",
    "delivery_confirm",
    "delivery_ship",
    "invoice_create",
    "invoice_post",
    "receipt_create",
    "receipt_post",
)
PRODUCTS = 50
STOCK = Decimal(100_000)


def configure(database_url: str | None) -> str:
    """Point Django at a fresh database before anything connects to it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heyi.settings.test")
    os.environ.pop("DATABASE_URL", None)
    from django.conf import settings

    if database_url:
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(database_url, conn_max_age=0)
        admin = psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')
        admin.close()
        settings.DATABASES = {"default": config}
        return f"PostgreSQL database {config['NAME']}"
    path = Path(tempfile.gettempdir()) / "heyi_o2c.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings.DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;",
            },
        }
    }
    return f"SQLite file {path} (WAL)"


def setup(prefix: str):
    """A company with products in stock, a customer, and the people who run the flow."""
    from heyi.catalog.services.products import product_create
    from heyi.catalog.services.units import unit_create
    from heyi.finance.models import Account
    from heyi.inventory.services.ledger import MoveLine, Origin, stock_receive
    from heyi.inventory.services.warehouses import warehouse_create
    from heyi.partners.services.partners import partner_create
    from heyi.platform import modules
    from heyi.platform.models import User
    from heyi.platform.services.tenancy import company_create, membership_add

    company = company_create(
        actor=None, name="订单到收款基准公司", code=prefix, modules_on=tuple(modules.MODULES)
    )
    user = User.objects.create_user(username=f"{prefix}-admin", password="bench-pw-1234")
    membership_add(actor=None, company=company, user=user, role_codes=["admin"])
    unit = unit_create(actor=user, company=company, code="pcs", name="个", category="count", ratio=Decimal(1))
    store = warehouse_create(actor=user, company=company, code="HZ01", name="杭州总仓")
    products = [
        product_create(
            actor=user,
            company=company,
            sku=f"O2C-{i:03d}",
            name=f"商品{i}",
            base_unit=unit,
            sale_price=Decimal(100 + i),
            purchase_price=Decimal(60 + i),
        )
        for i in range(PRODUCTS)
    ]
    stock_receive(
        actor=user,
        company=company,
        origin=Origin("bench.opening", prefix, "OPENING"),
        lines=[MoveLine(p, store, STOCK, unit_cost=p.purchase_price) for p in products],
    )
    customer = partner_create(actor=user, company=company, name="杭州星辰科技有限公司", is_customer=True)
    bank = Account.objects.get(company=company, code="1002")
    return company, user, products, customer, bank


def flow(company, user, products, customer, bank, n: int, rng, clock) -> None:
    """One order through to cash; `clock(step)` is a context manager around each step."""
    from heyi.finance.models import Payment
    from heyi.finance.services.invoices import invoice_create_from_delivery, invoice_post
    from heyi.finance.services.payments import payment_create, payment_submit
    from heyi.sales.services.deliveries import delivery_confirm, delivery_create, delivery_ship
    from heyi.sales.services.orders import sales_order_confirm, sales_order_create

    lines = [
        {"product": p, "quantity": Decimal(rng.randint(1, 5)), "unit_price": p.sale_price}
        for p in rng.sample(products, 3)
    ]
    with clock("order_create"):
        order = sales_order_create(actor=user, company=company, customer=customer, lines=lines)
    with clock("order_confirm"):
        sales_order_confirm(actor=user, company=company, order=order)
    with clock("delivery_create"):
        delivery = delivery_create(actor=user, company=company, order=order)
    with clock("delivery_confirm"):
        delivery_confirm(actor=user, company=company, delivery=delivery)
    with clock("delivery_ship"):
        delivery_ship(actor=user, company=company, delivery=delivery)
    with clock("invoice_create"):
        invoice = invoice_create_from_delivery(actor=user, company=company, delivery=delivery)
    with clock("invoice_post"):
        invoice = invoice_post(actor=user, company=company, invoice=invoice)
    with clock("receipt_create"):
        receipt = payment_create(
            actor=user,
            company=company,
            kind=Payment.Kind.CUSTOMER_RECEIPT,
            partner=customer,
            payment_date=invoice.invoice_date,
            amount=invoice.total_amount,
            account=bank,
            reference=f"BANK-{n}",
            allocations=[(invoice, invoice.total_amount)],
        )
    with clock("receipt_post"):
        payment_submit(actor=user, company=company, payment=receipt)


class Timer:
    def __init__(self):
        self.ms: dict[str, list[float]] = defaultdict(list)

    def __call__(self, step):
        timer = self

        class _Clock:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                timer.ms[step].append((time.perf_counter() - self.start) * 1000)

        return _Clock()


SHAPE_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
SHAPE_LISTS = re.compile(r"\((?:\s*\?\s*,)+\s*\?\s*\)")
SAVEPOINT = re.compile(r'"s\d+_x\d+"')


def shape(sql: str) -> str:
    """A query with its values taken out, so the same statement counts as one shape."""
    text = SHAPE_LISTS.sub("(?, ...)", SHAPE_LITERALS.sub("?", SAVEPOINT.sub("?", sql)))
    return re.sub(r"\s+", " ", text)[:160]


class Counting:
    def __init__(self, connection):
        self.connection = connection
        self.per_step: dict[str, list[int]] = defaultdict(list)
        self.shapes: dict[str, Counter] = defaultdict(Counter)

    def __call__(self, step):
        from django.test.utils import CaptureQueriesContext

        counting = self

        class _Count:
            def __enter__(self):
                counting.connection.queries_log.clear()  # keep the capture inside the log's 9,000 rows
                self.capture = CaptureQueriesContext(counting.connection)
                self.capture.__enter__()

            def __exit__(self, *exc):
                self.capture.__exit__(*exc)
                queries = self.capture.captured_queries
                counting.per_step[step].append(len(queries))
                counting.shapes[step].update(shape(q["sql"]) for q in queries)

        return _Count()


def nothing(step):
    class _Nothing:
        def __enter__(self):
            pass

        def __exit__(self, *exc):
            pass

    return _Nothing()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL URL; the database is dropped and created again")
    parser.add_argument("--shapes", type=int, default=5, help="query shapes shown per step")
    args = parser.parse_args()
    where = configure(args.database_url)

    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":  # migrated without waiting for the disk; measured as deployed
        connection.close()
        options = connection.settings_dict["OPTIONS"]
        options["init_command"] = options["init_command"].replace("synchronous=OFF", "synchronous=NORMAL")
    print(f"{where}: migrated in {time.perf_counter() - started:.1f} s", flush=True)
    rng = random.Random(42)
    n = args.orders

    company, user, products, customer, bank = setup("o2c-time")
    flow(company, user, products, customer, bank, -1, rng, nothing)  # warm imports and caches
    timer = Timer()
    started = time.perf_counter()
    for i in range(n):
        flow(company, user, products, customer, bank, i, rng, timer)
    elapsed = time.perf_counter() - started

    counting = Counting(connection)
    company2, user2, products2, customer2, bank2 = setup("o2c-count")
    flow(company2, user2, products2, customer2, bank2, -1, rng, nothing)
    for i in range(n):
        flow(company2, user2, products2, customer2, bank2, i, rng, counting)

    company3, user3, products3, customer3, bank3 = setup("o2c-memory")
    flow(company3, user3, products3, customer3, bank3, -1, rng, nothing)
    tracemalloc.start()
    for i in range(n):
        flow(company3, user3, products3, customer3, bank3, i, rng, nothing)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    total_queries = sum(sum(v) for v in counting.per_step.values())
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, {connection.vendor}, one process"
    )
    print(
        f"{n} orders x 3 lines, order to cash: {n / elapsed:.1f} orders/s ({elapsed:.2f} s), "
        f"{total_queries / n:.0f} queries per order, peak traced memory {peak / 1024 / 1024:.1f} MiB"
    )
    print(f"{'step':<18}{'mean ms':>9}{'median':>9}{'p95':>9}{'queries':>9}")
    for step in STEPS:
        ms = sorted(timer.ms[step])
        print(
            f"{step:<18}{statistics.mean(ms):>9.2f}{statistics.median(ms):>9.2f}"
            f"{ms[max(0, int(len(ms) * 0.95) - 1)]:>9.2f}{statistics.mean(counting.per_step[step]):>9.1f}"
        )
    per_order = [sum(timer.ms[step][i] for step in STEPS) for i in range(n)]
    print(
        f"{'whole order':<18}{statistics.mean(per_order):>9.2f}{statistics.median(per_order):>9.2f}"
        f"{sorted(per_order)[max(0, int(n * 0.95) - 1)]:>9.2f}{total_queries / n:>9.1f}"
    )
    print("\nmost frequent query shapes per step (count per order):")
    for step in STEPS:
        print(f"  {step}:")
        for sql, count in counting.shapes[step].most_common(args.shapes):
            print(f"    {count / n:5.1f}  {sql}")

    for command in ("check_stock", "check_books"):
        started = time.perf_counter()
        out = io.StringIO()
        try:
            call_command(command, stdout=out)
            outcome = out.getvalue().strip().splitlines()[-1]
        except Exception as exc:  # reported, not raised: this is a benchmark
            outcome = f"{exc}: {out.getvalue().strip()[:500]}"
        print(f"{command}: {outcome} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
