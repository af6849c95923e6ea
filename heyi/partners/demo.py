"""Demo partners: customers in 杭州, 上海, 苏州 and 深圳, suppliers, contacts, addresses and tags."""

from decimal import Decimal

from django.db import transaction

from heyi.platform.models import Company

from .services.contacts import address_create, contact_create
from .services.partners import partner_create
from .services.tags import tag_create
from .validators import CREDIT_CODE_ALPHABET, credit_code_check_char

TAGS = [("价格敏感", "yellow"), ("关注售后", "blue"), ("VIP", "red"), ("老客户", "green")]

# Pipe-separated rows, easier to read and edit than tuples.
# name | short name | province | city | district code | tags | credit limit | payment terms | contact | title
CUSTOMERS = """
杭州星辰科技有限公司|星辰科技|浙江省|杭州市|330106|VIP,老客户|500000|30|陈伟|采购经理
杭州云帆网络技术有限公司|云帆网络|浙江省|杭州市|330108|价格敏感|200000|30|刘洋|IT主管
杭州西湖智能设备有限公司|西湖智能|浙江省|杭州市|330106|关注售后|300000|45|王芳|总经理
杭州钱塘电子商务有限公司|钱塘电商|浙江省|杭州市|330114||100000|15|赵磊|运营总监
杭州万盛精密机械有限公司|万盛精密|浙江省|杭州市|330109|老客户|800000|60|孙丽|采购专员
上海浦江贸易有限公司|浦江贸易|上海市|上海市|310115|价格敏感,老客户|400000|30|周杰|采购经理
上海东明软件有限公司|东明软件|上海市|上海市|310104|VIP|1000000|60|吴敏|财务总监
上海申联自动化设备有限公司|申联自动化|上海市|上海市|310112|关注售后|350000|45|郑浩|设备部经理
上海金桥医疗器械有限公司|金桥医疗|上海市|上海市|310115||250000|30|冯静|采购主管
上海虹桥物流科技有限公司|虹桥物流|上海市|上海市|310112|价格敏感|150000|15|蒋涛|行政经理
苏州工业园区华创电子有限公司|华创电子|江苏省|苏州市|320571|VIP,关注售后|600000|45|韩雪|采购经理
苏州金鸡湖新材料有限公司|金鸡湖新材料|江苏省|苏州市|320571|老客户|450000|30|杨帆|供应链总监
苏州姑苏丝绸制品有限公司|姑苏丝绸|江苏省|苏州市|320508|价格敏感|80000|15|朱婷|店长
苏州吴中精工模具有限公司|吴中精工|江苏省|苏州市|320506||300000|60|秦勇|厂长
苏州相城智能家居有限公司|相城智能|江苏省|苏州市|320507|关注售后|200000|30|许强|采购专员
深圳南山创新科技有限公司|南山创新|广东省|深圳市|440305|VIP|900000|60|何军|副总经理
深圳华强北电子贸易有限公司|华强北电子|广东省|深圳市|440304|价格敏感|120000|15|吕梅|老板
深圳前海供应链管理有限公司|前海供应链|广东省|深圳市|440305|老客户|700000|45|施磊|采购总监
深圳龙岗新能源科技有限公司|龙岗新能源|广东省|深圳市|440307|关注售后,VIP|550000|30|张敏|技术经理
深圳宝安精密制造有限公司|宝安精密|广东省|深圳市|440306||260000|30|曹阳|采购主管
"""
# name | short name | province | city | district code | payment terms | contact | title
SUPPLIERS = """
宁波甬江塑料原料有限公司|甬江塑料|浙江省|宁波市|330206|60|陆峰|销售经理
无锡太湖微电子元器件有限公司|太湖元器件|江苏省|无锡市|320214|45|沈燕|大客户经理
东莞长安五金制品有限公司|长安五金|广东省|东莞市|441900|30|邓超|业务员
深圳鹏城电池有限公司|鹏城电池|广东省|深圳市|440307|60|彭亮|销售总监
苏州苏顺包装材料有限公司|苏顺包装|江苏省|苏州市|320505|30|魏娜|客服主管
上海浦东速运物流有限公司|浦东速运|上海市|上海市|310112|15|马超|客户经理
杭州之江橡胶制品有限公司|之江橡胶|浙江省|杭州市|330104|45|袁媛|销售代表
嘉兴南湖纺织材料有限公司|南湖纺织|浙江省|嘉兴市|330402|30|钟鸣|业务经理
"""
SECOND_CUSTOMERS = """
广州白云商贸有限公司|白云商贸|广东省|广州市|440111||100000|30|林峰|采购
佛山顺德家电有限公司|顺德家电|广东省|佛山市|440606||200000|45|黄蕾|经理
珠海横琴科技有限公司|横琴科技|广东省|珠海市|440404||150000|30|梁辉|主管
"""
SECOND_SUPPLIERS = """
中山小榄五金有限公司|小榄五金|广东省|中山市|442000|30|罗斌|销售
江门新会包装有限公司|新会包装|广东省|江门市|440705|15|谢婷|业务员
"""

