"""李销售's day in a real browser: confirm a draft order, then the warehouse creates the delivery,
packs it and ships it with a tracking number; the order and the stock page show the result."""

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
