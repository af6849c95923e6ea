"""Demo warehouses: 杭州总仓 and 上海分仓; the second demo company has one."""

from heyi.platform.demo import SECOND_CODE
from heyi.platform.models import Company

from .services.warehouses import warehouse_create


def load(company: Company, people: dict) -> None:
    admin = people["admin"]
    if company.code == SECOND_CODE:
        warehouse_create(
            actor=admin, company=company, code="WH01", name="广州仓", address="广州市白云区太和镇物流园3号"
        )
        return
    keeper = people["employees"].get("warehouse")
    warehouse_create(
        actor=admin,
        company=company,
        code="HZ01",
        name="杭州总仓",
        address="浙江省杭州市余杭区仓前街道文一西路1500号",
        manager=keeper,
    )
    warehouse_create(
        actor=admin,
        company=company,
        code="SH01",
        name="上海分仓",
        address="上海市嘉定区马陆镇宝安公路2999号",
        manager=keeper,
    )
