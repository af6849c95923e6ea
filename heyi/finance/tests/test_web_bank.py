"""The bank reconciliation page as the cashier uses it: keying in the 工行 statement, matching
it to the books automatically and by hand, and reading the reconciliation statement."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_member
from heyi.finance.models import Account, BankLine, VoucherLine
from heyi.finance.services.common import finance_settings
from heyi.platform.models import ImportBatch
from heyi.platform.navigation import nav_items
from heyi.platform.services.tenancy import role_create

from .test_bank import book, line
from .test_payments import receive_money

D = Decimal
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
START = TODAY - 20 * DAY
PAGE = reverse("finance:bank_reconciliation")
NEW_LINE = reverse("finance:bank_line_create")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk(finance, bank):
    return _client(finance)


def page_of(client, bank, **params) -> str:
    response = client.get(PAGE, {"account": str(bank.pk), **params})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def add_line(client, bank, on, amount, balance, **extra):
    return client.post(
        NEW_LINE + f"?account={bank.pk}",
        {
            "account": str(bank.pk),
            "line_date": on.isoformat(),
            "amount": amount,
            "balance": balance,
            **extra,
        },
    )


def test_the_cashier_keys_in_the_statement_matches_it_and_the_statement_agrees(
    company, desk, finance, customer, bank
):
    assert "finance:bank_reconciliation" in {item.url_name for item in nav_items()}
    receipt = receive_money(company, finance, customer, bank, "5000", on=START)
    received = VoucherLine.objects.get(voucher=receipt.voucher, account=bank)
    book(company, finance, bank, START + 2 * DAY, "-1200")
    late_cheque = book(company, finance, bank, START + 5 * DAY, "-800")

    empty = page_of(desk, bank)
    assert "no lines yet" in empty
    assert reverse("web:import_start", args=["finance.bank_line"]) in empty
    assert f"{NEW_LINE}?account={bank.pk}" in empty

    form = desk.get(NEW_LINE + f"?account={bank.pk}")
    assert form.status_code == 200 and 'name="balance"' in form.content.decode()
    first = add_line(
        desk, bank, START + DAY, "5000", "5000.00", description="星辰科技货款", reference="HX001"
    )
    assert first.status_code == 302 and first["Location"] == f"{PAGE}?account={bank.pk}"

    wrong = add_line(desk, bank, START + 3 * DAY, "-1200", "3900", description="支票 0001")
    assert wrong.status_code == 400
    assert "should be 3800.00" in wrong.content.decode()
    assert 'value="3900"' in wrong.content.decode(), "what was typed is shown again"
    assert BankLine.objects.filter(company=company).count() == 1

    another = add_line(desk, bank, START + 3 * DAY, "-1200", "3800", description="支票 0001", another="1")
    assert another.status_code == 302 and another["Location"] == f"{NEW_LINE}?account={bank.pk}"
    assert "3,800.00" in desk.get(another["Location"]).content.decode(), "the last balance is shown"
    add_line(
        desk, bank, START + 4 * DAY, "-35.50", "3764.50", description="账户管理费", counterparty="工商银行"
    )
    assert BankLine.objects.filter(company=company).count() == 3

    lines = page_of(desk, bank)
    assert "星辰科技货款" in lines and "HX001" in lines and "工商银行" in lines
    assert lines.count('name="voucher_line"') == 2, "the fee has nothing of its amount in the books"
    assert str(received.pk) in lines and reverse("finance:bank_match_auto") in lines

    matched = desk.post(reverse("finance:bank_match_auto"), {"account": str(bank.pk)}, follow=True)
    assert matched.status_code == 200 and "2 lines matched." in matched.content.decode()
    assert BankLine.objects.get(company=company, sequence=1).matched_line_id == received.pk

    statement = page_of(desk, bank)
    assert receipt.voucher.number in statement
    assert reverse("finance:voucher_detail", args=[receipt.voucher_id]) in statement
    assert "3,000.00" in statement, "the books' balance: 5000 - 1200 - 800"
    assert "3,764.50" in statement, "the bank's balance"
    assert "35.50" in statement and late_cheque.voucher.number in statement
    assert statement.count("2,964.50") == 2, "both sides adjusted to the same balance"
    assert "agree" in statement
    assert statement.count('name="voucher_line"') == 0
    assert statement.count("/unmatch/") == 2, "each matched line can be unmatched"

    first_line = BankLine.objects.get(company=company, sequence=1)
    undone = desk.post(reverse("finance:bank_line_unmatch", args=[first_line.pk]), follow=True)
    assert undone.status_code == 200 and "Match undone." in undone.content.decode()
    first_line.refresh_from_db()
    assert first_line.matched_line_id is None
    assert "7,964.50" in undone.content.decode(), "both sides now wait for the 5000"

    by_hand = desk.post(
        reverse("finance:bank_line_match", args=[first_line.pk]),
        {"voucher_line": str(received.pk), "date": TODAY.isoformat()},
    )
    assert by_hand.status_code == 302
    assert by_hand["Location"] == f"{PAGE}?account={bank.pk}&date={TODAY.isoformat()}"
    first_line.refresh_from_db()
    assert first_line.matched_line_id == received.pk
    again = desk.post(
        reverse("finance:bank_line_match", args=[first_line.pk]),
        {"voucher_line": str(received.pk)},
        follow=True,
    )
    assert "already matched" in again.content.decode()


def test_a_statement_that_does_not_agree_shows_the_difference_and_earlier_dates(company, desk, finance, bank):
    line(company, finance, bank, START, "5000", "15000")
    line(company, finance, bank, START + DAY, "-20", "14980", description="手续费")
    book(company, finance, bank, START + 2 * DAY, "-3000")
    page = page_of(desk, bank)
    assert "differ by 10,000.00" in page, "the bank held 10,000 before the books began"

    before = page_of(desk, bank, date=(START - DAY).isoformat())
    assert "starts after this date" in before and "No line up to this date." in before

    bad = desk.get(PAGE, {"account": str(bank.pk), "date": "2026-02-30"})
    assert bad.status_code == 400
    assert desk.get(PAGE, {"account": "not-an-account"}).status_code == 400


def test_the_page_opens_on_the_account_that_has_lines(company, desk, finance, bank):
    cash = Account.objects.get(company=company, code="1001")
    assert f'<option value="{cash.pk}" selected>' in desk.get(PAGE).content.decode()
    line(company, finance, bank, TODAY, "88", "88", description="利息")
    page = desk.get(PAGE).content.decode()
    assert f'<option value="{bank.pk}" selected>' in page and "利息" in page


def test_an_empty_field_or_another_companys_voucher_line_is_refused(
    company, desk, finance, bank, other_company, outsider
):
    mine = line(company, finance, bank, TODAY, "5", "5")
    empty = desk.post(reverse("finance:bank_line_match", args=[mine.pk]), {"voucher_line": ""}, follow=True)
    assert "Choose the voucher line" in empty.content.decode()
    finance_settings(other_company)
    theirs = book(
        other_company, outsider, Account.objects.get(company=other_company, code="1002"), TODAY, "5"
    )
    refused = desk.post(reverse("finance:bank_line_match", args=[mine.pk]), {"voucher_line": str(theirs.pk)})
    assert refused.status_code == 404
    their_bank = Account.objects.get(company=other_company, code="1002")
    assert desk.post(reverse("finance:bank_match_auto"), {"account": str(their_bank.pk)}).status_code == 404
    assert desk.get(NEW_LINE + f"?account={their_bank.pk}").status_code == 404
    mine.refresh_from_db()
    assert mine.matched_line_id is None


def test_without_the_payment_permission_there_is_nothing_to_press(company, admin, finance, sales, bank):
    income = book(company, finance, bank, TODAY, "5")
    mine = line(company, finance, bank, TODAY, "5", "5")
    seller = _client(sales)
    assert seller.get(PAGE).status_code == 403
    assert seller.get(NEW_LINE).status_code == 403
    for url, data in [
        (reverse("finance:bank_line_match", args=[mine.pk]), {"voucher_line": str(income.pk)}),
        (reverse("finance:bank_line_unmatch", args=[mine.pk]), {}),
        (reverse("finance:bank_match_auto"), {"account": str(bank.pk)}),
        (NEW_LINE, {"account": str(bank.pk), "line_date": TODAY.isoformat(), "amount": "1", "balance": "6"}),
    ]:
        assert seller.post(url, data).status_code == 403, url
    mine.refresh_from_db()
    assert mine.matched_line_id is None and BankLine.objects.filter(company=company).count() == 1

    role_create(
        actor=admin,
        company=company,
        code="auditor",
        name="审计",
        permissions=["finance.view"],
        scope="company",
    )
    auditor = _client(make_member(company, "auditor", roles=["auditor"]))
    page = page_of(auditor, bank)
    assert "5.00" in page
    assert 'name="voucher_line"' not in page
    assert reverse("finance:bank_match_auto") not in page and NEW_LINE not in page
    assert reverse("web:import_start", args=["finance.bank_line"]) not in page
    assert auditor.post(reverse("finance:bank_match_auto"), {"account": str(bank.pk)}).status_code == 403


def test_the_page_speaks_chinese(company, desk, finance, bank):
    line(company, finance, bank, TODAY, "5000", "5000", description="货款")
    desk.cookies["django_language"] = "zh-hans"
    page = page_of(desk, bank)
    assert 'lang="zh-hans"' in page
    assert "日期" in page and "余额" in page and "流入" in page and "货款" in page
    form = desk.get(NEW_LINE + f"?account={bank.pk}").content.decode()
    assert "保存" in form


def test_the_statement_exports_to_excel_and_csv_with_numbers(company, desk, finance, bank):
    import csv
    import io

    from openpyxl import load_workbook

    line(company, finance, bank, START, "5000", "15000")
    line(company, finance, bank, START + DAY, "-20", "14980", description="手续费")
    book(company, finance, bank, START + 2 * DAY, "-3000")
    params = {"account": str(bank.pk), "date": TODAY.isoformat()}
    assert "export=xlsx" in page_of(desk, bank)

    exported = desk.get(PAGE, {**params, "export": "csv"})
    assert exported.status_code == 200 and exported["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["Item", "Date", "Voucher or reference", "Description", "Amount"]
    amounts = {row[0]: row[4] for row in rows[1:] if not row[1]}
    assert amounts["Balance per books"] == "-3000.00"
    assert amounts["Per books: Adjusted balance"] == "1980.00"
    assert amounts["Balance per bank statement"] == "14980.00"
    assert amounts["Per bank: Adjusted balance"] == "11980.00"
    assert amounts["Difference, books less bank"] == "-10000.00"
    fee = next(row for row in rows if row[3] == "手续费")
    assert fee[:2] == [
        "Less: money out on the bank's statement, not yet in the books",
        (START + DAY).isoformat(),
    ]
    assert fee[4] == "20.00"

    workbook = load_workbook(io.BytesIO(desk.get(PAGE, {**params, "export": "xlsx"}).content))
    [difference] = [
        row for row in workbook.active.iter_rows(values_only=True) if row[0].startswith("Difference")
    ]
    assert difference[4] == -10000


def test_the_import_page_takes_the_account_of_the_page_it_came_from(company, desk, finance, bank):
    from django.core.files.uploadedfile import SimpleUploadedFile

    line(company, finance, bank, TODAY - DAY, "100", "100")
    page = page_of(desk, bank)
    start = reverse("web:import_start", args=["finance.bank_line"])
    assert f"{start}?account=1002" in page
    form = desk.get(start, {"account": "1002"}).content.decode()
    assert 'name="shared_account" value="1002"' in form

    sent = desk.post(
        start,
        {
            "shared_account": "1002",
            "file": SimpleUploadedFile("cmb.csv", f"交易日期,支出,余额\n{TODAY},40,60\n".encode()),
        },
    )
    assert sent.status_code == 302
    batch = ImportBatch.objects.get(company=company, file_name="cmb.csv")
    assert (batch.status, batch.shared_values) == (ImportBatch.Status.READY, {"account": "1002"})
    assert "Ready to import" in desk.get(sent["Location"]).content.decode()
