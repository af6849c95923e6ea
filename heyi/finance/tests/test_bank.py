"""Bank reconciliation (银行对账): the cashier keys in or imports the bank's statement of the
工行 account, matches it to the books and reads the reconciliation statement at month end."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heyi.finance.models import Account, BankLine, VoucherLine
from heyi.finance.records import bank_statement_order
from heyi.finance.reports import bank_reconciliation
from heyi.finance.services.bank import (
    bank_line_create,
    bank_line_match,
    bank_line_unmatch,
    bank_match_auto,
    bank_match_candidates,
    bank_match_candidates_of,
)
from heyi.finance.services.common import finance_settings
from heyi.finance.services.vouchers import LineIn, voucher_create, voucher_post
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from heyi.platform.models import AuditEntry

from .test_payments import receive_money

D = Decimal
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def line(company, actor, bank, on, amount, balance, **extra) -> BankLine:
    return bank_line_create(
        actor=actor, company=company, account=bank, line_date=on, amount=amount, balance=balance, **extra
    )


def book(company, actor, bank, on, amount, other="5603") -> VoucherLine:
    """A posted voucher moving `amount` in (> 0) or out (< 0) of the bank; its bank line."""
    other_account = Account.objects.get(company=company, code=other)
    money = abs(D(amount))
    bank_side = LineIn(account=bank, debit=money) if D(amount) > 0 else LineIn(account=bank, credit=money)
    other_side = (
        LineIn(account=other_account, credit=money)
        if D(amount) > 0
        else LineIn(account=other_account, debit=money)
    )
    voucher = voucher_create(
        actor=actor, company=company, date=on, lines=[bank_side, other_side], narration="银行收付"
    )
    voucher_post(actor=actor, company=company, voucher=voucher)
    return VoucherLine.objects.get(voucher=voucher, account=bank)


def test_a_month_of_the_bank_is_matched_and_the_reconciliation_statement_agrees(
    company, finance, customer, bank
):
    start = TODAY - 20 * DAY
    receipt = receive_money(company, finance, customer, bank, "5000", on=start)
    cheque = book(company, finance, bank, start + 2 * DAY, "-1200")
    late_cheque = book(company, finance, bank, start + 5 * DAY, "-800")

    line(
        company, finance, bank, start + DAY, "5000", "15000.00", description="星辰科技货款", reference="HX001"
    )
    line(company, finance, bank, start + 3 * DAY, "-1200", "13800.00", description="支票 0001")
    fee = line(company, finance, bank, start + 4 * DAY, "-35.50", "13764.50", description="账户管理费")

    assert bank_match_auto(actor=finance, company=company, account=bank) == 2
    matched = dict(BankLine.objects.filter(company=company).values_list("sequence", "matched_line__voucher"))
    assert matched == {1: receipt.voucher_id, 2: cheque.voucher_id, 3: None}

    report = bank_reconciliation(company, bank, TODAY)
    assert report.book_balance == D("3000.00")
    assert report.bank_balance == D("13764.50")
    assert [x.pk for x in report.bank_only] == [fee.pk]
    assert [x.pk for x in report.book_only] == [late_cheque.pk]
    assert report.adjusted_book == D("2964.50")
    assert report.adjusted_bank == D("12964.50")
    assert report.difference == D("-10000.00"), "the bank held 10,000 before the books began"


def test_the_statement_agrees_when_the_books_and_bank_start_together(company, finance, bank):
    start = TODAY - 10 * DAY
    deposit = book(company, finance, bank, start, "10000", other="3001")
    line(company, finance, bank, start, "10000", "10000")
    line(company, finance, bank, start + DAY, "-20", "9980", description="手续费")
    book(company, finance, bank, start + 2 * DAY, "-3000")
    bank_line_match(
        actor=finance,
        company=company,
        bank_line=BankLine.objects.get(company=company, sequence=1),
        voucher_line=deposit,
    )
    report = bank_reconciliation(company, bank, TODAY)
    assert (report.adjusted_book, report.adjusted_bank, report.agrees) == (D("6980.00"), D("6980.00"), True)
    earlier = bank_reconciliation(company, bank, start)
    assert earlier.bank_only == [] and earlier.book_only == [] and earlier.agrees


def test_a_line_that_does_not_follow_the_last_balance_is_refused(company, finance, bank):
    line(company, finance, bank, TODAY - 3 * DAY, "1000", "1000")
    with pytest.raises(ValidationFailed) as wrong_balance:
        line(company, finance, bank, TODAY - 2 * DAY, "-100", "950")
    assert "900.00" in wrong_balance.value.fields["balance"][0]
    with pytest.raises(ValidationFailed) as earlier:
        line(company, finance, bank, TODAY - 4 * DAY, "-100", "900")
    assert "line_date" in earlier.value.fields
    with pytest.raises(ValidationFailed) as again:
        line(company, finance, bank, TODAY - 3 * DAY, "1000", "1000")
    assert "already" in again.value.fields["amount"][0]
    with pytest.raises(ValidationFailed) as zero:
        line(company, finance, bank, TODAY, "0", "1000")
    assert "amount" in zero.value.fields
    receivable = Account.objects.get(company=company, code="1122")
    with pytest.raises(ValidationFailed):
        line(company, finance, receivable, TODAY, "5", "5")
    assert BankLine.objects.filter(company=company).count() == 1


def test_matching_by_hand_checks_account_money_and_that_each_side_matches_once(company, finance, bank):
    pay = book(company, finance, bank, TODAY - DAY, "-450")
    also = book(company, finance, bank, TODAY - 5 * DAY, "-450")
    other = book(company, finance, bank, TODAY - DAY, "-451")
    out = line(company, finance, bank, TODAY, "-450", "-450")
    assert [v.pk for v in bank_match_candidates(company, out)] == [pay.pk, also.pk]
    with pytest.raises(ValidationFailed):
        bank_line_match(actor=finance, company=company, bank_line=out, voucher_line=other)
    bank_line_match(actor=finance, company=company, bank_line=out, voucher_line=pay)
    with pytest.raises(InvalidTransition):
        bank_line_match(actor=finance, company=company, bank_line=out, voucher_line=also)
    second = line(company, finance, bank, TODAY, "-450", "-900")
    with pytest.raises(ValidationFailed) as taken:
        bank_line_match(actor=finance, company=company, bank_line=second, voucher_line=pay)
    assert "already matched" in taken.value.fields["voucher_line"][0]
    assert [v.pk for v in bank_match_candidates(company, second)] == [also.pk]
    out.refresh_from_db()
    assert bank_match_candidates(company, out) == []
    assert {
        pk: [v.pk for v in found] for pk, found in bank_match_candidates_of(company, [out, second]).items()
    } == {out.pk: [], second.pk: [also.pk]}

    bank_line_unmatch(actor=finance, company=company, bank_line=out)
    out.refresh_from_db()
    assert out.matched_line_id is None and out.matched_at is None
    with pytest.raises(InvalidTransition):
        bank_line_unmatch(actor=finance, company=company, bank_line=out)
    actions = list(
        AuditEntry.objects.filter(company=company, object_id=str(out.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "match", "unmatch"]


def test_auto_matching_takes_the_nearest_date_and_leaves_what_is_too_far(company, finance, bank):
    near = book(company, finance, bank, TODAY - 2 * DAY, "300")
    book(company, finance, bank, TODAY - 6 * DAY, "300")
    line(company, finance, bank, TODAY - DAY, "300", "300")
    far = line(company, finance, bank, TODAY, "77", "377")
    book(company, finance, bank, TODAY - 30 * DAY, "77")
    assert bank_match_auto(actor=finance, company=company, account=bank) == 1
    assert BankLine.objects.get(company=company, sequence=1).matched_line_id == near.pk
    far.refresh_from_db()
    assert far.matched_line_id is None


def test_someone_without_the_payment_permission_or_of_another_company_is_refused(
    company, other_company, outsider, sales, finance, bank
):
    with pytest.raises(NotPermitted):
        line(company, sales, bank, TODAY, "5", "5")
    mine = line(company, finance, bank, TODAY, "5", "5")
    finance_settings(other_company)
    theirs = book(
        other_company, outsider, Account.objects.get(company=other_company, code="1002"), TODAY, "5"
    )
    with pytest.raises(NotFound):
        bank_line_match(actor=finance, company=company, bank_line=mine, voucher_line=theirs)
    with pytest.raises(NotFound):
        bank_match_auto(actor=outsider, company=other_company, account=bank)


def send_statement(api, content: bytes, name: str = "bank.csv", **extra) -> dict:
    return api.client.post(
        "/api/v1/imports",
        {"spec": "finance.bank_line", "file": SimpleUploadedFile(name, content), **extra},
        headers=api.headers,
    ).json()


def test_the_banks_export_is_imported_with_money_in_and_out_columns(api_as, company, finance, bank):
    content = (
        "Bank account,Date,Money in,Money out,Balance,Description,Counterparty\n"
        f'1002,{TODAY - 2 * DAY},"12,000.00",,"12,000.00",货款,杭州星辰科技有限公司\n'
        f'1002,{TODAY - DAY},,25.00,"11,975.00","短信费, 11月",\n'
    ).encode("utf-8-sig")
    api = api_as(finance, company)
    batch = send_statement(api, content, "工行流水.csv")
    assert batch["status"] == "ready", batch
    assert api.post(f"/imports/{batch['id']}/commit").json()["status"] == "imported"
    assert list(
        BankLine.objects.filter(company=company).values_list("sequence", "amount", "balance", "description")
    ) == [(1, D("12000.00"), D("12000.00"), "货款"), (2, D("-25.00"), D("11975.00"), "短信费, 11月")]


def test_an_import_with_a_broken_balance_names_the_row_and_writes_nothing(api_as, company, finance, bank):
    content = (
        f"account,date,amount,balance\n1002,{TODAY - DAY},500,500\n1002,{TODAY},-100,300\n1002,{TODAY},1,1\n"
    ).encode()
    batch = send_statement(api_as(finance, company), content)
    assert batch["status"] == "invalid"
    assert [e["row"] for e in batch["errors"]][:1] == [3]
    assert not BankLine.objects.filter(company=company).exists()


def test_a_statement_exported_newest_first_is_read_from_the_bottom(api_as, company, finance, bank):
    """招商银行-style: the newest line on top, dates with slashes or none, times after them."""
    first, second = TODAY - 2 * DAY, TODAY - DAY
    content = (
        "科目,交易日期,收入,支出,余额,摘要\n"
        f'1002,{TODAY:%Y%m%d} 10:32:11,,80.00,"1,420.00",电费\n'
        f'1002,{second:%Y/%m/%d},500.00,,"1,500.00",货款\n'
        f'1002,{second:%Y.%m.%d},,200.00,"1,000.00",房租\n'
        f'1002,{first.isoformat()},1200.00,,"1,200.00",投资款\n'
    ).encode("utf-8-sig")
    api = api_as(finance, company)
    batch = send_statement(api, content)
    assert batch["status"] == "ready", batch
    assert api.post(f"/imports/{batch['id']}/commit").json()["status"] == "imported"
    assert list(
        BankLine.objects.filter(company=company)
        .order_by("sequence")
        .values_list("line_date", "amount", "balance")
    ) == [
        (first, D("1200.00"), D("1200.00")),
        (second, D("-200.00"), D("1000.00")),
        (second, D("500.00"), D("1500.00")),
        (TODAY, D("-80.00"), D("1420.00")),
    ]


def test_a_newest_first_statement_with_a_broken_balance_names_the_files_row(api_as, company, finance, bank):
    content = (
        f"account,date,amount,balance\n1002,{TODAY},-100,390\n1002,{TODAY},1,501\n1002,{TODAY},500,500\n"
    ).encode()
    batch = send_statement(api_as(finance, company), content)
    assert batch["status"] == "invalid"
    assert [e["row"] for e in batch["errors"]][:1] == [2]
    assert not BankLine.objects.filter(company=company).exists()


@pytest.mark.parametrize(
    "lines, expected",
    [
        ([("100", "100"), ("50", "150"), ("-30", "120")], [0, 1, 2]),
        ([("-30", "120"), ("50", "150"), ("100", "100")], [2, 1, 0]),
        ([("100", "100"), ("oops", "150"), ("-30", "120")], [0, 1, 2]),
        ([("5", "5")], [0]),
    ],
)
def test_the_order_of_a_statement_follows_its_balances(lines, expected):
    assert bank_statement_order([{"amount": a, "balance": b} for a, b in lines]) == expected


def test_the_bank_account_is_given_once_for_a_file_without_it(api_as, company, finance, bank):
    content = f"交易日期,收入,支出,余额\n{TODAY},300.00,,300.00\n{TODAY},,50.00,250.00\n".encode()
    api = api_as(finance, company)
    without = send_statement(api, content)
    assert without["status"] == "invalid" and "Bank account" in without["errors"][0]["message"]

    batch = send_statement(api, content, shared_values='{"account": "1002"}')
    assert batch["status"] == "ready", batch
    assert batch["shared_values"] == {"account": "1002"}
    assert api.post(f"/imports/{batch['id']}/commit").json()["status"] == "imported"
    assert list(BankLine.objects.filter(company=company).values_list("account__code", "balance")) == [
        ("1002", D("300.00")),
        ("1002", D("250.00")),
    ]

    for bad in ('{"balance": "1"}', "1002", '["account"]'):
        refused = send_statement(api, content, shared_values=bad)
        assert refused["error"]["code"] == "validation_error", refused
    assert BankLine.objects.filter(company=company).count() == 2
