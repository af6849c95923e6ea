"""Demo catalog: units, a category tree and realistic products for the demo companies."""

from decimal import Decimal

from heyi.platform.demo import SECOND_CODE
from heyi.platform.models import Company

from .models import Category, Unit
from .services.categories import category_create
from .services.products import product_create, product_unit_create
from .services.units import unit_create

UNITS = [
    # code, name, category, ratio (None: packaging, sized per product)
    ("pcs", "个", Unit.Category.COUNT, "1"),
    ("set", "台", Unit.Category.COUNT, "1"),
    ("kit", "套", Unit.Category.COUNT, "1"),
    ("box", "箱", Unit.Category.COUNT, None),
    ("kg", "千克", Unit.Category.WEIGHT, "1"),
    ("g", "克", Unit.Category.WEIGHT, "0.001"),
    ("m", "米", Unit.Category.LENGTH, "1"),
    ("h", "小时", Unit.Category.TIME, "1"),
]

CATEGORIES = {
    "办公设备": ["打印机", "投影仪", "办公耗材"],
    "电子元器件": ["电阻", "电容", "连接器"],
    "网络设备": ["交换机", "线缆"],
    "服务": ["安装", "维保"],
}

# fmt: off
PRODUCTS = [
    # sku, name, category, unit, barcode, sale price, purchase price, safety stock, kind, per box
    ("PRN-HP-M403", "惠普激光打印机 M403dn", "打印机", "set", "6901234500011", "2680", "2050", "5", "stockable", None),
    ("PRN-CN-G3800", "佳能彩色喷墨打印机 G3800", "打印机", "set", "6901234500028", "1299", "980", "5", "stockable", None),
    ("PRN-HZ-KJ01", "杭州科技打印机 KJ-01", "打印机", "set", "6901234500035", "1880", "1420", "3", "stockable", None),
    ("PRJ-EP-CB2247", "爱普生商务投影仪 CB-2247", "投影仪", "set", "6901234500042", "4999", "3860", "2", "stockable", None),
    ("PRJ-BQ-E580", "明基智能投影仪 E580", "投影仪", "set", "6901234500059", "3599", "2780", "2", "stockable", None),
    ("PRJ-SCR-100", "100寸电动投影幕布", "投影仪", "pcs", "6901234500066", "860", "590", "3", "stockable", None),
    ("CON-A4-70G", "A4复印纸 70克 500张/包", "办公耗材", "pcs", "6901234500073", "22.5", "16.8", "100", "consumable", 10),
    ("CON-TN-CF228", "惠普硒鼓 CF228A", "办公耗材", "pcs", "6901234500080", "458", "320", "20", "consumable", 10),
    ("CON-INK-GI90", "佳能墨水 GI-90 黑色", "办公耗材", "pcs", "6901234500097", "59", "38", "30", "consumable", 24),
    ("RES-0603-10K", "贴片电阻 0603 10KΩ ±1%", "电阻", "pcs", "6901234500103", "0.012", "0.006", "20000", "stockable", 5000),
    ("RES-0805-1K", "贴片电阻 0805 1KΩ ±1%", "电阻", "pcs", "6901234500110", "0.015", "0.008", "20000", "stockable", 5000),
    ("RES-AXL-220", "碳膜电阻 1/4W 220Ω", "电阻", "pcs", "6901234500127", "0.05", "0.02", "5000", "stockable", 1000),
    ("CAP-0603-100N", "贴片电容 0603 100nF 50V", "电容", "pcs", "6901234500134", "0.02", "0.009", "20000", "stockable", 4000),
    ("CAP-EL-470U", "电解电容 470μF 25V", "电容", "pcs", "6901234500141", "0.35", "0.18", "2000", "stockable", 500),
    ("CAP-TA-10U", "钽电容 10μF 16V", "电容", "pcs", "6901234500158", "0.88", "0.52", "1000", "stockable", 500),
    ("CON-USB-C16", "USB Type-C 16P 母座", "连接器", "pcs", "6901234500165", "0.65", "0.38", "3000", "stockable", 1000),
    ("CON-RJ45-8P", "RJ45 网络接口 8P8C", "连接器", "pcs", "6901234500172", "1.2", "0.7", "2000", "stockable", 500),
    ("CON-PH-2P", "PH2.0 端子线 2P 20cm", "连接器", "pcs", "6901234500189", "0.3", "0.15", "5000", "stockable", 1000),
    ("NET-SW-S1024", "华为24口千兆交换机 S1700-24GR", "交换机", "set", "6901234500196", "1650", "1280", "3", "stockable", None),
    ("NET-SW-TL8", "TP-LINK 8口千兆交换机", "交换机", "set", "6901234500202", "139", "98", "10", "stockable", 20),
    ("NET-CAB-C6", "超六类网线 纯铜", "线缆", "m", "6901234500219", "3.8", "2.2", "1000", "stockable", None),
    ("NET-CAB-FIB", "单模光纤跳线 3米", "线缆", "pcs", "6901234500226", "18", "11", "100", "stockable", 50),
    ("NET-SOLDER", "无铅焊锡丝 0.8mm", "电子元器件", "kg", "6901234500233", "168", "126", "10", "consumable", None),
    ("KIT-MEET-01", "会议室投影套装(投影仪+幕布)", "投影仪", "kit", "6901234500240", "5680", "4380", "1", "stockable", None),
    ("KIT-NET-SMB", "小微企业组网套装", "交换机", "kit", "6901234500257", "2980", "2260", "2", "stockable", None),
    ("SRV-INST-PRN", "打印机上门安装调试", "安装", "h", "", "150", "0", "0", "service", None),
    ("SRV-INST-PRJ", "投影仪吊装服务", "安装", "h", "", "280", "0", "0", "service", None),
    ("SRV-INST-NET", "网络布线施工", "安装", "m", "", "12", "0", "0", "service", None),
    ("SRV-MNT-YEAR", "办公设备年度维保", "维保", "kit", "", "3600", "0", "0", "service", None),
    ("SRV-MNT-VISIT", "上门维修服务", "维保", "h", "", "200", "0", "0", "service", None),
]

