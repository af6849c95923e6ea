"""The report endpoints as an integrator reads them: figures as decimal strings, dates checked,
`finance.view` required, one company's books only."""

import datetime

import pytest

from heyi.finance.models import Account
from heyi.finance.services.common import finance_settings

from .reports_scenario import MONTH_START, TODAY, month_of_books

PERIOD = {"date_from": MONTH_START.isoformat(), "date_to": TODAY.isoformat()}
REPORTS = [
    "/reports/trial-balance",
    "/reports/general-ledger?account=1002",
    "/reports/balance-sheet",
    "/reports/income-statement",
    "/reports/receivable-ageing",
    "/reports/payable-ageing",
    "/reports/cash-position",
    "/reports/gross-margin",
]


@pytest.fixture
def month(company, finance, received, shipped, printer, toner):
    return month_of_books(company, finance, received, shipped, printer, toner)


@pytest.fixture
def books(api_as, finance, month):
    return api_as(finance, month)


def test_trial_balance_lists_accounts_with_their_sides_and_balanced_totals(books, month):
    r = books.get("/reports/trial-balance", **PERIOD)
    assert r.status_code == 200, r.json()
    body = r.json()
    rows = {row["code"]: row for row in body["rows"]}
    assert rows["1002"]["opening_debit"] == "100000.00" and rows["1002"]["closing_debit"] == "110139.55"
    assert rows["3001"]["closing_credit"] == "100000.00" and rows["3001"]["closing_debit"] == "0.00"
    assert rows["2202"]["is_leaf"] is False and rows["220202"]["level"] == 2
    assert body["totals"]["balanced"] is True and body["totals"]["debit"] == "43789.55"
    everything = books.get("/reports/trial-balance", all_accounts="true", **PERIOD).json()
    assert len(everything["rows"]) == Account.objects.filter(company=month).count()


def test_general_ledger_pages_keep_the_running_balance(books, month):
    r = books.get("/reports/general-ledger", account="1002", page_size=1, page=2, **PERIOD)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["opening"], body["closing"], body["count"]) == ("100000.00", "110139.55", 2)
    [rent] = body["items"]
    assert (rent["narration"], rent["credit"], rent["balance"]) == ("Office rent", "1200.00", "110139.55")
    by_id = books.get(
        "/reports/general-ledger", account=str(Account.objects.get(company=month, code="1002").pk), **PERIOD
    ).json()
    assert [i["balance"] for i in by_id["items"]] == ["111339.55", "110139.55"]


def test_statements_balance_and_show_the_profit(books):
    sheet = books.get("/reports/balance-sheet", date=TODAY.isoformat()).json()
    lines = {ln["number"]: ln for ln in sheet["lines"] if ln["number"]}
    assert sheet["balanced"] is True
    assert lines[30]["closing"] == lines[53]["closing"] == "127289.55"
    assert lines[9]["closing"] == "17150.00" and lines[51]["closing"] == "1785.00"
    assert [ln["closing"] for ln in sheet["lines"] if ln["number"] is None][0] is None  # a heading
    statement = books.get("/reports/income-statement", **PERIOD).json()
    figures = {ln["number"]: (ln["period"], ln["year_to_date"]) for ln in statement["lines"]}
    assert figures[1] == ("10035.00", "10035.00") and figures[32] == ("1785.00", "1785.00")


def test_cash_position_ageing_and_margin(books, printer):
    cash = books.get("/reports/cash-position").json()
    assert cash["balance"] == "110139.55" and cash["received"] == "11339.55" and cash["paid"] == "1200.00"
    ageing = books.get("/reports/receivable-ageing").json()
    assert ageing["rows"] == [] and ageing["agrees"] is True and ageing["ledger_balance"] == "0.00"
    margin = books.get("/reports/gross-margin", by="product", **PERIOD).json()
    row = next(r for r in margin["rows"] if r["code"] == printer.sku)
    assert (row["revenue"], row["cost"], row["margin"], row["margin_percent"]) == (
        "8040.00",
        "6000.00",
        "2040.00",
        "25.37",
    )
    assert margin["margin"] == "2985.00"


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/reports/trial-balance", {"date_from": "2026-02-30"}, "date_from"),
        ("/reports/trial-balance", {"date_from": "yesterday"}, "date_from"),
        ("/reports/trial-balance", {"date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_to"),
        ("/reports/income-statement", {"date_from": "0001-01-01"}, "date_from"),
        ("/reports/balance-sheet", {"date": "9999-12-31"}, "date"),
        ("/reports/cash-position", {"date": "0001-01-01"}, "date"),
        ("/reports/general-ledger", {"account": "9999"}, "account"),
        ("/reports/gross-margin", {"by": "salesperson"}, "by"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(books, path, params, field):
    r = books.get(path, **params)
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert any(field in name for name in error["fields"]), error


def test_the_general_ledger_needs_an_account_and_a_partner_of_the_company(books, other_company, outsider):
    from heyi.partners.services.partners import partner_create

    assert books.get("/reports/general-ledger").status_code == 400
    theirs = partner_create(actor=outsider, company=other_company, name="别家客户", is_customer=True)
    r = books.get("/reports/general-ledger", account="1122", partner_id=str(theirs.pk))
    assert r.status_code == 404


def test_reports_need_finance_view(api_as, company, month, sales):
    client = api_as(sales, company)
    for path in REPORTS:
        r = client.get(path)
        assert r.status_code == 403, path
        assert r.json()["error"]["code"] == "not_permitted"


def test_another_company_sees_only_its_own_books(api_as, month, other_company, outsider):
    finance_settings(other_company)
    theirs = api_as(outsider, other_company)
    assert theirs.get("/reports/trial-balance", **PERIOD).json()["rows"] == []
    assert theirs.get("/reports/cash-position").json()["balance"] == "0.00"
    assert theirs.get("/reports/balance-sheet").json()["lines"][1]["closing"] == "0.00"
    assert theirs.get("/reports/general-ledger", account="1002", **PERIOD).json()["count"] == 0
    assert api_as(outsider, month).get("/reports/trial-balance").status_code == 403


def test_a_past_date_to_without_a_start_reads_that_month(books):
    body = books.get("/reports/trial-balance", date_to="2025-06-30").json()
    assert body["date_from"] == "2025-06-01" and body["date_to"] == "2025-06-30"
    assert datetime.date.fromisoformat(body["date_from"]) < TODAY
