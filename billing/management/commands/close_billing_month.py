"""Close a month: number, date and tax its invoices and issue them (the approver's action); the task
workers render their documents, or this command does with ``--render``."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand, history_user, month_option
from backoffice.display import month_text
from billing.closing import close_month
from billing.models import BillingMonth
from billing.rendering import job_of, render_now


class Command(StaffCommand):
    help = "Issue every invoice of MONTH (YYYY-MM) and close it for good."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--issued-on", type=date.fromisoformat, help="YYYY-MM-DD; defaults to today.")
        parser.add_argument("--user", help="Login recorded in the history (default: none, the system).")
        parser.add_argument(
            "--render", action="store_true", help="Render the documents here and now instead of by the task workers."
        )

    def handle(self, *args, month, issued_on=None, user=None, render=False, **options):
        month = month_option(month)
        row = BillingMonth.objects.filter(month=month.first_day).first()
        if row is None:
            raise CommandError(
                _("%(month)s has not been billed: run run_billing first.") % {"month": month_text(month)}
            )
        try:
            issued = close_month(row, by=history_user(user), issued_on=issued_on)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _("%(month)s: %(count)d invoices issued; the month is closed.") % {"month": row, "count": issued}
        )
        if render:
            rendered = render_now(row, by=history_user(user))
            self.stdout.write(
                _("%(month)s: %(count)d documents rendered and verified.") % {"month": row, "count": rendered}
            )
        else:
            self.stdout.write(
                _("%(month)s: the task workers render the documents (%(job)s).") % {"month": row, "job": job_of(row)}
            )
