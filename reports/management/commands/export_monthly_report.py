"""``export_monthly_report --month YYYY-MM --format xlsx|csv --output PATH [--lang ja|en]``."""

import time

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand, month_option
from backoffice.display import month_text
from reports.sections import monthly_report
from reports.writers import FORMATS, write


class ProgressBar:
    """A one-line progress bar on ``stream``: rows written of the rows expected, redrawn in place."""

    WIDTH = 30

    def __init__(self, stream, total: int, *, quiet: bool = False):
        self.stream, self.total, self.quiet = stream, max(total, 1), quiet
        self.done, self.started = 0, time.monotonic()

    def __call__(self, rows: int) -> None:
        self.done += rows
        if self.quiet:
            return
        share = min(self.done / self.total, 1)
        bar = "#" * round(share * self.WIDTH)
        elapsed = time.monotonic() - self.started
        line = "\r" + _("[%(bar)s] %(share)s %(done)s/%(total)s rows %(seconds)ss") % {
            "bar": f"{bar:<{self.WIDTH}}",
            "share": f"{share:4.0%}",
            "done": f"{self.done:,}",
            "total": f"{self.total:,}",
            "seconds": f"{elapsed:5.1f}",
        }
        self.stream.write(line, ending="")
        self.stream.flush()


class Command(StaffCommand):
    help = "Write the monthly report of a month to an Excel workbook or a zip of CSV files."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=FORMATS, default="xlsx")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--lang", choices=("ja", "en"), default="ja", help="language of the headers")

    def handle(self, *args, month, format, output, lang, **options):
        month = month_option(month)
        with translation.override(lang):
            report = monthly_report(month)
            total = sum(section.size() for section in report.sections)
            progress = ProgressBar(self.stderr, total, quiet=options["verbosity"] == 0)
            try:
                write(report, format, output, progress)
            except OSError as exc:
                raise CommandError(_("%(output)s: %(error)s") % {"output": output, "error": exc.strerror}) from None
        if not progress.quiet:
            self.stderr.write("")  # ends the progress bar's line
        self.stdout.write(
            _("%(output)s: %(rows)s rows, %(sections)d sections (%(month)s).")
            % {
                "output": output,
                "rows": f"{progress.done:,}",
                "sections": len(report.sections),
                "month": month_text(month),
            }
        )
