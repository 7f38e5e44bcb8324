"""Money everywhere in the portal: sums to the fen (half up, DOMAIN §2), the one way an amount is printed,
and the one check that an amount is a sum in yuan and fen."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def to_fen(amount) -> Decimal:
    """An amount to the fen, half up (DOMAIN §2); also tidies SQLite's sums of decimals, which come back with
    stray digits."""
    return Decimal(amount or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount, *, blank_zero=False) -> str:
    """1234.5 → "1,234.50": how pages, messages and the books print a sum in yuan (always two decimals,
    thousands separated); None, and zero with ``blank_zero`` (debit/credit columns), print as ""."""
    if amount is None or (blank_zero and not amount):
        return ""
    return f"{to_fen(amount):,.2f}"


def check_fen(amount, *, positive=True, signed=False, message=None, code=None) -> Decimal:
    """`amount` as a Decimal if it is a sum in yuan and fen: above zero (``positive``), at least zero
    (``positive=False``) or of either sign (``signed=True``). Otherwise raises ValidationError with `message`
    (the caller's wording) or a general one."""
    value = Decimal(amount)
    below = False if signed else (value <= 0 if positive else value < 0)
    if below or value != value.quantize(CENT):
        raise ValidationError(message or _("The amount must be a positive sum in yuan and fen."), code=code)
    return value


def money_column(model, name):
    """An admin column or read-only field printing `model`'s field `name` through money(), under the field's own
    name and sorted by it: ``total_paid_money = money_column(DuesImport, "total_paid")``, then "total_paid_money" in
    list_display or readonly_fields (cells named …_money are right-aligned by the console's list styles)."""

    def column(model_admin, obj):
        return money(getattr(obj, name))

    column.short_description = model._meta.get_field(name).verbose_name
    column.admin_order_field = name
    return column


class MoneyAdminMixin:
    """A ModelAdmin or inline whose `money_fields` (model field names) print through money() in the list and
    wherever they are read-only (a read-only field, a view-only visitor); inputs stay plain decimals."""

    money_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.money_fields:
            setattr(self, f"{name}_money", money_column(self.model, name).__get__(self))

    def _as_money(self, names, shown_readonly=None):
        return list(dict.fromkeys(f"{name}_money" if name in self.money_fields
                                  and (shown_readonly is None or f"{name}_money" in shown_readonly) else name
                                  for name in names))

    def get_list_display(self, request):
        return self._as_money(super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        names = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            names += self.money_fields  # a view-only visitor: every field shown is read-only (an add page is not)
        return self._as_money(names)

    def get_fields(self, request, obj=None):
        return self._as_money(super().get_fields(request, obj), self.get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        if not self.fieldsets:
            return super().get_fieldsets(request, obj)  # from get_fields
        readonly = self.get_readonly_fields(request, obj)
        return [(title, {**options, "fields": [tuple(self._as_money(line, readonly)) if isinstance(line, (list, tuple))
                                               else self._as_money([line], readonly)[0]
                                               for line in options["fields"]]})
                for title, options in super().get_fieldsets(request, obj)]
