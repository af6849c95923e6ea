"""The partner pages as people use them: lists, export, detail, forms."""

import pytest
from django.test import Client
from django.urls import reverse

from heyi.partners.models import Address, Contact, Partner
from heyi.partners.services.contacts import contact_create
from heyi.platform.models import AuditEntry


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_customers(sales, sales2, new_customer):
    return new_customer(sales, "杭州星辰科技有限公司"), new_customer(sales2, "上海浦江贸易有限公司")


def test_the_customer_list_shows_a_salesperson_only_their_own(sales, two_customers):
    page = _client(sales).get(reverse("partners:customer_list"))
    assert page.status_code == 200
    assert (
        "杭州星辰科技有限公司" in page.content.decode()
        and "上海浦江贸易有限公司" not in page.content.decode()
    )


def test_search_filters_and_export_hold_the_record_scope(sales, sales2, two_customers, company):
    client = _client(sales)
    found = client.get(reverse("partners:customer_list"), {"q": "hzxc"}).content.decode()
    assert "杭州星辰科技有限公司" in found
    assert "杭州星辰" not in client.get(reverse("partners:customer_list"), {"q": "shpj"}).content.decode()

    export = client.get(reverse("partners:customer_list"), {"export": "csv"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert "杭州星辰科技有限公司" in text and "上海浦江贸易有限公司" not in text
    assert AuditEntry.objects.filter(action="export", actor=sales).exists()
    xlsx = client.get(reverse("partners:customer_list"), {"export": "xlsx", "owner": str(sales2.pk)})
    assert xlsx.status_code == 200


def test_a_colleagues_customer_page_is_not_found(sales2, two_customers):
    mine, _theirs = two_customers
    client = _client(sales2)
    assert client.get(reverse("partners:partner_detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("partners:partner_edit", args=[mine.pk])).status_code == 404
    assert client.post(reverse("partners:partner_deactivate", args=[mine.pk])).status_code == 404


def test_the_detail_page_shows_fields_contacts_addresses_and_history(company, sales, two_customers):
    mine, _ = two_customers
    contact_create(actor=sales, company=company, partner=mine, name="陈伟", title="采购经理")
    page = _client(sales).get(reverse("partners:partner_detail", args=[mine.pk])).content.decode()
    for text in (mine.code, "陈伟", "采购经理", reverse("partners:contact_create", args=[mine.pk])):
        assert text in page


def test_names_with_markup_are_shown_escaped(company, sales, new_customer):
    partner = new_customer(sales, '<script>alert(1)</script><img src=x onerror="x()">')
    client = _client(sales)
    for url in (reverse("partners:customer_list"), reverse("partners:partner_detail", args=[partner.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)" in html


def test_the_new_customer_form_saves_and_numbers_it(sales, vip):
    client = _client(sales)
    assert client.get(reverse("partners:customer_create")).status_code == 200
    r = client.post(
        reverse("partners:customer_create"),
        {
            "name": "苏州金鸡湖新材料有限公司",
            "is_customer": "on",
            "credit_limit": "450000.00",
            "payment_terms_days": "30",
            "currency": "CNY",
            "tags": [str(vip.pk)],
            "website": "www.jjh.example.com",
        },
    )
    partner = Partner.objects.get(name="苏州金鸡湖新材料有限公司")
    assert r.status_code == 302 and r["Location"] == reverse("partners:partner_detail", args=[partner.pk])
    assert partner.code.startswith("BP-") and partner.owner == sales
    assert [t.name for t in partner.tags.all()] == ["VIP"]
    assert partner.website == "https://www.jjh.example.com"


def test_the_form_shows_errors_and_writes_nothing(sales):
    r = _client(sales).post(
        reverse("partners:customer_create"),
        {
            "name": "",
            "is_customer": "on",
            "credit_limit": "-5",
            "payment_terms_days": "30",
            "currency": "CNY",
        },
    )
    assert r.status_code == 400
    assert Partner.objects.count() == 0


def test_a_salesperson_cannot_open_the_supplier_pages(sales):
    client = _client(sales)
    assert client.get(reverse("partners:supplier_list")).status_code == 403
    assert client.get(reverse("partners:supplier_create")).status_code == 403


def test_a_stale_edit_is_refused_on_the_form(company, sales, new_customer):
    partner = new_customer(sales)
    client = _client(sales)
    url = reverse("partners:partner_edit", args=[partner.pk])
    form = {"name": "杭州星辰", "is_customer": "on", "credit_limit": "1.00", "payment_terms_days": "0"}
    form |= {"currency": "CNY", "code": partner.code}
    assert client.post(url, {**form, "version": "1"}).status_code == 302
    stale = client.post(url, {**form, "name": "别的名字", "version": "1"})
    assert stale.status_code == 400 and "notification is-danger" in stale.content.decode()
    partner.refresh_from_db()
    assert partner.name == "杭州星辰" and partner.version == 2


def test_contact_and_address_forms_save_and_delete(company, sales, new_customer):
    partner = new_customer(sales)
    client = _client(sales)
    r = client.post(
        reverse("partners:contact_create", args=[partner.pk]), {"name": "陈伟", "mobile": "13800138000"}
    )
    assert r.status_code == 302
    contact = Contact.objects.get(partner=partner)
    assert contact.is_primary
    r = client.post(
        reverse("partners:contact_edit", args=[contact.pk]),
        {"name": "陈伟", "title": "采购经理", "version": "1"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("partners:address_create", args=[partner.pk]), {"kind": "shipping", "street": "文三路100号"}
    )
    assert r.status_code == 302 and Address.objects.get(partner=partner).is_default
    deleted = client.post(
        reverse("partners:contact_delete", args=[contact.pk]), headers={"HX-Request": "true"}
    )
    assert deleted.status_code == 204 and deleted["HX-Redirect"].endswith(f"/partners/{partner.pk}/")
    assert not Contact.objects.exists()


def test_tag_pages(admin, sales, web, vip):
    assert "VIP" in web.get(reverse("partners:tag_list")).content.decode()
    assert web.post(reverse("partners:tag_create"), {"name": "老客户", "colour": "green"}).status_code == 302
    edit = web.get(reverse("partners:tag_edit", args=[vip.pk]))
    assert edit.status_code == 200 and reverse("partners:tag_delete", args=[vip.pk]) in edit.content.decode()
    assert web.post(reverse("partners:tag_delete", args=[vip.pk])).status_code == 302


def test_customers_appear_in_the_navigation_for_sales_and_suppliers_for_purchasing(sales, purchasing):
    sales_page = _client(sales).get(reverse("partners:customer_list")).content.decode()
    assert (
        reverse("partners:customer_list") in sales_page
        and reverse("partners:supplier_list") not in sales_page
    )
    buyer_page = _client(purchasing).get(reverse("partners:supplier_list")).content.decode()
    assert reverse("partners:supplier_list") in buyer_page
