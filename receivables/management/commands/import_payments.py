"""``import_payments FILE [--dry-run] [--user NAME]``: a bank file (全銀協 or CSV), all records or none."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand, history_user
from receivables.services.bank_import import import_bank_file


class Command(StaffCommand):
    help = "Import a bank file of payments (全銀協 振込入金通知 or 入出金取引明細, or a CSV), then match them."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", help="the staff user the history names")

    def handle(self, *args, **options):
        user = history_user(options["user"])
        path = Path(options["file"])
        try:
            report = import_bank_file(path.read_bytes(), name=path.name, by=user, dry_run=options["dry_run"])
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(report.summary())
        if report.refused:
            raise CommandError(_("The file was not imported: %(summary)s") % {"summary": report.summary()})
