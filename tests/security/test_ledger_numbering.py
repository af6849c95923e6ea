"""T24: legally numbered documents posted by twenty people at once, some of whose postings
fail after the number was taken, still number 1, 2, 3... with no gap and no duplicate, in the
order they were posted.

PostgreSQL only: threads need committed data and real row locks. Each thread uses its own
connection and all start together at a barrier; 30% of them raise inside their transaction
after the posting service returned, so their numbers are rolled back with everything else.
"""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from conftest import make_member
from heyi.finance.books import books_differences
from heyi.finance.models import Account, Invoice, Voucher
from heyi.finance.services.common import finance_settings
from heyi.finance.services.invoices import invoice_create, invoice_post
from heyi.finance.services.invoicing import InvoiceLineIn
from heyi.finance.services.vouchers import LineIn, voucher_create, voucher_post
from heyi.partners.services.partners import partner_create

from .figures import report
from .racing import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.pg,
    pytest.mark.django_db(transaction=True),
]

THREADS = 20
ROLLED_BACK = {1, 4, 7, 10, 13, 16}  # 30% of the posts fail after taking their number


class PostingFailedLater(Exception):
    """Something after the number was taken went wrong: the whole posting rolls back."""


def _gaps_and_duplicates(sequences: list[int]) -> tuple[int, int]:
    duplicates = len(sequences) - len(set(sequences))
    gaps = len(set(range(1, max(sequences, default=0) + 1)) - set(sequences))
    return gaps, duplicates


def test_t24_vouchers_posted_at_once_with_rollbacks_number_without_gaps_in_posting_order(company):
    finance = make_member(company, "finance", roles=["finance"])
    finance_settings(company)
    bank = Account.objects.get(company=company, code="1002")
    office = Account.objects.get(company=company, code="560201")
    today = timezone.localdate()
    words = [Voucher.Word.GENERAL if i % 2 == 0 else Voucher.Word.PAYMENT for i in range(THREADS)]
    drafts = [
        voucher_create(
            actor=finance,
            company=company,
            date=today,
            word=words[i],
            narration=f"办公用品 {i}",
            lines=[
                LineIn(account=office, debit=Decimal(100 + i)),
                LineIn(account=bank, credit=Decimal(100 + i)),
            ],
        )
        for i in range(THREADS)
    ]

    def post(i: int) -> str:
        with transaction.atomic():
            posted = voucher_post(actor=finance, company=company, voucher=drafts[i])
            if i in ROLLED_BACK:
                raise PostingFailedLater(posted.number)
            return posted.number

    results = race(THREADS, post)
    failed = [r for i, r in enumerate(results) if isinstance(r, Exception) and i not in ROLLED_BACK]
    assert not failed, failed
    assert all(isinstance(results[i], PostingFailedLater) for i in ROLLED_BACK)

    posted = list(
        Voucher.objects.filter(company=company, state=Voucher.State.POSTED).order_by("chain_sequence")
    )
    assert len(posted) == THREADS - len(ROLLED_BACK)
    assert {v.number for v in posted} == {r for r in results if isinstance(r, str)}
    assert [v.chain_sequence for v in posted] == list(range(1, len(posted) + 1))
    assert all(a.posted_at <= b.posted_at for a, b in zip(posted, posted[1:], strict=False))
    per_journal: dict = defaultdict(list)
    for voucher in posted:
        per_journal[(voucher.period_id, voucher.word)].append(voucher.sequence)
    gaps = duplicates = 0
    for sequences in per_journal.values():
        assert sequences == list(range(1, len(sequences) + 1)), sequences
        g, d = _gaps_and_duplicates(sequences)
        gaps, duplicates = gaps + g, duplicates + d
    rolled_back_drafts = Voucher.objects.filter(
        pk__in=[drafts[i].pk for i in ROLLED_BACK], state=Voucher.State.DRAFT, sequence__isnull=True
    )
    assert rolled_back_drafts.count() == len(ROLLED_BACK)
    assert books_differences(company) == []
    report(
        f"T24 numbering (vouchers 记/付 per period, {connection.vendor}): {THREADS} concurrent posts, "
        f"{len(ROLLED_BACK)} forced rollbacks, {gaps} gaps, {duplicates} duplicates, "
        f"numbers in posting order"
    )


def test_t24_invoices_posted_at_once_with_rollbacks_number_without_gaps_in_posting_order(company, admin):
    finance = make_member(company, "finance", roles=["finance"])
    customer = partner_create(actor=admin, company=company, name="杭州星辰科技有限公司", is_customer=True)
    today = timezone.localdate()
    drafts = [
        invoice_create(
            actor=finance,
            company=company,
            kind=Invoice.Kind.CUSTOMER_INVOICE,
            partner=customer,
            invoice_date=today,
            lines=[
                InvoiceLineIn(
                    description="技术服务费",
                    quantity=Decimal(1),
                    unit_price=Decimal(1000 + i),
                    tax_rate=Decimal("0.06"),
                )
            ],
        )
        for i in range(THREADS)
    ]

    def post(i: int) -> str:
        with transaction.atomic():
            posted = invoice_post(actor=finance, company=company, invoice=drafts[i])
            if i in ROLLED_BACK:
                raise PostingFailedLater(posted.number)
            return posted.number

    results = race(THREADS, post)
    failed = [r for i, r in enumerate(results) if isinstance(r, Exception) and i not in ROLLED_BACK]
    assert not failed, failed
    assert all(isinstance(results[i], PostingFailedLater) for i in ROLLED_BACK)

    posted = list(
        Invoice.objects.filter(company=company, state=Invoice.State.POSTED).order_by("posted_at", "number")
    )
    assert len(posted) == THREADS - len(ROLLED_BACK)
    assert {i.number for i in posted} == {r for r in results if isinstance(r, str)}
    prefix = f"INV-{today.year}-"
    assert all(i.number.startswith(prefix) and len(i.number) == len(prefix) + 6 for i in posted)
    sequences = [int(i.number[len(prefix) :]) for i in posted]
    assert sequences == list(range(1, len(posted) + 1)), sequences
    gaps, duplicates = _gaps_and_duplicates(sequences)
    vouchers = [v.sequence for v in Voucher.objects.filter(company=company).order_by("chain_sequence")]
    assert vouchers == list(range(1, len(posted) + 1))
    assert Invoice.objects.filter(
        pk__in=[drafts[i].pk for i in ROLLED_BACK], state=Invoice.State.DRAFT, number=""
    ).count() == len(ROLLED_BACK)
    assert books_differences(company) == []
    report(
        f"T24 numbering (customer invoices INV-YYYY-NNNNNN and their vouchers, {connection.vendor}): "
        f"{THREADS} concurrent posts, {len(ROLLED_BACK)} forced rollbacks, {gaps} gaps, {duplicates} duplicates, "
        f"numbers in posting order"
    )
