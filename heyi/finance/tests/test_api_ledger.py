"""The ledger API as an accountant's program uses it: drafts, posting, reversal, periods, the
chart and the settings; bad input answers with a clear code and changes nothing."""

from decimal import Decimal

import pytest

from conftest import make_member
from heyi.finance.models import Account, Voucher, VoucherLine
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings
from heyi.platform.models import AuditEntry

D = Decimal


@pytest.fixture
def books(company):
    return finance_settings(company)


@pytest.fixture
def accountant(api_as, finance, company):
    return api_as(finance, company)


def _id(company, code: str) -> str:
    return str(Account.objects.get(company=company, code=code).pk)


def _voucher(company, amount="1500.00", date="2026-03-10", debit="560201", credit="1002", **extra):
    return {
        "date": date,
        "narration": "购买办公用品",
        "lines": [
            {"account_id": _id(company, debit), "debit": amount, "narration": "打印纸"},
            {"account_id": _id(company, credit), "credit": amount},
        ],
        **extra,
    }


def _draft(accountant, company, **kwargs) -> dict:
    r = accountant.post("/vouchers", _voucher(company, **kwargs))
    assert r.status_code == 201, r.json()
    return r.json()


def test_a_draft_is_posted_and_numbered_and_forged_fields_are_ignored(company, books, accountant):
    forged = {"number": "记-9999", "state": "posted", "hash": "x" * 64, "total": "1.00", "company_id": "x"}
    draft = _draft(accountant, company, **forged)
    assert draft["state"] == "draft" and draft["number"] == "" and draft["hash"] == ""
    assert draft["total"] == "1500.00" and draft["word"] == "记" and draft["period"] == "2026-03"
    assert [ln["debit"] for ln in draft["lines"]] == ["1500.00", "0.00"]
    assert draft["lines"][0]["account_code"] == "560201" and draft["lines"][1]["narration"] == "购买办公用品"
    assert account_balance(company, "560201") == 0

    posted = accountant.post(f"/vouchers/{draft['id']}/post")
    assert posted.status_code == 200, posted.json()
    body = posted.json()
    assert body["state"] == "posted" and body["number"] == "记-0001" and len(body["hash"]) == 64
    assert body["posted_by"] == "finance" and body["prepared_by"] == "finance"
    second = _draft(accountant, company, amount="80.00", date="2026-03-20")
    assert accountant.post(f"/vouchers/{second['id']}/post").json()["number"] == "记-0002"
    assert account_balance(company, "560201") == D("1580.00")
    assert account_balance(company, "1002") == D("-1580.00")


def test_an_unbalanced_voucher_is_refused_and_nothing_is_written(company, books, accountant):
    body = _voucher(company)
    body["lines"][1]["credit"] = "1499.99"
    r = accountant.post("/vouchers", body)
    assert r.status_code == 422 and r.json()["error"]["code"] == "unbalanced_voucher"
    assert r.json()["error"]["detail"] == {"debit": "1500.00", "credit": "1499.99"}
    assert Voucher.objects.filter(company=company).count() == 0


