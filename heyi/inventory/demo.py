"""Demo inventory: 杭州总仓 and 上海分仓 with bins, opening stock at realistic costs, batches of
ink and solder, a transfer on its way to Shanghai, a posted count, and one product below its
safety stock; the second demo company has one warehouse with a little tea."""

import datetime
from decimal import Decimal

from django.utils import timezone

from heyi.catalog.models import Product
from heyi.platform.demo import SECOND_CODE
from heyi.platform.models import Company

from .services.batches import batch_create
from .services.counts import (
    CountLineIn,
    stock_count_create,
    stock_count_post,
    stock_count_start,
    stock_count_update,
)
from .services.ledger import MoveLine, Origin, stock_receive
from .services.locations import location_create
from .services.transfers import TransferLineIn, transfer_create, transfer_ship
from .services.warehouses import warehouse_create

OPENING = Origin("inventory.opening", "1", "期初库存")

# fmt: off
OPENING_STOCK = [
    # warehouse, sku, quantity, unit cost (excl. tax), batch
    ("HZ01", "PRN-HP-M403", "18", "2050", None),
    ("HZ01", "PRN-CN-G3800", "25", "980", None),
    ("HZ01", "PRN-HZ-KJ01", "8", "1420", None),
    ("HZ01", "PRJ-EP-CB2247", "6", "3860", None),
    ("HZ01", "PRJ-BQ-E580", "1", "2780", None),
    ("HZ01", "PRJ-SCR-100", "10", "590", None),
    ("HZ01", "CON-A4-70G", "600", "16.8", None),
    ("HZ01", "CON-TN-CF228", "40", "320", None),
    ("HZ01", "CON-INK-GI90", "72", "38", "GI90-2403"),
    ("HZ01", "CON-INK-GI90", "48", "37.5", "GI90-2409"),
    ("HZ01", "RES-0603-10K", "150000", "0.006", None),
    ("HZ01", "RES-0805-1K", "80000", "0.008", None),
    ("HZ01", "RES-AXL-220", "20000", "0.02", None),
    ("HZ01", "CAP-0603-100N", "120000", "0.009", None),
    ("HZ01", "CAP-EL-470U", "6000", "0.18", None),
    ("HZ01", "CAP-TA-10U", "3000", "0.52", None),
    ("HZ01", "CON-USB-C16", "8000", "0.38", None),
    ("HZ01", "CON-RJ45-8P", "5000", "0.7", None),
    ("HZ01", "CON-PH-2P", "12000", "0.15", None),
    ("HZ01", "NET-SW-TL8", "60", "98", None),
    ("HZ01", "NET-CAB-C6", "3050", "2.2", None),
    ("HZ01", "NET-CAB-FIB", "300", "11", None),
    ("HZ01", "NET-SOLDER", "25", "126", "SN-240515"),
    ("HZ01", "KIT-MEET-01", "3", "4380", None),
    ("HZ01", "KIT-NET-SMB", "5", "2260", None),
    ("SH01", "PRN-HP-M403", "6", "2080", None),
    ("SH01", "PRJ-EP-CB2247", "3", "3900", None),
    ("SH01", "CON-A4-70G", "200", "17.2", None),
    ("SH01", "CON-TN-CF228", "30", "325", None),
    ("SH01", "NET-SW-S1024", "12", "1280", None),
    ("SH01", "NET-SW-TL8", "20", "99", None),
    ("SH01", "NET-CAB-C6", "1000", "2.25", None),
]
# fmt: on

# sku, code, manufactured (days ago), shelf life (days)
BATCHES = [
    ("CON-INK-GI90", "GI90-2403", 240, 720),
    ("CON-INK-GI90", "GI90-2409", 60, 720),
    ("NET-SOLDER", "SN-240515", 200, 730),
]

LOCATIONS = {
    "HZ01": [
        ("A-01", "A区 打印投影设备"),
        ("A-02", "A区 办公耗材"),
        ("B-01", "B区 电子元器件"),
        ("C-01", "C区 网络设备"),
    ],
    "SH01": [("A-01", "A区 综合货架")],
}


