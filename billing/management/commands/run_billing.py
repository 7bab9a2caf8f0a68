"""Bill a month: the same service as the admin's "run" action, with a progress bar and a summary."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backoffice.commands import StaffCommand, history_user, month_option
from billing.models import BillingMonth
from billing.run import billing_month, plan, run_month


class Command(StaffCommand):
    help = "Bring the invoices of MONTH (YYYY-MM) up to what is owed now: lines added, changed and removed."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--dry-run", action="store_true", help="Show what a run would change; write nothing.")
        parser.add_argument("--user", help="Login recorded in the history (default: none, the system).")

    def handle(self, *args, month, dry_run=False, user=None, **options):
        month = month_option(month)
        by = history_user(user)
        if dry_run:
            return self.show_plan(month)
        try:
            row = billing_month(month.year, month.month, by=by)
            result = run_month(row, by=by, progress=self.progress)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _(
                "%(month)s: %(owed)d lines owed; %(opened)d invoices opened, %(added)d lines added, "
                "%(changed)d changed, %(removed)d removed."
            )
            % {
                "month": row,
                "owed": result.charges,
                "opened": result.invoices_created,
                "added": result.lines_created,
                "changed": result.lines_changed,
                "removed": result.lines_removed,
            }
        )

    def progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        bar = f"[{'#' * filled}{'.' * (width - filled)}]"
        self.stderr.write(
            "\r" + _("%(bar)s %(done)d/%(total)d batches") % {"bar": bar, "done": done, "total": total}, ending=""
        )
        if done == total:
            self.stderr.write("")
        self.stderr.flush()

    def show_plan(self, month) -> None:
        row = BillingMonth.objects.filter(month=month.first_day).first() or BillingMonth(month=month.first_day)
        result = plan(row)  # an unopened month is shown, never saved
        self.stdout.write(
            _(
                "%(month)s (dry run, nothing written): %(lines)d lines, %(customers)d customers, %(total)s yen before "
                "tax; %(add)d to add, %(change)d to change, %(remove)d to remove"
            )
            % {
                "month": row,
                "lines": result.lines,
                "customers": result.customers,
                "total": f"{result.total:,}",
                "add": len(result.add),
                "change": len(result.change),
                "remove": len(result.remove),
            }
        )
        add = pgettext("planned line", "add")
        change = pgettext("planned line", "change")
        remove = pgettext("planned line", "remove")
        for line in result.add:
            self.stdout.write(f"  {add:>6} {line.source_key:<36} {line.amount:>12,}  {line.description}")
        for old, new in result.change:
            self.stdout.write(
                f"  {change:>6} {old.source_key:<36} {old.amount:>12,} -> {new.amount:,}  {new.description}"
            )
        for line in result.remove:
            self.stdout.write(f"  {remove:>6} {line.source_key:<36} {line.amount:>12,}  {line.description}")
