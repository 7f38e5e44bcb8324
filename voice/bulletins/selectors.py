"""Reads for the 工作简报: the figures an issue prints (live for a draft, frozen on the row once published), the
published issues by year for the archive."""

from itertools import groupby

from activities.selectors import activities_held_between
from core.period_sections import period_sections

from ..models import Bulletin, Notice


def bulletin_figures(bulletin):
    """What the issue prints, as plain data (it is frozen on the row when the issue is published): the chosen
    notices, the activities held in its period with how many took part, and the sections other apps register for
    the period (care given: counts only, never a name)."""
    notices = Notice.objects.filter(pk__in=bulletin.notices.values("pk")).order_by("published_at", "pk")
    activities = activities_held_between(start=bulletin.period_start, end=bulletin.period_end)
    return {
        "notices": [{"title": n.title, "published": n.published_at.date().isoformat() if n.published_at else ""}
                    for n in notices],
        "activities": [{"title": a.title, "date": a.starts_at.date().isoformat(), "attended": a.attended}
                       for a in activities],
        "sections": [{"title": str(s.title), "headers": [str(h) for h in s.headers],
                      "rows": [[str(c) if not isinstance(c, int) else c for c in row] for row in s.rows],
                      "total": [str(c) if not isinstance(c, int) else c for c in s.total] if s.total else None,
                      "note": str(s.note)}
                     for s in period_sections(start=bulletin.period_start, end=bulletin.period_end)],
    }


def figures_of(bulletin):
    """The published issue's frozen figures; a draft's as they stand today (the preview)."""
    if bulletin.state == Bulletin.State.PUBLISHED and bulletin.figures:
        return bulletin.figures
    return bulletin_figures(bulletin)


def published_by_year():
    """[(year, [issues newest first])], newest year first: the archive."""
    issues = Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).order_by("-year", "-number")
    return [(year, list(group)) for year, group in groupby(issues, key=lambda b: b.year)]


def latest_published():
    return Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).order_by("-published_at", "-pk").first()
