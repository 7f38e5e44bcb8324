"""Figures of a period (a 工作简报's two months) that other apps contribute: 关爱慰问 given, for instance.

The bulletin is printed by voice, which may not import welfare; so welfare registers a builder here in its
``ready()`` (like ``core.year_sections``) and the bulletin asks core for the period's sections. A builder takes
``start`` and ``end`` (dates, both included) and returns a ``core.year_sections.YearSection`` (or None when it has
nothing to say). Counts only: never a person's name.
"""

from dataclasses import dataclass

_BUILDERS: dict[str, "_Builder"] = {}


@dataclass(frozen=True)
class _Builder:
    key: str
    order: int
    build: object


def register_period_section(*, key, order, build):
    """Register ``build(start, end) -> YearSection | None`` under ``key`` (registering a key again replaces it)."""
    _BUILDERS[key] = _Builder(key, order, build)


def period_sections(*, start, end):
    """The registered sections for the days ``start``..``end``, in their order."""
    sections = []
    for builder in sorted(_BUILDERS.values(), key=lambda b: (b.order, b.key)):
        section = builder.build(start, end)
        if section is not None:
            sections.append(section)
    return sections
