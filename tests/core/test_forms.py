"""Date pickers show their pre-filled value in every language: <input type="date"> takes only ISO dates."""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.utils import translation

from core.forms import DateInput

APPS = ["core", "accounts", "members", "activities", "welfare", "finance"]


def _all_form_classes():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if module.name.rsplit(".", 1)[-1] == "forms":
                importlib.import_module(module.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [cls for cls in seen if cls.__module__.split(".")[0] in APPS]


def test_every_date_picker_of_the_portal_is_the_iso_one():
    offenders = [f"{cls.__module__}.{cls.__name__}.{name}"
                 for cls in _all_form_classes() for name, field in getattr(cls, "base_fields", {}).items()
                 if getattr(field.widget, "input_type", None) == "date" and not isinstance(field.widget, DateInput)]
    assert offenders == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_prefilled_date_renders_as_iso_in_every_language(language):
    class F(forms.Form):
        on = forms.DateField(widget=DateInput(), initial=datetime.date(2026, 12, 2))

    with translation.override(language):
        assert 'value="2026-12-02"' in str(F()["on"])
