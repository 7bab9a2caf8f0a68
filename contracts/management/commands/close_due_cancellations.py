"""Daily job: end every pending cancellation whose last day of service has passed, for every day since the
last run; a cancellation a rule keeps alive is reported and makes the command end non-zero."""

from django.utils.translation import gettext as _

from backoffice.daily import DailyCommand
from contracts.services.lifecycle import close_due


class Command(DailyCommand):
    help = "End contracts and options whose cancellation took effect before TODAY (default: today in Tokyo)."
    job = "close_due_cancellations"

    def do_day(self, day):
        ended, refused = close_due(today=day)
        failures = [f"{row}: {'; '.join(error.messages)}" for row, error in refused]
        return _("%(count)d cancellation(s) took effect.") % {"count": ended}, failures
