"""Daily: units past their return deadline become "not returned" with an incident naming the article their
return rests on, for every day since the last run: deemed lost after a Managed Router contract's end (art. 9
¶2), otherwise an overdue return for a person to follow up (``rules``); then the return reminders due today
are e-mailed. Run twice,
it adds nothing. A reminder that cannot be sent is recorded as failed, retried the next day, and makes the
command end non-zero once everything else is done."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.daily import DailyCommand
from backoffice.display import date_text
from equipment.choices import UnitState
from equipment.models import Unit
from equipment.services import incidents, reminders


class Command(DailyCommand):
    help = "Flag units past their return deadline as not returned (an incident) and send return reminders."
    job = "flag_overdue_returns"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-reminders", action="store_true", help=_("flag overdue units only"))

    def do_day(self, day):
        overdue = Unit.objects.filter(status=UnitState.RETURN_REQUESTED, return_deadline__lt=day).order_by("pk")
        flagged, failures = 0, []
        for unit in overdue:
            try:
                incident = incidents.flag_overdue(unit, today=day)
            except ValidationError as exc:
                failures.append(f"{unit.serial}: {' '.join(exc.messages)}")
                continue
            if incident:
                flagged += 1
                self.stdout.write(
                    _("not returned: %(serial)s (deadline %(deadline)s, %(article)s)")
                    % {
                        "serial": unit.serial,
                        "deadline": date_text(incident.return_deadline),
                        "article": incident.article,
                    }
                )
        return _("%(count)d units flagged not returned.") % {"count": flagged}, failures

    def finish(self, day):
        if self.options["no_reminders"]:
            return "", []
        sent, failed = reminders.send_due(day)
        for reminder in sent:
            self.stdout.write(
                _("reminder %(kind)s: %(serial)s → %(to)s")
                % {"kind": reminder.get_kind_display(), "serial": reminder.unit.serial, "to": reminder.to_email}
            )
        failures = [
            _("reminder to %(to)s for %(serial)s not sent (%(error)s)")
            % {"to": r.to_email, "serial": r.unit.serial, "error": r.message.error}
            for r in failed
        ]
        return _("%(sent)d reminders sent, %(failed)d failed.") % {"sent": len(sent), "failed": len(failed)}, failures
