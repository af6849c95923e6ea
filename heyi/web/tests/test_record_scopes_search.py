"""Record scopes hold in search, comments and attachments: a salesperson's customer stays theirs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heyi.partners.services.partners import partner_create
from heyi.platform.models import Notification


@pytest.fixture
def customer(company, sales):
    return partner_create(actor=sales, company=company, name="杭州科技贸易有限公司", is_customer=True)


def test_a_colleagues_customer_never_shows_in_search(api_as, company, customer, sales, sales2, sales_manager):
    def found(user) -> list[str]:
        return [h["title"] for h in api_as(user, company).get("/search", q="hzkj").json()["items"]]

    assert found(sales) == ["杭州科技贸易有限公司"]
    assert found(sales_manager) == ["杭州科技贸易有限公司"]  # the department's records
    assert found(sales2) == []


def test_a_colleagues_customer_has_no_readable_files_or_comments(api_as, company, customer, sales, sales2):
    owner = api_as(sales, company)
    r = owner.client.post(
        "/api/v1/attachments",
        {
            "record": "partners.partner",
            "record_id": str(customer.pk),
            "file": SimpleUploadedFile("报价.pdf", b"%PDF-1.4\n"),
        },
        headers=owner.headers,
    )
    assert r.status_code == 201
    attachment_id = r.json()["id"]
    r = owner.post(
        "/comments", {"record": "partners.partner", "record_id": str(customer.pk), "body": "@sales2 帮我看看"}
    )
    assert r.status_code == 201
    assert r.json()["mentions"] == []  # sales2 cannot read this customer, so is not told about it
    assert not Notification.objects.filter(recipient=sales2).exists()

    colleague = api_as(sales2, company)
    params = {"record": "partners.partner", "record_id": str(customer.pk)}
    assert colleague.get("/attachments", **params).status_code == 404
    assert colleague.get(f"/attachments/{attachment_id}").status_code == 404
    assert colleague.get(f"/attachments/{attachment_id}/download-link").status_code == 404
    assert colleague.get("/comments", **params).status_code == 404
    assert colleague.get(f"/comments/{r.json()['id']}").status_code == 404
