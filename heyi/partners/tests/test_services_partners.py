"""Partner services told as a sales team's day: numbers, owners, scopes, bad input, audit."""

from decimal import Decimal

import pytest

from heyi.partners.access import partners_visible
from heyi.partners.models import Address, Contact, Partner, Tag
from heyi.partners.services.contacts import (
    address_create,
    address_update,
    contact_create,
    contact_delete,
    contact_update,
)
from heyi.partners.services.partners import partner_create, partner_deactivate, partner_update
from heyi.partners.services.tags import tag_create, tag_delete
from heyi.platform.errors import InvalidTransition, NotFound, NotPermitted, StaleVersion, ValidationFailed
from heyi.platform.models import AuditEntry, OutboxEvent

from .conftest import credit_code


def test_a_salesperson_creates_a_customer_numbered_owned_audited_and_announced(company, sales, new_customer):
    partner = new_customer(sales, phone="+86 138-0013-8000", email=" Chen.Wei@XingChen.CN ")

    assert partner.code.startswith("BP-") and partner.code.endswith("-000001")
    assert partner.owner == sales
    assert partner.mnemonic.startswith("hzxckjyxgs")
    assert partner.phone_normalized == "13800138000"
    assert partner.email_normalized == "chen.wei@xingchen.cn"
    created = AuditEntry.objects.get(object_id=str(partner.pk), action="create")
    assert created.actor == sales and created.object_type == "partners.partner"
    assert created.changes["name"] == [None, "杭州星辰科技有限公司"]
    event = OutboxEvent.objects.get(subject_id=str(partner.pk))
    assert event.type == "partners.partner_created" and event.data["is_customer"] is True


def test_codes_are_unique_per_company_and_a_duplicate_writes_nothing(company, other_company, admin, outsider):
    partner_create(actor=admin, company=company, name="甲公司", code="C-001", is_customer=True)
    partner_create(actor=outsider, company=other_company, name="乙公司", code="C-001", is_customer=True)

    with pytest.raises(ValidationFailed) as exc:
        partner_create(actor=admin, company=company, name="丙公司", code="C-001", is_customer=True)

    assert "code" in exc.value.fields
    assert not Partner.objects.filter(name="丙公司").exists()