def load(company: Company, people: dict) -> None:
    admin = people["admin"]
    if company.code == SECOND_CODE:
        _second(company, admin)
        return
    keeper = people["employees"].get("warehouse")
    clerk = people.get("users", {}).get("warehouse", admin)
    warehouses = {
        "HZ01": warehouse_create(
            actor=admin,
            company=company,
            code="HZ01",
            name="杭州总仓",
            address="浙江省杭州市余杭区仓前街道文一西路1500号",
            manager=keeper,
            priority=1,
        ),
        "SH01": warehouse_create(
            actor=admin,
            company=company,
            code="SH01",
            name="上海分仓",
            address="上海市嘉定区马陆镇宝安公路2999号",
            manager=keeper,
            priority=2,
        ),
    }
    for code, bins in LOCATIONS.items():
        for bin_code, name in bins:
            location_create(
                actor=admin, company=company, warehouse=warehouses[code], code=bin_code, name=name
            )
    products = {p.sku: p for p in Product.objects.filter(company=company)}
    if not products:
        return
    today = timezone.localdate()
    batches = {
        code: batch_create(
            actor=admin,
            company=company,
            product=products[sku],
            code=code,
            manufactured_on=today - datetime.timedelta(days=made),
            expiry_date=today - datetime.timedelta(days=made) + datetime.timedelta(days=life),
        )
        for sku, code, made, life in BATCHES
        if sku in products
    }
    stock_receive(
        actor=admin,
        company=company,
        origin=OPENING,
        lines=[
            MoveLine(
                product=products[sku],
                warehouse=warehouses[wh],
                quantity=Decimal(quantity),
                unit_cost=Decimal(cost),
                batch=batches.get(batch) if batch else None,
            )
            for wh, sku, quantity, cost, batch in OPENING_STOCK
            if sku in products
        ],
        occurred_at=timezone.now() - datetime.timedelta(days=30),
    )
    transfer = transfer_create(
        actor=clerk,
        company=company,
        from_warehouse=warehouses["HZ01"],
        to_warehouse=warehouses["SH01"],
        lines=[
            TransferLineIn(products["PRN-CN-G3800"], Decimal(5)),
            TransferLineIn(products["CON-INK-GI90"], Decimal(24), batch=batches["GI90-2403"]),
        ],
        note="上海分仓补货,德邦物流",
    )
    transfer_ship(actor=clerk, company=company, transfer=transfer)
    count = stock_count_create(
        actor=clerk,
        company=company,
        warehouse=warehouses["SH01"],
        lines=[CountLineIn(products["CON-A4-70G"]), CountLineIn(products["NET-CAB-C6"])],
        note="上海分仓月度抽盘",
    )
    count = stock_count_start(actor=clerk, company=company, count=count)
    stock_count_update(
        actor=clerk,
        company=company,
        count=count,
        data={},
        lines=[
            CountLineIn(products["CON-A4-70G"], counted_quantity=Decimal(198)),
            CountLineIn(products["NET-CAB-C6"], counted_quantity=Decimal("1003.5")),
        ],
        version=None,
    )
    stock_count_post(actor=clerk, company=company, count=count)


def _second(company: Company, admin) -> None:
    warehouse = warehouse_create(
        actor=admin, company=company, code="WH01", name="广州仓", address="广州市白云区太和镇物流园3号"
    )
    products = {p.sku: p for p in Product.objects.filter(company=company)}
    lines = [
        MoveLine(products[sku], warehouse, Decimal(quantity), unit_cost=Decimal(cost))
        for sku, quantity, cost in (
            ("TEA-LJ-250", "36", "240"),
            ("TEA-BL-500", "70", "120"),
            ("TEA-HC-100", "40", "170"),
        )
        if sku in products
    ]
    if lines:
        stock_receive(actor=admin, company=company, origin=OPENING, lines=lines)
