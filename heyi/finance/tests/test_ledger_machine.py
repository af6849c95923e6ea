"""T20 and the ledger invariants: random histories of manual vouchers, valid and invalid, mixed
with the business that posts itself (goods received, partly sent back and billed, bills paid,
goods shipped and invoiced, receipts from the customer allocated to invoices), period closing
and reversals,
checked after every step against a plain model of the books.

Invalid vouchers (unbalanced by a cent, half cents, three decimals, a control account, an
account with sub-accounts, another company's account, a closed period), allocations beyond
what is open and postings into a closed period are refused with their error code and change
nothing. After every step: the trial balance leaves 0.00 and each account holds the model's
balance, open invoices, bills and receipts are the model's, goods received not invoiced is the
receipt value of what is kept and not billed, the inventory account is the
stock's value, numbers run 1, 2, 3... per period and word in posting order, and
`books_differences` (each voucher balanced, the hash chain, receivable and payable per partner
against the open documents) finds nothing.

Small by default (10 histories of 15 steps); the profile `ci` (HYPOTHESIS_PROFILE=ci) runs 40
histories of 50 steps: a step and its invariants take some 50 ms, so these 2,000 steps take
under two minutes where the 200 x 50 of the stock machine would take nine.
"""

import datetime
import itertools
import os
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from conftest import make_company, make_member
from heyi.finance.books import books_differences
from heyi.finance.errors import AlreadyReversed, OverAllocation, PeriodClosed, Unbalanced
from heyi.finance.models import Account, Allocation, Invoice, Payment, Voucher, VoucherLine
from heyi.finance.reports import trial_balance
from heyi.finance.services.bills import bill_create_from_receipt
from heyi.finance.services.common import finance_settings
from heyi.finance.services.invoices import invoice_cancel, invoice_create_from_delivery, invoice_post
from heyi.finance.services.payments import (
    payment_allocate,
    payment_cancel,
    payment_create,
    payment_submit,
    refund_create,
)
from heyi.finance.services.periods import period_close, period_of, period_reopen
from heyi.finance.services.vouchers import (
    LineIn,
    voucher_create,
    voucher_delete,
    voucher_post,
    voucher_reverse,
)
from heyi.inventory.models import ProductValuation
from heyi.inventory.tests.factories import make_product, make_warehouse
from heyi.partners.services.partners import partner_create
from heyi.platform.errors import DomainError, InvalidTransition, ValidationFailed
from heyi.purchasing.services.orders import OrderLineIn, purchase_order_confirm, purchase_order_create
from heyi.purchasing.services.receipts import (
    ReceiptLineIn,
    ReturnLineIn,
    purchase_return_cancel,
    purchase_return_create,
    purchase_return_ship,
    receipt_confirm,
    receipt_create,
)
from heyi.sales.services.deliveries import delivery_confirm, delivery_create, delivery_ship
from heyi.sales.services.orders import sales_order_cancel, sales_order_confirm, sales_order_create
from tests.security.figures import report

D = Decimal
CENT = D("0.01")
COST = D("0.000001")
ZERO = D("0.00")
CONTROLS = ("1122", "220201", "220202", "1405")
FLAWS = ("unbalanced", "half_cent", "three_decimals", "control", "parent", "foreign")
_companies = itertools.count()
RUN = {"histories": 0, "steps": 0, "refused": 0, "returns": 0, "refunds": 0}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@st.composite
def voucher_specs(draw):
    """Lines as (account pick, debit cents, credit cents), balanced, and at most one flaw."""
    count = draw(st.integers(2, 4))
    picks = draw(st.lists(st.integers(0, 10_000), min_size=count, max_size=count))
    sides = draw(st.lists(st.booleans(), min_size=count - 1, max_size=count - 1))
    cents = draw(st.lists(st.integers(1, 2_000_000), min_size=count - 1, max_size=count - 1))
    lines = [
        [pick, c, 0] if debit else [pick, 0, c] for pick, debit, c in zip(picks, sides, cents, strict=False)
    ]
    difference = sum(ln[1] - ln[2] for ln in lines)
    if difference > 0:
        lines.append([picks[-1], 0, difference])
    elif difference < 0:
        lines.append([picks[-1], -difference, 0])
    if not all(any(ln[i] for ln in lines) for i in (1, 2)):
        lines = [[picks[0], 1234, 0], [picks[1], 0, 1234]]
    flaw = draw(st.sampled_from((None,) * 6 + FLAWS))
    return {
        "lines": lines,
        "flaw": flaw,
        "month": draw(st.integers(0, 2)),
        "day": draw(st.integers(1, 28)),
        "word": draw(st.sampled_from(Voucher.Word.values)),
    }


