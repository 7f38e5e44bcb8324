"""The console's home (工作台): what needs me today, and the year at a glance.

core knows no app, so each app registers its tasks and charts here in its ``ready()`` (like
``core.year_sections``) and the admin home asks for those the person may see. A task is a count with a link
("3 applications to approve"); a chart is a ``core.charts.Chart`` built by the same selector that fills the
matching table or report, so the picture and the figures cannot disagree.

Every builder makes a fixed number of queries whatever the data (counts in the database, never per row): the
home page's query count does not grow with the union.
"""

from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Task:
    key: str
    label: object  # a lazy translation
    order: int
    permission: str  # "app_label.codename": who sees the task
    count: object  # count(*, today) -> int
    url: object  # url(*, today) -> str


@dataclass(frozen=True)
class ChartSource:
    key: str
    order: int
    permission: str
    build: object  # build(*, year, today) -> core.charts.Chart | None


_TASKS: dict[str, Task] = {}
_CHARTS: dict[str, ChartSource] = {}


def register_task(*, key, label, order, permission, count, url):
    """Register a to-do count (registering a key again replaces it)."""
    _TASKS[key] = Task(key, label, order, permission, count, url)


def register_chart(*, key, order, permission, build):
    """Register a chart of the year (registering a key again replaces it)."""
    _CHARTS[key] = ChartSource(key, order, permission, build)


def _allowed(user, entries):
    return [entry for entry in sorted(entries, key=lambda e: (e.order, e.key)) if user.has_perm(entry.permission)]


def tasks_for(user, *, today=None):
    """The tasks the user may see, each as {key, label, count, url}, in their order (zeros included: "nothing
    waiting" is an answer too)."""
    today = today or timezone.localdate()
    return [{"key": task.key, "label": task.label, "count": task.count(today=today), "url": task.url(today=today)}
            for task in _allowed(user, _TASKS.values())]


def charts_for(user, *, year=None, today=None):
    """The charts of the year the user may see, in their order."""
    today = today or timezone.localdate()
    year = year or today.year
    charts = []
    for source in _allowed(user, _CHARTS.values()):
        chart = source.build(year=year, today=today)
        if chart is not None:
            chart.key = source.key
            charts.append(chart)
    return charts