@pytest.mark.parametrize(
    "fields, bad_field",
    [
        ({"name": "   "}, "name"),
        ({"credit_limit": Decimal("-1")}, "credit_limit"),
        ({"credit_limit": Decimal("0.001")}, "credit_limit"),
        ({"payment_terms_days": 400}, "payment_terms_days"),
        ({"name": "长" * 10_000}, "name"),
        ({"notes": "x" * 10_000}, "notes"),
        ({"tax_number": "91330106MA2H0X7K2X"}, "tax_number"),
        ({"tax_number": "123"}, "tax_number"),
        ({"email": "not-an-address"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"currency": "RMB1"}, "currency"),
        ({"is_customer": False}, "is_customer"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(company, admin, fields, bad_field):
    data = {"name": "杭州星辰科技有限公司", "is_customer": True, **fields}

    with pytest.raises(ValidationFailed) as exc:
        partner_create(actor=admin, company=company, **data)

    assert bad_field in exc.value.fields
    assert Partner.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="partners.partner").exists()
    # The number taken for the failed partner went back: the next one is still 000001.
    assert partner_create(actor=admin, company=company, name="甲", is_customer=True).code.endswith("000001")


def test_a_valid_credit_code_is_kept_in_capitals(company, admin):
    code = credit_code()
    partner = partner_create(
        actor=admin, company=company, name="甲", is_customer=True, tax_number=code.lower()
    )
    assert partner.tax_number == code


def test_payload_cannot_set_id_version_company_or_mnemonic(company, other_company, admin):
    partner = partner_create(
        actor=admin,
        company=company,
        name="甲公司",
        is_customer=True,
        id="00000000-0000-0000-0000-000000000001",
        version=99,
        mnemonic="hack",
        company_id=other_company.pk,
        created_at="2000-01-01T00:00:00Z",
    )
    assert str(partner.pk) != "00000000-0000-0000-0000-000000000001"
    assert partner.version == 1 and partner.mnemonic.startswith("jgs")
    assert partner.company == company


def test_only_company_wide_managers_hand_partners_to_others(
    company, other_company, admin, sales, sales2, outsider
):
    with pytest.raises(ValidationFailed) as exc:
        partner_create(actor=sales, company=company, name="甲", is_customer=True, owner=sales2)
    assert "owner" in exc.value.fields

    with pytest.raises(ValidationFailed):
        partner_create(actor=admin, company=company, name="甲", is_customer=True, owner=outsider)

    given = partner_create(actor=admin, company=company, name="甲", is_customer=True, owner=sales2)
    assert given.owner == sales2
    assert Partner.objects.count() == 1


def test_another_companys_tag_is_refused(company, other_company, admin, outsider):
    foreign = tag_create(actor=outsider, company=other_company, name="VIP")
    with pytest.raises(ValidationFailed) as exc:
        partner_create(actor=admin, company=company, name="甲", is_customer=True, tags=[foreign])
    assert "tags" in exc.value.fields
    assert Partner.objects.count() == 0


def test_salespeople_see_their_own_customers_managers_their_teams(
    company, sales, sales2, sales_manager, admin
):
    mine = partner_create(actor=sales, company=company, name="甲", is_customer=True)
    theirs = partner_create(actor=sales2, company=company, name="乙", is_customer=True)
    supplier = partner_create(actor=admin, company=company, name="丙", is_supplier=True, owner=sales)

    assert set(partners_visible(user=sales, company=company)) == {mine}
    assert set(partners_visible(user=sales2, company=company)) == {theirs}
    assert set(partners_visible(user=sales_manager, company=company)) == {mine, theirs}
    assert set(partners_visible(user=admin, company=company)) == {mine, theirs, supplier}
    with pytest.raises(NotFound):
        partner_update(actor=sales2, company=company, partner=mine, data={"name": "改"}, version=1)


def test_one_party_both_customer_and_supplier_is_seen_by_both_teams(
    company, admin, sales, purchasing, sales2
):
    both = partner_create(
        actor=admin, company=company, name="苏州金鸡湖新材料", is_customer=True, is_supplier=True, owner=sales
    )
    assert both in partners_visible(user=purchasing, company=company, kind="supplier")
    assert both in partners_visible(user=sales, company=company, kind="customer")
    assert both not in partners_visible(user=sales2, company=company)
    # Purchasing may change the supplier side of it, but not make it stop being a customer.
    partner_update(
        actor=purchasing, company=company, partner=both, data={"payment_terms_days": 60}, version=1
    )
    with pytest.raises(NotPermitted):
        partner_update(
            actor=purchasing, company=company, partner=both, data={"is_customer": False}, version=2
        )


def test_a_salesperson_cannot_turn_a_customer_into_a_supplier(company, sales, new_customer):
    partner = new_customer(sales)
    with pytest.raises(NotPermitted):
        partner_update(actor=sales, company=company, partner=partner, data={"is_supplier": True}, version=1)
    partner.refresh_from_db()
    assert partner.is_supplier is False


def test_finance_sees_customers_but_cannot_change_them(company, sales, finance, new_customer):
    partner = new_customer(sales)
    assert partner in partners_visible(user=finance, company=company)
    with pytest.raises(NotPermitted):
        partner_update(actor=finance, company=company, partner=partner, data={"credit_limit": 1}, version=1)


def test_update_refuses_a_stale_version_and_audits_changes_and_tags(company, sales, new_customer, vip):
    partner = new_customer(sales)
    partner_update(
        actor=sales,
        company=company,
        partner=partner,
        data={"credit_limit": Decimal("50000"), "tags": [vip], "owner": sales},
        version=1,
    )
    partner.refresh_from_db()
    assert partner.version == 2 and partner.credit_limit == Decimal("50000.00")
    assert [t.name for t in partner.tags.all()] == ["VIP"]
    rows = AuditEntry.objects.filter(object_id=str(partner.pk), action="update")
    assert {k for r in rows for k in r.changes} == {"credit_limit", "tags"}

    with pytest.raises(StaleVersion):
        partner_update(actor=sales, company=company, partner=partner, data={"name": "旧"}, version=1)
    partner.refresh_from_db()
    assert partner.name == "杭州星辰科技有限公司"

    partner_update(actor=sales, company=company, partner=partner, data={"tags": []}, version=2)
    partner.refresh_from_db()
    assert partner.version == 3 and partner.tags.count() == 0


def test_deactivating_twice_is_refused(company, sales, new_customer):
    partner = new_customer(sales)
    partner_deactivate(actor=sales, company=company, partner=partner)
    partner.refresh_from_db()
    assert partner.is_active is False
    assert OutboxEvent.objects.filter(
        type="partners.partner_deactivated", subject_id=str(partner.pk)
    ).exists()
    with pytest.raises(InvalidTransition):
        partner_deactivate(actor=sales, company=company, partner=partner)


def test_one_primary_contact_and_the_next_takes_over_when_it_goes(company, sales, new_customer):
    partner = new_customer(sales)
    first = contact_create(actor=sales, company=company, partner=partner, name="陈伟")
    second = contact_create(actor=sales, company=company, partner=partner, name="刘洋", is_primary=True)
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)

    contact_update(actor=sales, company=company, contact=first, data={"is_primary": True}, version=2)
    assert list(Contact.objects.filter(is_primary=True)) == [first]

    contact_delete(actor=sales, company=company, contact=first)
    second.refresh_from_db()
    assert second.is_primary
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="delete").exists()


