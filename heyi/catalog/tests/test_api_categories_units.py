"""Categories and units through the API."""

from heyi.catalog.models import Category, Unit


def test_category_tree_through_the_api(api):
    root = api.post("/product-categories", {"name": "电子元器件", "code": "EC"}).json()
    child = api.post("/product-categories", {"name": "电阻", "parent_id": root["id"]})
    assert child.status_code == 201
    assert child.json()["parent_id"] == root["id"]
    dup = api.post("/product-categories", {"name": "电阻", "parent_id": root["id"]})
    assert dup.status_code == 400
    assert "name" in dup.json()["error"]["fields"]
    cycle = api.patch(f"/product-categories/{root['id']}", {"version": 1, "parent_id": child.json()["id"]})
    assert cycle.status_code == 400
    assert "parent" in cycle.json()["error"]["fields"]
    assert api.get("/product-categories", parent_id=root["id"]).json()["count"] == 1
    assert api.get("/product-categories", q="dianzu").json()["items"][0]["name"] == "电阻"
    assert api.delete(f"/product-categories/{root['id']}").status_code == 409
    assert Category.objects.count() == 2


def test_category_stale_version_and_foreign_ids(api, api_as, outsider, other_company):
    cat = api.post("/product-categories", {"name": "服务"}).json()
    assert api.patch(f"/product-categories/{cat['id']}", {"version": 1, "name": "服务类"}).status_code == 200
    assert api.patch(f"/product-categories/{cat['id']}", {"version": 1, "name": "旧"}).status_code == 409
    theirs = api_as(outsider, other_company)
    assert theirs.get(f"/product-categories/{cat['id']}").status_code == 404
    assert theirs.delete(f"/product-categories/{cat['id']}").status_code == 404
    r = theirs.post("/product-categories", {"name": "子类", "parent_id": cat["id"]})
    assert r.status_code == 400
    assert Category.objects.filter(name="子类").count() == 0


def test_units_through_the_api(api, api_as, outsider, other_company):
    kg = api.post("/units", {"code": "kg", "name": "千克", "category": "weight", "ratio": "1"})
    assert kg.status_code == 201
    g = api.post("/units", {"code": "g", "name": "克", "category": "weight", "ratio": "0.001"}).json()
    assert g["ratio"] == "0.001000000000"
    box = api.post("/units", {"code": "box", "name": "箱", "category": "count"}).json()
    assert box["ratio"] is None
    assert (
        api.post("/units", {"code": "kg", "name": "公斤", "category": "weight", "ratio": "1"}).status_code
        == 400
    )
    assert api.post("/units", {"code": "x", "name": "x", "category": "mass", "ratio": "1"}).status_code == 400
    assert (
        api.post("/units", {"code": "y", "name": "y", "category": "weight", "ratio": "-1"}).status_code == 400
    )
    assert [u["code"] for u in api.get("/units", category="weight", ordering="code").json()["items"]] == [
        "g",
        "kg",
    ]
    assert api.patch(f"/units/{g['id']}", {"version": 1, "name": "克(g)"}).json()["version"] == 2
    assert api.patch(f"/units/{g['id']}", {"version": 1, "name": "旧"}).status_code == 409
    theirs = api_as(outsider, other_company)
    assert theirs.get(f"/units/{g['id']}").status_code == 404
    assert theirs.get("/units").json()["count"] == 0
    assert api.delete(f"/units/{box['id']}").status_code == 204
    assert Unit.objects.count() == 2