QUANTITIES = st.integers(1, 9).map(D)
PRICES = st.integers(1_00, 5_000_00).map(lambda c: D(c) / 100)


class LedgerMachine(RuleBasedStateMachine):
    drafts = Bundle("drafts")

    def __init__(self) -> None:
        super().__init__()
        RUN["histories"] += 1
        n = next(_companies)
        self.company = make_company(f"books{n}", f"账簿公司{n}")
        self.admin = make_member(self.company, f"books-admin{n}", roles=["admin"])
        self.finance = make_member(self.company, f"books-finance{n}", roles=["finance"])
        self.settings = finance_settings(self.company)
        leaves = Account.objects.filter(company=self.company, is_leaf=True, active=True)
        self.pool = list(leaves.exclude(code__in=CONTROLS).order_by("code"))
        self.controls = list(leaves.filter(code__in=CONTROLS).order_by("code"))
        self.parents = list(Account.objects.filter(company=self.company, is_leaf=False).order_by("code"))
        self.foreign: Account | None = None
        self.customer = partner_create(
            actor=self.admin, company=self.company, name="杭州星辰科技有限公司", is_customer=True
        )
        self.supplier = partner_create(
            actor=self.admin, company=self.company, name="深圳办公设备有限公司", is_supplier=True
        )
        self.store = make_warehouse(self.company, self.admin, "HZ01")
        self.bank = Account.objects.get(company=self.company, code="1002")
        self.products = [
            make_product(self.company, self.admin, f"BK-{i}", tax_rate=rate)
            for i, rate in enumerate((D("0.13"), D("0.09")))
        ]
        today = timezone.localdate()
        first = today.replace(day=1)
        self.months = [first]
        for _ in range(2):
            self.months.append((self.months[-1] - datetime.timedelta(days=1)).replace(day=1))
        self.closed: set[datetime.date] = set()
        self.balances: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.posted_count = 0
        self.draft_lines: dict = {}
        self.reversible: set = set()
        self.stock = {p.pk: {"quantity": D(0), "value": ZERO, "average": D(0)} for p in self.products}
        self.document_vouchers: list = []
        self.unbilled: list[dict] = []
        self.uninvoiced: list[dict] = []
        self.invoices_open: dict = {}
        self.bills_open: dict = {}
        self.receipts_left: dict = {}

    # -- helpers -------------------------------------------------------------------------------

    def _today_closed(self) -> bool:
        return self.months[0] in self.closed

    def _foreign_account(self) -> Account:
        if self.foreign is None:
            n = next(_companies)
            other = make_company(f"other{n}", f"另一家公司{n}")
            self.foreign = Account.objects.get(company=finance_settings(other).company, code="1002")
        return self.foreign

    def _book(self, lines) -> None:
        for account_id, debit, credit in lines:
            self.balances[account_id] += debit - credit
        self.posted_count += 1

    def _rows(self) -> tuple[int, int]:
        return (
            Voucher.objects.filter(company=self.company).count(),
            VoucherLine.objects.filter(company=self.company).count(),
        )

    def _build(self, spec) -> tuple[list[LineIn], type[DomainError] | None]:
        lines: list[LineIn] = []
        for pick, debit, credit in spec["lines"]:
            account = self.pool[pick % len(self.pool)]
            lines.append(
                LineIn(
                    account=account,
                    debit=D(debit) / 100,
                    credit=D(credit) / 100,
                    partner=self.customer if account.partner_required else None,
                )
            )
        flaw = spec["flaw"]
        debit_line = next(ln for ln in lines if ln.debit)
        credit_line = next(ln for ln in lines if ln.credit)
        if flaw == "unbalanced":
            debit_line.debit += CENT
        elif flaw == "half_cent":
            debit_line.debit += D("0.005")
            credit_line.credit += D("0.005")
        elif flaw == "three_decimals":
            debit_line.debit += D("0.001")
            credit_line.credit += D("0.001")
        elif flaw == "control":
            debit_line.account = self.controls[spec["lines"][0][0] % len(self.controls)]
            debit_line.partner = self.customer
        elif flaw == "parent":
            credit_line.account = self.parents[spec["lines"][-1][0] % len(self.parents)]
        elif flaw == "foreign":
            credit_line.account = self._foreign_account()
        if flaw in ("half_cent", "three_decimals", "control", "parent", "foreign"):
            return lines, ValidationFailed
        if flaw == "unbalanced":
            return lines, Unbalanced
        if self.months[spec["month"]] in self.closed:
            return lines, PeriodClosed
        return lines, None

    def _receive_value(self, product, quantity: Decimal, cost: Decimal) -> Decimal:
        held = self.stock[product.pk]
        value = _money(quantity * cost)
        held["quantity"] += quantity
        held["value"] += value
        held["average"] = (held["value"] / held["quantity"]).quantize(COST, rounding=ROUND_HALF_UP)
        return value

    def _issue_value(self, product, quantity: Decimal) -> Decimal:
        held = self.stock[product.pk]
        value = held["value"] if quantity == held["quantity"] else _money(quantity * held["average"])
        held["quantity"] -= quantity
        held["value"] -= value
        if held["quantity"]:
            held["average"] = (held["value"] / held["quantity"]).quantize(COST, rounding=ROUND_HALF_UP)
        return value

    # -- manual vouchers -------------------------------------------------------------------------

    @rule(target=drafts, spec=voucher_specs(), post=st.booleans())
    def prepare_voucher(self, spec, post):
        lines, expected = self._build(spec)
        when = self.months[spec["month"]].replace(day=spec["day"])
        before = self._rows()
        try:
            voucher = voucher_create(
                actor=self.finance,
                company=self.company,
                date=when,
                lines=lines,
                word=spec["word"],
                narration="手工凭证",
            )
        except DomainError as exc:
            RUN["refused"] += 1
            assert expected is not None and type(exc) is expected, (exc.code, exc.fields, expected)
            if expected is ValidationFailed:
                assert any(key.startswith("lines[") for key in exc.fields), exc.fields
            assert self._rows() == before, "a refused voucher left rows behind"
            return None
        assert expected is None, f"a voucher that should be refused ({spec['flaw']}) was accepted"
        booked = [(ln.account.pk, ln.debit, ln.credit) for ln in lines]
        if post:
            voucher_post(actor=self.finance, company=self.company, voucher=voucher)
            self._book(booked)
            self.reversible.add(voucher.pk)
            return None
        self.draft_lines[voucher.pk] = (self.months[spec["month"]], booked)
        return voucher

    @rule(voucher=consumes(drafts))
    def post_draft(self, voucher):
        if voucher is None:
            return
        voucher_post(actor=self.finance, company=self.company, voucher=voucher)
        _month, booked = self.draft_lines.pop(voucher.pk)
        self._book(booked)
        self.reversible.add(voucher.pk)

    @rule(voucher=consumes(drafts))
    def delete_draft(self, voucher):
        if voucher is None:
            return
        voucher_delete(actor=self.finance, company=self.company, voucher=voucher)
        del self.draft_lines[voucher.pk]

    @rule(month=st.integers(0, 2), day=st.integers(1, 28), pick=st.integers(0, 10_000))
    def reverse_posted(self, month, day, pick):
        """Reverse a posted manual voucher; twice, or a reversal, is refused (already_reversed)."""
        candidates = list(
            Voucher.objects.filter(company=self.company, state=Voucher.State.POSTED, source_type="")
            .order_by("chain_sequence")
            .values_list("pk", flat=True)
        )
        if not candidates:
            return
        original = Voucher.objects.get(pk=candidates[pick % len(candidates)])
        when = self.months[month].replace(day=day)
        expected = None
        if original.pk not in self.reversible:
            expected = AlreadyReversed
        elif self.months[month] in self.closed:
            expected = PeriodClosed
        before = self._rows()
        try:
            reversal = voucher_reverse(actor=self.finance, company=self.company, voucher=original, date=when)
        except DomainError as exc:
            RUN["refused"] += 1
            assert expected is not None and type(exc) is expected, (exc.code, expected)
            assert self._rows() == before
            return
        assert expected is None, f"reversal accepted although {expected.code} was due"
        self.reversible.discard(original.pk)
        self._book(
            [
                (line.account_id, line.credit, line.debit)
                for line in VoucherLine.objects.filter(voucher=original)
            ]
        )
        assert reversal.reverses_id == original.pk and reversal.total == original.total

    @rule(pick=st.integers(0, 10_000))
    def reverse_a_document_voucher(self, pick):
        """Vouchers written by documents are corrected through the documents, never by hand."""
        if not self.document_vouchers:
            return
        voucher = Voucher.objects.get(pk=self.document_vouchers[pick % len(self.document_vouchers)])
        before = self._rows()
        with pytest.raises(InvalidTransition):
            voucher_reverse(actor=self.finance, company=self.company, voucher=voucher)
        RUN["refused"] += 1
        assert self._rows() == before

    # -- periods -------------------------------------------------------------------------------

    @rule(month=st.integers(0, 2))
    def close_period(self, month):
        first = self.months[month]
        period = period_of(self.company, first)
        has_drafts = any(m == first for m, _lines in self.draft_lines.values())
        try:
            period_close(actor=self.finance, company=self.company, period=period)
        except InvalidTransition:
            RUN["refused"] += 1
            assert first in self.closed or has_drafts
            return
        assert first not in self.closed and not has_drafts
        self.closed.add(first)

    @rule(month=st.integers(0, 2))
    def reopen_period(self, month):
        first = self.months[month]
        period = period_of(self.company, first)
        try:
            period_reopen(actor=self.finance, company=self.company, period=period)
        except InvalidTransition:
            RUN["refused"] += 1
            assert first not in self.closed
            return
        assert first in self.closed
        self.closed.discard(first)

    # -- business that posts itself ------------------------------------------------------------

    def _voucher_of(self, source_type: str, source_id) -> None:
        voucher = Voucher.objects.get(company=self.company, source_type=source_type, source_id=str(source_id))
        self.document_vouchers.append(voucher.pk)

    @rule(p=st.integers(0, 1), quantity=QUANTITIES, price=PRICES)
    def receive_goods(self, p, quantity, price):
        product = self.products[p]
        order = purchase_order_create(
            actor=self.admin,
            company=self.company,
            supplier=self.supplier,
            lines=[OrderLineIn(product=product, quantity=quantity, unit_price=price)],
        )
        purchase_order_confirm(actor=self.admin, company=self.company, order=order)
        receipt = receipt_create(
            actor=self.admin,
            company=self.company,
            order=order,
            lines=[
                ReceiptLineIn(order_line=line, quantity=line.quantity, warehouse=self.store)
                for line in order.lines.all()
            ],
        )
        before = self._rows()
        try:
            receipt_confirm(actor=self.admin, company=self.company, receipt=receipt)
        except PeriodClosed:
            RUN["refused"] += 1
            assert self._today_closed()
            assert self._rows() == before
            return
        assert not self._today_closed(), "goods were received into a closed period"
        value = self._receive_value(product, quantity, price)
        self._book(
            [
                (self.settings.inventory_id, value, ZERO),
                (self.settings.goods_received_not_invoiced_id, ZERO, value),
            ]
        )
        self._voucher_of("purchasing.receipt", receipt.pk)
        self.unbilled.append(
            {
                "receipt": receipt,
                "quantity": quantity,
                "returned": D(0),
                "price": price,
                "rate": product.tax_rate,
            }
        )

    @rule(pick=st.integers(0, 10_000), part=st.integers(1, 4))
    def send_goods_back(self, pick, part):
        """Goods of an unbilled receipt go back to the supplier: they leave stock at the moving
        average and take goods received not invoiced back at the receipt's price, counted down
        from the top; the difference is a price difference."""
        if not self.unbilled:
            return
        item = self.unbilled[pick % len(self.unbilled)]
        line = item["receipt"].lines.get()
        kept = item["quantity"] - item["returned"]
        quantity = min(max(D(1), (kept / part).quantize(D(1))), self.stock[line.product_id]["quantity"])
        if quantity <= 0:
            return
        back = purchase_return_create(
            actor=self.admin,
            company=self.company,
            receipt=item["receipt"],
            lines=[ReturnLineIn(receipt_line=line, quantity=quantity)],
        )
        before = self._rows()
        try:
            purchase_return_ship(actor=self.admin, company=self.company, purchase_return=back)
        except PeriodClosed:
            RUN["refused"] += 1
            assert self._today_closed() and self._rows() == before
            purchase_return_cancel(actor=self.admin, company=self.company, purchase_return=back)
            return
        assert not self._today_closed(), "goods went back in a closed period"
        value = self._issue_value(line.product, quantity)
        grni = _money(kept * item["price"]) - _money((kept - quantity) * item["price"])
        self._book(
            [
                (self.settings.inventory_id, ZERO, value),
                (self.settings.goods_received_not_invoiced_id, grni, ZERO),
                (self.settings.price_difference_id, value - grni, ZERO),
            ]
        )
        self._voucher_of("purchasing.return", back.pk)
        RUN["returns"] += 1
        item["returned"] += quantity
        if item["returned"] == item["quantity"]:
            self.unbilled.remove(item)

    @rule(pick=st.integers(0, 10_000), share=st.integers(0, 4))
    def bill_a_receipt_and_pay_it(self, pick, share):
        """The supplier's bill at the order price takes the receipt's value off goods received
        not invoiced; then `share` quarters of it are paid."""
        if not self.unbilled:
            return
        item = self.unbilled[pick % len(self.unbilled)]
        bill = bill_create_from_receipt(actor=self.finance, company=self.company, receipt=item["receipt"])
        before = self._rows()
        try:
            invoice_post(actor=self.finance, company=self.company, invoice=bill)
        except PeriodClosed:
            RUN["refused"] += 1
            assert self._today_closed() and self._rows() == before
            invoice_cancel(actor=self.finance, company=self.company, invoice=bill)
            return
        assert not self._today_closed(), "a bill was posted into a closed period"
        self.unbilled.remove(item)
        net = _money((item["quantity"] - item["returned"]) * item["price"])
        tax = _money(net * item["rate"])
        bill.refresh_from_db()
        assert (bill.state, bill.untaxed_amount, bill.tax_amount) == (Invoice.State.POSTED, net, tax)
        self._book(
            [
                (self.settings.goods_received_not_invoiced_id, net, ZERO),
                (self.settings.input_vat_id, tax, ZERO),
                (self.settings.payable_id, ZERO, net + tax),
            ]
        )
        self._voucher_of("finance.invoice", bill.pk)
        self.bills_open[bill.pk] = net + tax
        paid = _money((net + tax) * share / 4)
        if not paid:
            return
        payment = payment_create(
            actor=self.finance,
            company=self.company,
            kind=Payment.Kind.SUPPLIER_PAYMENT,
            partner=self.supplier,
            payment_date=timezone.localdate(),
            amount=paid,
            account=self.bank,
            allocations=[(bill, paid)],
        )
        payment_submit(actor=self.finance, company=self.company, payment=payment)
        self._book([(self.settings.payable_id, paid, ZERO), (self.bank.pk, ZERO, paid)])
        self._voucher_of("finance.payment", payment.pk)
        self.bills_open[bill.pk] -= paid

    @rule(p=st.integers(0, 1), part=st.integers(1, 4), price=PRICES)
    def ship_goods(self, p, part, price):
        product = self.products[p]
        on_hand = self.stock[product.pk]["quantity"]
        if on_hand == 0:
            return
        quantity = max(D(1), (on_hand / part).quantize(D(1)))
        order = sales_order_create(
            actor=self.admin,
            company=self.company,
            customer=self.customer,
            lines=[{"product": product, "quantity": quantity, "unit_price": price}],
        )
        sales_order_confirm(actor=self.admin, company=self.company, order=order)
        delivery = delivery_create(actor=self.admin, company=self.company, order=order)
        delivery_confirm(actor=self.admin, company=self.company, delivery=delivery)
        before = self._rows()
        try:
            delivery_ship(actor=self.admin, company=self.company, delivery=delivery)
        except PeriodClosed:
            RUN["refused"] += 1
            assert self._today_closed()
            assert self._rows() == before
            sales_order_cancel(actor=self.admin, company=self.company, order=order)
            return
        assert not self._today_closed(), "goods were shipped in a closed period"
        value = self._issue_value(product, quantity)
        self._book(
            [(self.settings.cost_of_goods_sold_id, value, ZERO), (self.settings.inventory_id, ZERO, value)]
        )
        self._voucher_of("sales.delivery", delivery.pk)
        self.uninvoiced.append(
            {"delivery": delivery, "quantity": quantity, "price": price, "rate": product.tax_rate}
        )

    @rule(pick=st.integers(0, 10_000))
    def invoice_a_delivery(self, pick):
        if not self.uninvoiced:
            return
        item = self.uninvoiced[pick % len(self.uninvoiced)]
        invoice = invoice_create_from_delivery(
            actor=self.finance, company=self.company, delivery=item["delivery"]
        )
        before = self._rows()
        try:
            invoice_post(actor=self.finance, company=self.company, invoice=invoice)
        except PeriodClosed:
            RUN["refused"] += 1
            assert self._today_closed() and self._rows() == before
            invoice_cancel(actor=self.finance, company=self.company, invoice=invoice)
            return
        assert not self._today_closed(), "an invoice was posted into a closed period"
        self.uninvoiced.remove(item)
        net = _money(item["quantity"] * item["price"])
        tax = _money(net * item["rate"])
        invoice.refresh_from_db()
        assert (invoice.state, invoice.untaxed_amount, invoice.tax_amount) == (Invoice.State.POSTED, net, tax)
        self._book(
            [
                (self.settings.receivable_id, net + tax, ZERO),
                (self.settings.revenue_id, ZERO, net),
                (self.settings.output_vat_id, ZERO, tax),
            ]
        )
        self._voucher_of("finance.invoice", invoice.pk)
        self.invoices_open[invoice.pk] = net + tax

    @rule(cents=st.integers(1, 3_000_000), month=st.integers(0, 2), day=st.integers(1, 28))
    def receive_from_the_customer(self, cents, month, day):
        money = D(cents) / 100
        payment = payment_create(
            actor=self.finance,
            company=self.company,
            kind=Payment.Kind.CUSTOMER_RECEIPT,
            partner=self.customer,
            payment_date=self.months[month].replace(day=day),
            amount=money,
            account=self.bank,
        )
        before = self._rows()
        try:
            payment_submit(actor=self.finance, company=self.company, payment=payment)
        except PeriodClosed:
            RUN["refused"] += 1
            assert self.months[month] in self.closed and self._rows() == before
            payment_cancel(actor=self.finance, company=self.company, payment=payment)
            return
        assert self.months[month] not in self.closed, "a receipt was posted into a closed period"
        self._book([(self.bank.pk, money, ZERO), (self.settings.receivable_id, ZERO, money)])
        self._voucher_of("finance.payment", payment.pk)
        self.receipts_left[payment.pk] = money

    @rule(pp=st.integers(0, 10_000), pi=st.integers(0, 10_000), share=st.integers(1, 4), over=st.booleans())
    def allocate_a_receipt(self, pp, pi, share, over):
        """Part of a receipt settles part of an invoice; a cent beyond what is open on either is
        refused (over_allocation) and settles nothing."""
        payments = sorted(pk for pk, left in self.receipts_left.items() if left)
        invoices = sorted(pk for pk, left in self.invoices_open.items() if left)
        if not payments or not invoices:
            return
        payment_pk, invoice_pk = payments[pp % len(payments)], invoices[pi % len(invoices)]
        available = min(self.receipts_left[payment_pk], self.invoices_open[invoice_pk])
        money = available + CENT if over else max(CENT, _money(available * share / 4))
        allocations = Allocation.objects.filter(company=self.company).count()
        payment, invoice = Payment.objects.get(pk=payment_pk), Invoice.objects.get(pk=invoice_pk)
        try:
            payment_allocate(
                actor=self.finance, company=self.company, payment=payment, allocations=[(invoice, money)]
            )
        except OverAllocation:
            RUN["refused"] += 1
            assert over
            assert Allocation.objects.filter(company=self.company).count() == allocations
            return
        assert not over, "more was allocated than was open"
        self.receipts_left[payment_pk] -= money
        self.invoices_open[invoice_pk] -= money

    @precondition(lambda self: any(self.receipts_left.values()))
    @rule(
        pick=st.integers(0, 10_000),
        share=st.integers(1, 4),
        over=st.sampled_from((False, False, False, True)),
        early=st.sampled_from((False, False, False, True)),
        later=st.integers(0, 40),
    )
    def refund_a_receipt(self, pick, share, over, early, later):
        """What a receipt has left goes back to the customer: Dr receivable / Cr bank. A cent
        more than is left, a date before the receipt or a closed period is refused and changes
        nothing."""
        payments = sorted(pk for pk, left in self.receipts_left.items() if left)
        receipt = Payment.objects.get(pk=payments[pick % len(payments)])
        left = self.receipts_left[receipt.pk]
        money = left + CENT if over else max(CENT, _money(left * share / 4))
        if early:
            on = receipt.payment_date - datetime.timedelta(days=1)
        else:
            on = min(receipt.payment_date + datetime.timedelta(days=later), timezone.localdate())
        month_of = on.replace(day=1)
        before = self._rows()
        try:
            refund = refund_create(
                actor=self.finance,
                company=self.company,
                credit=receipt,
                account=self.bank,
                payment_date=on,
                amount=money,
            )
        except (OverAllocation, ValidationFailed) as refused:
            RUN["refused"] += 1
            assert over if isinstance(refused, OverAllocation) else on < receipt.payment_date
            assert self._rows() == before
            return
        assert not over and on >= receipt.payment_date, "a refund was drafted beyond the credit"
        try:
            payment_submit(actor=self.finance, company=self.company, payment=refund)
        except PeriodClosed:
            RUN["refused"] += 1
            assert month_of in self.closed
            payment_cancel(actor=self.finance, company=self.company, payment=refund)
            return
        assert month_of not in self.closed, "a refund was posted into a closed period"
        self._book([(self.settings.receivable_id, money, ZERO), (self.bank.pk, ZERO, money)])
        self._voucher_of("finance.payment", refund.pk)
        self.receipts_left[receipt.pk] -= money
        RUN["refunds"] += 1

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def trial_balance_leaves_nothing_and_every_account_is_the_models(self):
        end = max(timezone.localdate(), self.months[0].replace(day=28))
        report = trial_balance(self.company, self.months[-1], end)
        totals = report.totals
        assert totals.balanced and totals.debit == totals.credit, totals
        assert totals.closing_debit - totals.closing_credit == ZERO
        actual = {row.account_id: row.closing for row in report.rows if row.is_leaf and row.closing}
        assert actual == {pk: value for pk, value in self.balances.items() if value}
        states = list(Voucher.objects.filter(company=self.company).values_list("pk", "state"))
        assert sum(1 for _pk, state in states if state == Voucher.State.POSTED) == self.posted_count
        assert {pk for pk, state in states if state == Voucher.State.DRAFT} == set(self.draft_lines)
        valuation = ProductValuation.objects.filter(company=self.company).aggregate(v=Sum("value"))["v"]
        modelled = sum((held["value"] for held in self.stock.values()), ZERO)
        assert D(valuation or 0).quantize(CENT) == modelled == self.balances[self.settings.inventory_id]

    @invariant()
    def open_documents_are_the_models(self):
        invoices = dict(
            Invoice.objects.filter(company=self.company, state=Invoice.State.POSTED).values_list(
                "pk", "open_amount"
            )
        )
        assert invoices == {**self.invoices_open, **self.bills_open}
        receipts = dict(
            Payment.objects.filter(
                company=self.company, kind=Payment.Kind.CUSTOMER_RECEIPT, state=Payment.State.POSTED
            ).values_list("pk", "unallocated_amount")
        )
        assert receipts == self.receipts_left
        receivable = sum(self.invoices_open.values(), ZERO) - sum(self.receipts_left.values(), ZERO)
        assert self.balances[self.settings.receivable_id] == receivable
        assert self.balances[self.settings.payable_id] == -sum(self.bills_open.values(), ZERO)
        not_billed = sum((_money((i["quantity"] - i["returned"]) * i["price"]) for i in self.unbilled), ZERO)
        assert self.balances[self.settings.goods_received_not_invoiced_id] == -not_billed

    @invariant()
    def numbers_run_one_two_three_in_posting_order(self):
        seen: dict = defaultdict(int)
        for period, word, sequence, number in (
            Voucher.objects.filter(company=self.company, state=Voucher.State.POSTED)
            .order_by("chain_sequence")
            .values_list("period", "word", "sequence", "number")
        ):
            seen[(period, word)] += 1
            assert sequence == seen[(period, word)] and number == f"{word}-{sequence:04d}"

    @invariant()
    def the_books_check_out(self):
        """Each voucher balanced, the hash chain unbroken, receivable and payable equal to the
        open documents per partner, the inventory account equal to the stock ledger's value."""
        assert books_differences(self.company) == []
        RUN["steps"] += 1


@pytest.mark.slow
@pytest.mark.django_db
def test_t20_random_books_stay_balanced_and_refuse_every_bad_voucher():
    ci = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=40 if ci else 10,
            stateful_step_count=50 if ci else 15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
    report(
        f"T20 ledger machine ({connection.vendor}): {RUN['histories']} random histories, "
        f"{RUN['steps'] - RUN['histories']} steps each followed by every invariant, 0 violations; "
        f"{RUN['refused']} refused actions (bad vouchers, postings into closed periods, over-allocations, "
        "reversals and period changes not allowed), each changing nothing; "
        f"{RUN['returns']} returns to the supplier, {RUN['refunds']} refunds of customers' credit; trial-balance residual 0.00, "
        "0 unbalanced posted vouchers, hash chain OK"
    )
