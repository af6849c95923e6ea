"""Keeping the warehouse list: who may, what is refused, what is audited."""

import pytest

from conftest import make_member
from heyi.inventory.models import Warehouse
from heyi.inventory.services.warehouses import warehouse_create, warehouse_deactivate, warehouse_update
from heyi.platform.errors import ModuleDisabled, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import AuditEntry
from heyi.platform.services.tenancy import company_module_set, employee_create


def test_a_new_warehouse_is_audited_and_searchable_by_initials(hangzhou, keeper):
    assert hangzhou.mnemonic.startswith("hzzc")
    entry = AuditEntry.objects.get(
        object_type="inventory.warehouse", object_id=str(hangzhou.pk), action="create"
    )
    assert entry.changes["code"] == [None, "HZ01"]
    assert entry.changes["manager"] == [None, str(keeper.pk)]


def test_codes_are_unique_per_company(hangzhou, company, admin, other_company, outsider):
    with pytest.raises(ValidationFailed) as caught:
        warehouse_create(actor=admin, company=company, code="HZ01", name="重复")
    assert "code" in caught.value.fields
    assert warehouse_create(actor=outsider, company=other_company, code="HZ01", name="同号").pk


def test_a_manager_from_another_company_is_not_found(company, admin, other_company, outsider):
    theirs = employee_create(actor=outsider, company=other_company, name="外人")
    with pytest.raises(ValidationFailed) as caught:
        warehouse_create(actor=admin, company=company, code="X", name="X", manager=theirs)
    assert caught.value.fields == {"manager": ["Not found."]}
    assert not Warehouse.objects.exists()


def test_bad_input_writes_nothing(company, admin):
    for data in ({"code": "", "name": "空编码"}, {"code": "A", "name": "长" * 10000}):
        with pytest.raises(ValidationFailed):
            warehouse_create(actor=admin, company=company, **data)
    assert not Warehouse.objects.exists()
    assert not AuditEntry.objects.filter(object_type="inventory.warehouse").exists()


def test_edit_bumps_version_and_stale_edit_is_refused(hangzhou, company, admin):
    warehouse_update(actor=admin, company=company, warehouse=hangzhou, data={"name": "杭州一号仓"}, version=1)
    with pytest.raises(StaleVersion):
        warehouse_update(actor=admin, company=company, warehouse=hangzhou, data={"name": "旧"}, version=1)
    hangzhou.refresh_from_db()
    assert (hangzhou.name, hangzhou.version) == ("杭州一号仓", 2)


def test_only_admin_and_the_warehouse_team_keep_warehouses(hangzhou, company, sales):
    keeper_user = make_member(company, "keeper", roles=["warehouse"])
    assert warehouse_create(actor=keeper_user, company=company, code="SH01", name="上海分仓").pk
    for role in ("sales", "purchasing", "finance"):
        user = sales if role == "sales" else make_member(company, f"u_{role}", roles=[role])
        with pytest.raises(NotPermitted):
            warehouse_deactivate(actor=user, company=company, warehouse=hangzhou)
    hangzhou.refresh_from_db()
    assert hangzhou.is_active


def test_nothing_changes_while_the_erp_module_is_off(hangzhou, company, admin):
    company_module_set(actor=admin, company=company, module="erp", enabled=False)
    with pytest.raises(ModuleDisabled):
        warehouse_create(actor=admin, company=company, code="SH01", name="上海分仓")
    with pytest.raises(ModuleDisabled):
        warehouse_deactivate(actor=admin, company=company, warehouse=hangzhou)
    hangzhou.refresh_from_db()
    assert hangzhou.is_active
