"""Sections of the year-end summary (年度工作总结) that other apps contribute: 关爱慰问, 帮扶救助, 经费管理.

The summary is printed by activities (the work plan's app), which may not import welfare, and finance may not import
activities; so each app registers a builder here in its ``ready()`` (like ``finance.spending.register_source``) and
the summary asks core for the year's sections. A builder takes the year and returns a ``YearSection`` (or None when
it has nothing to say). Counts and money only: never a person's name (hardship cases are confidential).
"""

from dataclasses import dataclass, field


@dataclass
class YearSection:
    title: str
    headers: list
    rows: list = field(default_factory=list)
    total: list | None = None
    note: str = ""
    chart: object = None  # a core.charts.Chart of the same rows, drawn under the table


@dataclass(frozen=True)
class _Builder:
    key: str
    order: int
    build: object


_BUILDERS: dict[str, _Builder] = {}


def register_year_section(*, key, order, build):
    """Register ``build(year) -> YearSection | None`` under ``key`` (registering a key again replaces it)."""
    _BUILDERS[key] = _Builder(key, order, build)


def year_sections(year):
    """The registered sections for ``year``, in their order."""
    sections = []
    for builder in sorted(_BUILDERS.values(), key=lambda b: (b.order, b.key)):
        section = builder.build(year)
        if section is not None:
            sections.append(section)
    return sections
