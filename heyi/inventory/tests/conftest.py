import pytest

from heyi.inventory.services.warehouses import warehouse_create
from heyi.platform.services.tenancy import employee_create


@pytest.fixture
def keeper(company, admin):
    return employee_create(actor=admin, company=company, name="周仓管", position="仓库管理员")


@pytest.fixture
def hangzhou(company, admin, keeper):
    return warehouse_create(
        actor=admin, company=company, code="HZ01", name="杭州总仓", address="杭州市余杭区", manager=keeper
    )
