"""Converting quantities between units, checked against sums done by hand."""

from decimal import Decimal

import pytest

from heyi.catalog.errors import UnitNotConvertible
from heyi.catalog.selectors import unit_convert
from heyi.catalog.services.units import unit_create


def test_kilograms_and_grams_convert_through_their_ratios(units):
    assert unit_convert(Decimal("2.5"), units["kg"], units["g"]) == Decimal("2500.0000")
    assert unit_convert(Decimal("750"), units["g"], units["kg"]) == Decimal("0.7500")
    assert unit_convert(Decimal("1"), units["g"], units["g"]) == Decimal("1.0000")


def test_boxes_and_pieces_convert_through_the_products_packaging(printer, units):
    # 3 boxes of 12 printers = 36 printers; 30 printers = 2.5 boxes; 1 printer = 1/12 box = 0.0833
    assert unit_convert(Decimal("3"), units["box"], units["pcs"], printer) == Decimal("36.0000")
    assert unit_convert(Decimal("30"), units["pcs"], units["box"], printer) == Decimal("2.5000")
    assert unit_convert(Decimal("1"), units["pcs"], units["box"], printer) == Decimal("0.0833")


def test_a_box_without_a_product_is_not_guessed(units):
    with pytest.raises(UnitNotConvertible):
        unit_convert(Decimal("1"), units["box"], units["pcs"])


def test_pieces_never_become_kilograms(printer, units):
    for product in (None, printer):
        with pytest.raises(UnitNotConvertible) as caught:
            unit_convert(Decimal("1"), units["pcs"], units["kg"], product)
        assert caught.value.code == "unit_not_convertible"
        assert caught.value.status == 422


def test_a_product_sold_by_weight_converts_grams_to_its_boxes(company, admin, units):
    from heyi.catalog.services.products import product_create, product_unit_create

    tea = product_create(actor=admin, company=company, sku="TEA-1", name="龙井", base_unit=units["kg"])
    product_unit_create(actor=admin, company=company, product=tea, unit=units["box"], factor=Decimal("0.25"))
    # one box holds 0.25 kg = 250 g, so 1000 g fill 4 boxes
    assert unit_convert(Decimal("1000"), units["g"], units["box"], tea) == Decimal("4.0000")
    assert unit_convert(Decimal("2"), units["box"], units["g"], tea) == Decimal("500.0000")


def test_units_of_another_company_do_not_mix(units, other_company, outsider):
    foreign = unit_create(
        actor=outsider, company=other_company, code="kg", name="千克", category="weight", ratio=1
    )
    with pytest.raises(UnitNotConvertible):
        unit_convert(Decimal("1"), foreign, units["g"])


def test_the_api_converts_and_refuses_with_422(api, printer, units):
    r = api.get(
        "/unit-conversion",
        quantity="3",
        from_unit_id=str(units["box"].pk),
        to_unit_id=str(units["pcs"].pk),
        product_id=str(printer.pk),
    )
    assert r.status_code == 200
    assert r.json() == {"quantity": "36.0000"}
    r = api.get(
        "/unit-conversion", quantity="1", from_unit_id=str(units["pcs"].pk), to_unit_id=str(units["kg"].pk)
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unit_not_convertible"
