"""Customers arrive from a spreadsheet row by row; the demo company gets its partners."""

from decimal import Decimal

import pytest

from conftest import make_company, make_member
from heyi.partners import demo
from heyi.partners.models import Address, Contact, Partner, Tag
from heyi.platform.errors import ValidationFailed
from heyi.platform.imports import import_spec

from .conftest import credit_code

ROW = {
    "name": "杭州星辰科技有限公司",
    "code": "",
    "tax_number": credit_code(),
    "phone": "0571-8765 4321",
    "email": "buy@xingchen.example.com",
    "province": "浙江省",
    "city": "杭州市",
    "credit_limit": "500,000.00",
    "payment_terms": "30天",
    "tags": "VIP，老客户",
}


def test_a_customer_row_becomes_a_customer_with_new_tags(company, sales, vip):
    spec = import_spec("partners.customer")
    assert [c.key for c in spec.columns] == [
        "name",
        "code",
        "tax_number",
        "phone",
        "email",
        "province",
        "city",
        "credit_limit",
        "payment_terms",
        "tags",
    ]
    partner = spec.create_row(sales, company, ROW)
    assert partner.is_customer and not partner.is_supplier and partner.owner == sales
    assert partner.credit_limit == Decimal("500000.00") and partner.payment_terms_days == 30
    assert sorted(t.name for t in partner.tags.all()) == ["VIP", "老客户"]
    assert Tag.objects.filter(company=company).count() == 2


@pytest.mark.parametrize(
    "cells, column",
    [
        ({"name": ""}, "name"),
        ({"credit_limit": "五万"}, "credit_limit"),
        ({"credit_limit": "-1"}, "credit_limit"),
        ({"payment_terms": "一个月"}, "payment_terms"),
        ({"payment_terms": "400"}, "payment_terms"),
        ({"tax_number": "12345"}, "tax_number"),
    ],
)
def test_a_bad_row_names_its_column(company, admin, cells, column):
    with pytest.raises(ValidationFailed) as exc:
        import_spec("partners.customer").create_row(admin, company, {**ROW, **cells})
    assert column in exc.value.fields


def test_a_supplier_row_needs_the_right_to_keep_suppliers(company, sales, purchasing):
    from heyi.platform.errors import NotPermitted

    with pytest.raises(NotPermitted):
        import_spec("partners.supplier").create_row(sales, company, ROW)
    assert import_spec("partners.supplier").create_row(purchasing, company, ROW).is_supplier


def test_demo_partners_are_spread_over_the_sales_team(company, admin, sales, sales_manager, purchasing):
    employee = make_member(company, "employee", roles=["employee"])
    people = {
        "users": {"admin": admin, "sales": sales, "sales_manager": sales_manager, "employee": employee},
        "admin": admin,
    }
    people["users"]["purchasing"] = purchasing
    demo.load(company, people)

    customers = Partner.objects.filter(company=company, is_customer=True)
    suppliers = Partner.objects.filter(company=company, is_supplier=True)
    assert customers.count() == 20 and suppliers.count() == 9  # one customer also supplies us
    assert {p.owner.username for p in customers} == {"sales", "sales_manager", "employee"}
    assert all(p.owner == purchasing for p in suppliers.filter(is_customer=False))
    assert {t.name for t in Tag.objects.filter(company=company)} == {"价格敏感", "关注售后", "VIP", "老客户"}
    assert Contact.objects.filter(company=company).count() == 28
    assert Address.objects.filter(company=company, is_default=True).count() == 56


def test_the_second_demo_company_gets_a_few_partners(db):
    from heyi.platform.demo import SECOND_CODE

    second = make_company(SECOND_CODE, "另一家贸易有限公司")
    admin2 = make_member(second, "admin2", roles=["admin"])
    demo.load(second, {"users": {"admin": admin2}, "admin": admin2})
    assert Partner.objects.filter(company=second, is_customer=True).count() == 3
    assert Partner.objects.filter(company=second, is_supplier=True).count() == 2
