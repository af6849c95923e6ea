"""Stock through the API: levels, the ledger, batches, bins, transfers, counts, alerts, settings."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from heyi.inventory.models import (
    InventorySettings,
    Location,
    StockAlert,
    StockCount,
    StockMove,
    Transfer,
    Warehouse,
)
from heyi.inventory.selectors import stock_differences
from heyi.inventory.services.batches import batch_create
from heyi.inventory.services.ledger import MoveLine, Origin, stock_issue
from heyi.inventory.services.warehouses import special_warehouse
from heyi.platform.models import AuditEntry

from .factories import make_product, make_warehouse, receive

D = Decimal


@pytest.fixture
def printer(company, admin):
    return make_product(company, admin, "PRN-HP-M403", "惠普激光打印机 M403dn", safety_stock=D(5))


@pytest.fixture
def hz(company, admin):
    return make_warehouse(company, admin, "HZ01", priority=1)


@pytest.fixture
def sh(company, admin):
    return make_warehouse(company, admin, "SH01", priority=2)


@pytest.fixture
def stocked(company, admin, printer, hz, sh):
    receive(company, admin, printer, hz, 8, "2050")
    receive(company, admin, printer, sh, 4, "2110")
    return printer


def test_warehouses_take_a_kind_and_a_priority_and_only_the_priority_changes(api):
    r = api.post("/warehouses", {"code": "QC", "name": "待检区", "kind": "quarantine", "priority": 50})
    assert r.status_code == 201
    body = r.json()
    assert (body["kind"], body["priority"]) == ("quarantine", 50)
    assert api.post("/warehouses", {"code": "B", "name": "坏", "kind": "moon"}).status_code == 400
    patched = api.patch(f"/warehouses/{body['id']}", {"version": 1, "priority": 5, "kind": "stock"}).json()
    assert (patched["kind"], patched["priority"], patched["version"]) == ("quarantine", 5, 2)
    assert [w["code"] for w in api.get("/warehouses", kind="quarantine").json()["items"]] == ["QC"]


def test_locations_of_a_warehouse(api, hz, sh, api_as, outsider, other_company):
    r = api.post(f"/warehouses/{hz.pk}/locations", {"code": "A-01-01", "name": "A区1排1层"})
    assert r.status_code == 201
    location = r.json()
    assert location["warehouse"] == "HZ01"
    assert api.post("/locations", {"warehouse_id": str(sh.pk), "code": "A-01-01"}).status_code == 201
    duplicate = api.post("/locations", {"warehouse_id": str(hz.pk), "code": "A-01-01"})
    assert duplicate.status_code == 400 and "code" in duplicate.json()["error"]["fields"]
    assert [x["code"] for x in api.get(f"/warehouses/{hz.pk}/locations").json()["items"]] == ["A-01-01"]
    assert api.get("/locations", warehouse=str(sh.pk)).json()["count"] == 1
    url = f"/locations/{location['id']}"
    assert api.patch(url, {"version": 1, "name": "A区"}).json()["version"] == 2
    assert api.patch(url, {"version": 1, "name": "旧"}).status_code == 409
    assert api.post(f"{url}/deactivate").json()["is_active"] is False
    theirs = api_as(outsider, other_company)
    their_wh = theirs.post("/warehouses", {"code": "X", "name": "外仓"}).json()
    assert api.post("/locations", {"warehouse_id": their_wh["id"], "code": "Z"}).status_code == 400
    assert theirs.get(url).status_code == 404
    assert theirs.post(f"/warehouses/{hz.pk}/locations", {"code": "Z"}).status_code == 404
    assert Location.objects.filter(company=other_company).count() == 0


def test_settings_are_read_by_the_team_and_changed_by_the_admin_only(api, api_as, sales, company):
    assert api.get("/inventory-settings").json() == {"allow_negative_stock": False}
    r = api.patch("/inventory-settings", {"allow_negative_stock": True})
    assert r.json() == {"allow_negative_stock": True}
    assert InventorySettings.objects.get(company=company).allow_negative_stock
    assert AuditEntry.objects.filter(
        company=company, object_type="inventory.inventorysettings", action="update"
    ).exists()
    salesperson = api_as(sales, company)
    assert salesperson.get("/inventory-settings").status_code == 200
    assert salesperson.patch("/inventory-settings", {"allow_negative_stock": False}).status_code == 403
    assert InventorySettings.objects.get(company=company).allow_negative_stock


def test_stock_rows_per_product_and_warehouse_and_one_products_figures(api, stocked, hz, sh, company, admin):
    special_warehouse(company=company, kind=Warehouse.Kind.TRANSIT)
    rows = api.get("/stock").json()["items"]
    assert [(r["warehouse"]["code"], r["on_hand"], r["reserved"], r["available"]) for r in rows] == [
        ("HZ01", "8.0000", "0.0000", "8.0000"),
        ("SH01", "4.0000", "0.0000", "4.0000"),
    ]
    assert rows[0]["product"]["code"] == "PRN-HP-M403" and rows[0]["id"] == str(stocked.pk)
    only_sh = api.get("/stock", warehouse=str(sh.pk), product=str(stocked.pk)).json()
    assert only_sh["count"] == 1 and only_sh["items"][0]["on_hand"] == "4.0000"
    assert api.get("/stock", q="hp").json()["count"] == 2
    assert [r["warehouse"]["code"] for r in api.get("/stock", ordering="-on_hand").json()["items"]] == [
        "HZ01",
        "SH01",
    ]
    assert api.get("/stock", ordering="on_hand desc").status_code == 400
    detail = api.get(f"/stock/{stocked.pk}").json()
    assert (detail["on_hand"], detail["available"]) == ("12.0000", "12.0000")
    assert len(detail["warehouses"]) == 2
    assert stock_differences(company) == []


def test_another_companys_stock_is_not_found(api, api_as, stocked, hz, outsider, other_company):
    theirs = api_as(outsider, other_company)
    assert theirs.get(f"/stock/{stocked.pk}").status_code == 404
    assert theirs.get("/stock").json()["count"] == 0
    bad = theirs.get("/stock", product=str(stocked.pk))
    assert bad.status_code == 400 and "product" in bad.json()["error"]["fields"]
    assert theirs.get("/stock-moves").json()["count"] == 0
    assert theirs.get("/stock-moves", warehouse=str(hz.pk)).status_code == 400


def test_the_ledger_is_listed_with_filters_and_a_move_shows_its_final_cost(api, company, admin, printer, hz):
    week_ago = timezone.now() - datetime.timedelta(days=7)
    receive(company, admin, printer, hz, 10, "2000", when=week_ago)
    (out,) = stock_issue(
        actor=admin,
        company=company,
        origin=Origin("sales.delivery", "dn-1", "DN-2026-000001"),
        lines=[MoveLine(printer, hz, D(5))],
        occurred_at=week_ago + datetime.timedelta(days=2),
    )
    receive(company, admin, printer, hz, 10, "2600", when=week_ago + datetime.timedelta(days=1))

    moves = api.get("/stock-moves", product=str(printer.pk)).json()
    assert moves["count"] == 3
    assert [m["kind"] for m in api.get("/stock-moves", kind="delivery").json()["items"]] == ["delivery"]
    assert api.get("/stock-moves", reference="DN-2026").json()["count"] == 1
    today = timezone.localdate()
    assert api.get("/stock-moves", date_from=str(today)).json()["count"] == 0
    assert (
        api.get("/stock-moves", date_from=str(today - datetime.timedelta(days=7)), date_to=str(today)).json()[
            "count"
        ]
        == 3
    )
    assert api.get("/stock-moves", kind="gift").status_code == 400
    assert api.get("/stock-moves", ordering="value;drop table").status_code == 400

    detail = api.get(f"/stock-moves/{out.pk}").json()
    assert detail["value"] == "-10000.00"
    # the back-dated receipt makes the average on the delivery's date (10 x 2000 + 10 x 2600) / 20
    assert [a["amount"] for a in detail["cost_adjustments"]] == ["-1500.00"]
    assert detail["effective_value"] == "-11500.00"
    assert stock_differences(company) == []


def test_a_move_is_reversed_once_by_the_warehouse_and_never_by_sales(
    api, api_as, sales, company, admin, printer, hz
):
    move = receive(company, admin, printer, hz, 3, "2050")
    assert api_as(sales, company).post(f"/stock-moves/{move.pk}/reverse").status_code == 403
    r = api.post(f"/stock-moves/{move.pk}/reverse")
    assert r.status_code == 201
    body = r.json()
    assert (body["kind"], body["quantity"], body["value"], body["reverses_id"]) == (
        "reversal",
        "-3.0000",
        "-6150.00",
        str(move.pk),
    )
    assert api.get(f"/stock-moves/{move.pk}").json()["reversed_by_id"] == body["id"]
    again = api.post(f"/stock-moves/{move.pk}/reverse")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_reversed"
    assert StockMove.objects.filter(company=company).count() == 2
    assert stock_differences(company) == []


def test_batches_with_their_stock_per_warehouse(
    api, company, admin, printer, hz, sh, other_company, outsider
):
    r = api.post("/batches", {"product_id": str(printer.pk), "code": "L2026-03", "expiry_date": "2027-03-31"})
    assert r.status_code == 201
    batch = r.json()
    assert batch["on_hand"] == "0.0000" and batch["stock"] == []
    lot = batch_create(actor=admin, company=company, product=printer, code="L2026-01")
    receive(company, admin, printer, hz, 5, "2050", batch=lot)
    receive(company, admin, printer, sh, 2, "2050", batch=lot)
    listed = api.get("/batches", product=str(printer.pk)).json()["items"]
    assert [b["code"] for b in listed] == ["L2026-03", "L2026-01"], "the one that expires first first"
    mine = api.get(f"/batches/{lot.pk}").json()
    assert mine["on_hand"] == "7.0000"
    assert [(s["warehouse"], s["on_hand"]) for s in mine["stock"]] == [("HZ01", "5.0000"), ("SH01", "2.0000")]
    duplicate = api.post("/batches", {"product_id": str(printer.pk), "code": "L2026-01"})
    assert duplicate.status_code == 400 and "code" in duplicate.json()["error"]["fields"]
    theirs = make_product(other_company, outsider, "X-1")
    foreign = api.post("/batches", {"product_id": str(theirs.pk), "code": "Z"})
    assert foreign.status_code == 400 and "product_id" in foreign.json()["error"]["fields"]
    assert api.get(f"/batches/{lot.pk}", headers={}).status_code == 200
    from conftest import ApiClient

    assert ApiClient(outsider, other_company).get(f"/batches/{lot.pk}").status_code == 404
    assert stock_differences(company) == []


def test_a_transfer_through_the_api_ships_and_receives(api, company, stocked, hz, sh):
    r = api.post(
        "/transfers",
        {
            "from_warehouse_id": str(hz.pk),
            "to_warehouse_id": str(sh.pk),
            "note": "补货",
            "lines": [{"product_id": str(stocked.pk), "quantity": "3"}],
        },
    )
    assert r.status_code == 201
    transfer = r.json()
    assert transfer["state"] == "draft" and transfer["lines"][0]["quantity"] == "3.0000"
    url = f"/transfers/{transfer['id']}"
    patched = api.patch(url, {"version": 1, "lines": [{"product_id": str(stocked.pk), "quantity": "2"}]})
    assert patched.json()["version"] == 2
    stale = api.patch(url, {"version": 1, "note": "旧"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert api.post(f"{url}/ship").json()["state"] == "in_transit"
    assert api.post(f"{url}/cancel").status_code == 409
    assert api.post(f"{url}/receive").json()["state"] == "received"
    figures = {r["warehouse"]["code"]: r["on_hand"] for r in api.get("/stock").json()["items"]}
    assert figures == {"HZ01": "6.0000", "SH01": "6.0000"}
    assert api.get("/transfers", state="received").json()["count"] == 1
    assert api.get("/stock-moves", reference=transfer["number"]).json()["count"] == 4
    assert stock_differences(company) == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"quantity": "0"}, "lines[0].quantity"),
        ({"quantity": "-2"}, "lines[0].quantity"),
        ({"quantity": "1e309"}, "lines[0].quantity"),
        ({"same": True}, "to_warehouse_id"),
        ({"foreign": "product"}, "lines[0].product_id"),
        ({"foreign": "warehouse"}, "to_warehouse_id"),
        ({"foreign": "batch"}, "lines[0].batch_id"),
    ],
)
def test_bad_transfers_get_400_and_nothing_is_written(
    api, company, stocked, hz, sh, other_company, outsider, change, field
):
    their_product = make_product(other_company, outsider, "X-1")
    their_warehouse = make_warehouse(other_company, outsider, "X")
    their_batch = batch_create(actor=outsider, company=other_company, product=their_product, code="B")
    line = {"product_id": str(stocked.pk), "quantity": change.get("quantity", "1")}
    if change.get("foreign") == "product":
        line["product_id"] = str(their_product.pk)
    if change.get("foreign") == "batch":
        line["batch_id"] = str(their_batch.pk)
    to = (
        their_warehouse.pk
        if change.get("foreign") == "warehouse"
        else (hz.pk if change.get("same") else sh.pk)
    )
    r = api.post("/transfers", {"from_warehouse_id": str(hz.pk), "to_warehouse_id": str(to), "lines": [line]})
    assert r.status_code == 400
    assert field in r.json()["error"]["fields"]
    assert not Transfer.objects.exists()
    assert stock_differences(company) == []


def test_a_count_through_the_api_posts_a_gain_and_a_loss(api, api_as, sales, company, admin, stocked, hz):
    paper = make_product(company, admin, "CON-A4-70G", "A4复印纸")
    receive(company, admin, paper, hz, 100, "16.8")
    r = api.post(
        "/stock-counts",
        {
            "warehouse_id": str(hz.pk),
            "lines": [{"product_id": str(stocked.pk)}, {"product_id": str(paper.pk)}],
        },
    )
    assert r.status_code == 201
    count = r.json()
    url = f"/stock-counts/{count['id']}"
    assert [line["system_quantity"] for line in count["lines"]] == ["8.0000", "100.0000"]
    started = api.post(f"{url}/start").json()
    assert started["state"] == "counting"
    counted = api.patch(
        url,
        {
            "version": started["version"],
            "lines": [
                {"product_id": str(stocked.pk), "counted_quantity": "9"},
                {"product_id": str(paper.pk), "counted_quantity": "96"},
            ],
        },
    )
    assert counted.status_code == 200
    assert api.patch(url, {"version": started["version"], "note": "旧"}).status_code == 409
    assert api_as(sales, company).post(f"{url}/post").status_code == 403
    posted = api.post(f"{url}/post").json()
    assert posted["state"] == "posted"
    assert [(x["difference"], x["value"]) for x in posted["lines"]] == [
        ("1.0000", "2070.00"),  # at the average of 8 x 2050 and 4 x 2110
        ("-4.0000", "-67.20"),
    ]
    assert api.post(f"{url}/cancel").status_code == 409
    assert api.get("/stock-moves", kind="adjustment").json()["count"] == 2
    assert StockCount.objects.get().state == "posted"
    assert stock_differences(company) == []


def test_bad_counts_get_400(api, company, admin, stocked, hz, other_company, outsider):
    their_product = make_product(other_company, outsider, "X-1")
    their_warehouse = make_warehouse(other_company, outsider, "X")
    cases = [
        ({"warehouse_id": str(their_warehouse.pk)}, "warehouse_id"),
        (
            {"warehouse_id": str(hz.pk), "lines": [{"product_id": str(their_product.pk)}]},
            "lines[0].product_id",
        ),
        (
            {
                "warehouse_id": str(hz.pk),
                "lines": [{"product_id": str(stocked.pk), "counted_quantity": "-1"}],
            },
            "lines[0].counted_quantity",
        ),
    ]
    for payload, field in cases:
        r = api.post("/stock-counts", payload)
        assert r.status_code == 400, payload
        assert field in r.json()["error"]["fields"]
    assert not StockCount.objects.exists()


def test_alerts_are_listed_by_state_and_hidden_from_other_companies(
    api, company, admin, printer, hz, api_as, outsider, other_company
):
    receive(company, admin, printer, hz, 2, "2050")
    alerts = api.get("/stock-alerts", state="open").json()
    assert alerts["count"] == 1
    alert = alerts["items"][0]
    assert (alert["product"]["code"], alert["available"], alert["safety_stock"]) == (
        "PRN-HP-M403",
        "2.0000",
        "5.0000",
    )
    assert api.get(f"/stock-alerts/{alert['id']}").json()["state"] == "open"
    receive(company, admin, printer, hz, 10, "2050")
    assert api.get("/stock-alerts", state="open").json()["count"] == 0
    assert api.get("/stock-alerts", state="closed").json()["count"] == 1
    assert api_as(outsider, other_company).get(f"/stock-alerts/{alert['id']}").status_code == 404
    assert StockAlert.objects.filter(company=company).count() == 1
    assert stock_differences(company) == []
