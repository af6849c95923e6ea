"""Bank reconciliation through the API, as a treasury integrator calls it: the bank's statement
of the 工行 account is sent line by line, matched to the books automatically and by hand, and
the reconciliation statement (余额调节表) is read at the end."""

import datetime
from decimal import Decimal

import pytest

from heyi.finance.models import Account, BankLine
from heyi.finance.services.common import finance_settings

from .test_bank import book, line
from .test_payments import receive_money

D = Decimal
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
START = TODAY - 20 * DAY


@pytest.fixture
def fin(api_as, finance, company, bank):
    return api_as(finance, company)


def send(api, bank, on, amount, balance, **extra):
    return api.post(
        "/bank-lines",
        {
            "account_id": str(bank.pk),
            "line_date": on.isoformat(),
            "amount": amount,
            "balance": balance,
            **extra,
        },
    )


def ids(items) -> list[str]:
    return [item["id"] for item in items]


def test_the_statement_is_sent_matched_and_reconciled(fin, company, finance, customer, bank):
    receipt = receive_money(company, finance, customer, bank, "5000", on=START)
    cheque = book(company, finance, bank, START + 2 * DAY, "-1200")
    late_cheque = book(company, finance, bank, START + 5 * DAY, "-800")

    first = send(
        fin,
        bank,
        START + DAY,
        "5000",
        "5000.00",
        description="星辰科技货款",
        reference="HX001",
        counterparty="杭州星辰科技有限公司",
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["sequence"], body["amount"], body["balance"], body["account_code"]) == (
        1,
        "5000.00",
        "5000.00",
        "1002",
    )
    assert (body["reference"], body["counterparty"], body["matched_line_id"]) == (
        "HX001",
        "杭州星辰科技有限公司",
        None,
    )
    second = send(fin, bank, START + 3 * DAY, "-1200", "3800", description="支票 0001").json()
    assert (second["sequence"], second["amount"], second["balance"]) == (2, "-1200.00", "3800.00")

    mistyped = send(fin, bank, START + 4 * DAY, "-35.50", "3800.00", description="账户管理费")
    assert mistyped.status_code == 400
    assert "3764.50" in mistyped.json()["error"]["fields"]["balance"][0]
    assert BankLine.objects.filter(company=company).count() == 2
    fee = send(fin, bank, START + 4 * DAY, "-35.50", "3764.50", description="账户管理费").json()
    assert fee["sequence"] == 3

    listed = fin.get("/bank-lines", account=str(bank.pk))
    assert listed.status_code == 200
    assert listed.json()["count"] == 3
    assert [x["sequence"] for x in listed.json()["items"]] == [1, 2, 3]
    since = fin.get("/bank-lines", date_from=(START + 3 * DAY).isoformat(), ordering="-line_date").json()
    assert [x["sequence"] for x in since["items"]] == [3, 2]
    assert fin.get("/bank-lines", q="管理费").json()["count"] == 1
    assert fin.get("/bank-lines", ordering="description").status_code == 400

    candidates = fin.get(f"/bank-lines/{second['id']}/candidates")
    assert candidates.status_code == 200
    [only] = candidates.json()
    assert (only["id"], only["amount"], only["date"]) == (
        str(cheque.pk),
        "-1200.00",
        (START + 2 * DAY).isoformat(),
    )
    assert only["voucher_number"] == cheque.voucher.number

    auto = fin.post("/bank-lines/auto-match", {"account_id": str(bank.pk)})
    assert auto.status_code == 200 and auto.json() == {"matched": 2}
    matched = fin.get("/bank-lines", matched="true").json()["items"]
    assert [x["sequence"] for x in matched] == [1, 2]
    assert matched[0]["matched_voucher_id"] == str(receipt.voucher_id)
    assert matched[0]["matched_voucher_number"] == receipt.voucher.number
    assert matched[1]["matched_line_id"] == str(cheque.pk)
    assert ids(fin.get("/bank-lines", matched="false").json()["items"]) == [fee["id"]]
    assert fin.post("/bank-lines/auto-match", {"account_id": str(bank.pk)}).json() == {"matched": 0}
    assert fin.get(f"/bank-lines/{second['id']}/candidates").json() == []

    report = fin.get("/reports/bank-reconciliation", account="1002")
    assert report.status_code == 200, report.content
    body = report.json()
    assert (body["account_code"], body["date"]) == ("1002", TODAY.isoformat())
    assert (body["book_balance"], body["bank_balance"]) == ("3000.00", "3764.50")
    assert ids(body["bank_only"]) == [fee["id"]] and body["bank_only"][0]["amount"] == "-35.50"
    assert ids(body["book_only"]) == [str(late_cheque.pk)]
    assert body["book_only"][0]["amount"] == "-800.00"
    assert (body["adjusted_book"], body["adjusted_bank"], body["difference"], body["agrees"]) == (
        "2964.50",
        "2964.50",
        "0.00",
        True,
    )

    earlier = fin.get(
        "/reports/bank-reconciliation", account=str(bank.pk), date=(START + 2 * DAY).isoformat()
    ).json()
    assert (earlier["book_balance"], earlier["bank_balance"]) == ("3800.00", "5000.00")
    assert earlier["bank_only"] == [], "the receipt is matched on both sides by then"
    assert ids(earlier["book_only"]) == [str(cheque.pk)], "the cheque reached the bank a day later"
    assert (earlier["adjusted_bank"], earlier["agrees"]) == ("3800.00", True)