AREA_CODES = {
    "杭州市": "0571",
    "上海市": "021",
    "苏州市": "0512",
    "深圳市": "0755",
    "宁波市": "0574",
    "无锡市": "0510",
    "东莞市": "0769",
    "嘉兴市": "0573",
    "广州市": "020",
    "佛山市": "0757",
    "珠海市": "0756",
    "中山市": "0760",
    "江门市": "0750",
}
STREETS = ["文三路", "世纪大道", "星湖街", "科技园南路", "滨江路", "人民路", "工业大道", "中山路"]


def _rows(table: str) -> list[list[str]]:
    return [line.split("|") for line in table.strip().splitlines()]


def _credit_code(district: str, n: int) -> str:
    body = "".join(CREDIT_CODE_ALPHABET[(n * 7 + i * 13) % len(CREDIT_CODE_ALPHABET)] for i in range(9))
    first17 = f"91{district}{body}"
    return first17 + credit_code_check_char(first17)


def _phone(city: str, n: int) -> str:
    return f"{AREA_CODES.get(city, '0571')}-{8600_0000 + n * 1117:08d}"


def _owner_cycle(people: dict) -> list:
    users = people["users"]
    owners = [users[u] for u in ("sales", "sales_manager", "employee") if u in users]
    return owners or [people["admin"]]


def load(company: Company, people: dict) -> None:
    from heyi.platform.demo import SECOND_CODE

    second = company.code == SECOND_CODE
    admin = people["admin"]
    with transaction.atomic():
        tags = {
            name: tag_create(actor=admin, company=company, name=name, colour=colour) for name, colour in TAGS
        }
        owners = _owner_cycle(people)
        for i, row in enumerate(_rows(SECOND_CUSTOMERS if second else CUSTOMERS)):
            name, short, province, city, district, tag_names, credit, terms, contact, title = row
            partner = partner_create(
                actor=admin,
                company=company,
                owner=owners[i % len(owners)],
                tags=[tags[t] for t in tag_names.split(",") if t],
                is_customer=True,
                is_supplier=not second and i == 11,  # 金鸡湖新材料 also sells us materials
                name=name,
                short_name=short,
                tax_number=_credit_code(district, i + 1),
                credit_limit=Decimal(credit),
                payment_terms_days=int(terms),
                phone=_phone(city, i + 1),
                email=f"purchase{i + 1:02d}@customer{i + 1:02d}.example.com",
                province=province,
                city=city,
                region="华东" if province in ("浙江省", "上海市", "江苏省") else "华南",
                bank_name=f"中国工商银行{city.removesuffix('市')}分行",
                bank_account=f"6222 0212 {3000 + i:04d} {1000 + i * 37:04d}",
            )
            _people_and_places(admin, company, partner, contact, title, city, i)
        purchaser = people["users"].get("purchasing", admin)
        for i, row in enumerate(_rows(SECOND_SUPPLIERS if second else SUPPLIERS)):
            name, short, province, city, district, terms, contact, title = row
            partner = partner_create(
                actor=admin,
                company=company,
                owner=purchaser,
                is_supplier=True,
                name=name,
                short_name=short,
                tax_number=_credit_code(district, 100 + i),
                payment_terms_days=int(terms),
                phone=_phone(city, 100 + i),
                email=f"sales{i + 1:02d}@supplier{i + 1:02d}.example.com",
                province=province,
                city=city,
                bank_name=f"中国建设银行{city.removesuffix('市')}支行",
                bank_account=f"6217 0010 {5000 + i:04d} {2000 + i * 41:04d}",
            )
            _people_and_places(admin, company, partner, contact, title, city, 100 + i)


def _people_and_places(admin, company: Company, partner, contact: str, title: str, city: str, n: int) -> None:
    contact_create(
        actor=admin,
        company=company,
        partner=partner,
        name=contact,
        title=title,
        mobile=f"139{n:04d}{5678 + n:04d}"[:11],
        phone=partner.phone,
        email=f"contact{n:03d}@{partner.email.split('@')[1]}",
    )
    street = f"{STREETS[n % len(STREETS)]}{100 + n * 3}号"
    for kind in ("billing", "shipping"):
        address_create(
            actor=admin,
            company=company,
            partner=partner,
            kind=kind,
            province=partner.province,
            city=city,
            street=street if kind == "billing" else f"{street}{(n % 5) + 1}号仓库",
            postal_code="",
            contact_name=contact,
            phone=partner.phone,
        )
