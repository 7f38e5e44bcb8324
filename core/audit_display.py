"""How an audit entry's changes read in the admin: django-auditlog's own rendering prints the stored field names of
reverse relations ("union_groups"), Python's "None" for an empty side and "members.UnionGroup.None" for a related
manager, and its m2m operations in English. Here each field goes by its model's (translated) name."""

import re

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db.models import ForeignObjectRel
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

EMPTY = "—"
#: auditlog's text for a reverse relation's manager on a new object: "members.UnionGroup.None".
_MANAGER_REPR = re.compile(r"^\w+\.\w+\.None$")
OPERATIONS = {"add": pgettext_lazy("audit m2m", "add"), "remove": pgettext_lazy("audit m2m", "remove"),
              "clear": pgettext_lazy("audit m2m", "clear")}


def field_label(model, name):
    """A changed field's own (translated) name; the stored name for a field the model no longer has."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 — FieldDoesNotExist, or a model that is gone (model is None)
        return name
    if isinstance(field, ForeignObjectRel):
        return str(field.related_model._meta.verbose_name_plural)
    if isinstance(field, GenericForeignKey):
        return _(name)  # a generic relation takes no verbose_name: its name is the msgid ("source")
    return str(field.verbose_name)


def shown_value(value):
    if value is None or value in ("None", "") or _MANAGER_REPR.match(str(value)):
        return EMPTY
    return value


def changes_html(entry):
    changes = entry.changes_dict
    if not changes:
        return ""
    model = entry.content_type.model_class()
    fields, relations = [], []
    for name, change in changes.items():
        label = capfirst(field_label(model, name))
        if isinstance(change, dict) and change.get("type") == "m2m":
            operation = change.get("operation", "")
            relations.append((label, str(OPERATIONS[operation]) if operation in OPERATIONS
                              else operation, "、".join(str(o) for o in change.get("objects", [])) or EMPTY))
        else:
            before, after = (list(change) + [None, None])[:2]
            fields.append((label, shown_value(before), shown_value(after)))
    return format_html("{}{}", _table((_("Field"), _("From"), _("To")), fields),
                       _table((_("Relationship"), _("Action"), _("Objects")), relations))


def _table(headings, rows):
    if not rows:
        return ""
    head = format_html_join("", "<th>{}</th>", ((h,) for h in ("#", *headings)))
    body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            ((index, *row) for index, row in enumerate(sorted(rows, key=lambda r: str(r[0])), 1)))
    return format_html("<table><tr>{}</tr>{}</table>", head, body)
