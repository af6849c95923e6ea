"""The demo company sells: orders in every state, with deliveries and a return, stock in step."""

from heyi.inventory.selectors import stock_differences
from heyi.platform.demo import load_demo
from heyi.sales.models import Delivery, SalesOrder, SalesReturn


def test_the_demo_has_orders_in_every_state(db):
    company = load_demo()
    states = set(SalesOrder.objects.filter(company=company).values_list("state", flat=True))
    assert states == {s.value for s in SalesOrder.State}
    assert Delivery.objects.filter(company=company, state="shipped").count() == 3
    assert SalesReturn.objects.filter(delivery__company=company, state="received").count() == 1
    assert stock_differences(company) == []
