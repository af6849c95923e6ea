"""T20 and the ledger invariants: random histories of manual vouchers, valid and invalid, mixed
with the business that posts itself (goods received, goods shipped), period closing and
reversals, checked after every step against a plain model of the books.

Invalid vouchers (unbalanced by a cent, half cents, three decimals, a control account, an
account with sub-accounts, another company's account, a closed period) are refused with
their error code and change nothing. After every step: every posted voucher is balanced,
the trial balance leaves 0.00, each account's balance is the model's, the inventory account
is the stock's value, numbers run 1, 2, 3... per period and word in posting order, and
`books_differences` (the hash chain, the control accounts) finds nothing.

Small by default; the profile `ci` (HYPOTHESIS_PROFILE=ci) runs 200 examples of 50 steps.
"""

import datetime
import itertools
import os
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Sum
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
from heyi.finance.books import books_differences
from heyi.finance.errors import AlreadyReversed, PeriodClosed, Unbalanced
from heyi.finance.models import Account, Voucher, VoucherLine
from heyi.finance.reports import trial_balance
from heyi.finance.services.common import finance_settings
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
from heyi.purchasing.services.receipts import ReceiptLineIn, receipt_confirm, receipt_create
from heyi.sales.services.deliveries import delivery_confirm, delivery_create, delivery_ship
from heyi.sales.services.orders import sales_order_cancel, sales_order_confirm, sales_order_create

D = Decimal
CENT = D("0.01")
COST = D("0.000001")
ZERO = D("0.00")
CONTROLS = ("1122", "220201", "220202", "1405")
FLAWS = ("unbalanced", "half_cent", "three_decimals", "control", "parent", "foreign")
_companies = itertools.count()


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
    posted = Bundle("posted")
    business = Bundle("business")

    def __init__(self) -> None:
        super().__init__()
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
        self.products = [make_product(self.company, self.admin, f"BK-{i}") for i in range(2)]
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

    @rule(target=posted, month=st.integers(0, 2), day=st.integers(1, 28), pick=st.integers(0, 10_000))
    def reverse_posted(self, month, day, pick):
        """Reverse a posted manual voucher; twice, or a reversal, is refused (already_reversed)."""
        candidates = list(
            Voucher.objects.filter(company=self.company, state=Voucher.State.POSTED, source_type="")
            .order_by("chain_sequence")
            .values_list("pk", flat=True)
        )
        if not candidates:
            return None
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
            assert expected is not None and type(exc) is expected, (exc.code, expected)
            assert self._rows() == before
            return None
        assert expected is None, f"reversal accepted although {expected.code} was due"
        self.reversible.discard(original.pk)
        self._book(
            [
                (line.account_id, line.credit, line.debit)
                for line in VoucherLine.objects.filter(voucher=original)
            ]
        )
        assert reversal.reverses_id == original.pk and reversal.total == original.total
        return reversal

    @rule(voucher=business)
    def reverse_a_document_voucher(self, voucher):
        """Vouchers written by documents are corrected through the documents, never by hand."""
        if voucher is None:
            return
        before = self._rows()
        with pytest.raises(InvalidTransition):
            voucher_reverse(actor=self.finance, company=self.company, voucher=voucher)
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
            assert first not in self.closed
            return
        assert first in self.closed
        self.closed.discard(first)

    # -- business that posts itself ------------------------------------------------------------

    @rule(target=business, p=st.integers(0, 1), quantity=QUANTITIES, price=PRICES)
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
            assert self._today_closed()
            assert self._rows() == before
            return None
        assert not self._today_closed(), "goods were received into a closed period"
        value = self._receive_value(product, quantity, price)
        self._book(
            [
                (self.settings.inventory_id, value, ZERO),
                (self.settings.goods_received_not_invoiced_id, ZERO, value),
            ]
        )
        return Voucher.objects.get(
            company=self.company, source_type="purchasing.receipt", source_id=str(receipt.pk)
        )

    @rule(target=business, p=st.integers(0, 1), part=st.integers(1, 4), price=PRICES)
    def ship_goods(self, p, part, price):
        product = self.products[p]
        on_hand = self.stock[product.pk]["quantity"]
        if on_hand == 0:
            return None
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
            assert self._today_closed()
            assert self._rows() == before
            sales_order_cancel(actor=self.admin, company=self.company, order=order)
            return None
        assert not self._today_closed(), "goods were shipped in a closed period"
        value = self._issue_value(product, quantity)
        self._book(
            [(self.settings.cost_of_goods_sold_id, value, ZERO), (self.settings.inventory_id, ZERO, value)]
        )
        return Voucher.objects.get(
            company=self.company, source_type="sales.delivery", source_id=str(delivery.pk)
        )

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


@pytest.mark.slow
@pytest.mark.django_db
def test_t20_random_books_stay_balanced_and_refuse_every_bad_voucher():
    ci = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=200 if ci else 10,
            stateful_step_count=50 if ci else 15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
