"""`books_differences`: every place where the books disagree with themselves or with the
documents and the stock ledger (empty when all is well). `manage.py check_books` runs it.

Checked per company: each posted voucher balanced and equal to its total; voucher numbers
gap-free per period and word; the hash chain unbroken and ending at the chain head; the
trial balance; the receivable and payable control accounts, per partner, against open
invoices, bills, credit notes and unallocated payments; open amounts against allocations;
the inventory account against the stock ledger's value.
"""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, F, Max, Sum

from heyi.inventory.models import ProductValuation
from heyi.platform.models import Company

from .integrity import voucher_hash
from .models import Allocation, FinanceSettings, Invoice, LedgerChain, Payment, Voucher, VoucherLine

ZERO = Decimal("0.00")


def _cents(value: Decimal | None) -> Decimal:
    """Sums come back as floats' decimals on SQLite; money compares to the cent."""
    return Decimal(value or 0).quantize(ZERO)


def books_differences(company: Company | None = None) -> list[str]:
    companies = [company] if company is not None else list(Company.objects.all())
    found: list[str] = []
    for c in companies:
        found += _vouchers(c)
        found += _chain(c)
        settings = FinanceSettings.objects.filter(company=c).first()
        if settings is not None:
            found += _documents(c, settings)
    return found


def _vouchers(c: Company) -> list[str]:
    found = []
    lines = VoucherLine.objects.filter(company=c, posted=True)
    totals = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    if _cents(totals["debit"]) != _cents(totals["credit"]):
        found.append(f"{c.code}: trial balance debits {totals['debit']} != credits {totals['credit']}")
    per_voucher = lines.values("voucher", "voucher__number", "voucher__total").annotate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    for row in per_voucher:
        if _cents(row["debit"]) == _cents(row["credit"]) == row["voucher__total"]:
            continue
        found.append(
            f"{c.code}: voucher {row['voucher__number']} debits {row['debit']} credits {row['credit']} "
            f"total {row['voucher__total']}"
        )
    posted = Voucher.objects.filter(company=c, state=Voucher.State.POSTED)
    if VoucherLine.objects.filter(company=c, posted=False, voucher__state=Voucher.State.POSTED).exists():
        found.append(f"{c.code}: posted vouchers with lines not marked posted")
    if VoucherLine.objects.filter(company=c, posted=True, voucher__state=Voucher.State.DRAFT).exists():
        found.append(f"{c.code}: draft vouchers with lines marked posted")
    if VoucherLine.objects.filter(company=c).exclude(date=F("voucher__date")).exists():
        found.append(f"{c.code}: voucher lines dated apart from their voucher")
    for numbering in posted.values("period", "word").annotate(n=Count("pk"), top=Max("sequence")):
        if numbering["n"] != numbering["top"]:
            found.append(f"{c.code}: voucher numbers of word {numbering['word']} have gaps or duplicates")
    return found


CHAIN_BATCH = 2000


class _Voucher(NamedTuple):
    pk: Any
    company_id: Any
    chain_sequence: int
    previous_hash: str
    hash: str
    number: str
    date: datetime.date
    source_type: str
    source_id: str
    reverses_id: Any


class _Line(NamedTuple):
    voucher_id: Any
    position: int
    account_id: Any
    debit: Decimal
    credit: Decimal
    partner_id: Any
    product_id: Any
    department_id: Any
    employee_id: Any
    project: str


VOUCHER_FIELDS = _Voucher._fields
LINE_FIELDS = _Line._fields


def _chain(c: Company) -> list[str]:
    """Walk the posted vouchers in chain order a batch at a time, as plain rows, so a ledger of
    millions of lines is checked in bounded memory."""
    head = LedgerChain.objects.filter(company=c).first()
    previous, sequence = "", 0
    posted = Voucher.objects.filter(company=c, state=Voucher.State.POSTED).order_by("chain_sequence")
    while True:
        batch = [
            _Voucher(*row)
            for row in posted.filter(chain_sequence__gt=sequence).values_list(*VOUCHER_FIELDS)[:CHAIN_BATCH]
        ]
        if not batch:
            break
        lines: dict = defaultdict(list)
        for row in VoucherLine.objects.filter(company=c, voucher_id__in=[v.pk for v in batch]).values_list(
            *LINE_FIELDS
        ):
            lines[row[0]].append(_Line(*row))
        for voucher in batch:
            sequence += 1
            if voucher.chain_sequence != sequence or voucher.previous_hash != previous:
                return [
                    f"{c.code}: hash chain broken at voucher {voucher.number} (sequence {voucher.chain_sequence})"
                ]
            if voucher_hash(voucher, lines[voucher.pk], previous) != voucher.hash:
                return [f"{c.code}: voucher {voucher.number} does not match its hash (changed after posting)"]
            previous = voucher.hash
    if (head.last_sequence if head else 0) != sequence or (head.last_hash if head else "") != previous:
        return [f"{c.code}: the hash chain head does not end at the last posted voucher"]
    return []