def test_a_colleague_cannot_add_contacts_to_my_customer(company, sales, sales2, new_customer):
    partner = new_customer(sales)
    with pytest.raises(NotFound):
        contact_create(actor=sales2, company=company, partner=partner, name="陈伟")
    assert Contact.objects.count() == 0


def test_one_default_address_per_kind(company, sales, new_customer):
    partner = new_customer(sales)
    billing = address_create(
        actor=sales, company=company, partner=partner, kind="billing", street="文三路1号"
    )
    ship1 = address_create(actor=sales, company=company, partner=partner, kind="shipping", street="仓库1")
    ship2 = address_create(actor=sales, company=company, partner=partner, kind="shipping", street="仓库2")
    assert billing.is_default and ship1.is_default and not ship2.is_default

    address_update(actor=sales, company=company, address=ship2, data={"is_default": True}, version=1)
    defaults = Address.objects.filter(is_default=True).order_by("kind")
    assert [(a.kind, a.street) for a in defaults] == [("billing", "文三路1号"), ("shipping", "仓库2")]


def test_tag_names_are_unique_per_company_and_deleting_untags(company, other_company, admin, outsider, vip):
    tag_create(actor=outsider, company=other_company, name="VIP")
    with pytest.raises(ValidationFailed) as exc:
        tag_create(actor=admin, company=company, name="VIP")
    assert "name" in exc.value.fields

    partner = partner_create(actor=admin, company=company, name="甲", is_customer=True, tags=[vip])
    tag_delete(actor=admin, company=company, tag=vip)
    assert partner.tags.count() == 0
    assert Tag.objects.filter(company=company).count() == 0


def test_people_without_partner_permissions_cannot_keep_tags(company):
    from conftest import make_member

    clerk = make_member(company, "clerk", roles=["employee"])
    with pytest.raises(NotPermitted):
        tag_create(actor=clerk, company=company, name="VIP")
