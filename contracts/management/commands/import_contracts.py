"""python manage.py import_contracts FILE [--dry-run] [--partial] [--user USERNAME] (docs/import.md)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand, history_user
from contracts.importer import ImportFileError, import_file


class Command(StaffCommand):
    help = _(
        "Import customers, related contracts, contracts and options from a CSV or JSON file through the "
        "lifecycle services. All or nothing unless --partial; exits with status 1 if any row is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help=_("Check every row, then roll everything back."))
        parser.add_argument("--partial", action="store_true", help=_("Keep the ok rows when some are refused."))
        parser.add_argument("--user", help=_("Username recorded in the history (an existing user)."))

    def handle(self, *args, file: Path, dry_run: bool, partial: bool, user: str | None, **options):
        by = history_user(user)
        try:
            report = import_file(file, user=by, partial=partial, dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(report.summary())
        if report.refused_count:
            raise CommandError(
                _("%(count)s of %(total)s rows refused.") % {"count": report.refused_count, "total": len(report.rows)}
            )
