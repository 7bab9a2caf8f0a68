"""The dates every move of a contract or an option agrees on: none after today, and the minimum-period end and
effective end derived from the frozen terms. Below the lifecycle and the changes, which both use them."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.display import date_text
from backoffice.exceptions import InvalidTransition

from .. import terms


def refuse_future(on: date, what: str) -> None:
    """A move records what has happened: one dated after today would show a status that is not yet true.

    Pending ends are a customer's cancellation notice, which the daily job closes on its date
    (``close_due``); every other move is recorded on or after its day (docs/decisions.md).
    """
    today = timezone.localdate()
    if on > today:
        raise InvalidTransition(
            _("%(what)s is dated %(date)s, after today (%(today)s): record it on or after that day.")
            % {"what": what, "date": date_text(on), "today": date_text(today)}
        )


def recompute_dates(row) -> None:
    """Derive the minimum-period end and the effective end from the frozen terms.

    For the services that move a start or a notice date without a status move (changes) too."""
    if row.min_period_start_on and row.min_months:
        row.min_period_end_on = terms.minimum_period_end(row.min_period_start_on, row.min_months)
    else:
        row.min_period_end_on = None
    if row.notice_received_on and row.notice_days is not None:
        row.effective_end_on = terms.notice_effective_date(
            row.notice_received_on, row.requested_end_on, row.notice_days
        )
    else:
        row.effective_end_on = None


__all__ = ["recompute_dates", "refuse_future"]
