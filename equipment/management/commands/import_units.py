"""``import_units FILE --model CODE [--acquired-on DATE] [--cost YEN] [--dry-run] [--user NAME]``."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand, history_user
from backoffice.dates import parse_date
from equipment.models import UnitModel
from equipment.services.stock_import import import_units


class Command(StaffCommand):
    help = "Receive units into stock from a CSV of serial numbers: all rows or none, with a report per row."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--model", required=True, help="the unit model's code")
        parser.add_argument("--acquired-on", help="acquisition date of rows without one (default: today)")
        parser.add_argument("--cost", type=int, default=0, help="acquisition cost in yen of rows without one")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", help="the staff user the history names")

    def handle(self, *args, **options):
        unit_model = UnitModel.objects.filter(code=options["model"]).first()
        if unit_model is None:
            raise CommandError(_("No unit model with code %(code)r.") % {"code": options["model"]})
        acquired_on = parse_date(options["acquired_on"]) if options["acquired_on"] else timezone.localdate()
        if acquired_on is None:
            raise CommandError(_("Not a date: %(text)s") % {"text": options["acquired_on"]})
        user = history_user(options["user"])
        try:
            with Path(options["file"]).open(encoding="utf-8-sig", newline="") as lines:
                report = import_units(
                    lines,
                    unit_model=unit_model,
                    acquired_on=acquired_on,
                    cost=options["cost"],
                    by=user,
                    dry_run=options["dry_run"],
                )
        except (OSError, UnicodeDecodeError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(report.summary())
        if report.refused:
            raise CommandError(report.summary())
