"""From the low-stock alert in inventory to a purchase requisition in one press."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from conftest import make_member
from heyi.inventory.models import StockAlert
from heyi.inventory.services.ledger import MoveLine, Origin, stock_issue
from heyi.inventory.tests.factories import make_product, make_warehouse, receive
from heyi.purchasing.models import PurchaseRequisition


def test_a_buyer_turns_an_open_alert_into_a_requisition_from_the_alert_page(company, admin):
    buyer = make_member(company, "孙采购", roles=["purchasing"])
    paper = make_product(
        company, admin, "PAPER-A4", "A4复印纸", safety_stock=Decimal("20"), reorder_point=Decimal("50")
    )
    store = make_warehouse(company, admin, "HZ01")
    receive(company, admin, paper, store, 30, "18")
    stock_issue(
        actor=admin,
        company=company,
        origin=Origin("test.issue", "1", "OUT-1"),
        lines=[MoveLine(paper, store, Decimal(15))],
    )
    alert = StockAlert.objects.get(company=company, product=paper, state="open")
    client = Client()
    client.force_login(buyer)

    listed = client.get(reverse("inventory:stock_alert_list")).content.decode()
    assert reverse("inventory:stock_alert_detail", args=[alert.pk]) in listed
    page = client.get(reverse("inventory:stock_alert_detail", args=[alert.pk])).content.decode()
    button = reverse("purchasing:alert_requisition", args=[alert.pk])
    assert button in page and "15" in page

    made = client.post(button)
    requisition = PurchaseRequisition.objects.get(company=company)
    assert made.status_code == 302 and made["Location"].endswith(
        reverse("purchasing:requisition_detail", args=[requisition.pk])
    )
    assert [(ln.product, ln.quantity) for ln in requisition.lines.all()] == [(paper, Decimal("35"))]

    receive(company, admin, paper, store, 40, "18")
    alert.refresh_from_db()
    assert alert.state == "closed"
    assert button not in client.get(reverse("inventory:stock_alert_detail", args=[alert.pk])).content.decode()
