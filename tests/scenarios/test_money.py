"""The money path, told as the people who do it, with every account's balance asserted.

Order to cash: 孙采购 buys ten printers at 2,000; 李销售 sells four at 2,680 plus 13% VAT;
周仓管 ships them; 钱会计 invoices the delivery, records a first receipt of 5,000 from the
customer and then the rest. Procure to pay: 陈员工 asks for toner, 孙采购 orders it, 周仓管
receives it, the supplier's bill comes in two cents a unit dearer and is matched, and 钱会计
pays it. At each step the ledger says exactly what happened, and nothing else.
"""

import datetime
from decimal import Decimal

import pytest

from conftest import make_member
from heyi.finance.books import books_differences
from heyi.finance.models import Account, Invoice, Payment
from heyi.finance.selectors import account_balance
from heyi.finance.services.bills import bill_create_from_receipt
from heyi.finance.services.invoices import invoice_create_from_delivery, invoice_post, invoice_update
from heyi.finance.services.invoicing import InvoiceLineIn
from heyi.finance.services.payments import payment_allocate, payment_create, payment_submit
from heyi.inventory.tests.factories import make_product, make_warehouse
from heyi.partners.services.partners import partner_create
from heyi.purchasing.services.orders import purchase_order_confirm, purchase_order_from_requisitions
from heyi.purchasing.services.receipts import ReceiptLineIn, receipt_confirm, receipt_create
from heyi.purchasing.services.requisitions import (
    RequisitionLineIn,
    purchase_requisition_create,
    purchase_requisition_submit,
)
from heyi.sales.services.deliveries import delivery_confirm, delivery_create, delivery_ship
from heyi.sales.services.orders import sales_order_confirm, sales_order_create

D = Decimal
TODAY = datetime.date.today()


@pytest.fixture
def world(company, admin):
    return {
        "printer": make_product(
            company, admin, "PRN-M403", "激光打印机 M403", sale_price=D("2680"), purchase_price=D("2000")
        ),
        "toner": make_product(company, admin, "TNR-26A", "硒鼓 26A", purchase_price=D("210")),
        "store": make_warehouse(company, admin, "HZ01"),
        "customer": partner_create(
            actor=admin, company=company, name="杭州星辰科技有限公司", is_customer=True
        ),
        "supplier": partner_create(
            actor=admin, company=company, name="深圳办公设备有限公司", is_supplier=True
        ),
        "clerk": make_member(company, "chen", roles=["employee"]),
        "buyer": make_member(company, "sun", roles=["purchasing"]),
        "keeper": make_member(company, "zhou", roles=["warehouse"]),
        "seller": make_member(company, "li", roles=["sales"]),
        "accountant": make_member(company, "qian", roles=["finance"]),
    }


def balances(company, *codes):
    return {code: account_balance(company, code) for code in codes}


def _buy(company, world, product, quantity, price):
    """Requisition -> order (the supplier with the price given) -> receipt, in full."""
    requisition = purchase_requisition_create(
        actor=world["clerk"],
        company=company,
        lines=[RequisitionLineIn(product=product, quantity=D(quantity), supplier=world["supplier"])],
    )
    purchase_requisition_submit(actor=world["clerk"], company=company, requisition=requisition)
    (order,) = purchase_order_from_requisitions(
        actor=world["buyer"], company=company, requisitions=[requisition]
    )
    line = order.lines.get()
    assert line.unit_price == D(price), "the product's purchase price is the order's"
    purchase_order_confirm(actor=world["buyer"], company=company, order=order)
    receipt = receipt_create(
        actor=world["keeper"],
        company=company,
        order=order,
        lines=[ReceiptLineIn(order_line=line, quantity=D(quantity), warehouse=world["store"])],
    )
    return receipt_confirm(actor=world["keeper"], company=company, receipt=receipt)


