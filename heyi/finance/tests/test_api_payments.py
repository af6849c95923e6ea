"""The payment and expense claim endpoints as an integrator (and an employee's app) call them."""

import datetime
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.finance.models import Account, ExpenseClaim, Payment
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings
from heyi.finance.services.invoices import invoice_create, invoice_post
from heyi.finance.services.invoicing import InvoiceLineIn
from heyi.partners.services.partners import partner_create
from heyi.platform.services.tenancy import department_create

D = Decimal
TODAY = datetime.date.today()


@pytest.fixture
def books(company):
    return finance_settings(company)


def code(company, number: str) -> str:
    return str(Account.objects.get(company=company, code=number).pk)


@pytest.fixture
def fin(api_as, finance, company, books):
    return api_as(finance, company)


def test_a_receipt_is_recorded_posted_and_read_back(fin, company, customer):
    created = fin.post(
        "/payments",
        {
            "kind": "customer_receipt",
            "partner_id": str(customer.pk),
            "amount": "3200.00",
            "account_id": code(company, "1002"),
            "reference": "工行回单 0087",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["number"], body["payment_date"]) == ("draft", "", TODAY.isoformat())
    pid = body["id"]

    patched = fin.patch(f"/payments/{pid}", {"version": body["version"], "amount": "3250.00"})
    assert patched.status_code == 200 and patched.json()["amount"] == "3250.00"
    stale = fin.patch(f"/payments/{pid}", {"version": body["version"], "amount": "1.00"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"

    posted = fin.post(f"/payments/{pid}/submit")
    assert posted.status_code == 200, posted.content
    body = posted.json()
    assert body["state"] == "posted" and body["number"] == f"RC-{TODAY.year}-000001"
    assert body["unallocated_amount"] == "3250.00" and body["voucher_number"] == "收-0001"
    assert account_balance(company, "1122", partner=customer) == D("-3250.00")

    listed = fin.get("/payments", kind="customer_receipt", partner=str(customer.pk), unallocated="true")
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json()["items"]] == [pid]
    assert fin.get("/payments", state="draft").json()["count"] == 0
    assert fin.get(f"/payments/{pid}/open-invoices").json() == []

    again = fin.post(f"/payments/{pid}/cancel")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"


def test_a_clerk_without_the_payment_permission_gets_403_and_nothing_is_written(
    api_as, company, books, customer, sales
):
    clerk = api_as(sales, company)
    answer = clerk.post(
        "/payments",
        {
            "kind": "customer_receipt",
            "partner_id": str(customer.pk),
            "amount": "10.00",
            "account_id": code(company, "1002"),
        },
    )
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "not_permitted"
    assert clerk.get("/payments").status_code == 403
    assert not Payment.objects.filter(company=company).exists()


def test_another_companys_payment_partner_and_account_are_not_found(
    fin, api_as, company, other_company, outsider, customer
):
    finance_settings(other_company)
    theirs = api_as(outsider, other_company)
    their_bank = code(other_company, "1002")
    created = fin.post(
        "/payments",
        {
            "kind": "customer_receipt",
            "partner_id": str(customer.pk),
            "amount": "10.00",
            "account_id": their_bank,
        },
    )
    assert created.status_code == 404
    mine = fin.post(
        "/payments",
        {
            "kind": "customer_receipt",
            "partner_id": str(customer.pk),
            "amount": "10.00",
            "account_id": code(company, "1002"),
        },
    ).json()
    for call in (
        lambda: theirs.get(f"/payments/{mine['id']}"),
        lambda: theirs.post(f"/payments/{mine['id']}/submit"),
        lambda: theirs.post(f"/payments/{mine['id']}/allocate", {"oldest_first": True}),
        lambda: theirs.patch(f"/payments/{mine['id']}", {"version": 1, "amount": "1.00"}),
    ):
        answer = call()
        assert answer.status_code == 404, answer.content
    assert Payment.objects.get(pk=mine["id"]).amount == D("10.00")


def test_bad_input_is_a_4xx_with_a_clear_code(fin, company, customer, supplier):
    base = {"kind": "customer_receipt", "partner_id": str(customer.pk), "account_id": code(company, "1002")}
    as_float = fin.post("/payments", {**base, "amount": 12.5})
    assert as_float.status_code in (400, 422)
    negative = fin.post("/payments", {**base, "amount": "-3.00"})
    assert negative.status_code in (400, 422)
    zero = fin.post("/payments", {**base, "amount": "0"})
    assert zero.status_code == 400 and "amount" in zero.json()["error"]["fields"]
    wrong_side = fin.post("/payments", {**base, "partner_id": str(supplier.pk), "amount": "5.00"})
    assert wrong_side.status_code == 400 and "partner" in wrong_side.json()["error"]["fields"]
    not_cash = fin.post("/payments", {**base, "account_id": code(company, "1122"), "amount": "5.00"})
    assert not_cash.status_code == 400 and "account" in not_cash.json()["error"]["fields"]
    assert not Payment.objects.filter(company=company).exists()


def test_forged_state_number_and_company_are_ignored(fin, company, other_company, customer):
    created = fin.post(
        "/payments",
        {
            "kind": "customer_receipt",
            "partner_id": str(customer.pk),
            "amount": "10.00",
            "account_id": code(company, "1002"),
            "state": "posted",
            "number": "HACK-1",
            "unallocated_amount": "0.00",
            "company_id": str(other_company.pk),
        },
    )
    assert created.status_code == 201
    payment = Payment.objects.get(pk=created.json()["id"])
    assert (payment.state, payment.number, payment.company) == ("draft", "", company)
    assert payment.unallocated_amount == D("0.00") and payment.voucher is None


@pytest.fixture
def zhang(company, admin):
    dept = department_create(actor=admin, company=company, name="市场部")
    return make_member(company, "zhangwei", roles=["employee"], department=dept)


def test_an_employee_claims_through_the_api_and_finance_pays(api_as, company, books, zhang, finance):
    me = api_as(zhang, company)
    accounts = me.get("/expense-accounts").json()
    travel = next(a for a in accounts if a["code"] == "560202")
    assert not any(a["code"] in ("1002", "5001", "5602") for a in accounts)
    created = me.post(
        "/expense-claims",
        {
            "description": "上海客户拜访",
            "lines": [{"account_id": travel["id"], "description": "高铁", "amount": "553.00"}],
        },
    )
    assert created.status_code == 201, created.content
    claim = created.json()
    assert claim["number"] == f"EXP-{TODAY.year}-000001" and claim["total_amount"] == "553.00"
    assert claim["employee_name"] == "zhangwei"

    submitted = me.post(f"/expense-claims/{claim['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["state"] == "approved"
    refused = me.post(f"/expense-claims/{claim['id']}/pay", {"account_id": code(company, "1002")})
    assert refused.status_code == 403

    fin = api_as(finance, company)
    paid = fin.post(f"/expense-claims/{claim['id']}/pay", {"account_id": code(company, "1002")})
    assert paid.status_code == 200, paid.content
    assert paid.json()["state"] == "paid" and paid.json()["payment_voucher_id"]
    assert account_balance(company, "224101") == D("0.00")
    assert account_balance(company, "560202") == D("553.00")
    assert fin.get("/expense-claims", state="paid").json()["count"] == 1


def test_a_colleague_cannot_see_or_touch_my_claim(api_as, company, books, zhang):
    li = make_member(company, "lina", roles=["employee"])
    me, colleague = api_as(zhang, company), api_as(li, company)
    travel = next(a for a in me.get("/expense-accounts").json() if a["code"] == "560202")
    claim = me.post(
        "/expense-claims",
        {"description": "出差", "lines": [{"account_id": travel["id"], "amount": "100.00"}]},
    ).json()
    assert colleague.get("/expense-claims").json()["count"] == 0
    for answer in (
        colleague.get(f"/expense-claims/{claim['id']}"),
        colleague.patch(f"/expense-claims/{claim['id']}", {"version": 1, "description": "改了"}),
        colleague.post(f"/expense-claims/{claim['id']}/submit"),
        colleague.post(f"/expense-claims/{claim['id']}/cancel"),
    ):
        assert answer.status_code == 404
    assert ExpenseClaim.objects.get(pk=claim["id"]).description == "出差"
    assert me.get("/expense-claims", mine="true").json()["count"] == 1


def _invoice(company, actor, partner, gross, kind="customer_invoice"):
    draft = invoice_create(
        actor=actor,
        company=company,
        kind=kind,
        partner=partner,
        invoice_date=TODAY,
        lines=[InvoiceLineIn(quantity=D(1), unit_price=D(gross), tax_rate=D(0), description="技术服务费")],
    )
    return invoice_post(actor=actor, company=company, invoice=draft)


def test_a_receipt_is_allocated_through_the_api_and_over_allocation_is_422(fin, finance, company, customer):
    invoice = _invoice(company, finance, customer, "1000")
    created = fin.post(
        "/payments",
        {
            "kind": "customer_receipt",
            "partner_id": str(customer.pk),
            "amount": "1200.00",
            "account_id": code(company, "1002"),
            "allocations": [{"invoice_id": str(invoice.pk), "amount": "400.00"}],
        },
    ).json()
    assert created["planned_allocations"] == [{"invoice_id": str(invoice.pk), "amount": "400.00"}]
    posted = fin.post(f"/payments/{created['id']}/submit").json()
    assert posted["unallocated_amount"] == "800.00"
    assert [a["amount"] for a in posted["allocations"]] == ["400.00"]
    assert fin.get(f"/payments/{created['id']}/open-invoices").json()[0]["open_amount"] == "600.00"

    too_much = fin.post(
        f"/payments/{created['id']}/allocate",
        {"allocations": [{"invoice_id": str(invoice.pk), "amount": "600.01"}]},
    )
    assert too_much.status_code == 422
    assert too_much.json()["error"]["code"] == "over_allocation"
    invoice.refresh_from_db()
    assert invoice.open_amount == D("600.00")

    oldest = fin.post(f"/payments/{created['id']}/allocate", {"oldest_first": True})
    assert oldest.status_code == 200
    assert oldest.json()["unallocated_amount"] == "200.00"
    invoice.refresh_from_db()
    assert invoice.open_amount == D("0.00")
    assert account_balance(company, "1122", partner=customer) == D("-200.00")


def test_allocating_to_another_companys_invoice_is_404(
    fin, finance, company, other_company, outsider, customer
):
    theirs = _invoice(
        other_company,
        outsider,
        partner_create(actor=outsider, company=other_company, name="外地客户", is_customer=True),
        "100",
    )
    receipt = fin.post(
        "/payments",
        {
            "kind": "customer_receipt",
            "partner_id": str(customer.pk),
            "amount": "100.00",
            "account_id": code(company, "1002"),
        },
    ).json()
    fin.post(f"/payments/{receipt['id']}/submit")
    answer = fin.post(
        f"/payments/{receipt['id']}/allocate",
        {"allocations": [{"invoice_id": str(theirs.pk), "amount": "10.00"}]},
    )
    assert answer.status_code == 404
    theirs.refresh_from_db()
    assert theirs.open_amount == D("100.00")
    assert Payment.objects.get(pk=receipt["id"]).unallocated_amount == D("100.00")


def test_the_rest_of_a_receipt_is_refunded_through_the_api(fin, finance, company, customer):
    invoice = _invoice(company, finance, customer, "1000")
    receipt = fin.post(
        "/payments",
        {
            "kind": "customer_receipt",
            "partner_id": str(customer.pk),
            "amount": "1300.00",
            "account_id": code(company, "1002"),
            "allocations": [{"invoice_id": str(invoice.pk), "amount": "1000.00"}],
        },
    ).json()
    fin.post(f"/payments/{receipt['id']}/submit")

    too_much = fin.post(
        f"/payments/{receipt['id']}/refund", {"amount": "300.01", "account_id": code(company, "1002")}
    )
    assert too_much.status_code == 422 and too_much.json()["error"]["code"] == "over_allocation"
    drafted = fin.post(f"/payments/{receipt['id']}/refund", {"account_id": code(company, "1002")})
    assert drafted.status_code == 201, drafted.content
    refund = drafted.json()
    assert (refund["kind"], refund["state"], refund["amount"]) == ("customer_refund", "draft", "300.00")
    assert refund["refunded_payment_id"] == receipt["id"] and refund["refunded_credit_note_id"] is None
    assert fin.get(f"/payments/{refund['id']}/open-invoices").json() == []

    posted = fin.post(f"/payments/{refund['id']}/submit").json()
    assert posted["state"] == "posted" and posted["number"] == f"RF-{TODAY.year}-000001"
    after = fin.get(f"/payments/{receipt['id']}").json()
    assert after["unallocated_amount"] == "0.00"
    assert [(a["invoice_number"], a["refund_number"], a["amount"]) for a in after["allocations"]] == [
        (invoice.number, None, "1000.00"),
        (None, posted["number"], "300.00"),
    ]
    assert account_balance(company, "1122", partner=customer) == D("0.00")


def test_credit_notes_are_refunded_on_their_own_side_only(fin, finance, company, customer, supplier):
    customer_credit = _invoice(company, finance, customer, "250", kind="customer_credit_note")
    supplier_credit = _invoice(company, finance, supplier, "80", kind="supplier_credit_note")
    bank = code(company, "1002")
    assert fin.post(f"/bills/{customer_credit.pk}/refund", {"account_id": bank}).status_code == 404
    assert fin.post(f"/invoices/{supplier_credit.pk}/refund", {"account_id": bank}).status_code == 404
    invoice = _invoice(company, finance, customer, "10")
    not_credit = fin.post(f"/invoices/{invoice.pk}/refund", {"account_id": bank})
    assert not_credit.status_code == 404

    to_customer = fin.post(f"/invoices/{customer_credit.pk}/refund", {"account_id": bank, "amount": "100"})
    assert to_customer.status_code == 201 and to_customer.json()["refunded_number"] == customer_credit.number
    fin.post(f"/payments/{to_customer.json()['id']}/submit")
    from_supplier = fin.post(f"/bills/{supplier_credit.pk}/refund", {"account_id": bank}).json()
    assert fin.post(f"/payments/{from_supplier['id']}/submit").json()["number"] == f"RR-{TODAY.year}-000001"
    credit = fin.get(f"/invoices/{customer_credit.pk}").json()
    assert credit["open_amount"] == "150.00"
    assert [(c["refund_id"], c["amount"]) for c in credit["credits_given"]] == [
        (to_customer.json()["id"], "100.00")
    ]
    assert account_balance(company, "1002") == D("-20.00")


def test_a_clerk_cannot_refund_and_nothing_is_written(api_as, company, finance, sales, customer, books):
    credit = _invoice(company, finance, customer, "250", kind="customer_credit_note")
    answer = api_as(sales, company).post(
        f"/invoices/{credit.pk}/refund", {"account_id": code(company, "1002")}
    )
    assert answer.status_code == 403
    assert not Payment.objects.filter(company=company, kind="customer_refund").exists()
