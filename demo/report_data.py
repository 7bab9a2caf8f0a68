"""The reports keep no rows of their own: their part of the demo is the last month's key figures, read
from the data the other contributors made, as the dashboard shows them (so a run changes nothing)."""

from django.utils.translation import gettext as _

from backoffice.display import month_text, yen
from backoffice.months import last_month
from reports.sections import monthly_report


def contribute(seed: int, user) -> list[str]:
    month = last_month()
    report = monthly_report(month)
    lines = [_("Monthly report %(month)s (admin: the month's dashboard):") % {"month": month_text(month)}]
    for figure in report.figures:
        parts = (
            "" if figure.count is None else f"{figure.count:,}",
            "" if figure.amount is None else yen(figure.amount),
        )
        lines.append(f"  {figure.label}: " + " / ".join(part for part in parts if part))
    return lines
