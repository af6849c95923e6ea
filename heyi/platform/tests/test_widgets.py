"""A date picker keeps its value in every language."""

import datetime

import pytest
from django import forms
from django.utils import translation

from heyi.platform.widgets import DateInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_date_picker_shows_and_takes_back_an_iso_date(language):
    with translation.override(language):
        html = str(_Form(initial={"day": datetime.date(2026, 11, 28)})["day"])
        assert 'type="date"' in html and 'value="2026-11-28"' in html
        sent = _Form({"day": "2026-11-28"})
        assert sent.is_valid() and sent.cleaned_data["day"] == datetime.date(2026, 11, 28)
