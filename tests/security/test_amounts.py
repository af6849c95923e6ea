"""T13: amounts and quantities are decimal strings; anything else is a per-field 400."""

from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from heyi.platform.http.types import Money, Quantity, UnitPrice

from .figures import report
from .walker import api_client, body_for, openapi, operations, properties

BAD_ANYWHERE = [
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e309",
    "1e-309",
    "9" * 41,
    "12,50",
    "12.5.0",
    "abc",
    "",
    " ",
    "0x10",
    "1;DROP TABLE x",
    12.5,
    float("nan"),
    float("inf"),
    True,
    None,
    [],
    {"amount": "1"},
]


@pytest.mark.parametrize("value", BAD_ANYWHERE, ids=repr)
@pytest.mark.parametrize("kind", [Money, UnitPrice, Quantity], ids=["Money", "UnitPrice", "Quantity"])
def test_t13_not_a_decimal_string_is_refused(kind, value):
    with pytest.raises(ValidationError):
        TypeAdapter(kind).validate_python(value)


@pytest.mark.parametrize(
    "kind,value",
    [
        (Money, "12.345"),  # a fen has two places
        (Money, "-0.01"),
        (Money, "-5"),
        (Money, "1000000000000.00"),  # 13 digits before the point; Money has 12
        (UnitPrice, "1.1234567"),
        (Quantity, "-1"),
        (Quantity, "0.00001"),
        (Quantity, "1000000000000.0000"),
    ],
)
def test_t13_too_many_digits_or_places_and_negatives_are_refused(kind, value):
    with pytest.raises(ValidationError):
        TypeAdapter(kind).validate_python(value)


def test_t13_json_numbers_out_of_range_or_as_floats_are_refused():
    for text in ("1e309", "12.5", "NaN", "Infinity"):
        with pytest.raises(ValidationError):
            TypeAdapter(Money).validate_json(text)


def test_t13_good_amounts_are_decimals_and_travel_back_as_strings():
    money = TypeAdapter(Money)
    assert money.validate_python("12.50") == Decimal("12.50")
    assert money.validate_python(" 3.1 ") == Decimal("3.10")
    assert money.validate_python("12.500") == Decimal("12.50")  # a trailing zero is no extra fen
    assert money.validate_python(7) == Decimal("7.00")
    assert money.dump_python(Decimal("3.1")) == "3.10"
    assert money.dump_json(Decimal("999999999999.99")) == b'"999999999999.99"'
    assert TypeAdapter(Quantity).validate_python("0.0001") == Decimal("0.0001")


BAD_OVER_API = ["NaN", "Infinity", "1e309", "-1", "abc", 12.5]


def _too_precise(schema: dict) -> str:
    """One decimal place more than the field's example shows."""
    places = len(str(schema.get("example", "1")).partition(".")[2])
    return "1." + "1" * (places + 1)


def test_t13_every_decimal_field_of_the_api_refuses_bad_amounts_by_name(demo):
    doc = openapi()
    client = api_client(demo.admin, demo.a)
    probes, problems, fields_seen = 0, [], set()
    for op in operations(doc):
        if op.method not in ("post", "put", "patch") or op.params or op.body_schema is None:
            continue
        decimal_fields = [
            name
            for name, schema in properties(op.body_schema, doc).items()
            if schema.get("type") == "string" and str(schema.get("pattern", "")).endswith(r"(\.\d+)?$")
        ]
        for name in decimal_fields:
            fields_seen.add(f"{op.path}.{name}")
            schema = properties(op.body_schema, doc)[name]
            for value in [*BAD_OVER_API, _too_precise(schema)]:
                if value == "-1" and "-?" in schema.get("pattern", ""):
                    continue
                body = body_for(op, doc) | {name: value}
                response = client._call(op.method, op.path, body)
                probes += 1
                fields = (
                    response.json().get("error", {}).get("fields", {}) if response.status_code == 400 else {}
                )
                if response.status_code != 400 or not any(name in key for key in fields):
                    problems.append(
                        f"{op} {name}={value!r}: {response.status_code} {response.content[:120]!r}"
                    )
    if not fields_seen:
        pytest.skip("no API operation takes an amount or a quantity yet")
    report(
        f"T13 amounts over the API: {probes} bad values into {len(fields_seen)} decimal fields, {len(problems)} let through"
    )
    assert not problems, "\n".join(problems[:30])
