"""Form widgets every app's pages share."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (2026-11-28): rendered in the
    language's format instead (2026/11/28 in Chinese) the browser shows an empty field and
    sends nothing back."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
