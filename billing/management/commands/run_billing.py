"""Bill a month: the same service as the admin's "run" action, with a progress bar and a summary."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backoffice.commands import history_user
from billing.models import BillingMonth
from billing.preview import preview
from billing.run import billing_month, run_month

from ._month import month_argument


class Command(BaseCommand):
    help = "Write one invoice per customer for MONTH (YYYY-MM), a line per charge; a rerun adds only what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--month", type=month_argument, required=True, help="YYYY-MM")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be billed; write nothing.")
        parser.add_argument("--user", help="Login recorded in the history (default: none, the system).")

    def handle(self, *args, month, dry_run=False, user=None, **options):
        by = history_user(user)
        if dry_run:
            return self.show_preview(month)
        row = billing_month(*month, by=by)
        try:
            result = run_month(row, by=by, progress=self.progress)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{row}: {result.charges} charges from the sources; "
            f"{result.invoices_created} invoices and {result.lines_created} lines added."
        )

    def progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} batches", ending="")
        if done == total:
            self.stderr.write("")
        self.stderr.flush()

    def show_preview(self, month) -> None:
        year, number = month
        first = date(year, number, 1)
        row = BillingMonth.objects.filter(month=first).first() or BillingMonth(month=first)  # never saved here
        result = preview(row)
        self.stdout.write(
            f"{row} (dry run, nothing written): {len(result.charges)} lines, "
            f"{result.customers} customers, {result.total:,} yen before tax"
        )
        for charge in result.charges:
            self.stdout.write(f"  {charge.source_key:<32} {charge.amount:>12,}  {charge.description}")
        for title, rows in (("new", result.new), ("ended", result.ended)):
            for subject, amount in rows:
                self.stdout.write(f"{title:>8} {subject:<24} {amount:>12,}")
        for subject, before, now in result.changed:
            self.stdout.write(f" changed {subject:<24} {before:>12,} -> {now:,}")
