"""Activities' charts (core.charts), drawn from the figures the year-end summary prints."""

from django.utils.translation import gettext as _

from core.charts import Chart, Row


def activities_by_type_chart(by_type):
    """Activities held and attendances per activity type, from the year-end summary's table
    (``workplan.year_summary(plan).by_type``: type, activities, figures)."""
    return Chart(title=_("Activities and attendance by type"), series=[_("Activities held"), _("Attendances")],
                 rows=[Row(label=row["type"], values=[row["activities"], row["figures"].checked_in]) for row in by_type])
