"""The console's admin site: Django's own admin, its sidebar and home grouped by task (core.admin_nav), and the
workbench (core.workbench) as its home page.

Installed in place of ``django.contrib.admin`` (settings: ``core.admin_site.UnionAdminConfig``), so
``admin.site`` is this site and every ``@admin.register`` keeps working unchanged.
"""

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.utils import timezone
from django.utils.safestring import SafeData, mark_safe

from . import admin_nav, workbench
from .punctuation import colon

#: model → (label(obj) -> str, related fields to select): how a searchable picker names a choice, so two people
#: called 彭倩 can be told apart (registered by the model's app, e.g. members: name · department · masked hint).
_PICKER_LABELS = {}


def register_picker_label(model, label, *, select_related=()):
    _PICKER_LABELS[model] = (label, tuple(select_related))


class PickerJsonView(AutocompleteJsonView):
    """Django's autocomplete answers, with the choice's registered label (one query whatever the page size)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        _label, related = _PICKER_LABELS.get(queryset.model, (None, ()))
        return queryset.select_related(*related) if related else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label, _related = _PICKER_LABELS.get(type(obj), (None, ()))
        if label is not None:
            result["text"] = label(obj)
        return result


def _with_colons(items):
    """Django names each row of a delete page "Verbose name: object" with the English colon (hard-coded in
    django.contrib.admin.utils.get_deleted_objects): the active language's colon instead ("记账凭证：…")."""
    out = []
    for item in items:
        if isinstance(item, list):
            out.append(_with_colons(item))
        elif isinstance(item, str) and ": " in item:
            head, tail = item.split(": ", 1)
            joined = f"{head}{colon()}{tail}"
            out.append(mark_safe(joined) if isinstance(item, SafeData) else joined)  # escaped already, or not
        else:
            out.append(item)
    return out


class DeletePageColons:
    """Mixed into every ModelAdmin the site registers (UnionAdminSite.register)."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return _with_colons(deleted), counts, perms_needed, _with_colons(protected)


class UnionAdminSite(AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, DeletePageColons):
            admin_class = type(admin_class.__name__, (DeletePageColons, admin_class),
                               {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__})
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:  # an app's own index page (/admin/<app>/) stays as Django builds it
            return app_list
        return admin_nav.grouped(app_list)

    def autocomplete_view(self, request):
        return PickerJsonView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        today = timezone.localdate()
        context = {
            "tasks": workbench.tasks_for(request.user, today=today),
            "charts": workbench.charts_for(request.user, year=today.year, today=today),
            "year": today.year,
            **(extra_context or {}),
        }
        return super().index(request, extra_context=context)


class UnionAdminConfig(AdminConfig):
    default_site = "core.admin_site.UnionAdminSite"
