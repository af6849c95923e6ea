"""The report pages as finance reads them: figures with thousands separators, each account
leading to its detail and each line to its voucher and source document, partners to their
open invoices, Excel exports, and dates that are wrong shown as a message."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from heyi.finance.models import Invoice, Voucher
from heyi.finance.views import reports as report_views
from heyi.partners.services.partners import partner_create
from heyi.platform.navigation import nav_items

from .reports_scenario import MONTH_START, TODAY, days_ago, invoiced, month_of_books, paid

PERIOD = {"date_from": MONTH_START.isoformat(), "date_to": TODAY.isoformat()}
PAGES = [
    "finance:report_index",
    "finance:report_trial_balance",
    "finance:report_general_ledger",
    "finance:report_balance_sheet",
    "finance:report_income_statement",
    "finance:report_receivable_ageing",
    "finance:report_payable_ageing",
    "finance:report_cash_position",
    "finance:report_gross_margin",
]


@pytest.fixture
def month(company, finance, received, shipped, printer, toner):
    return month_of_books(company, finance, received, shipped, printer, toner)


@pytest.fixture
def browser(finance) -> Client:
    client = Client()
    client.force_login(finance)
    return client


def page(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_every_report_page_opens_and_the_index_lists_them(browser, month):
    assert "finance:report_index" in {item.url_name for item in nav_items()}
    index = page(browser, "finance:report_index")
    for name in PAGES[1:]:
        assert reverse(name) in index
        page(browser, name)


def test_the_trial_balance_leads_to_the_account_detail_and_on_to_the_voucher_and_its_source(
    browser, month, supplier
):
    html = page(browser, "finance:report_trial_balance", **PERIOD)
    assert "110,139.55" in html and "24,200.00" in html
    links = re.findall(r'href="([^"]+)"', html)
    bank = next(link for link in links if "account=1002" in link).replace("&amp;", "&")
    assert bank.startswith(reverse("finance:report_general_ledger"))
    assert f"date_from={MONTH_START.isoformat()}" in bank

    detail = browser.get(bank).content.decode()
    assert "100,000.00" in detail and "111,339.55" in detail and "110,139.55" in detail
    rent = Voucher.objects.get(company=month, narration="Office rent")
    assert reverse("finance:voucher_detail", args=[rent.pk]) in detail

    payables = page(browser, "finance:report_general_ledger", account="2202", **PERIOD)
    receipt = Voucher.objects.get(company=month, source_type="purchasing.receipt")
    assert reverse("purchasing:receipt_detail", args=[receipt.source_id]) in payables
    assert supplier.name in payables


def test_the_account_detail_pages_its_lines_from_the_right_balance(browser, month, monkeypatch):
    monkeypatch.setattr(report_views, "GL_PAGE_SIZE", 1)
    second = page(browser, "finance:report_general_ledger", account="1002", page=2, **PERIOD)
    assert "Office rent" in second and "Cash sale" not in second and "110,139.55" in second
    assert "2 lines · page 2 of 2" in second


def test_statements_show_the_small_enterprise_lines(browser, month):
    sheet = page(browser, "finance:report_balance_sheet", date=TODAY.isoformat())
    assert "会小企01表" in sheet and "127,289.55" in sheet and "17,150.00" in sheet
    assert "differ from total liabilities" not in sheet
    statement = page(browser, "finance:report_income_statement", **PERIOD)
    assert "会小企02表" in statement and "10,035.00" in statement and "1,785.00" in statement


def test_cash_position_and_gross_margin_pages(browser, month, printer):
    cash = page(browser, "finance:report_cash_position")
    assert "11,339.55" in cash and "110,139.55" in cash
    margin = page(browser, "finance:report_gross_margin", by="product", **PERIOD)
    assert printer.sku in margin and "2,040.00" in margin and "25.37" in margin
    assert "No customer" in page(browser, "finance:report_gross_margin", by="customer", **PERIOD)


def test_the_ageing_leads_to_the_partners_open_invoices(browser, company, finance, customer, admin):
    old = invoiced(company, finance, customer, "1000", on=days_ago(120))
    invoiced(company, finance, customer, "2500", on=days_ago(10))
    paid(company, finance, customer, "300", on=days_ago(1))
    html = page(browser, "finance:report_receivable_ageing")
    assert "3,200.00" in html and "2,500.00" in html and "-300.00" in html
    partner_url = reverse("finance:report_receivable_partner", args=[customer.pk])
    assert partner_url in html

    documents = browser.get(partner_url, {"date": TODAY.isoformat()}).content.decode()
    assert reverse("finance:invoice_detail", args=[old.pk]) in documents
    assert "1,000.00" in documents and "Over 90 days" in documents
    assert Invoice.objects.filter(company=company, partner=customer).count() == 2

    someone = partner_create(actor=admin, company=company, name="无往来客户", is_customer=True)
    assert browser.get(reverse("finance:report_receivable_partner", args=[someone.pk])).status_code == 200


def test_each_report_exports_to_excel_with_numbers(browser, month):
    response = browser.get(reverse("finance:report_trial_balance"), {**PERIOD, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert float(rows["1002"][6]) == 110139.55 and float(rows["3001"][7]) == 100000
    for name in PAGES[1:]:
        params = {**PERIOD, "account": "1002"} if name == "finance:report_general_ledger" else {}
        exported = browser.get(reverse(name), {**params, "export": "xlsx"})
        assert exported.status_code == 200, name
        assert exported["Content-Disposition"].startswith("attachment"), name


@pytest.mark.parametrize(
    "name, params",
    [
        ("finance:report_trial_balance", {"date_from": "2026-02-30"}),
        ("finance:report_trial_balance", {"date_from": "2026-03-01", "date_to": "2026-02-01"}),
        ("finance:report_income_statement", {"date_to": "0001-01-01"}),
        ("finance:report_balance_sheet", {"date": "not a date"}),
        ("finance:report_cash_position", {"date": "0001-01-01"}),
        ("finance:report_receivable_ageing", {"date": "9999-12-31"}),
        ("finance:report_general_ledger", {"account": "' OR 1=1--"}),
        ("finance:report_gross_margin", {"by": "salesperson"}),
    ],
)
def test_bad_dates_and_choices_are_a_message_not_an_error_page(browser, month, name, params):
    response = browser.get(reverse(name), params)
    assert response.status_code == 400
    assert 'class="notification is-danger' in response.content.decode()


def test_parameters_that_are_not_filters_are_ignored(browser, month, other_company):
    html = page(
        browser, "finance:report_trial_balance", company=str(other_company.pk), user="admin", **PERIOD
    )
    assert "110,139.55" in html
    assert page(browser, "finance:report_cash_position", export="pdf", page="x")


def test_reports_need_finance_view_and_stay_in_the_company(browser, month, sales, other_company, outsider):
    client = Client()
    client.force_login(sales)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    theirs = Client()
    theirs.force_login(outsider)
    html = theirs.get(reverse("finance:report_trial_balance"), PERIOD).content.decode()
    assert "110,139.55" not in html
    customer = partner_create(actor=outsider, company=other_company, name="别家客户", is_customer=True)
    assert browser.get(reverse("finance:report_receivable_partner", args=[customer.pk])).status_code == 404