def _balances(c: Company, account_id, field: str = "partner") -> dict:
    rows = (
        VoucherLine.objects.filter(company=c, posted=True, account_id=account_id)
        .values(field)
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    balances = {row[field]: _cents(row["debit"] - row["credit"]) for row in rows}
    return {key: value for key, value in balances.items() if value}


def _documents(c: Company, settings: FinanceSettings) -> list[str]:
    found = []
    for kinds, sign, payment_kind, account_id, label in (
        (Invoice.SALES_KINDS, 1, Payment.Kind.CUSTOMER_RECEIPT, settings.receivable_id, "receivable"),
        (Invoice.PURCHASE_KINDS, -1, Payment.Kind.SUPPLIER_PAYMENT, settings.payable_id, "payable"),
    ):
        expected: dict = defaultdict(lambda: ZERO)
        for row in (
            Invoice.objects.filter(company=c, kind__in=kinds, state=Invoice.State.POSTED)
            .values("partner", "kind")
            .annotate(open=Sum("open_amount"))
        ):
            credit_note = row["kind"] in Invoice.CREDIT_NOTES
            expected[row["partner"]] += sign * _cents(-row["open"] if credit_note else row["open"])
        for unallocated in (
            Payment.objects.filter(company=c, kind=payment_kind, state=Payment.State.POSTED)
            .values("partner")
            .annotate(open=Sum("unallocated_amount"))
        ):
            expected[unallocated["partner"]] -= sign * _cents(unallocated["open"])
        actual = _balances(c, account_id)
        for partner in set(expected) | set(actual):
            if expected.get(partner, ZERO) != actual.get(partner, ZERO):
                found.append(
                    f"{c.code}: {label} of partner {partner} is {actual.get(partner, ZERO)} in the ledger, "
                    f"{expected.get(partner, ZERO)} in open documents"
                )
    allocated: dict = defaultdict(lambda: ZERO)
    for settled in (
        Allocation.objects.filter(company=c, invoice__isnull=False)
        .values("invoice")
        .annotate(total=Sum("amount"))
    ):
        allocated[settled["invoice"]] += _cents(settled["total"])
    for given in (
        Allocation.objects.filter(company=c, credit_note__isnull=False)
        .values("credit_note")
        .annotate(total=Sum("amount"))
    ):
        allocated[given["credit_note"]] += _cents(given["total"])
    for invoice in Invoice.objects.filter(company=c, state=Invoice.State.POSTED).only(
        "pk", "number", "total_amount", "open_amount"
    ):
        if invoice.open_amount != invoice.total_amount - allocated.get(invoice.pk, ZERO):
            found.append(
                f"{c.code}: invoice {invoice.number} open {invoice.open_amount} disagrees with allocations"
            )
    paid: dict = defaultdict(lambda: ZERO)
    for side in ("payment", "refund"):
        for spent in (
            Allocation.objects.filter(company=c, **{f"{side}__isnull": False})
            .values(side)
            .annotate(total=Sum("amount"))
        ):
            paid[spent[side]] += _cents(spent["total"])
    for payment in Payment.objects.filter(company=c, state=Payment.State.POSTED).only(
        "pk", "number", "amount", "unallocated_amount"
    ):
        if payment.unallocated_amount != payment.amount - paid.get(payment.pk, ZERO):
            found.append(f"{c.code}: payment {payment.number} unallocated amount disagrees with allocations")
    stock_value = _cents(ProductValuation.objects.filter(company=c).aggregate(v=Sum("value"))["v"])
    ledger_value = sum(_balances(c, settings.inventory_id, "account").values(), ZERO)
    if stock_value != ledger_value:
        found.append(f"{c.code}: inventory account {ledger_value} != stock ledger value {stock_value}")
    return found
