"""The stock pages: levels, the ledger, batches, bins, transfers, counts, alerts and settings."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from heyi.inventory.models import InventorySettings, Location, StockCount, StockMove, Transfer
from heyi.inventory.selectors import stock_differences
from heyi.inventory.services.ledger import MoveLine, Origin, stock_issue

from .factories import make_product, make_warehouse, receive

D = Decimal


@pytest.fixture
def printer(company, admin):
    return make_product(company, admin, "PRN-HP-M403", "惠普激光打印机 M403dn", safety_stock=D(5))


@pytest.fixture
def hz(company, admin):
    return make_warehouse(company, admin, "HZ01")


@pytest.fixture
def sh(company, admin):
    return make_warehouse(company, admin, "SH01")


@pytest.fixture
def as_sales(sales):
    client = Client()
    client.force_login(sales)
    return client


def test_the_navigation_leads_to_every_stock_page(web):
    html = web.get(reverse("web:home")).content.decode()
    for name in (
        "stock_list",
        "stock_move_list",
        "transfer_list",
        "stock_count_list",
        "batch_list",
        "stock_alert_list",
    ):
        url = reverse(f"inventory:{name}")
        assert url in html, name
        assert web.get(url).status_code == 200, name
    assert reverse("inventory:settings") in html


def test_the_stock_page_filters_exports_and_links_to_the_product(web, company, admin, printer, hz, sh):
    receive(company, admin, printer, hz, 8, "2050")
    receive(company, admin, printer, sh, 3, "2050")
    html = web.get(reverse("inventory:stock_list")).content.decode()
    assert "HZ01" in html and "SH01" in html
    assert reverse("catalog:product_detail", args=[printer.pk]) in html
    only_sh = web.get(reverse("inventory:stock_list"), {"warehouse": str(sh.pk)}).content.decode()
    assert "<td>SH01 SH01仓</td>" in only_sh and "<td>HZ01 HZ01仓</td>" not in only_sh
    export = web.get(reverse("inventory:stock_list"), {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    assert stock_differences(company) == []


def test_a_move_is_reversed_from_its_page_by_the_warehouse_not_by_sales(
    web, as_sales, company, admin, printer, hz
):
    move = receive(company, admin, printer, hz, 3, "2050")
    listing = web.get(
        reverse("inventory:stock_move_list"), {"kind": "receipt", "period": "today"}
    ).content.decode()
    assert reverse("inventory:stock_move_detail", args=[move.pk]) in listing
    page = web.get(reverse("inventory:stock_move_detail", args=[move.pk])).content.decode()
    reverse_url = reverse("inventory:stock_move_reverse", args=[move.pk])
    assert reverse_url in page and "6,150.00" in page
    assert (
        reverse_url
        not in as_sales.get(reverse("inventory:stock_move_detail", args=[move.pk])).content.decode()
    )
    assert as_sales.post(reverse_url).status_code == 403
    assert StockMove.objects.count() == 1
    r = web.post(reverse_url)
    reversal = StockMove.objects.get(reverses=move)
    assert r.status_code == 302 and r["Location"] == reverse(
        "inventory:stock_move_detail", args=[reversal.pk]
    )
    again = web.post(reverse_url, follow=True).content.decode()
    assert "already been reversed" in again
    assert StockMove.objects.count() == 2
    assert stock_differences(company) == []


def test_a_transfer_is_written_shipped_and_received_from_its_pages(web, company, admin, printer, hz, sh):
    receive(company, admin, printer, hz, 8, "2050")
    form = {
        "from_warehouse": str(hz.pk),
        "to_warehouse": str(sh.pk),
        "note": "补货",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-product": str(printer.pk),
        "lines-0-quantity": "3",
        "lines-1-product": "",
        "lines-1-quantity": "",
    }
    assert web.get(reverse("inventory:transfer_create")).status_code == 200
    same = web.post(reverse("inventory:transfer_create"), {**form, "to_warehouse": str(hz.pk)})
    assert same.status_code == 400 and "Choose a warehouse other than the source." in same.content.decode()
    r = web.post(reverse("inventory:transfer_create"), form)
    transfer = Transfer.objects.get()
    assert r.status_code == 302 and transfer.lines.get().quantity == 3
    detail = reverse("inventory:transfer_detail", args=[transfer.pk])
    assert reverse("inventory:transfer_ship", args=[transfer.pk]) in web.get(detail).content.decode()
    assert web.get(reverse("inventory:transfer_edit", args=[transfer.pk])).status_code == 200
    web.post(reverse("inventory:transfer_ship", args=[transfer.pk]))
    page = web.get(detail).content.decode()
    assert reverse("inventory:transfer_receive", args=[transfer.pk]) in page and "In transit" in page
    web.post(reverse("inventory:transfer_receive", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.RECEIVED
    assert (
        transfer.number in web.get(reverse("inventory:transfer_list"), {"state": "received"}).content.decode()
    )
    assert stock_differences(company) == []


def test_shipping_without_stock_shows_the_reason_on_the_transfer(web, company, admin, printer, hz, sh):
    from heyi.inventory.services.transfers import TransferLineIn, transfer_create

    transfer = transfer_create(
        actor=admin,
        company=company,
        from_warehouse=hz,
        to_warehouse=sh,
        lines=[TransferLineIn(printer, D(2))],
    )
    page = web.post(reverse("inventory:transfer_ship", args=[transfer.pk]), follow=True).content.decode()
    assert "Only 0" in page
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.DRAFT


def test_a_count_is_started_counted_and_posted_and_says_when_stock_moved(web, company, admin, printer, hz):
    receive(company, admin, printer, hz, 10, "2050")
    r = web.post(
        reverse("inventory:stock_count_create"),
        {"warehouse": str(hz.pk), "note": "月末", "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0"},
    )
    count = StockCount.objects.get()
    assert r.status_code == 302
    detail = reverse("inventory:stock_count_detail", args=[count.pk])
    web.post(reverse("inventory:stock_count_start", args=[count.pk]))
    line = count.lines.get()
    assert line.system_quantity == 10
    stock_issue(
        actor=admin,
        company=company,
        origin=Origin("sales.delivery", "dn-1", "DN-2026-000001"),
        lines=[MoveLine(printer, hz, D(2))],
    )
    assert "Stock has moved since the snapshot" in web.get(detail).content.decode()
    edit = web.post(
        reverse("inventory:stock_count_edit", args=[count.pk]),
        {
            "note": "月末",
            "version": str(StockCount.objects.get().version),
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-0-product": str(printer.pk),
            "lines-0-counted_quantity": "9",
        },
    )
    assert edit.status_code == 302
    web.post(reverse("inventory:stock_count_post", args=[count.pk]))
    count.refresh_from_db()
    assert count.state == StockCount.State.POSTED
    line = count.lines.get()
    assert (line.posted_system_quantity, line.difference) == (D(8), D(1))
    page = web.get(detail).content.decode()
    assert "booked against the on hand at posting" in page and "2,050.00" in page
    assert stock_differences(company) == []


def test_a_salesperson_sees_counts_but_cannot_post_one(web, as_sales, company, admin, printer, hz):
    receive(company, admin, printer, hz, 10, "2050")
    from heyi.inventory.services.counts import CountLineIn, stock_count_create, stock_count_start

    count = stock_count_create(
        actor=admin, company=company, warehouse=hz, lines=[CountLineIn(printer, counted_quantity=D(1))]
    )
    stock_count_start(actor=admin, company=company, count=count)
    page = as_sales.get(reverse("inventory:stock_count_detail", args=[count.pk])).content.decode()
    assert reverse("inventory:stock_count_post", args=[count.pk]) not in page
    assert as_sales.post(reverse("inventory:stock_count_post", args=[count.pk])).status_code == 403
    count.refresh_from_db()
    assert count.state == StockCount.State.COUNTING
    assert stock_differences(company) == []


def test_batches_are_created_and_show_their_stock(web, company, admin, printer, hz):
    r = web.post(
        reverse("inventory:batch_create"),
        {"product": str(printer.pk), "code": "L2026-05", "expiry_date": "2027-05-31"},
    )
    assert r.status_code == 302
    from heyi.inventory.models import Batch

    batch = Batch.objects.get()
    receive(company, admin, printer, hz, 4, "2050", batch=batch)
    assert "L2026-05" in web.get(reverse("inventory:batch_list")).content.decode()
    page = web.get(reverse("inventory:batch_detail", args=[batch.pk])).content.decode()
    assert "HZ01" in page and "2027" in page
    bad = web.post(
        reverse("inventory:batch_create"),
        {
            "product": str(printer.pk),
            "code": "L2026-06",
            "manufactured_on": "2027-01-01",
            "expiry_date": "2026-01-01",
        },
    )
    assert bad.status_code == 400 and Batch.objects.count() == 1
    assert stock_differences(company) == []


def test_the_warehouse_page_lists_its_bins_and_adds_one(web, hz):
    page = web.get(reverse("inventory:warehouse_detail", args=[hz.pk])).content.decode()
    assert reverse("inventory:location_create", args=[hz.pk]) in page
    r = web.post(
        reverse("inventory:location_create", args=[hz.pk]), {"code": "A-01", "name": "A区", "is_active": "on"}
    )
    assert r.status_code == 302
    location = Location.objects.get()
    assert "A-01" in web.get(reverse("inventory:warehouse_detail", args=[hz.pk])).content.decode()
    duplicate = web.post(
        reverse("inventory:location_create", args=[hz.pk]), {"code": "A-01", "is_active": "on"}
    )
    assert duplicate.status_code == 400
    web.post(reverse("inventory:location_deactivate", args=[location.pk]))
    location.refresh_from_db()
    assert not location.is_active


def test_the_settings_page_is_for_the_admin(web, as_sales, company):
    assert as_sales.get(reverse("inventory:settings")).status_code == 403
    assert web.post(reverse("inventory:settings"), {"allow_negative_stock": "on"}).status_code == 302
    assert InventorySettings.objects.get(company=company).allow_negative_stock


def test_another_companys_stock_pages_are_404(company, admin, printer, hz, outsider):
    move = receive(company, admin, printer, hz, 1, "2050")
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("inventory:stock_move_detail", args=[move.pk])).status_code == 404
    assert client.post(reverse("inventory:stock_move_reverse", args=[move.pk])).status_code == 404
    assert "HZ01" not in client.get(reverse("inventory:stock_list")).content.decode()
    assert StockMove.objects.count() == 1


def test_the_demo_company_has_stock_a_transfer_on_its_way_a_posted_count_and_an_alert(db):
    from heyi.inventory.models import StockAlert, Warehouse
    from heyi.platform.demo import SECOND_CODE, load_demo
    from heyi.platform.models import Company

    company = load_demo()
    assert Transfer.objects.get(company=company).state == Transfer.State.IN_TRANSIT
    count = StockCount.objects.get(company=company)
    assert count.state == StockCount.State.POSTED
    assert sorted(line.difference for line in count.lines.all()) == [D(-2), D("3.5")]
    transit = Warehouse.objects.get(company=company, kind=Warehouse.Kind.TRANSIT)
    assert StockMove.objects.filter(company=company, warehouse=transit).count() == 2
    assert StockAlert.objects.filter(company=company, state="open", product__sku="PRJ-BQ-E580").exists()
    assert Location.objects.filter(company=company).count() == 5
    second = Company.objects.get(code=SECOND_CODE)
    assert StockMove.objects.filter(company=second).count() == 3
    assert stock_differences() == []
