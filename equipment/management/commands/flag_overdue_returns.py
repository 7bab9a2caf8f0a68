"""Daily: units past their return deadline become "not returned" with a loss incident (Managed Router
art. 9 ¶2), and the return reminders due today are e-mailed. Run twice, it adds nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backoffice.dates import parse_date
from equipment.choices import UnitState
from equipment.models import Unit
from equipment.services import incidents, reminders


class Command(BaseCommand):
    help = "Flag units past their return deadline as not returned (a loss incident) and send return reminders."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to run for (YYYY-MM-DD); default: today")
        parser.add_argument("--no-reminders", action="store_true", help="flag overdue units only")

    def handle(self, *args, today=None, no_reminders=False, **options):
        day = parse_date(today) if today else timezone.localdate()
        if day is None:
            raise CommandError(f"Not a date: {today}")
        overdue = Unit.objects.filter(status=UnitState.RETURN_REQUESTED, return_deadline__lt=day).order_by("pk")
        flagged = []
        for unit in overdue:
            try:
                incident = incidents.flag_overdue(unit, today=day)
            except ValidationError as exc:  # e.g. a day after today: nothing is recorded ahead of time
                self.stderr.write(f"{unit.serial}: {' '.join(exc.messages)}")
                continue
            if incident:
                flagged.append(incident)
        for incident in flagged:
            self.stdout.write(f"not returned: {incident.unit.serial} (deadline {incident.return_deadline})")
        sent = []
        if not no_reminders:
            sent = [r for unit, kind in reminders.due(day) if (r := reminders.send(unit, kind, today=day))]
            for reminder in sent:
                self.stdout.write(f"reminder {reminder.kind}: {reminder.unit.serial} → {reminder.to_email}")
        self.stdout.write(f"{day}: {len(flagged)} units flagged not returned, {len(sent)} reminders sent.")