def test_the_fee_is_booked_then_matched_and_unmatched_by_hand(fin, company, finance, bank):
    line(company, finance, bank, START, "10000", "10000")
    fee = line(company, finance, bank, START + DAY, "-20", "9980", description="手续费")
    deposit = book(company, finance, bank, START, "10000", other="3001")
    wrong = book(company, finance, bank, START + DAY, "-21")
    booked_fee = book(company, finance, bank, START + 2 * DAY, "-20")

    assert ids(fin.get(f"/bank-lines/{fee.pk}/candidates").json()) == [str(booked_fee.pk)]
    off = fin.post(f"/bank-lines/{fee.pk}/match", {"voucher_line_id": str(wrong.pk)})
    assert off.status_code == 400 and "voucher_line" in off.json()["error"]["fields"]

    matched = fin.post(f"/bank-lines/{fee.pk}/match", {"voucher_line_id": str(booked_fee.pk)})
    assert matched.status_code == 200, matched.content
    body = matched.json()
    assert body["matched_line_id"] == str(booked_fee.pk) and body["matched_at"]
    assert body["matched_voucher_number"] == booked_fee.voucher.number
    again = fin.post(f"/bank-lines/{fee.pk}/match", {"voucher_line_id": str(booked_fee.pk)})
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    assert fin.get(f"/bank-lines/{fee.pk}").json()["matched_line_id"] == str(booked_fee.pk)

    report = fin.get("/reports/bank-reconciliation", account=str(bank.pk)).json()
    assert ids(report["bank_only"]) == [str(BankLine.objects.get(company=company, sequence=1).pk)]
    assert ids(report["book_only"]) == [str(deposit.pk), str(wrong.pk)]
    assert (report["book_balance"], report["bank_balance"]) == ("9959.00", "9980.00")
    assert (report["adjusted_book"], report["adjusted_bank"], report["agrees"]) == (
        "19959.00",
        "19959.00",
        True,
    )

    undone = fin.post(f"/bank-lines/{fee.pk}/unmatch")
    assert undone.status_code == 200
    assert (undone.json()["matched_line_id"], undone.json()["matched_at"]) == (None, None)
    twice = fin.post(f"/bank-lines/{fee.pk}/unmatch")
    assert twice.status_code == 409
    fee.refresh_from_db()
    assert fee.matched_line_id is None


