"""The rows of a long admin changelist, rendered in one pass (issue 13 §4: the chair's member list).

Django's ``items_for_result`` works each of the 650 cells of a 50-row page out from scratch: it looks the column
up on the model again, reverses the change URL, renders the selection checkbox through a widget template and the
boolean icons through ``static()``. The same rules are worked out here once per page — which column is the
link, which classes each cell gets, how its value is shown (``display_for_field`` / ``display_for_value``, so the
output is the one Django gives) — and each row becomes one string. Popups and editable lists keep Django's own.
"""

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    _boolean_icon,
    _coerce_field_name,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import _get_non_gfk_field, display_for_field, display_for_value, quote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

_PK = "0PK0"  # stands for the primary key in the change URL worked out once per page


class _Column:
    def __init__(self, cl, index, name, first_link):
        admin = cl.model_admin
        self.name, self.link, self.model_field, self.boolean = name, first_link, None, False
        self.empty = admin.get_empty_value_display()
        self.classes = [f"field-{_coerce_field_name(name, index)}"]
        self.getter = None
        if name == "action_checkbox":
            self.classes = ["action-checkbox"]
            return
        try:
            field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, AttributeError):
            field = None
        if field is not None and not field.auto_created:
            self.model_field = field
            if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                self.classes.append("nowrap")
            return
        if callable(name):
            attr, self.getter = name, name
        elif hasattr(admin, name) and name != "__str__":
            attr = getattr(admin, name)
            self.getter = attr
        else:
            attr = getattr(cl.model, name, None)
            self.getter = lambda obj, name=name: (lambda v: v() if callable(v) else v)(getattr(obj, name))
        self.empty = getattr(attr, "empty_value_display", self.empty)
        self.boolean = getattr(attr.fget if isinstance(attr, property) else attr, "boolean", False)

    def shown(self, obj):
        """The cell's content (safe or to be escaped) and whether the cell wraps."""
        field = self.model_field
        if field is not None:
            if isinstance(field.remote_field, models.ManyToOneRel):
                related = getattr(obj, field.name)
                return (self.empty if related is None else related), False
            value = getattr(obj, field.attname)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return display_for_field(value, field, self.empty, avoid_link=self.link), False
        value = self.getter(obj)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        return display_for_value(value, self.empty, self.boolean), bool(
            not self.boolean and hasattr(value, "isoformat"))


def fast_rows(cl):
    """One safe string per result of ``cl``: the cells of Django's changelist row, in list_display order."""
    links = cl.list_display_links
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        link = links is not None and ((first and not links) or name in links)
        columns.append(_Column(cl, index, name, link))
        if link:
            first = False
    opts = cl.opts
    try:
        url_template = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": opts},
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(_PK,),
                    current_app=cl.model_admin.admin_site.name))
    except NoReverseMatch:
        url_template = None
    select_label = _("Select this object for an action - {}")
    icons = {value: _boolean_icon(value) for value in (True, False, None)}
    rows = []
    for obj in cl.result_list:
        cells, pk = [], getattr(obj, cl.pk_attname)
        table_tag = "th"
        for column in columns:
            if column.name == "action_checkbox":
                cells.append('<td class="action-checkbox"><input type="checkbox" name="%s" value="%s" '
                             'class="action-select" aria-label="%s"></td>'
                             % (helpers.ACTION_CHECKBOX_NAME, escape(pk), format_html(select_label, str(obj))))
                continue
            if column.boolean and column.model_field is None:
                shown, nowrap = icons.get(column.getter(obj), icons[None]), False
            else:
                shown, nowrap = column.shown(obj)
            classes = " ".join([*column.classes, "nowrap"] if nowrap else column.classes)
            content = conditional_escape(shown)
            if column.link:
                if url_template is not None:
                    content = '<a href="%s">%s</a>' % (url_template.replace(_PK, str(quote(pk))), content)
                cells.append(f'<{table_tag} class="{classes}">{content}</{table_tag}>')
                table_tag = "td"
            else:
                cells.append(f'<td class="{classes}">{content}</td>')
        rows.append([mark_safe("".join(cells))])
    return rows


def result_list(cl):
    """Django's ``result_list`` context with the rows from :func:`fast_rows` (Django's own for popups and
    editable lists)."""
    headers = list(result_headers(cl))
    if cl.formset or cl.is_popup or cl.to_field:
        results = [list(items_for_result(cl, obj, None)) for obj in cl.result_list]
    else:
        results = fast_rows(cl)
    return {"cl": cl, "result_hidden_fields": list(result_hidden_fields(cl)), "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]), "results": results}
