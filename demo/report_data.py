"""The reports keep no rows of their own: their part of the demo is the last month's key figures, read
from the data the other contributors made, as the dashboard shows them (so a run changes nothing)."""

from django.utils import translation

from reports.forms import last_month
from reports.sections import monthly_report


def contribute(seed: int, user) -> list[str]:
    month = last_month()
    with translation.override("en"):
        report = monthly_report(month)
        figures = "; ".join(
            f"{figure.label}: "
            + " / ".join(
                part
                for part in (
                    "" if figure.count is None else f"{figure.count:,}",
                    "" if figure.amount is None else f"{figure.amount:,} yen",
                )
                if part
            )
            for figure in report.figures
        )
    return [f"Monthly report {month} (admin: the month's dashboard): {figures}"]
