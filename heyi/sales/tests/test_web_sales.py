"""The sales pages as people use them: lists and export, the order form with lines, the buttons."""

from django.test import Client
from django.urls import reverse

from heyi.inventory.selectors import stock_differences
from heyi.sales.models import Delivery, SalesOrder


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _order_post(customer, printer, quantity="2", **extra):
    return {
        "customer": str(customer.pk),
        "order_date": "2026-11-27",
        "delivery_address": "杭州市西湖区文三路90号",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product": str(printer.pk),
        "lines-0-quantity": quantity,
        "lines-0-unit_price": "2680",
        "lines-0-discount_percent": "0",
        "lines-1-product": "",
        "lines-1-quantity": "",
        **extra,
    }


def test_an_order_is_entered_with_lines_and_shown_with_totals(company, admin, web, customer, printer):
    page = web.get(reverse("sales:order_create"))
    assert page.status_code == 200 and "lines-0-product" in page.content.decode()
    r = web.post(reverse("sales:order_create"), _order_post(customer, printer))
    order = SalesOrder.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("sales:order_detail", args=[order.pk])
    detail = web.get(r["Location"]).content.decode()
    for text in (
        order.number,
        "杭州星辰科技有限公司",
        "5,360.00",
        "6,056.80",
        reverse("sales:order_confirm", args=[order.pk]),
    ):
        assert text in detail


def test_bad_lines_show_on_the_form_and_nothing_is_saved(web, customer, printer):
    r = web.post(reverse("sales:order_create"), _order_post(customer, printer, quantity="0"))
    assert r.status_code == 400 and SalesOrder.objects.count() == 0


def test_the_buttons_take_an_order_from_confirm_to_shipped(
    company, web, customer, printer, hangzhou, receive
):
    receive(printer, hangzhou, 5, "2000")
    web.post(reverse("sales:order_create"), _order_post(customer, printer))
    order = SalesOrder.objects.get()
    web.post(reverse("sales:order_confirm", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == "confirmed"
    line = order.lines.get()
    form = web.get(reverse("sales:delivery_create", args=[order.pk]))
    assert form.status_code == 200 and f"q_{line.pk}" in form.content.decode()
    r = web.post(
        reverse("sales:delivery_create", args=[order.pk]),
        {f"q_{line.pk}": "1", f"w_{line.pk}": str(hangzhou.pk), "carrier": "顺丰速运"},
    )
    delivery = Delivery.objects.get()
    assert r.status_code == 302 and delivery.lines.get().quantity == 1
    web.post(reverse("sales:delivery_confirm", args=[delivery.pk]))
    r = web.post(
        reverse("sales:delivery_ship", args=[delivery.pk]), {"carrier": "顺丰速运", "tracking_number": "SF1"}
    )
    assert r.status_code == 302
    delivery.refresh_from_db()
    order.refresh_from_db()
    assert delivery.state == "shipped" and order.state == "partially_delivered"
    page = web.get(reverse("sales:delivery_detail", args=[delivery.pk])).content.decode()
    assert reverse("sales:return_create", args=[delivery.pk]) in page
    assert web.get(reverse("sales:margins"), {"group": "customer"}).status_code == 200
    assert stock_differences(company) == []


def test_lists_export_and_hold_the_record_scope(company, sales, sales2, customer, printer, new_order):
    mine = new_order([(printer, "1")], actor=sales)
    theirs = new_order([(printer, "1")], actor=sales2)
    client = _client(sales)
    page = client.get(reverse("sales:order_list")).content.decode()
    assert mine.number in page and theirs.number not in page
    export = client.get(reverse("sales:order_list"), {"export": "csv"})
    assert export.status_code == 200 and theirs.number not in export.content.decode("utf-8-sig")
    assert client.get(reverse("sales:order_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("sales:order_confirm", args=[theirs.pk])).status_code == 404
    for name in ("sales:delivery_list", "sales:return_list"):
        assert client.get(reverse(name)).status_code == 200


def test_a_failed_action_is_a_message_not_an_error_page(company, admin, web, customer, printer, new_order):
    from heyi.sales.services.orders import sales_settings_update

    sales_settings_update(actor=admin, company=company, on_shortage="refuse")
    order = new_order([(printer, "3")])
    r = web.post(reverse("sales:order_confirm", args=[order.pk]), follow=True)
    assert r.status_code == 200 and "available" in r.content.decode()
    order.refresh_from_db()
    assert order.state == "draft"


def test_pages_speak_chinese(web, customer, printer, new_order):
    order = new_order([(printer, "1")])
    web.cookies["django_language"] = "zh-hans"
    page = web.get(
        reverse("sales:order_detail", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "销售订单" in page or "确认" in page


def test_a_unit_that_cannot_convert_is_shown_on_its_row(web, customer, printer, units):
    r = web.post(
        reverse("sales:order_create"), _order_post(customer, printer, **{"lines-0-unit": str(units["kg"].pk)})
    )
    assert r.status_code == 400 and SalesOrder.objects.count() == 0
    assert "cannot be converted" in r.content.decode()
