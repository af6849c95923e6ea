"""The receipt, payment and expense claim pages as finance and employees use them."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_member
from heyi.finance.models import Account, ExpenseClaim, Invoice, Payment
from heyi.finance.selectors import account_balance
from heyi.finance.services.common import finance_settings
from heyi.finance.services.expenses import expense_claim_create, expense_claim_submit
from heyi.finance.services.invoices import invoice_create, invoice_post
from heyi.finance.services.invoicing import InvoiceLineIn
from heyi.finance.services.payments import payment_create, payment_submit
from heyi.platform.services.tenancy import department_create

D = Decimal
TODAY = datetime.date.today()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def books(company):
    return finance_settings(company)


@pytest.fixture
def desk(finance, books):
    return _client(finance)


def account(company, code: str) -> Account:
    return Account.objects.get(company=company, code=code)


def invoiced(company, actor, partner, gross, kind=Invoice.Kind.CUSTOMER_INVOICE, due=None) -> Invoice:
    draft = invoice_create(
        actor=actor,
        company=company,
        kind=kind,
        partner=partner,
        invoice_date=TODAY,
        due_date=due,
        lines=[InvoiceLineIn(quantity=D(1), unit_price=D(gross), tax_rate=D(0), description="技术服务费")],
    )
    return invoice_post(actor=actor, company=company, invoice=draft)


def test_finance_records_a_receipt_posts_it_and_allocates_it_from_its_page(company, desk, finance, customer):
    first = invoiced(company, finance, customer, "600", due=TODAY)
    second = invoiced(company, finance, customer, "900", due=TODAY + datetime.timedelta(days=30))
    assert desk.get(reverse("finance:payment_create")).status_code == 200
    made = desk.post(
        reverse("finance:payment_create") + "?kind=customer_receipt",
        {
            "partner": str(customer.pk),
            "payment_date": str(TODAY),
            "amount": "1200",
            "account": str(account(company, "1002").pk),
            "reference": "工行回单 0087",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    receipt = Payment.objects.get(company=company)
    assert made["Location"] == reverse("finance:payment_detail", args=[receipt.pk])
    assert receipt.state == "draft" and receipt.kind == "customer_receipt"

    desk.post(reverse("finance:payment_submit", args=[receipt.pk]))
    receipt.refresh_from_db()
    assert receipt.state == "posted" and account_balance(company, "1002") == D("1200.00")

    page = desk.get(reverse("finance:payment_detail", args=[receipt.pk])).content.decode()
    assert receipt.number in page
    assert f'name="amount-{first.pk}"' in page and f'name="amount-{second.pk}"' in page
    assert "600.00" in page and "900.00" in page

    desk.post(reverse("finance:payment_allocate", args=[receipt.pk]), {f"amount-{second.pk}": "300"})
    second.refresh_from_db()
    assert second.open_amount == D("600.00")
    desk.post(reverse("finance:payment_allocate_oldest", args=[receipt.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    receipt.refresh_from_db()
    assert (first.open_amount, second.open_amount, receipt.unallocated_amount) == (
        D("0.00"),
        D("300.00"),
        D("0.00"),
    )
    page = desk.get(reverse("finance:payment_detail", args=[receipt.pk])).content.decode()
    assert first.number in page and 'name="amount-' not in page


def test_an_allocation_beyond_what_is_open_is_shown_and_changes_nothing(company, desk, finance, customer):
    invoice = invoiced(company, finance, customer, "100")
    receipt = payment_create(
        actor=finance,
        company=company,
        kind="customer_receipt",
        partner=customer,
        payment_date=TODAY,
        amount="500",
        account=account(company, "1002"),
    )
    payment_submit(actor=finance, company=company, payment=receipt)
    answer = desk.post(
        reverse("finance:payment_allocate", args=[receipt.pk]),
        {f"amount-{invoice.pk}": "100.01"},
        follow=True,
    )
    assert answer.status_code == 200
    assert "100.01" in answer.content.decode()
    invoice.refresh_from_db()
    receipt.refresh_from_db()
    assert (invoice.open_amount, receipt.unallocated_amount) == (D("100.00"), D("500.00"))


def test_a_supplier_payment_is_edited_as_a_draft_then_cancelled(company, desk, finance, supplier):
    page = desk.get(reverse("finance:payment_create") + "?kind=supplier_payment").content.decode()
    assert supplier.name in page
    desk.post(
        reverse("finance:payment_create") + "?kind=supplier_payment",
        {
            "partner": str(supplier.pk),
            "payment_date": str(TODAY),
            "amount": "800",
            "account": str(account(company, "1002").pk),
        },
    )
    payment = Payment.objects.get(company=company)
    assert payment.kind == "supplier_payment"
    edited = desk.post(
        reverse("finance:payment_edit", args=[payment.pk]),
        {
            "partner": str(supplier.pk),
            "payment_date": str(TODAY),
            "amount": "850.50",
            "account": str(account(company, "1001").pk),
            "version": str(payment.version),
        },
    )
    assert edited.status_code == 302
    payment.refresh_from_db()
    assert (payment.amount, payment.account.code) == (D("850.50"), "1001")
    desk.post(reverse("finance:payment_cancel", args=[payment.pk]))
    payment.refresh_from_db()
    assert payment.state == "cancelled"


def test_a_receipt_form_with_a_zero_amount_is_shown_again_and_saves_nothing(company, desk, customer):
    answer = desk.post(
        reverse("finance:payment_create"),
        {
            "partner": str(customer.pk),
            "payment_date": str(TODAY),
            "amount": "0",
            "account": str(account(company, "1002").pk),
        },
    )
    assert answer.status_code == 400
    assert not Payment.objects.filter(company=company).exists()


def test_the_payment_pages_are_finances(company, books, sales, customer, finance):
    receipt = payment_create(
        actor=finance,
        company=company,
        kind="customer_receipt",
        partner=customer,
        payment_date=TODAY,
        amount="10",
        account=account(company, "1002"),
    )
    clerk = _client(sales)
    assert clerk.get(reverse("finance:payment_list")).status_code == 403
    assert clerk.get(reverse("finance:payment_create")).status_code == 403
    assert clerk.post(reverse("finance:payment_submit", args=[receipt.pk])).status_code == 403
    receipt.refresh_from_db()
    assert receipt.state == "draft"
    listed = _client(finance).get(reverse("finance:payment_list"), {"kind": "customer_receipt"})
    assert listed.status_code == 200 and customer.name in listed.content.decode()


def test_a_credit_note_settles_an_invoice_from_its_allocation_page(company, desk, finance, customer):
    invoice = invoiced(company, finance, customer, "1000")
    credit = invoiced(company, finance, customer, "250", kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE)
    page = desk.get(reverse("finance:credit_note_allocate", args=[credit.pk]))
    assert page.status_code == 200 and f'name="amount-{invoice.pk}"' in page.content.decode()
    done = desk.post(
        reverse("finance:credit_note_allocate", args=[credit.pk]), {f"amount-{invoice.pk}": "250"}
    )
    assert done.status_code == 302
    invoice.refresh_from_db()
    credit.refresh_from_db()
    assert (invoice.open_amount, credit.open_amount) == (D("750.00"), D("0.00"))
    assert desk.get(reverse("finance:credit_note_allocate", args=[invoice.pk])).status_code == 404


@pytest.fixture
def zhang(company, admin):
    dept = department_create(actor=admin, company=company, name="市场部")
    return make_member(company, "zhangwei", roles=["employee"], department=dept)


def _claim_form(company, rows: list[tuple[str, str, str]], total: int = 3, **header) -> dict:
    data = {
        "description": "上海客户拜访",
        "claim_date": str(TODAY),
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": "0",
        **header,
    }
    for i, (code, description, amount) in enumerate(rows):
        data.update(
            {
                f"lines-{i}-account": str(account(company, code).pk),
                f"lines-{i}-description": description,
                f"lines-{i}-amount": amount,
            }
        )
    return data


def test_an_employee_claims_from_the_form_and_finance_pays_from_the_claim_page(
    company, books, zhang, finance
):
    me = _client(zhang)
    form = me.get(reverse("finance:expense_claim_create"))
    assert form.status_code == 200 and 'name="employee"' not in form.content.decode()
    made = me.post(
        reverse("finance:expense_claim_create"),
        _claim_form(company, [("560202", "高铁", "553.00"), ("560203", "客户晚餐", "820.50")]),
    )
    assert made.status_code == 302, made.content.decode()[:3000]
    claim = ExpenseClaim.objects.get(company=company)
    assert claim.total_amount == D("1373.50") and claim.employee.user == zhang
    detail = me.get(made["Location"]).content.decode()
    assert claim.number in detail and "1,373.50" in detail
    me.post(reverse("finance:expense_claim_submit", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.state == "approved"
    assert me.get(reverse("finance:expense_claim_pay", args=[claim.pk])).status_code == 403

    desk = _client(finance)
    mine = desk.get(reverse("finance:expense_claim_list"), {"mine": "1"}).content.decode()
    assert claim.number not in mine
    everyone = desk.get(reverse("finance:expense_claim_list")).content.decode()
    assert claim.number in everyone
    assert (
        reverse("finance:expense_claim_pay", args=[claim.pk])
        in desk.get(reverse("finance:expense_claim_detail", args=[claim.pk])).content.decode()
    )
    paid = desk.post(
        reverse("finance:expense_claim_pay", args=[claim.pk]),
        {"account": str(account(company, "1002").pk), "date": str(TODAY)},
    )
    assert paid.status_code == 302
    claim.refresh_from_db()
    assert claim.state == "paid" and account_balance(company, "224101") == D("0.00")


def test_an_employee_edits_a_draft_removing_a_line(company, books, zhang):
    claim = expense_claim_create(
        actor=zhang,
        company=company,
        description="出差",
        lines=[
            {"account": account(company, "560202"), "description": "高铁", "amount": "553"},
            {"account": account(company, "560203"), "description": "晚餐", "amount": "100"},
        ],
    )
    me = _client(zhang)
    assert me.get(reverse("finance:expense_claim_edit", args=[claim.pk])).status_code == 200
    data = _claim_form(
        company,
        [("560202", "高铁", "553.00"), ("560203", "晚餐", "100.00")],
        total=3,
        description="出差（改）",
        version=str(claim.version),
    )
    data.update({"lines-INITIAL_FORMS": "2", "lines-1-DELETE": "on"})
    saved = me.post(reverse("finance:expense_claim_edit", args=[claim.pk]), data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    claim.refresh_from_db()
    assert (claim.description, claim.total_amount, claim.lines.count()) == ("出差（改）", D("553.00"), 1)


def test_a_colleague_gets_not_found_for_my_claim_pages(company, books, zhang):
    claim = expense_claim_create(
        actor=zhang,
        company=company,
        description="出差",
        lines=[{"account": account(company, "560202"), "amount": "553"}],
    )
    colleague = _client(make_member(company, "lina", roles=["employee"]))
    comments = reverse("web:record_comments", args=["finance.expense_claim", claim.pk])
    assert _client(zhang).get(comments).status_code == 200
    for url in (
        reverse("finance:expense_claim_detail", args=[claim.pk]),
        reverse("finance:expense_claim_edit", args=[claim.pk]),
        comments,
    ):
        assert colleague.get(url).status_code == 404
    assert colleague.post(reverse("finance:expense_claim_submit", args=[claim.pk])).status_code == 404
    assert claim.number not in colleague.get(reverse("finance:expense_claim_list")).content.decode()
    claim.refresh_from_db()
    assert claim.state == "draft"


def test_an_employee_sees_the_expense_claims_menu_but_not_the_payments(company, books, zhang, finance):
    expense_claim_submit(
        actor=zhang,
        company=company,
        claim=expense_claim_create(
            actor=zhang,
            company=company,
            description="出差",
            lines=[{"account": account(company, "560202"), "amount": "553"}],
        ),
    )
    page = _client(zhang).get(reverse("finance:expense_claim_list")).content.decode()
    assert reverse("finance:expense_claim_list") in page
    assert reverse("finance:payment_list") not in page
    assert (
        reverse("finance:payment_list")
        in _client(finance).get(reverse("finance:expense_claim_list")).content.decode()
    )


def test_finance_refunds_an_overpayment_and_a_credit_note_from_their_pages(company, desk, finance, customer):
    bank = account(company, "1002")
    receipt = payment_create(
        actor=finance,
        company=company,
        kind="customer_receipt",
        partner=customer,
        payment_date=TODAY,
        amount="700",
        account=bank,
    )
    payment_submit(actor=finance, company=company, payment=receipt)
    page = desk.get(reverse("finance:payment_detail", args=[receipt.pk])).content.decode()
    refund_url = reverse("finance:payment_refund", args=[receipt.pk])
    assert refund_url in page
    form = desk.get(refund_url).content.decode()
    assert 'value="700.00"' in form and 'name="partner"' not in form

    over = desk.post(refund_url, {"payment_date": str(TODAY), "amount": "700.01", "account": str(bank.pk)})
    assert over.status_code == 400 and "700.00" in over.content.decode()
    made = desk.post(refund_url, {"payment_date": str(TODAY), "amount": "200", "account": str(bank.pk)})
    assert made.status_code == 302, made.content.decode()[:2000]
    refund = Payment.objects.get(company=company, kind="customer_refund")
    assert made["Location"] == reverse("finance:payment_detail", args=[refund.pk])
    edited = desk.post(
        reverse("finance:payment_edit", args=[refund.pk]),
        {"payment_date": str(TODAY), "amount": "250", "account": str(bank.pk), "version": refund.version},
    )
    assert edited.status_code == 302, edited.content.decode()[:2000]
    desk.post(reverse("finance:payment_submit", args=[refund.pk]))
    refund.refresh_from_db()
    receipt.refresh_from_db()
    assert (refund.state, refund.amount, receipt.unallocated_amount) == ("posted", D("250.00"), D("450.00"))
    assert refund.number in desk.get(reverse("finance:payment_detail", args=[receipt.pk])).content.decode()
    assert receipt.number in desk.get(reverse("finance:payment_detail", args=[refund.pk])).content.decode()

    credit = invoiced(company, finance, customer, "120", kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE)
    note_url = reverse("finance:credit_note_refund", args=[credit.pk])
    assert note_url in desk.get(reverse("finance:invoice_detail", args=[credit.pk])).content.decode()
    desk.post(note_url, {"payment_date": str(TODAY), "amount": "120", "account": str(bank.pk)})
    paid_back = Payment.objects.get(company=company, refunded_credit_note=credit)
    desk.post(reverse("finance:payment_submit", args=[paid_back.pk]))
    credit.refresh_from_db()
    assert credit.open_amount == D("0.00")
    assert paid_back.pk and account_balance(company, "1002") == D("330.00")
    invoice = invoiced(company, finance, customer, "10")
    assert desk.get(reverse("finance:credit_note_refund", args=[invoice.pk])).status_code == 404


def test_refund_pages_are_for_finance_only(company, finance, customer, sales):
    credit = invoiced(company, finance, customer, "120", kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE)
    answer = _client(sales).post(
        reverse("finance:credit_note_refund", args=[credit.pk]),
        {"payment_date": str(TODAY), "amount": "120", "account": str(account(company, "1002").pk)},
    )
    assert answer.status_code == 403
    assert not Payment.objects.filter(company=company).exists()
