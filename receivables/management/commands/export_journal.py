"""``export_journal --month YYYY-MM [--post] [--format csv|xlsx|yayoi] --output FILE [--user LOGIN]``: the
month's journal entries. A posted month is exported as posted (the same figures every time, with its voucher
numbers); ``--post`` posts it first. A month not posted is exported as the books stand now, and says so."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand, history_user, month_option
from backoffice.display import month_text
from receivables import journal
from receivables.models import JournalBatch
from receivables.services.journal import post_month


class Command(StaffCommand):
    help = "Write the month's journal entries (sales, tax, receivables, receipts, fees, credits) as CSV or Excel."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=("csv", "xlsx", "yayoi"), default="csv")
        parser.add_argument("--post", action="store_true", help="post the month's journal first (once)")
        parser.add_argument("--user", help="the login the posting is recorded under")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **options):
        month = month_option(options["month"])
        if options["post"]:
            try:
                batch = post_month(month, by=history_user(options["user"]))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        else:
            batch = JournalBatch.objects.filter(month=month.first_day).first()
        if batch is None:
            self.stderr.write(
                _("%(month)s is not posted: these are its figures as the books stand now.")
                % {"month": month_text(month)}
            )
        lines = journal.posted(batch) if batch else journal.preview(month)
        target = Path(options["output"])
        target.write_bytes(journal.export(lines, options["format"], sheet=f"仕訳 {journal.book_month(month)}"))
        self.stdout.write(f"{target}")
