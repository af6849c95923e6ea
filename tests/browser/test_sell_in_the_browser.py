"""李销售's day in a real browser: confirm a draft order, then the warehouse creates the delivery,
packs it and ships it with a tracking number; the order and the stock page show the result.
Finance then invoices the delivery, posts the invoice, enters the customer's bank receipt and
allocates it, so the invoice is paid and the books still balance."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from .test_tour import CHROMIUM, browser_page  # noqa: F401  (the shared browser fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


def _sign_in(page, url: str, username: str) -> None:
    from heyi.platform.demo import DEMO_PASSWORD

    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def _press(page, action: str) -> None:
    with page.expect_navigation():
        page.click(f'form[action="{action}"] button[type=submit]')


def test_an_order_is_confirmed_packed_and_shipped_through_the_pages(live_server, browser_page):  # noqa: F811
    from heyi.finance.books import books_differences
    from heyi.finance.models import Account, Invoice, Payment
    from heyi.inventory.selectors import stock_differences
    from heyi.platform.demo import load_demo
    from heyi.sales.models import Delivery, SalesOrder

    company = load_demo()
    order = SalesOrder.objects.filter(company=company, state="draft").order_by("number").first()
    assert order is not None, "the demo has a draft order"
    page = browser_page
    _sign_in(page, live_server.url, "admin")

    page.goto(f"{live_server.url}/sales/orders/{order.pk}/")
    _press(page, f"/sales/orders/{order.pk}/confirm/")
    order.refresh_from_db()
    assert order.state == "confirmed"
    assert "已确认" in page.inner_text("main")

    page.goto(f"{live_server.url}/sales/orders/{order.pk}/deliveries/new/")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    delivery = Delivery.objects.get(order=order)
    _press(page, f"/sales/deliveries/{delivery.pk}/confirm/")
    page.goto(f"{live_server.url}/sales/deliveries/{delivery.pk}/ship/")
    page.fill("main form input[name=carrier]", "顺丰速运")
    page.fill("main form input[name=tracking_number]", "SF1402837465")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    delivery.refresh_from_db()
    order.refresh_from_db()
    assert (delivery.state, delivery.tracking_number) == ("shipped", "SF1402837465")
    assert order.state in ("delivered", "partially_delivered")
    assert "SF1402837465" in page.inner_text("main")

    page.goto(f"{live_server.url}/inventory/stock/")
    assert "可用" in page.inner_text("main")
    out = Path(settings.PROJECT_DIR) / "test-results"
    out.mkdir(exist_ok=True)
    page.screenshot(path=str(out / "sell.png"), full_page=True)
    assert stock_differences(company) == []

    page.goto(f"{live_server.url}/finance/invoices/new/")
    _press(page, f"/finance/invoices/from-delivery/{delivery.pk}/")
    invoice = Invoice.objects.get(company=company, delivery=delivery)
    _press(page, f"/finance/invoices/{invoice.pk}/post/")
    invoice.refresh_from_db()
    assert invoice.state == "posted" and invoice.number in page.inner_text("main")

    bank = Account.objects.get(company=company, code="1002")
    page.goto(f"{live_server.url}/finance/payments/new/?kind=customer_receipt")
    page.select_option("main form select[name=partner]", str(order.customer_id))
    page.fill("main form input[name=amount]", str(invoice.total_amount))
    page.select_option("main form select[name=account]", str(bank.pk))
    page.fill("main form input[name=reference]", "招行回单 0815")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    receipt = Payment.objects.get(company=company, reference="招行回单 0815")
    _press(page, f"/finance/payments/{receipt.pk}/submit/")
    page.fill(f"main form input[name=amount-{invoice.pk}]", str(invoice.total_amount))
    _press(page, f"/finance/payments/{receipt.pk}/allocate/")
    invoice.refresh_from_db()
    receipt.refresh_from_db()
    assert (receipt.state, receipt.unallocated_amount, invoice.open_amount) == ("posted", 0, 0)
    page.screenshot(path=str(out / "paid.png"), full_page=True)
    assert books_differences(company) == []
