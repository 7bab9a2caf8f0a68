"""A monthly report: key figures, then sections of typed rows, assembled from the apps' providers.

A provider (``reports/sections/<app>.py``) gives, for a month, its key figures and its sections. A
section is a table: a name, typed columns and rows read only when the section is written (so a
million rows stream from the database to the file), optionally drawn as a chart on the summary.
The summary comes first: the figures of every provider, and the charts of every section that has one.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from backoffice.display import month_text
from backoffice.exports import NUMBER, YEN, Column
from backoffice.months import Month


@dataclass(frozen=True)
class Chart:
    """How a section is drawn: its first column as categories, the ``series`` columns as one series each."""

    kind: str  # "column", "line" or "bar"
    title: str | Promise
    series: tuple[int, ...]
    stacked: bool = False


@dataclass(frozen=True)
class Figure:
    """A key figure of the month: a count, an amount in yen, or both."""

    label: str | Promise
    count: int | None = None
    amount: int | None = None


@dataclass
class Section:
    key: str  # the file name in the CSV zip: "contracts_in_force"
    title: str | Promise  # the sheet name (31 characters at most)
    columns: Sequence[Column]
    rows: Callable[[], Iterable[Sequence]]  # called once, when the section is written
    size: Callable[[], int] = field(default=lambda: 0)  # rows expected, for the progress bar (one count query)
    chart: Chart | None = None
    #: The rows as one ``values_list`` query whose columns are the cells, when they are: the CSV writer then
    #: lets PostgreSQL write them (``backoffice.exports.copy_csv_lines``).
    values: QuerySet | None = None

    def materialised(self) -> list[list]:
        """The rows as a list: for the small tables a chart draws (a dashboard, a summary)."""
        return [list(row) for row in self.rows()]


@dataclass
class Report:
    month: Month
    figures: list[Figure]
    sections: list[Section]  # the summary first

    @property
    def charted(self) -> list[Section]:
        return [section for section in self.sections if section.chart is not None]


#: The providers, in the order of their sections: ``(month) -> (figures, sections)``.
Provider = Callable[[Month], tuple[list[Figure], list[Section]]]

SUMMARY_COLUMNS = (Column(_("Figure")), Column(_("Count"), NUMBER), Column(_("Amount (yen)"), YEN))


def build(month: Month, providers: Sequence[Provider]) -> Report:
    """The report of ``month``: a summary of every provider's figures, then their sections."""
    figures, sections = [], []
    for provide in providers:
        own_figures, own_sections = provide(month)
        figures += own_figures
        sections += own_sections
    summary = Section(
        "summary",
        _("Summary %(month)s") % {"month": month_text(month)},
        SUMMARY_COLUMNS,
        lambda: [(str(f.label), f.count, f.amount) for f in figures],
        lambda: len(figures),
    )
    return Report(month, figures, [summary, *sections])


def localized(name_ja: str, name_en: str) -> str:
    """A catalog name in the active language (Japanese unless English is active)."""
    return name_en if _english() else name_ja


def localized_field(path: str) -> str:
    """``<path>_ja`` or ``<path>_en``: the column of a catalog name in the active language, for a query."""
    return f"{path}_en" if _english() else f"{path}_ja"


def choice_labels(field: str, choices) -> Case:
    """``field``'s choice labels in the active language, computed by the query (an unknown value as stored)."""
    whens = [When(**{field: value}, then=Value(str(label))) for value, label in choices.choices]
    return Case(*whens, default=F(field), output_field=CharField())


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


__all__ = ["Chart", "Figure", "Provider", "Report", "Section", "build", "choice_labels", "localized", "localized_field"]
