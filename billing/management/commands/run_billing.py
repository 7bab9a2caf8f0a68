"""Bill a month: the same service as the admin's "run" action, with a progress bar and a summary."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backoffice.commands import history_user, month_option
from billing.models import BillingMonth
from billing.run import billing_month, plan, run_month


class Command(BaseCommand):
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
            f"{row}: {result.charges} lines owed; {result.invoices_created} invoices opened, "
            f"{result.lines_created} lines added, {result.lines_changed} changed, {result.lines_removed} removed."
        )

    def progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} batches", ending="")
        if done == total:
            self.stderr.write("")
        self.stderr.flush()

    def show_plan(self, month) -> None:
        row = BillingMonth.objects.filter(month=month.first_day).first() or BillingMonth(month=month.first_day)
        result = plan(row)  # an unopened month is shown, never saved
        self.stdout.write(
            f"{row} (dry run, nothing written): {len(result.owed)} lines, "
            f"{result.customers} customers, {result.total:,} yen before tax; "
            f"{len(result.add)} to add, {len(result.change)} to change, {len(result.remove)} to remove"
        )
        for line in result.add:
            self.stdout.write(f"     add {line.source_key:<36} {line.amount:>12,}  {line.description}")
        for old, new in result.change:
            self.stdout.write(f"  change {old.source_key:<36} {old.amount:>12,} -> {new.amount:,}  {new.description}")
        for line in result.remove:
            self.stdout.write(f"  remove {line.source_key:<36} {line.amount:>12,}  {line.description}")