def test_order_to_cash_with_a_partial_receipt(company, world):
    _buy(company, world, world["printer"], 10, "2000")
    assert balances(company, "1405", "220202") == {"1405": D("20000.00"), "220202": D("-20000.00")}

    order = sales_order_create(
        actor=world["seller"],
        company=company,
        customer=world["customer"],
        lines=[{"product": world["printer"], "quantity": D(4), "unit_price": D("2680")}],
    )
    sales_order_confirm(actor=world["seller"], company=company, order=order)
    delivery = delivery_create(actor=world["keeper"], company=company, order=order)
    delivery_confirm(actor=world["keeper"], company=company, delivery=delivery)
    delivery_ship(actor=world["keeper"], company=company, delivery=delivery, tracking_number="SF1234567890")
    # Shipping takes the goods out of inventory at the moving-average cost.
    assert balances(company, "1405", "540101") == {"1405": D("12000.00"), "540101": D("8000.00")}

    accountant = world["accountant"]
    invoice = invoice_create_from_delivery(actor=accountant, company=company, delivery=delivery)
    assert invoice.state == Invoice.State.DRAFT and invoice.number == ""
    assert balances(company, "1122") == {"1122": D("0.00")}, "a draft posts nothing"
    invoice = invoice_post(actor=accountant, company=company, invoice=invoice)
    # 4 × 2,680 = 10,720.00 revenue, VAT 13% = 1,393.60, receivable 12,113.60.
    assert invoice.number == f"INV-{TODAY.year}-000001"
    assert (invoice.untaxed_amount, invoice.tax_amount, invoice.total_amount) == (
        D("10720.00"),
        D("1393.60"),
        D("12113.60"),
    )
    assert balances(company, "1122", "5001", "22210102") == {
        "1122": D("12113.60"),
        "5001": D("-10720.00"),
        "22210102": D("-1393.60"),
    }

    bank = Account.objects.get(company=company, code="1002")
    first = payment_create(
        actor=accountant,
        company=company,
        kind=Payment.Kind.CUSTOMER_RECEIPT,
        partner=world["customer"],
        payment_date=TODAY,
        amount=D("5000"),
        account=bank,
        reference="网银 0001",
    )
    first = payment_submit(actor=accountant, company=company, payment=first)
    assert first.state == Payment.State.POSTED and first.number == f"RC-{TODAY.year}-000001"
    payment_allocate(actor=accountant, company=company, payment=first, allocations=[(invoice, D("5000"))])
    invoice.refresh_from_db()
    assert invoice.open_amount == D("7113.60")
    assert balances(company, "1122", "1002") == {"1122": D("7113.60"), "1002": D("5000.00")}

    rest = payment_create(
        actor=accountant,
        company=company,
        kind=Payment.Kind.CUSTOMER_RECEIPT,
        partner=world["customer"],
        payment_date=TODAY,
        amount=D("7113.60"),
        account=bank,
        allocations=[(invoice, D("7113.60"))],
    )
    payment_submit(actor=accountant, company=company, payment=rest)
    invoice.refresh_from_db()
    assert invoice.open_amount == D("0.00")
    assert balances(company, "1002", "1122", "1405", "220202", "5001", "540101", "22210102") == {
        "1002": D("12113.60"),
        "1122": D("0.00"),
        "1405": D("12000.00"),
        "220202": D("-20000.00"),
        "5001": D("-10720.00"),
        "540101": D("8000.00"),
        "22210102": D("-1393.60"),
    }
    assert books_differences() == []


def test_procure_to_pay_with_a_price_difference(company, world):
    receipt = _buy(company, world, world["toner"], 30, "210")
    assert balances(company, "1405", "220202") == {"1405": D("6300.00"), "220202": D("-6300.00")}

    accountant = world["accountant"]
    bill = bill_create_from_receipt(
        actor=accountant, company=company, receipt=receipt, partner_reference="04471234"
    )
    # The supplier's paper invoice says 210.02 a unit: within the 2% tolerance.
    line = bill.lines.get()
    bill = invoice_update(
        actor=accountant,
        company=company,
        invoice=bill,
        version=bill.version,
        lines=[
            InvoiceLineIn(
                product=line.product,
                quantity=line.quantity,
                unit_price=D("210.02"),
                tax_rate=line.tax_rate,
                receipt_line=line.receipt_line,
            )
        ],
    )
    bill = invoice_post(actor=accountant, company=company, invoice=bill)
    assert bill.state == Invoice.State.POSTED and bill.number == f"BILL-{TODAY.year}-000001"
    # 30 × 210.02 = 6,300.60 net, input VAT 819.08, payable 7,119.68; GRNI cleared at the
    # receipt's 6,300.00 and the 0.60 difference to purchase price differences.
    assert balances(company, "220202", "540102", "22210101", "220201") == {
        "220202": D("0.00"),
        "540102": D("0.60"),
        "22210101": D("819.08"),
        "220201": D("-7119.68"),
    }

    bank = Account.objects.get(company=company, code="1002")
    payment = payment_create(
        actor=accountant,
        company=company,
        kind=Payment.Kind.SUPPLIER_PAYMENT,
        partner=world["supplier"],
        payment_date=TODAY,
        amount=D("7119.68"),
        account=bank,
        allocations=[(bill, D("7119.68"))],
    )
    payment = payment_submit(actor=accountant, company=company, payment=payment)
    assert payment.number == f"PY-{TODAY.year}-000001"
    bill.refresh_from_db()
    assert bill.open_amount == D("0.00")
    assert balances(company, "1002", "220201", "220202", "1405", "540102", "22210101") == {
        "1002": D("-7119.68"),
        "220201": D("0.00"),
        "220202": D("0.00"),
        "1405": D("6300.00"),
        "540102": D("0.60"),
        "22210101": D("819.08"),
    }
    assert books_differences() == []