SECOND_PRODUCTS = [
    ("TEA-LJ-250", "西湖龙井 250克", "茶叶", "pcs", "6909876500018", "368", "240", "20", "stockable", 12),
    ("TEA-BL-500", "云南普洱 357克饼", "茶叶", "pcs", "6909876500025", "198", "120", "30", "stockable", 7),
    ("TEA-HC-100", "安吉白茶 100克", "茶叶", "pcs", "6909876500032", "268", "170", "20", "stockable", 20),
    ("GFT-BOX-01", "商务茶礼盒", "礼盒", "kit", "6909876500049", "588", "380", "10", "stockable", None),
    ("SRV-DLV", "同城配送服务", "服务", "h", "", "80", "0", "0", "service", None),
]
# fmt: on


def load(company: Company, people: dict) -> None:
    admin = people["admin"]
    units = {
        code: unit_create(
            actor=admin,
            company=company,
            code=code,
            name=name,
            category=category,
            ratio=Decimal(ratio) if ratio else None,
        )
        for code, name, category, ratio in UNITS
    }
    second = company.code == SECOND_CODE
    tree = {"商品": ["茶叶", "礼盒"], "服务": []} if second else CATEGORIES
    categories: dict[str, Category] = {}
    for position, (root_name, children) in enumerate(tree.items(), start=1):
        root = category_create(actor=admin, company=company, name=root_name, code=f"C{position:02d}")
        categories[root_name] = root
        for index, child in enumerate(children, start=1):
            categories[child] = category_create(
                actor=admin, company=company, name=child, parent=root, code=f"C{position:02d}{index:02d}"
            )
    for sku, name, category, unit, barcode, sale, purchase, safety, kind, per_box in (
        SECOND_PRODUCTS if second else PRODUCTS
    ):
        product = product_create(
            actor=admin,
            company=company,
            sku=sku,
            name=name,
            category=categories[category],
            base_unit=units[unit],
            barcode=barcode,
            kind=kind,
            tax_rate=Decimal("0.06") if kind == "service" else Decimal("0.13"),
            sale_price=Decimal(sale),
            purchase_price=Decimal(purchase),
            standard_cost=Decimal(purchase),
            safety_stock=Decimal(safety),
            reorder_point=Decimal(safety) * 2,
        )
        if per_box:
            product_unit_create(
                actor=admin,
                company=company,
                product=product,
                unit=units["box"],
                factor=Decimal(per_box),
                barcode=("1" + barcode[1:]) if barcode else "",
            )
