"""``export_journal --month YYYY-MM [--format csv|xlsx] --output FILE``: the month's journal entries."""

from pathlib import Path

from backoffice.commands import StaffCommand, month_option
from backoffice.exports import csv_lines, write_xlsx
from receivables import journal


class Command(StaffCommand):
    help = "Write the month's journal entries (sales, tax, receivables, receipts, fees, credits) as CSV or Excel."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **options):
        month = month_option(options["month"])
        target = Path(options["output"])
        if options["format"] == "xlsx":
            write_xlsx(str(target), journal.COLUMNS, journal.rows(month), sheet=f"仕訳 {month}")
        else:
            with target.open("w", encoding="utf-8", newline="") as out:
                out.writelines(csv_lines(journal.COLUMNS, journal.rows(month)))
        self.stdout.write(f"{target}")
