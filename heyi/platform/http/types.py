"""Field types of the API: money and quantities travel as decimal strings, checked strictly."""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema


def _decimal_parser(places: int, max_digits: int, allow_negative: bool):
    def parse(value: Any) -> Decimal:
        if isinstance(value, bool) or isinstance(value, float):
            raise ValueError('send the amount as a string, such as "12.50"')
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, str):
            text = value.strip()
            if not text or len(text) > 40:
                raise ValueError("not a decimal number")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ValueError("not a decimal number")
        else:
            raise ValueError("not a decimal number")
        if not number.is_finite():
            raise ValueError("not a finite number")
        if number.adjusted() >= max_digits - places:
            raise ValueError(f"at most {max_digits - places} digits before the decimal point")
        exponent = number.as_tuple().exponent
        if (
            isinstance(exponent, int)
            and exponent < -places
            and number != number.quantize(Decimal(1).scaleb(-places))
        ):
            raise ValueError(f"at most {places} decimal places")
        number = number.quantize(Decimal(1).scaleb(-places))
        if len(number.as_tuple().digits) > max_digits:
            raise ValueError(f"at most {max_digits - places} digits before the decimal point")
        if number < 0 and not allow_negative:
            raise ValueError("must not be negative")
        return number

    return parse


def decimal_type(places: int, max_digits: int, allow_negative: bool = False) -> Any:
    pattern = r"^-?\d+(\.\d+)?$" if allow_negative else r"^\d+(\.\d+)?$"
    return Annotated[
        Decimal,
        BeforeValidator(_decimal_parser(places, max_digits, allow_negative)),
        PlainSerializer(lambda d: f"{d:.{places}f}", return_type=str, when_used="always"),
        WithJsonSchema(
            {"type": "string", "pattern": pattern, "example": "1" + ("." + "0" * places if places else "")}
        ),
    ]


Money = decimal_type(2, 14)
UnitPrice = decimal_type(6, 18)
Quantity = decimal_type(4, 16)
Rate = decimal_type(4, 6)
