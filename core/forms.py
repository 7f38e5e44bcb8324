"""Form pieces every app uses."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker. ``<input type="date">`` accepts only ISO dates (2026-12-02), whatever the page's
    language: a localized value (2026/12/02 in Chinese) is rejected and the field shows up empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)
