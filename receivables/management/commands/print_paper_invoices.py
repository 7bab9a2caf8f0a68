"""``print_paper_invoices --month YYYY-MM --output FILE``: the month's paper invoices as one PDF to print."""

from pathlib import Path

from backoffice.commands import StaffCommand, month_option
from receivables.services.delivery import paper_pdf


class Command(StaffCommand):
    help = "Write the month's invoices of customers who asked for paper as one PDF, in number order."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **options):
        Path(options["output"]).write_bytes(paper_pdf(month_option(options["month"])))
        self.stdout.write(options["output"])
