"""Demo purchasing for 示例科技有限公司: price history, requisitions, open orders, a receipt
with a rejected part. The second demo company buys nothing yet."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from heyi.catalog.models import Product
from heyi.inventory.models import Warehouse
from heyi.partners.models import Partner
from heyi.platform.demo import SECOND_CODE
from heyi.platform.models import Company

from .services.orders import (
    OrderLineIn,
    purchase_order_close,
    purchase_order_confirm,
    purchase_order_create,
    purchase_order_from_requisitions,
)
from .services.receipts import InspectionIn, ReceiptLineIn, receipt_confirm, receipt_create, receipt_inspect
from .services.requisitions import RequisitionLineIn, purchase_requisition_create, purchase_requisition_submit

D = Decimal

# supplier (short name), SKU, quantity, price, days ago: orders already received and closed
HISTORY = [
    ("太湖元器件", "RES-0603-10K", "20000", "0.0062", 120),
    ("太湖元器件", "CAP-0603-100N", "20000", "0.0093", 120),
    ("长安五金", "RES-0603-10K", "10000", "0.0058", 60),
    ("太湖元器件", "CON-USB-C16", "3000", "0.37", 45),
    ("长安五金", "CON-USB-C16", "2000", "0.39", 20),
    ("苏顺包装", "CON-A4-70G", "200", "16.5", 30),
    ("苏顺包装", "CON-TN-CF228", "20", "318", 25),
]


def load(company: Company, people: dict) -> None:
    if company.code == SECOND_CODE:
        return
    users = people["users"]
    buyer, keeper = users.get("purchasing", people["admin"]), users.get("warehouse", people["admin"])
    clerk = users.get("employee", people["admin"])
    suppliers = {p.short_name: p for p in Partner.objects.filter(company=company, is_supplier=True)}
    products = {p.sku: p for p in Product.objects.filter(company=company)}
    store = Warehouse.objects.filter(company=company, kind=Warehouse.Kind.STOCK).order_by("code").first()
    if store is None or not {s for s, *_ in HISTORY} <= set(suppliers):
        return
    today = timezone.localdate()
    with transaction.atomic():
        for short, sku, quantity, price, days in HISTORY:
            order = purchase_order_create(
                actor=buyer,
                company=company,
                supplier=suppliers[short],
                order_date=today - datetime.timedelta(days=days),
                warehouse=store,
                lines=[OrderLineIn(product=products[sku], quantity=D(quantity), unit_price=D(price))],
            )
            purchase_order_confirm(actor=buyer, company=company, order=order)
            receipt = receipt_create(
                actor=keeper,
                company=company,
                order=order,
                lines=[ReceiptLineIn(order_line=order.lines.get(), quantity=D(quantity))],
                received_date=today - datetime.timedelta(days=days - 3),
            )
            receipt_confirm(actor=keeper, company=company, receipt=receipt)
            purchase_order_close(actor=buyer, company=company, order=order)

        # 陈员工 asks for paper and toner (a draft), and for USB sockets (approved, not yet ordered).
        purchase_requisition_create(
            actor=clerk,
            company=company,
            notes="行政部月度耗材",
            lines=[
                RequisitionLineIn(product=products["CON-A4-70G"], quantity=D(50), reason="复印纸月度用量"),
                RequisitionLineIn(product=products["CON-TN-CF228"], quantity=D(4), reason="打印机硒鼓备用"),
            ],
        )
        sockets = purchase_requisition_create(
            actor=buyer,
            company=company,
            lines=[
                RequisitionLineIn(
                    product=products["CON-USB-C16"],
                    quantity=D(5000),
                    needed_by=today + datetime.timedelta(days=14),
                    reason="新产品试产备料",
                )
            ],
        )
        purchase_requisition_submit(actor=buyer, company=company, requisition=sockets)

        # An approved requisition ordered at the best recent price, confirmed and still open.
        resistors = purchase_requisition_create(
            actor=buyer,
            company=company,
            lines=[RequisitionLineIn(product=products["RES-0603-10K"], quantity=D(30000), reason="生产备料")],
        )
        purchase_requisition_submit(actor=buyer, company=company, requisition=resistors)
        for order in purchase_order_from_requisitions(actor=buyer, company=company, requisitions=[resistors]):
            purchase_order_confirm(actor=buyer, company=company, order=order)

        # Toner partly received; two cartridges rejected at inspection went to quarantine.
        toner = purchase_order_create(
            actor=buyer,
            company=company,
            supplier=suppliers["苏顺包装"],
            warehouse=store,
            expected_date=today + datetime.timedelta(days=7),
            lines=[
                OrderLineIn(product=products["CON-TN-CF228"], quantity=D(20), unit_price=D("315")),
                OrderLineIn(product=products["CON-A4-70G"], quantity=D(100), unit_price=D("16.2")),
            ],
        )
        purchase_order_confirm(actor=buyer, company=company, order=toner)
        toner_line = toner.lines.get(product=products["CON-TN-CF228"])
        receipt = receipt_create(
            actor=keeper,
            company=company,
            order=toner,
            delivery_note="SS-20261120-01",
            lines=[ReceiptLineIn(order_line=toner_line, quantity=D(12), batch_code="TN2611")],
        )
        receipt_inspect(
            actor=keeper,
            company=company,
            receipt=receipt,
            results=[
                InspectionIn(receipt.lines.get(), accepted=D(10), rejected=D(2), reason="包装破损，漏粉")
            ],
        )
        receipt_confirm(actor=keeper, company=company, receipt=receipt)
