"""Ledger benchmark on PostgreSQL: prints figures, asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/heyi_bench .venv/bin/python bench/ledger.py

Builds (once; kept between runs) a company whose books hold 1,000,000 posted voucher lines:
200,000 vouchers of 5 lines over the twelve months of last year, on 50 accounts, numbered per
month (记-1 ... 记-16667) and hash-chained as posting chains them, so `check_books` finds them
in order. Then measures:
- the trial balance of that year (`trial_balance`), median of 5 runs (target < 2 s), and of
  December alone (its opening balances read the eleven months before);
- posting throughput through the services: customer invoices (create + post), manual vouchers
  (create + post) and automatic postings (`ledger_post`), with queries per posting;
- with --check-books, `books_differences` over the whole company.
Seeding writes rows with COPY (the services would take hours for a million lines); the
measured operations go through the real services.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heyi.settings.test")
if "postgres" not in os.environ.get("DATABASE_URL", ""):
    sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/heyi_bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

CODE = "books-bench"
VOUCHERS = 200_000
LINES_PER_VOUCHER = 5
ACCOUNTS = 50
YEAR = timezone.localdate().year - 1


def _copy(model, rows: list[dict]) -> None:
    """COPY rows (dicts by attribute name) into the model's table; missing fields take their default."""
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    defaults = {f.attname: f.get_default() for f in fields}
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[f.attname] if f.attname in row else defaults[f.attname] for f in fields])


def _accounts(company):
    from heyi.finance.models import Account
    from heyi.finance.services.common import finance_settings
    from heyi.finance.services.invoicing import control_accounts

    controls = control_accounts(finance_settings(company))
    found = Account.objects.filter(company=company, is_leaf=True, active=True, partner_required=False)
    return [a for a in found.order_by("code") if a.pk not in controls][:ACCOUNTS]


