"""Financial reports told as a month of a small trading company: the owners pay in capital,
stock is bought and some of it sold for cash, the rent is paid; the reports show the books."""

import datetime

import pytest
from django.db.models import Sum

from heyi.finance.chart import SMALL_ENTERPRISE
from heyi.finance.models import Account, Invoice
from heyi.finance.reports import (
    balance_sheet,
    cash_position,
    general_ledger,
    gross_margin,
    income_statement,
    open_documents,
    payable_ageing,
    receivable_ageing,
    trial_balance,
)
from heyi.finance.reports.statements import BALANCE_SHEET, INCOME_STATEMENT
from heyi.finance.selectors import account_balance
from heyi.finance.services.invoices import invoice_create_from_delivery, invoice_post
from heyi.finance.services.periods import fiscal_year_close
from heyi.inventory.models import ProductValuation
from heyi.partners.services.partners import partner_create
from heyi.platform.errors import ValidationFailed

from .reports_scenario import BEFORE, MONTH_START, TODAY, D, days_ago, invoiced, month_of_books, paid, post


@pytest.fixture
def month(company, finance, received, shipped, printer, toner):
    return month_of_books(company, finance, received, shipped, printer, toner)


def rows_by_code(report):
    return {r.code: r for r in report.rows}


def test_trial_balance_shows_opening_movements_and_closing_per_account_with_parents(month):
    report = trial_balance(month, MONTH_START, TODAY)
    rows = rows_by_code(report)

    bank = rows["1002"]
    assert (bank.opening_debit, bank.debit, bank.credit, bank.closing_debit) == (
        D("100000.00"),
        D("11339.55"),
        D("1200.00"),
        D("110139.55"),
    )
    capital = rows["3001"]
    assert (capital.opening_credit, capital.credit, capital.closing_credit) == (
        D("100000.00"),
        D("0.00"),
        D("100000.00"),
    )
    stock = rows["1405"]
    assert (stock.opening, stock.debit, stock.credit, stock.closing) == (
        D("0.00"),
        D("24200.00"),
        D("7050.00"),
        D("17150.00"),
    )
    assert rows["540101"].closing_debit == D("7050.00")
    assert rows["220202"].closing_credit == D("24200.00")
    assert rows["5001"].closing_credit == D("10035.00")
    # parents sum their sub-accounts and are not counted twice in the totals
    assert rows["5401"].closing_debit == D("7050.00") and not rows["5401"].is_leaf
    assert rows["2202"].closing_credit == D("24200.00") and rows["2202"].level == 1
    assert rows["220202"].level == 2
    assert rows["2221"].closing_credit == rows["22210102"].closing_credit == D("1304.55")
    assert rows["22210102"].level == 3

    totals = report.totals
    assert totals.balanced
    assert totals.opening_debit == totals.opening_credit == D("100000.00")
    assert totals.debit == totals.credit == D("11339.55") + D("24200.00") + D("7050.00") + D("1200.00")
    assert totals.closing_debit == D("110139.55") + D("17150.00") + D("7050.00") + D("1200.00")
    assert "1001" not in rows and "1122" not in rows  # untouched accounts are left out
    assert "1001" in rows_by_code(trial_balance(month, MONTH_START, TODAY, all_accounts=True))


def test_trial_balance_before_the_month_holds_only_the_capital(month):
    report = trial_balance(
        month, BEFORE - datetime.timedelta(days=5), MONTH_START - datetime.timedelta(days=1)
    )
    assert {r.code: r.closing for r in report.rows} == {"1002": D("100000.00"), "3001": D("-100000.00")}
    assert report.totals.opening_debit == 0 and report.totals.debit == D("100000.00")


def test_general_ledger_runs_the_balance_line_by_line_from_the_opening(month):
    bank = Account.objects.get(company=month, code="1002")
    ledger = general_ledger(month, bank, MONTH_START, TODAY)
    assert (ledger.opening, ledger.debit, ledger.credit, ledger.closing) == (
        D("100000.00"),
        D("11339.55"),
        D("1200.00"),
        D("110139.55"),
    )
    entries = list(ledger.entries)
    assert [(e.narration, e.debit, e.credit, e.balance) for e in entries] == [
        ("Cash sale", D("11339.55"), D("0.00"), D("111339.55")),
        ("Office rent", D("0.00"), D("1200.00"), D("110139.55")),
    ]
    assert entries[0].voucher_number.startswith("记-")
    assert entries[0].source_type == ""  # made by hand
    # a page further on starts from the balance the lines before it left
    assert len(ledger.entries) == 2
    assert [e.balance for e in ledger.entries[1:2]] == [D("110139.55")]