def test_an_account_without_a_statement_and_bad_input(fin, company, bank):
    empty = fin.get("/reports/bank-reconciliation", account=str(bank.pk)).json()
    assert (empty["book_balance"], empty["bank_balance"], empty["bank_only"], empty["book_only"]) == (
        "0.00",
        None,
        [],
        [],
    )
    assert (empty["adjusted_bank"], empty["difference"], empty["agrees"]) == (None, None, False)

    receivable = Account.objects.get(company=company, code="1122")
    not_bank = fin.get("/reports/bank-reconciliation", account=str(receivable.pk))
    assert not_bank.status_code == 400 and "account" in not_bank.json()["error"]["fields"]
    assert fin.get("/reports/bank-reconciliation", account=str(bank.pk), date="2026-02-30").status_code == 400
    assert fin.get("/reports/bank-reconciliation").status_code == 400

    as_float = send(fin, bank, TODAY, 12.5, "12.50")
    assert as_float.status_code == 400 and "amount" in str(as_float.json()["error"]["fields"])
    zero = send(fin, bank, TODAY, "0", "0")
    assert zero.status_code == 400 and "amount" in zero.json()["error"]["fields"]
    into_receivable = send(fin, receivable, TODAY, "5", "5")
    assert into_receivable.status_code == 400 and "account" in into_receivable.json()["error"]["fields"]
    too_long = send(fin, bank, TODAY, "5", "5", reference="R" * 65)
    assert too_long.status_code == 400
    assert not BankLine.objects.filter(company=company).exists()

    today = fin.post("/bank-lines", {"account_id": str(bank.pk), "amount": "-5", "balance": "-5"})
    assert today.status_code == 201 and today.json()["line_date"] == TODAY.isoformat()


def test_a_clerk_without_the_payment_permission_gets_403_and_nothing_is_written(
    api_as, fin, company, finance, sales, bank
):
    booked = book(company, finance, bank, TODAY, "5")
    mine = line(company, finance, bank, TODAY, "5", "5")
    clerk = api_as(sales, company)
    for answer in (
        send(clerk, bank, TODAY, "7", "12"),
        clerk.post("/bank-lines/auto-match", {"account_id": str(bank.pk)}),
        clerk.post(f"/bank-lines/{mine.pk}/match", {"voucher_line_id": str(booked.pk)}),
        clerk.post(f"/bank-lines/{mine.pk}/unmatch"),
        clerk.get("/bank-lines"),
        clerk.get(f"/bank-lines/{mine.pk}"),
        clerk.get(f"/bank-lines/{mine.pk}/candidates"),
        clerk.get("/reports/bank-reconciliation", account=str(bank.pk)),
    ):
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "not_permitted"
    assert list(BankLine.objects.filter(company=company).values_list("pk", "matched_line")) == [
        (mine.pk, None)
    ]


def test_another_companys_bank_lines_voucher_lines_and_accounts_are_not_found(
    api_as, fin, company, finance, other_company, outsider, bank
):
    finance_settings(other_company)
    their_bank = Account.objects.get(company=other_company, code="1002")
    theirs = api_as(outsider, other_company)
    their_line = book(other_company, outsider, their_bank, TODAY, "5")
    book(company, finance, bank, TODAY, "5")
    mine = line(company, finance, bank, TODAY, "5", "5")

    for answer in (
        theirs.get(f"/bank-lines/{mine.pk}"),
        theirs.get(f"/bank-lines/{mine.pk}/candidates"),
        theirs.post(f"/bank-lines/{mine.pk}/match", {"voucher_line_id": str(their_line.pk)}),
        theirs.post(f"/bank-lines/{mine.pk}/unmatch"),
        theirs.post("/bank-lines/auto-match", {"account_id": str(bank.pk)}),
        send(theirs, bank, TODAY, "1", "6"),
        fin.post(f"/bank-lines/{mine.pk}/match", {"voucher_line_id": str(their_line.pk)}),
        fin.post("/bank-lines/auto-match", {"account_id": str(their_bank.pk)}),
        send(fin, their_bank, TODAY, "1", "1"),
    ):
        assert answer.status_code == 404, answer.content
        assert str(mine.pk) not in answer.content.decode()
    for report in (
        theirs.get("/reports/bank-reconciliation", account=str(bank.pk)),
        fin.get("/reports/bank-reconciliation", account=str(their_bank.pk)),
    ):
        assert report.status_code == 400 and "account" in report.json()["error"]["fields"]
    assert theirs.get("/bank-lines").json()["count"] == 0
    mine.refresh_from_db()
    assert mine.matched_line_id is None
    assert not BankLine.objects.filter(company=other_company).exists()
    assert BankLine.objects.filter(company=company).count() == 1
