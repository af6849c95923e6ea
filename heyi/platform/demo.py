"""The demo company: people, roles and departments. Each app above adds its own demo data
through a `demo.py` with `load(company, people)`, called in layer order."""

from collections.abc import Sequence

from django.db import transaction

from . import modules
from .models import Company, User
from .roles import BUILTIN_ROLES
from .services.tenancy import (
    company_create,
    department_create,
    department_update,
    employee_create,
    employee_update,
    membership_add,
)

DEMO_PASSWORD = "demo1234"
DEMO_CODE = "demo"
SECOND_CODE = "demo2"

PEOPLE = [
    # username, name, department, position, roles
    ("admin", "王总", "总经理办公室", "总经理", ["admin"]),
    ("sales", "李销售", "销售部", "销售代表", ["sales"]),
    ("sales_manager", "张经理", "销售部", "销售经理", ["sales_manager"]),
    ("legal", "赵法务", "法务部", "法务专员", ["legal"]),
    ("finance", "钱会计", "财务部", "会计", ["finance"]),
    ("purchasing", "孙采购", "采购部", "采购员", ["purchasing"]),
    ("warehouse", "周仓管", "仓储部", "仓库管理员", ["warehouse"]),
    ("production", "吴计划", "生产部", "生产计划员", ["production"]),
    ("after_sales", "郑售后", "售后服务部", "售后工程师", ["after_sales"]),
    ("hr", "冯人事", "人力资源部", "人事专员", ["hr"]),
    ("employee", "陈员工", "销售部", "销售助理", ["employee"]),
]


def _user(username: str, name: str, email_domain: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": name, "email": f"{username}@{email_domain}"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load_demo(apps: Sequence[str] | None = None) -> Company:
    """`apps`: the apps whose demo data to load (default: all of HEYI_APPS, in layer order); a
    test of one app's demo names the apps up to it instead of narrowing the settings, which the
    URL configuration and the API would keep."""
    existing = Company.objects.filter(code=DEMO_CODE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        company = company_create(
            actor=None,
            name="示例科技有限公司",
            code=DEMO_CODE,
            tax_number="91330100MA2DEMO01X",
            modules_on=list(modules.MODULES),
        )
        users = {u: _user(u, n, "demo.heyi.local") for u, n, *_ in PEOPLE}
        for username, _name, _dept, _pos, roles in PEOPLE:
            membership_add(actor=None, company=company, user=users[username], role_codes=roles)
        admin = users["admin"]
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
        root = department_create(actor=admin, company=company, name="示例科技", code="HQ")
        departments = {}
        for _u, _n, dept, _p, _r in PEOPLE:
            if dept not in departments:
                departments[dept] = department_create(actor=admin, company=company, name=dept, parent=root)
        employees = {}
        for username, name, dept, position, _r in PEOPLE:
            employees[username] = employee_create(
                actor=admin,
                company=company,
                name=name,
                user=users[username],
                department=departments[dept],
                position=position,
                email=users[username].email,
                phone="1380000" + f"{len(employees):04d}",
            )
        for username, emp in employees.items():
            manager = {"sales": "sales_manager", "employee": "sales_manager"}.get(username, "admin")
            if username != "admin":
                employee_update(
                    actor=admin,
                    company=company,
                    employee=emp,
                    data={"manager": employees[manager]},
                    version=None,
                )
        department_update(
            actor=admin,
            company=company,
            department=departments["销售部"],
            data={"manager": employees["sales_manager"]},
            version=None,
        )
        people = {"users": users, "employees": employees, "departments": departments, "admin": admin}
        _load_apps(company, people, apps)
        _load_second_company(apps)
    return company


def _load_apps(company: Company, people: dict, apps: Sequence[str] | None) -> None:
    from importlib import import_module

    from django.conf import settings

    for app in settings.HEYI_APPS if apps is None else apps:
        if app == "heyi.platform":
            continue
        try:
            demo = import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        demo.load(company, people)


def _load_second_company(apps: Sequence[str] | None) -> None:
    """A second tenant, for trying isolation by hand: its own admin, its own data."""
    company = company_create(
        actor=None, name="另一家贸易有限公司", code=SECOND_CODE, modules_on=[modules.ERP, modules.OA]
    )
    admin2 = _user("admin2", "另一家管理员", "other.heyi.local")
    membership_add(actor=None, company=company, user=admin2, role_codes=["admin"])
    dept = department_create(actor=admin2, company=company, name="业务部")
    employee_create(
        actor=admin2, company=company, name="林业务", user=admin2, department=dept, position="经理"
    )
    _load_apps(
        company,
        {"users": {"admin": admin2}, "employees": {}, "departments": {"业务部": dept}, "admin": admin2},
        apps,
    )


def demo_logins() -> list[tuple[str, str]]:
    return [(u, DEMO_PASSWORD) for u, *_ in PEOPLE] + [("admin2", DEMO_PASSWORD)]


__all__ = ["BUILTIN_ROLES", "DEMO_PASSWORD", "demo_logins", "load_demo"]
