"""Fixtures shared by every app's tests: companies, people in roles, and API clients.

Personas: in company A (`company`), `admin`, `sales` (own records), `sales2` (a colleague),
`sales_manager` (department scope); in company B (`other_company`), `outsider`.
"""

import json
from typing import Any

import pytest
from django.test import Client

from heyi.platform import modules
from heyi.platform.models import Company, User
from heyi.platform.services.accounts import token_issue
from heyi.platform.services.tenancy import company_create, department_create, employee_create, membership_add


def make_company(code: str, name: str, modules_on=tuple(modules.MODULES)) -> Company:
    return company_create(actor=None, name=name, code=code, modules_on=modules_on)


def make_member(company: Company, username: str, roles=("employee",), department=None) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, email=f"{username}@example.com"
    )
    membership_add(actor=None, company=company, user=user, role_codes=roles)
    if department is not None:
        employee_create(
            actor=_admin_of(company), company=company, name=username, user=user, department=department
        )
    return user


def _admin_of(company: Company) -> User:
    return User.objects.filter(memberships__company=company, memberships__roles__is_admin=True).first()


class ApiClient:
    """JSON in and out with a bearer token, as an integrator would call the API."""

    def __init__(self, user: User, company: Company | None = None):
        self.user = user
        _record, self.token = token_issue(user=user, name="test")
        self.client = Client()
        self.headers: dict[str, str] = {"Authorization": f"Bearer {self.token}"}
        if company is not None:
            self.headers["X-Company"] = str(company.pk)

    def _call(self, method: str, path: str, data: Any = None, headers: dict | None = None, **params: Any):
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        all_headers = {**self.headers, **(headers or {})}
        fn = getattr(self.client, method)
        if method in ("get", "delete"):
            return fn(url, data=params or data, headers=all_headers)
        return fn(
            url,
            data=json.dumps(data if data is not None else {}),
            content_type="application/json",
            headers=all_headers,
        )

    def get(self, path: str, **params: Any):
        return self._call("get", path, **params)

    def post(self, path: str, data: Any = None, headers: dict | None = None):
        return self._call("post", path, data, headers)

    def patch(self, path: str, data: Any = None, headers: dict | None = None):
        return self._call("patch", path, data, headers)

    def delete(self, path: str, headers: dict | None = None):
        return self._call("delete", path, headers=headers)


@pytest.fixture
def company(db) -> Company:
    c = make_company("acme", "杭州科技有限公司")
    make_member(c, "admin", roles=["admin"])
    return c


@pytest.fixture
def other_company(db) -> Company:
    c = make_company("other", "另一家公司")
    make_member(c, "outsider", roles=["admin"])
    return c


@pytest.fixture
def admin(company) -> User:
    return User.objects.get(username="admin")


@pytest.fixture
def outsider(other_company) -> User:
    return User.objects.get(username="outsider")


@pytest.fixture
def sales_dept(company, admin):
    return department_create(actor=admin, company=company, name="销售部")


@pytest.fixture
def sales(company, sales_dept) -> User:
    return make_member(company, "sales", roles=["sales"], department=sales_dept)


@pytest.fixture
def sales2(company, sales_dept) -> User:
    return make_member(company, "sales2", roles=["sales"], department=sales_dept)


@pytest.fixture
def sales_manager(company, sales_dept) -> User:
    return make_member(company, "sales_manager", roles=["sales_manager"], department=sales_dept)


@pytest.fixture
def api(admin, company) -> ApiClient:
    return ApiClient(admin, company)


@pytest.fixture
def api_as():
    return lambda user, company=None: ApiClient(user, company)


@pytest.fixture
def web(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def _posted_voucher_triggers(install: bool) -> None:
    """SQLite empties a test database with DELETE, which the triggers guarding posted vouchers
    refuse; they step aside for that flush and are back for the next test. PostgreSQL
    truncates, which row triggers do not see."""
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = import_module("heyi.finance.migrations.0002_posted_vouchers_immutable")
    with connection.cursor() as cursor:
        if install:
            for statement in migration.SQLITE:
                cursor.execute(statement.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))
        else:
            for statement in migration.REMOVE["sqlite"]:
                cursor.execute(statement)


@pytest.fixture(autouse=True)
def _stock_and_books_agree_with_their_ledgers(request):
    """After every test that touched the database, the kept stock figures match the stock
    ledger and the books check out (balanced, chained, control accounts = documents)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        yield
        return
    _posted_voucher_triggers(install=True)
    yield
    from heyi.finance.books import books_differences
    from heyi.inventory.selectors import stock_differences

    try:
        assert stock_differences() == [], "check_stock would report these differences"
        assert books_differences() == [], "check_books would report these differences"
    finally:
        if transactional:
            _posted_voucher_triggers(install=False)