def test_more_than_two_decimals_is_a_validation_error_on_the_line(company, books, accountant):
    r = accountant.post("/vouchers", _voucher(company, amount="0.005"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "validation_error"
    assert "lines[0].debit" in r.json()["error"]["fields"]
    body = _voucher(company)
    body["lines"][0]["credit"] = "10.00"
    r = accountant.post("/vouchers", body)
    assert r.status_code == 400 and "lines[0].credit" in r.json()["error"]["fields"]
    assert Voucher.objects.filter(company=company).count() == 0


def test_another_companys_account_is_not_found_and_nothing_is_written(
    company, other_company, books, accountant
):
    finance_settings(other_company)
    body = _voucher(company)
    body["lines"][0]["account_id"] = _id(other_company, "560201")
    r = accountant.post("/vouchers", body)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert Voucher.objects.count() == 0 and VoucherLine.objects.count() == 0


def test_a_posted_voucher_is_neither_changed_nor_deleted_but_a_draft_is(company, books, accountant):
    draft = _draft(accountant, company)
    stale = accountant.patch(f"/vouchers/{draft['id']}", {"version": 7, "narration": "改"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    changed = accountant.patch(
        f"/vouchers/{draft['id']}", {"version": 1, "narration": "办公用品", "date": "2026-03-11"}
    )
    assert changed.status_code == 200 and changed.json()["narration"] == "办公用品"
    assert changed.json()["version"] == 2 and changed.json()["date"] == "2026-03-11"
    posted = accountant.post(f"/vouchers/{draft['id']}/post").json()

    r = accountant.patch(f"/vouchers/{posted['id']}", {"version": posted["version"], "narration": "改"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "posted_immutable"
    r = accountant.delete(f"/vouchers/{posted['id']}")
    assert r.status_code == 409 and r.json()["error"]["code"] == "posted_immutable"
    assert Voucher.objects.get(pk=posted["id"]).narration == "办公用品"

    other = _draft(accountant, company)
    assert accountant.delete(f"/vouchers/{other['id']}").status_code == 204
    assert not Voucher.objects.filter(pk=other["id"]).exists()


def test_reversal_is_a_linked_mirror_and_happens_once(company, books, accountant):
    posted = accountant.post(f"/vouchers/{_draft(accountant, company)['id']}/post").json()
    r = accountant.post(f"/vouchers/{posted['id']}/reverse", {"date": "2026-04-02"})
    assert r.status_code == 201, r.json()
    reversal = r.json()
    assert reversal["reverses_id"] == posted["id"] and reversal["number"] == "记-0001"
    assert reversal["period"] == "2026-04" and reversal["lines"][0]["credit"] == "1500.00"
    assert accountant.get(f"/vouchers/{posted['id']}").json()["reversed_by_id"] == reversal["id"]
    assert account_balance(company, "560201") == 0 and account_balance(company, "1002") == 0
    again = accountant.post(f"/vouchers/{posted['id']}/reverse")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reversed"


def test_the_voucher_list_filters(company, books, accountant):
    first = accountant.post(f"/vouchers/{_draft(accountant, company)['id']}/post").json()
    _draft(accountant, company, amount="20.00", date="2026-05-06", debit="5603", narration="手续费")
    assert accountant.get("/vouchers").json()["count"] == 2
    assert [v["id"] for v in accountant.get("/vouchers", state="posted").json()["items"]] == [first["id"]]
    assert accountant.get("/vouchers", date_from="2026-05-01").json()["count"] == 1
    assert accountant.get("/vouchers", account=_id(company, "5602")).json()["count"] == 1
    assert accountant.get("/vouchers", account=_id(company, "1002")).json()["count"] == 2
    assert accountant.get("/vouchers", q="手续费").json()["count"] == 1
    assert accountant.get("/vouchers", source="manual", word="收").json()["count"] == 0
    period = accountant.get("/periods", year=2026).json()["items"][4]
    assert period["month"] == 5 and accountant.get("/vouchers", period=period["id"]).json()["count"] == 1
    bad = accountant.get("/vouchers", ordering="hash")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "validation_error"


def test_a_closed_period_refuses_postings_until_reopened(company, books, accountant):
    draft = _draft(accountant, company, date="2026-06-15")
    march = next(p for p in accountant.get("/periods", year=2026).json()["items"] if p["month"] == 3)
    closed = accountant.post(f"/periods/{march['id']}/close")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    r = accountant.post("/vouchers", _voucher(company, date="2026-03-31"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "period_closed"
    r = accountant.patch(f"/vouchers/{draft['id']}", {"version": 1, "date": "2026-03-01"})
    assert r.status_code == 422 and Voucher.objects.get(pk=draft["id"]).date.month == 6
    again = accountant.post(f"/periods/{march['id']}/close")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    assert accountant.post(f"/periods/{march['id']}/reopen").json()["state"] == "open"
    assert accountant.post("/vouchers", _voucher(company, date="2026-03-31")).status_code == 201


def test_the_year_is_closed_through_the_api(company, books, accountant):
    income = _draft(accountant, company, debit="1002", credit="5051", amount="900.00", date="2025-07-01")
    accountant.post(f"/vouchers/{income['id']}/post")
    r = accountant.post("/fiscal-years/2025/close")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    assert account_balance(company, "5051") == 0 and account_balance(company, "310401") == D("-900.00")
    assert accountant.post("/fiscal-years/2025/close").status_code == 409
    assert accountant.post("/fiscal-years/99999/close").status_code == 400
    r = accountant.post("/vouchers", _voucher(company, date="2025-12-31"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "period_closed"


def test_the_chart_lists_in_tree_order_and_takes_sub_accounts(company, other_company, accountant):
    listed = accountant.get("/accounts", page_size=500).json()
    codes = [a["code"] for a in listed["items"]]
    assert codes == sorted(codes) and "1002" in codes
    vat = next(a for a in listed["items"] if a["code"] == "22210101")
    assert vat["level"] == 3 and vat["is_leaf"] and vat["name_en"] == "Input VAT"
    assert accountant.get("/accounts", q="银行").json()["items"][0]["code"] == "1002"
    assert {a["type"] for a in accountant.get("/accounts", type="equity").json()["items"]} == {"equity"}

    bank = _id(company, "1002")
    r = accountant.post("/accounts", {"parent_id": bank, "code": "100201", "name": "工商银行西湖支行"})
    assert r.status_code == 201, r.json()
    icbc = r.json()
    assert icbc["type"] == "asset" and icbc["is_cash"] and icbc["parent_id"] == bank and icbc["level"] == 2
    assert accountant.get(f"/accounts/{bank}").json()["is_leaf"] is False
    r = accountant.post("/accounts", {"parent_id": bank, "code": "200201", "name": "错"})
    assert r.status_code == 400 and "code" in r.json()["error"]["fields"]
    finance_settings(other_company)
    r = accountant.post(
        "/accounts", {"parent_id": _id(other_company, "1002"), "code": "100202", "name": "别家"}
    )
    assert r.status_code == 404 and not Account.objects.filter(code="100202").exists()

    renamed = accountant.patch(f"/accounts/{icbc['id']}", {"version": 1, "name_en": "ICBC Xihu", "code": "9"})
    assert renamed.status_code == 200 and renamed.json()["name_en"] == "ICBC Xihu"
    assert renamed.json()["code"] == "100201"
    off = accountant.patch(f"/accounts/{icbc['id']}", {"version": 2, "active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert accountant.get("/accounts", active=False).json()["items"][0]["code"] == "100201"


def test_finance_settings_take_leaf_accounts_of_the_right_type(company, other_company, books, accountant):
    current = accountant.get("/finance-settings").json()
    assert current["revenue_id"] == _id(company, "5001") and current["payment_terms_days"] == 30
    r = accountant.patch(
        "/finance-settings",
        {"version": current["version"], "expense_id": _id(company, "560201"), "payment_terms_days": 45},
    )
    assert r.status_code == 200 and r.json()["expense_id"] == _id(company, "560201")
    assert r.json()["payment_terms_days"] == 45
    assert AuditEntry.objects.filter(company=company, object_type="finance.financesettings").exists()
    version = r.json()["version"]
    for field, code in (("revenue_id", "1002"), ("revenue_id", "5401"), ("receivable_id", "1221")):
        r = accountant.patch("/finance-settings", {"version": version, field: _id(company, code)})
        assert r.status_code == 400 and field.removesuffix("_id") in r.json()["error"]["fields"], code
    finance_settings(other_company)
    r = accountant.patch("/finance-settings", {"version": version, "revenue_id": _id(other_company, "5001")})
    assert r.status_code == 404
    assert accountant.get("/finance-settings").json()["revenue_id"] == _id(company, "5001")


def test_people_outside_finance_cannot_see_or_write_the_books(company, books, api_as):
    clerk = api_as(make_member(company, "clerk", roles=["sales"]), company)
    assert clerk.get("/vouchers").status_code == 403
    assert clerk.post("/vouchers", _voucher(company)).status_code in (403, 404)
    assert Voucher.objects.count() == 0