def test_general_ledger_of_a_parent_account_and_of_one_supplier(month, supplier, customer):
    payables = Account.objects.get(company=month, code="2202")
    ledger = general_ledger(month, payables, MONTH_START, TODAY)
    entries = list(ledger.entries)
    assert sorted((e.account_code, e.credit) for e in entries) == [
        ("220202", D("4200.00")),
        ("220202", D("20000.00")),
    ]
    assert entries[0].balance == -entries[0].credit and entries[1].balance == D("-24200.00")
    assert {(e.source_type, e.partner_name) for e in entries} == {("purchasing.receipt", supplier.name)}
    assert general_ledger(month, payables, MONTH_START, TODAY, partner=supplier).closing == D("-24200.00")
    assert general_ledger(month, payables, MONTH_START, TODAY, partner=customer).closing == 0


def test_balance_sheet_balances_and_its_inventories_equal_the_stock_value(month):
    sheet = balance_sheet(month, TODAY)
    closing = {ln.number: ln.amounts[0] for ln in sheet.lines if ln.number}
    stock_value = ProductValuation.objects.filter(company=month).aggregate(v=Sum("value"))["v"]

    assert closing[1] == D("110139.55")  # cash and bank
    assert closing[9] == closing[12] == stock_value == D("17150.00")
    assert closing[15] == closing[30] == D("127289.55")
    assert closing[33] == D("24200.00")  # goods received, not yet billed
    assert closing[36] == D("1304.55")  # output VAT
    assert closing[47] == D("25504.55")
    assert closing[48] == D("100000.00")
    assert closing[51] == D("1785.00")  # the year's profit, not yet closed
    assert closing[53] == D("127289.55")
    assert sheet.balanced


def test_income_statement_shows_revenue_cost_and_profit_of_the_period_and_the_year(month):
    statement = income_statement(month, MONTH_START, TODAY)
    period = {ln.number: ln.amounts[0] for ln in statement.lines}
    year = {ln.number: ln.amounts[1] for ln in statement.lines}
    assert (period[1], period[2], period[14], period[21], period[30], period[32]) == (
        D("10035.00"),
        D("7050.00"),
        D("1200.00"),
        D("1785.00"),
        D("1785.00"),
        D("1785.00"),
    )
    assert year[32] == D("1785.00")
    before = income_statement(month, BEFORE, MONTH_START - datetime.timedelta(days=1))
    assert all(ln.amounts[0] == 0 for ln in before.lines)


