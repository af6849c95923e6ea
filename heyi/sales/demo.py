"""Demo sales for 示例科技有限公司: orders in every state, deliveries, a backorder and a return.

Products sold here that nobody has received yet get opening stock (origin
`sales.demo_opening_stock`), so that deliveries have goods to ship.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from heyi.catalog.models import Product
from heyi.inventory.models import StockBalance, StockMove, Warehouse
from heyi.inventory.services.ledger import MoveLine, Origin, stock_receive
from heyi.partners.models import Partner
from heyi.platform.demo import SECOND_CODE
from heyi.platform.models import Company

from .services.deliveries import delivery_confirm, delivery_create, delivery_ship
from .services.orders import sales_order_cancel, sales_order_close, sales_order_confirm, sales_order_create
from .services.returns import sales_return_confirm, sales_return_create

OPENING_STOCK = [
    # sku, warehouse code, quantity, unit cost
    ("PRN-HP-M403", "HZ01", "12", "2050"),
    ("PRN-CN-G3800", "HZ01", "20", "980"),
    ("PRJ-EP-CB2247", "HZ01", "4", "3860"),
    ("PRJ-EP-CB2247", "SH01", "2", "3900"),
    ("CON-A4-70G", "HZ01", "400", "16.8"),
    ("CON-TN-CF228", "SH01", "60", "320"),
    ("NET-SW-S1024", "SH01", "6", "1280"),
    ("NET-SW-TL8", "HZ01", "40", "98"),
    ("RES-0603-10K", "HZ01", "100000", "0.006"),
]

# customer, salesperson, days ago, what happens, lines: (sku, quantity, discount %)
ORDERS = [
    ("杭州星辰科技有限公司", "sales", 20, "closed", [("PRN-HP-M403", "3", "0"), ("CON-TN-CF228", "6", "5")]),
    (
        "上海东明软件有限公司",
        "sales_manager",
        15,
        "delivered",
        [("PRJ-EP-CB2247", "2", "0"), ("SRV-INST-PRJ", "4", "0")],
    ),
    (
        "苏州工业园区华创电子有限公司",
        "sales",
        10,
        "partially_delivered",
        [("RES-0603-10K", "60000", "8"), ("PRN-CN-G3800", "5", "0")],
    ),
    (
        "深圳南山创新科技有限公司",
        "sales_manager",
        6,
        "confirmed",
        [("NET-SW-S1024", "8", "3"), ("NET-SW-TL8", "10", "0")],
    ),
    ("杭州云帆网络技术有限公司", "sales", 4, "cancelled", [("PRN-HP-M403", "1", "0")]),
    ("上海浦江贸易有限公司", "sales", 2, "draft", [("CON-A4-70G", "50", "10"), ("PRN-CN-G3800", "2", "0")]),
    (
        "杭州西湖智能设备有限公司",
        "sales_manager",
        1,
        "draft",
        [("PRJ-EP-CB2247", "1", "0"), ("SRV-INST-PRJ", "2", "0")],
    ),
]


def load(company: Company, people: dict) -> None:
    if company.code == SECOND_CODE:
        return
    admin = people["admin"]
    users = people["users"]
    products = {p.sku: p for p in Product.objects.filter(company=company)}
    customers = {p.name: p for p in Partner.objects.filter(company=company, is_customer=True)}
    warehouses = {w.code: w for w in Warehouse.objects.filter(company=company)}
    if not products or not customers or not warehouses:
        return
    with transaction.atomic():
        _opening_stock(company, admin, products, warehouses)
        today = timezone.localdate()
        for name, seller, days, outcome, lines in ORDERS:
            if name not in customers or any(sku not in products for sku, *_ in lines):
                continue
            order = sales_order_create(
                actor=admin,
                company=company,
                customer=customers[name],
                owner=users.get(seller, admin),
                order_date=today - datetime.timedelta(days=days),
                delivery_address=f"{customers[name].province}{customers[name].city}",
                lines=[
                    {"product": products[sku], "quantity": Decimal(q), "discount_percent": Decimal(d)}
                    for sku, q, d in lines
                ],
            )
            _play(company, admin, order, outcome)


def _opening_stock(company: Company, admin, products: dict, warehouses: dict) -> None:
    """Opening stock of the products nobody has received yet."""
    stocked = set(
        StockBalance.objects.filter(company=company, on_hand__gt=0).values_list("product__sku", flat=True)
    )
    lines = [
        MoveLine(product=products[sku], warehouse=warehouses[wh], quantity=Decimal(q), unit_cost=Decimal(c))
        for sku, wh, q, c in OPENING_STOCK
        if sku in products and wh in warehouses and sku not in stocked
    ]
    if lines:
        stock_receive(
            actor=admin,
            company=company,
            origin=Origin(type="sales.demo_opening_stock", id="1", reference="期初库存"),
            lines=lines,
            kind=StockMove.Kind.ADJUSTMENT,
        )


def _play(company: Company, admin, order, outcome: str) -> None:
    if outcome == "draft":
        return
    sales_order_confirm(actor=admin, company=company, order=order)
    if outcome == "cancelled":
        sales_order_cancel(actor=admin, company=company, order=order)
        return
    if outcome == "confirmed":
        delivery_create(actor=admin, company=company, order=order, carrier="顺丰速运")
        return
    if outcome == "partially_delivered":
        # the printers go now; the resistors wait for the next delivery
        printers = order.lines.get(position=2)
        delivery = delivery_create(
            actor=admin,
            company=company,
            order=order,
            lines=[{"order_line": printers, "quantity": printers.quantity}],
        )
        _ship(company, admin, delivery, "中通快递", "ZT7312004518")
        return
    delivery = delivery_create(actor=admin, company=company, order=order)
    _ship(company, admin, delivery, "顺丰速运", "SF1402837465")
    if outcome == "delivered":
        sales_return = sales_return_create(
            actor=admin,
            company=company,
            delivery=delivery,
            lines=[
                {
                    "delivery_line": delivery.lines.order_by("order_line__position").first(),
                    "quantity": Decimal(1),
                }
            ],
            reason="运输途中外壳破损,客户退回一台",
        )
        sales_return_confirm(actor=admin, company=company, sales_return=sales_return)
    if outcome == "closed":
        sales_order_close(actor=admin, company=company, order=order)


def _ship(company: Company, admin, delivery, carrier: str, tracking: str) -> None:
    delivery_confirm(actor=admin, company=company, delivery=delivery)
    delivery_ship(actor=admin, company=company, delivery=delivery, carrier=carrier, tracking_number=tracking)
