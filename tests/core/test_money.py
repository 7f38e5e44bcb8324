"""The one check that an amount is a sum in yuan and fen."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.money import check_fen, to_fen


def test_check_fen_takes_positive_sums_in_fen():
    assert check_fen("12.30") == Decimal("12.30")
    for bad in ("0", "-1.00", "1.001"):
        with pytest.raises(ValidationError):
            check_fen(bad)


def test_check_fen_may_allow_zero_or_either_sign():
    assert check_fen("0", positive=False) == 0
    with pytest.raises(ValidationError):
        check_fen("-0.01", positive=False)
    assert check_fen("-5.00", signed=True) == Decimal("-5.00")
    with pytest.raises(ValidationError):
        check_fen("-5.005", signed=True)


def test_check_fen_keeps_the_callers_message_and_code():
    with pytest.raises(ValidationError) as raised:
        check_fen("1.234", message="Enter the amount paid in yuan and fen.", code="amount")
    assert raised.value.messages == ["Enter the amount paid in yuan and fen."] and raised.value.code == "amount"


def test_to_fen():
    assert to_fen(None) == Decimal("0.00") and to_fen(Decimal("1.2300000001")) == Decimal("1.23")


def test_money_column_prints_a_model_field_through_money_and_sorts_by_it():
    from types import SimpleNamespace

    from core.money import money_column
    from finance.models import DuesImport

    column = money_column(DuesImport, "total_paid")
    assert column(None, SimpleNamespace(total_paid=Decimal("2303.8"))) == "2,303.80"
    assert column(None, SimpleNamespace(total_paid=None)) == ""
    assert column.admin_order_field == "total_paid" and column.short_description == DuesImport._meta.get_field("total_paid").verbose_name


def test_money_admin_prints_amounts_in_the_list_and_read_only_fields(db):
    from django.contrib import admin
    from django.contrib.admin import site
    from django.test import RequestFactory

    from core.money import MoneyAdminMixin
    from finance.models import DuesImport

    class Admin(MoneyAdminMixin, admin.ModelAdmin):
        money_fields = ("total_paid",)
        list_display = ("year", "total_paid")
        readonly_fields = ("total_paid",)

    request = RequestFactory().get("/")
    request.user = type("U", (), {"has_perm": lambda *a: True, "is_active": True, "is_staff": True})()
    model_admin = Admin(DuesImport, site)
    assert model_admin.get_list_display(request) == ["year", "total_paid_money"]
    assert "total_paid_money" in model_admin.get_readonly_fields(request)
    fields = model_admin.get_fields(request)
    assert "total_paid_money" in fields and "total_paid" not in fields
    assert model_admin.total_paid_money(DuesImport(total_paid=Decimal("12345.6"))) == "12,345.60"


def test_money_admin_leaves_the_amount_an_input_on_an_add_page(db):
    from django.contrib import admin
    from django.contrib.admin import site
    from django.test import RequestFactory

    from core.money import MoneyAdminMixin
    from finance.models import DuesImport

    class Admin(MoneyAdminMixin, admin.ModelAdmin):
        money_fields = ("total_paid",)
        fields = ("year", "total_paid")

        def has_change_permission(self, request, obj=None):
            return False

    request = RequestFactory().get("/")
    model_admin = Admin(DuesImport, site)
    assert model_admin.get_fields(request) == ["year", "total_paid"]
    assert model_admin.get_fields(request, DuesImport(total_paid=1)) == ["year", "total_paid_money"]