def test_closing_the_year_moves_profit_to_undistributed_profit_and_the_reports_stay_the_same(
    company, finance
):
    year = TODAY.year - 1
    post(finance, company, datetime.date(year, 3, 1), ("1002", "50000", "0"), ("3001", "0", "50000"))
    post(finance, company, datetime.date(year, 6, 1), ("1002", "8000", "0"), ("5051", "0", "8000"))
    post(finance, company, datetime.date(year, 6, 2), ("560299", "3000", "0"), ("1002", "0", "3000"))
    post(finance, company, TODAY, ("560201", "500", "0"), ("1002", "0", "500"))

    def figures():
        sheet = balance_sheet(company, TODAY)
        assert sheet.balanced
        return {ln.number: ln.amounts for ln in sheet.lines if ln.number in (1, 51, 53)}

    open_year = figures()
    assert open_year[51] == (D("4500.00"), D("5000.00"))  # this year, then at the start of it
    assert open_year[1] == (D("54500.00"), D("55000.00"))
    last_year = income_statement(company, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    assert {ln.number: ln.amounts[0] for ln in last_year.lines}[32] == D("5000.00")

    fiscal_year_close(actor=finance, company=company, year=year)
    assert account_balance(company, "5") == D("500.00")  # only this year's rent is left open
    assert figures() == open_year
    closed = income_statement(company, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    assert closed.line(1).amounts == (D("8000.00"), D("8000.00"))
    assert closed.line(32).amounts == (D("5000.00"), D("5000.00"))


def test_every_account_of_the_chart_is_on_exactly_one_line_of_the_statements():
    def summed_by(items, code):
        return [i.number for i in items if i.level != 2 and i.codes and code.startswith(i.codes)]

    for code, *_rest in SMALL_ENTERPRISE:
        on_sheet = summed_by(BALANCE_SHEET, code)
        assert len(on_sheet) == 1, (code, on_sheet)
        if code.startswith("5"):
            assert len(summed_by(INCOME_STATEMENT, code)) == 1, code


def test_cash_position_shows_each_cash_account_and_the_last_30_days(month):
    position = cash_position(month, TODAY)
    rows = {r.code: r for r in position.rows}
    assert set(rows) == {"1001", "1002", "1012"}
    bank = rows["1002"]
    assert (bank.opening, bank.received, bank.paid, bank.balance) == (
        D("100000.00"),
        D("11339.55"),
        D("1200.00"),
        D("110139.55"),
    )
    assert rows["1001"].balance == 0
    assert position.balance == D("110139.55") and position.since == TODAY - datetime.timedelta(days=29)
    assert cash_position(month, BEFORE).balance == D("100000.00")
    assert cash_position(month, BEFORE).received == D("100000.00")


def test_gross_margin_per_product_is_revenue_less_cost_of_goods_sold(month, printer, toner):
    report = gross_margin(month, MONTH_START, TODAY, by="product")
    rows = {r.code: r for r in report.rows}
    assert (rows[printer.sku].revenue, rows[printer.sku].cost, rows[printer.sku].margin) == (
        D("8040.00"),
        D("6000.00"),
        D("2040.00"),
    )
    assert rows[printer.sku].margin_percent == D("25.37")
    assert (rows[toner.sku].margin, rows[toner.sku].margin_percent) == (D("945.00"), D("47.37"))
    assert (report.totals.revenue, report.totals.cost, report.totals.margin) == (
        D("10035.00"),
        D("7050.00"),
        D("2985.00"),
    )
    with pytest.raises(ValidationFailed):
        gross_margin(month, MONTH_START, TODAY, by="salesperson")


def test_gross_margin_per_customer_takes_the_cost_of_their_deliveries(month, customer):
    report = gross_margin(month, MONTH_START, TODAY, by="customer")
    by_key = {r.key: r for r in report.rows}
    assert by_key[customer.pk].cost == D("7050.00")
    assert by_key[None].revenue == D("10035.00")  # the cash sale names no customer
    assert report.totals.margin == D("2985.00")


def test_gross_margin_of_an_invoiced_delivery_per_customer_and_per_product(
    company, finance, received, shipped, printer, customer
):
    received([(printer, 5, "2000")])
    delivery = shipped([(printer, 2, "2680")])
    draft = invoice_create_from_delivery(actor=finance, company=company, delivery=delivery)
    invoice_post(actor=finance, company=company, invoice=draft)
    [row] = gross_margin(company, TODAY, TODAY, by="customer").rows
    assert (row.key, row.label, row.revenue, row.cost, row.margin) == (
        customer.pk,
        customer.name,
        D("5360.00"),
        D("4000.00"),
        D("1360.00"),
    )
    [row] = gross_margin(company, TODAY, TODAY, by="product").rows
    assert (row.code, row.revenue, row.cost) == (printer.sku, D("5360.00"), D("4000.00"))


def test_another_companys_lines_never_appear(month, other_company, outsider):
    post(outsider, other_company, TODAY, ("1001", "555", "0"), ("3001", "0", "555"))
    rows = rows_by_code(trial_balance(month, MONTH_START, TODAY))
    assert "1001" not in rows and rows["3001"].closing == D("-100000.00")
    other = rows_by_code(trial_balance(other_company, MONTH_START, TODAY))
    assert set(other) == {"1001", "3001"}
    assert balance_sheet(other_company, TODAY).line(30).amounts[0] == D("555.00")
    assert cash_position(other_company, TODAY).balance == D("555.00")
    assert gross_margin(other_company, MONTH_START, TODAY).rows == []
    assert income_statement(other_company, MONTH_START, TODAY).line(32).amounts == (0, 0)


@pytest.fixture
def open_items(company, finance, customer, supplier, admin):
    """杭州星辰 has invoices of 1,000.00 dated 10, 45, 75 and 120 days ago, paid 300.00 on the
    oldest, 200.00 paid in advance and a credit note of 100.00; 宁波海曙 owes 500.00 of five days
    ago. We owe 深圳办公设备 a bill of 800.00 of 40 days ago and paid them 300.00 in advance."""
    invoices = {n: invoiced(company, finance, customer, "1000", on=days_ago(n)) for n in (10, 45, 75, 120)}
    paid(company, finance, customer, "300", on=days_ago(3), allocations=[(invoices[120], "300")])
    paid(company, finance, customer, "200", on=days_ago(2))
    invoiced(company, finance, customer, "100", kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE, on=days_ago(1))
    ningbo = partner_create(actor=admin, company=company, name="宁波海曙贸易", is_customer=True)
    invoiced(company, finance, ningbo, "500", on=days_ago(5))
    invoiced(company, finance, supplier, "800", kind=Invoice.Kind.SUPPLIER_BILL, on=days_ago(40))
    paid(company, finance, supplier, "300", on=days_ago(4))
    return {"invoices": invoices, "ningbo": ningbo}


def test_receivable_ageing_buckets_open_invoices_by_age_and_nets_the_credits(company, customer, open_items):
    ageing = receivable_ageing(company, TODAY)
    rows = {r.partner_name: r for r in ageing.rows}
    star = rows[customer.name]
    assert star.buckets == [D("1000.00"), D("1000.00"), D("1000.00"), D("700.00")]
    assert (star.credits, star.total) == (D("-300.00"), D("3400.00"))
    ningbo = rows["宁波海曙贸易"]
    assert (ningbo.buckets, ningbo.credits, ningbo.total) == (
        [D("500.00"), D("0.00"), D("0.00"), D("0.00")],
        D("0.00"),
        D("500.00"),
    )
    assert ageing.totals.buckets == [D("1500.00"), D("1000.00"), D("1000.00"), D("700.00")]
    assert ageing.totals.total == D("3900.00") == ageing.ledger_balance == account_balance(company, "1122")
    assert ageing.agrees


def test_receivable_ageing_on_an_earlier_date_counts_what_was_open_then(company, customer, open_items):
    ageing = receivable_ageing(company, days_ago(50))
    [star] = ageing.rows
    # the invoices of 75 and 120 days ago were 25 and 70 days old; nothing was paid yet
    assert star.buckets == [D("1000.00"), D("0.00"), D("1000.00"), D("0.00")] and star.credits == 0
    assert ageing.ledger_balance == D("2000.00") and ageing.agrees
    three_days_ago = receivable_ageing(company, days_ago(3))
    assert three_days_ago.totals.total == three_days_ago.ledger_balance == D("4200.00")
    # the receipt of that day was allocated only today: then it stood as the customer's credit
    assert (three_days_ago.totals.buckets[3], three_days_ago.totals.credits) == (D("1000.00"), D("-300.00"))


def test_a_partners_open_documents_are_the_drill_down_of_the_ageing(company, customer, open_items):
    documents = open_documents(company, "receivable", TODAY, partner=customer)
    assert [(d.age, d.amount, d.is_credit) for d in documents] == [
        (120, D("700.00"), False),
        (75, D("1000.00"), False),
        (45, D("1000.00"), False),
        (10, D("1000.00"), False),
        (2, D("-200.00"), True),
        (1, D("-100.00"), True),
    ]
    assert documents[0].id == open_items["invoices"][120].pk
    assert documents[4].is_payment and not documents[5].is_payment


def test_payable_ageing_shows_what_we_owe_less_what_we_paid_ahead(company, supplier, open_items):
    ageing = payable_ageing(company, TODAY)
    [row] = ageing.rows
    assert (row.partner_name, row.buckets[1], row.credits, row.total) == (
        supplier.name,
        D("800.00"),
        D("-300.00"),
        D("500.00"),
    )
    assert ageing.ledger_balance == -account_balance(company, "220201") == D("500.00") and ageing.agrees
    assert receivable_ageing(company, days_ago(200)).rows == []