def seed():
    from heyi.finance.integrity import voucher_hash
    from heyi.finance.models import LedgerChain, Voucher, VoucherLine
    from heyi.finance.services.periods import period_of
    from heyi.partners.models import Partner
    from heyi.platform import modules
    from heyi.platform.models import Company, DocumentSequence, User
    from heyi.platform.services.tenancy import company_create, membership_add

    company = Company.objects.filter(code=CODE).first()
    if (
        company is not None
        and VoucherLine.objects.filter(company=company).count() >= VOUCHERS * LINES_PER_VOUCHER
    ):
        return company
    if company is not None:
        sys.exit(f"Company {CODE} is half seeded; drop the database and run again.")
    started = time.perf_counter()
    with transaction.atomic():
        company = company_create(
            actor=None, name="账簿基准公司", code=CODE, modules_on=tuple(modules.MODULES)
        )
        user = User.objects.create_user(username="books-bench", password="bench-pw-1234")
        membership_add(actor=None, company=company, user=user, role_codes=["admin"])
        Partner.objects.create(company=company, code="C-BOOKS", name="基准客户", is_customer=True, owner=user)
        accounts = _accounts(company)
        rng = random.Random(2026)
        now = timezone.now()
        chain, previous = 0, ""
        per_month = VOUCHERS // 12
        print(f"seeding {VOUCHERS:,} vouchers, {VOUCHERS * LINES_PER_VOUCHER:,} lines ...", flush=True)
        for month in range(1, 13):
            period = period_of(company, datetime.date(YEAR, month, 1))
            count = per_month + (VOUCHERS - per_month * 12 if month == 12 else 0)
            days = sorted(rng.randint(1, period.end.day) for _ in range(count))
            vouchers, lines = [], []
            for sequence, day in enumerate(days, start=1):
                chain += 1
                voucher = SimpleNamespace(
                    id=uuid.uuid4(),
                    company_id=company.pk,
                    chain_sequence=chain,
                    number=f"记-{sequence:04d}",
                    date=datetime.date(YEAR, month, day),
                    source_type="",
                    source_id="",
                    reverses_id=None,
                )
                debits = [rng.randint(100, 5_000_000), rng.randint(100, 5_000_000)]
                total = sum(debits)
                first = rng.randint(1, total - 2)
                second = rng.randint(1, total - first - 1)
                amounts = [(d, 0) for d in debits] + [(0, c) for c in (first, second, total - first - second)]
                voucher_lines = [
                    SimpleNamespace(
                        id=uuid.uuid4(),
                        position=position,
                        account_id=rng.choice(accounts).pk,
                        debit=Decimal(debit) / 100,
                        credit=Decimal(credit) / 100,
                        partner_id=None,
                        product_id=None,
                        department_id=None,
                        employee_id=None,
                        project="",
                    )
                    for position, (debit, credit) in enumerate(amounts, start=1)
                ]
                digest = voucher_hash(voucher, voucher_lines, previous)  # type: ignore[arg-type]
                vouchers.append(
                    {
                        "id": voucher.id,
                        "created_at": now,
                        "updated_at": now,
                        "company_id": company.pk,
                        "word": Voucher.Word.GENERAL,
                        "sequence": sequence,
                        "number": voucher.number,
                        "date": voucher.date,
                        "period_id": period.pk,
                        "narration": "日常业务",
                        "state": Voucher.State.POSTED,
                        "total": Decimal(total) / 100,
                        "created_by_id": user.pk,
                        "posted_by_id": user.pk,
                        "posted_at": now,
                        "chain_sequence": chain,
                        "previous_hash": previous,
                        "hash": digest,
                    }
                )
                previous = digest
                for line in voucher_lines:
                    lines.append(
                        {
                            "id": line.id,
                            "created_at": now,
                            "updated_at": now,
                            "company_id": company.pk,
                            "voucher_id": voucher.id,
                            "position": line.position,
                            "account_id": line.account_id,
                            "narration": "日常业务",
                            "debit": line.debit,
                            "credit": line.credit,
                            "date": voucher.date,
                            "posted": True,
                            "partner_id": None,
                            "product_id": None,
                            "department_id": None,
                            "employee_id": None,
                            "project": "",
                        }
                    )
            _copy(Voucher, vouchers)
            _copy(VoucherLine, lines)
            DocumentSequence.objects.create(
                company=company, doc_type=f"finance.voucher.记.{month:02d}", year=YEAR, last_number=count
            )
            print(f"  {YEAR}-{month:02d}: {chain:,} vouchers", flush=True)
        LedgerChain.objects.update_or_create(
            company=company, defaults={"last_sequence": chain, "last_hash": previous}
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE finance_voucher")
        cursor.execute("ANALYZE finance_voucherline")
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return company


def timed(fn, runs):
    figures = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        figures.append((time.perf_counter() - start) * 1000)
    return figures


def explain(company, start, end):
    from heyi.finance.reports import trial_balance

    with CaptureQueriesContext(connection) as queries:
        trial_balance(company, start, end)
    heaviest = next(q["sql"] for q in queries.captured_queries if "finance_voucherline" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + heaviest)
        print("\n".join(row[0] for row in cursor.fetchall()))


def throughput(company, count: int) -> None:
    from heyi.catalog.models import Product, Unit
    from heyi.finance.models import Account, Invoice, Voucher
    from heyi.finance.services.invoices import invoice_create, invoice_post
    from heyi.finance.services.invoicing import InvoiceLineIn
    from heyi.finance.services.vouchers import LineIn, ledger_post, voucher_create, voucher_post
    from heyi.partners.models import Partner
    from heyi.platform.models import User

    user = User.objects.get(username="books-bench")
    customer = Partner.objects.get(company=company, code="C-BOOKS")
    unit = Unit.objects.get_or_create(
        company=company, code="pcs", defaults={"name": "个", "category": "count", "ratio": 1}
    )[0]
    products = [
        Product.objects.get_or_create(
            company=company,
            sku=f"BK-{i}",
            defaults={"name": f"商品{i}", "base_unit": unit, "sale_price": 100, "purchase_price": 60},
        )[0]
        for i in range(3)
    ]
    bank = Account.objects.get(company=company, code="1002")
    office = Account.objects.get(company=company, code="560201")
    today = timezone.localdate()
    rng = random.Random(5)

    def invoice():
        lines = [
            InvoiceLineIn(
                product=p,
                quantity=Decimal(rng.randint(1, 20)),
                unit_price=Decimal(rng.randint(1000, 99999)) / 100,
                tax_rate=Decimal("0.13"),
            )
            for p in products
        ]
        draft = invoice_create(
            actor=user,
            company=company,
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=customer,
            invoice_date=today,
            lines=lines,
        )
        invoice_post(actor=user, company=company, invoice=draft)

    def voucher():
        money = Decimal(rng.randint(100, 999999)) / 100
        draft = voucher_create(
            actor=user,
            company=company,
            date=today,
            lines=[LineIn(account=office, debit=money), LineIn(account=bank, credit=money)],
        )
        voucher_post(actor=user, company=company, voucher=draft)

    def automatic():
        money = Decimal(rng.randint(100, 999999)) / 100
        with transaction.atomic():
            ledger_post(
                actor=user,
                company=company,
                date=today,
                lines=[LineIn(account=office, debit=money), LineIn(account=bank, credit=money)],
                narration="bench",
                source=("bench.posting", str(uuid.uuid4()), "BENCH"),
                word=Voucher.Word.TRANSFER,
            )

    for name, fn in (
        ("customer invoices (3 lines, create + post)", invoice),
        ("manual vouchers (2 lines, create + post)", voucher),
        ("automatic postings (2 lines, ledger_post)", automatic),
    ):
        fn()  # warm caches (chart, settings, sequences)
        with CaptureQueriesContext(connection) as queries:
            fn()
        per_one = len(queries.captured_queries)
        started = time.perf_counter()
        figures = timed(fn, count)
        elapsed = time.perf_counter() - started
        print(
            f"{name}: {count / elapsed:.0f}/s, median {statistics.median(figures):.1f} ms, "
            f"p95 {sorted(figures)[int(count * 0.95) - 1]:.1f} ms, {per_one} queries each"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=200, help="postings per throughput figure")
    parser.add_argument("--explain", action="store_true", help="print the trial balance's query plan")
    parser.add_argument("--check-books", action="store_true", help="also time books_differences")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    company = seed()
    from heyi.finance.books import books_differences
    from heyi.finance.models import VoucherLine
    from heyi.finance.reports import trial_balance

    lines = VoucherLine.objects.filter(company=company, posted=True).count()
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    in_year = VoucherLine.objects.filter(company=company, posted=True, date__range=(start, end)).count()
    year = timed(lambda: trial_balance(company, start, end), 6)
    report = trial_balance(company, start, end)
    december = timed(lambda: trial_balance(company, datetime.date(YEAR, 12, 1), end), 5)
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, PostgreSQL {connection.pg_version}, "
        f"{lines:,} posted voucher lines, {len(report.rows)} accounts in the trial balance"
    )
    print(
        f"trial balance {YEAR} ({in_year:,} lines): median {statistics.median(year[1:]):.0f} ms of 5 runs, "
        f"first run {year[0]:.0f} ms (target < 2000 ms); debits {report.totals.debit:,} = credits "
        f"{report.totals.credit:,}: {'balanced' if report.totals.balanced else 'NOT balanced'}"
    )
    print(
        f"trial balance December {YEAR} (opening from 11 months): median {statistics.median(december):.0f} ms"
    )
    if args.explain or statistics.median(year[1:]) > 2000:
        explain(company, start, end)
    throughput(company, args.postings)
    if args.check_books:
        started = time.perf_counter()
        found = books_differences(company)
        print(
            f"books_differences over the company: {time.perf_counter() - started:.1f} s, {len(found)} differences"
        )
        for line in found[:10]:
            print("  " + line)


if __name__ == "__main__":
    main()
