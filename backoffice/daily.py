"""What the daily jobs share: the day they run for (never a future one), catching up every day since their
last run, and ending non-zero with a one-line summary when part of the work failed, after doing the rest."""

from datetime import date, timedelta

from django.core.management.base import CommandError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .commands import StaffCommand
from .dates import parse_date
from .display import date_text
from .models import DailyRun


def run_day(text: str | None) -> date:
    """The day ``--today`` names (today in Tokyo without it); a future day is refused, as nothing is done ahead."""
    today = timezone.localdate()
    if not text:
        return today
    day = parse_date(text)
    if day is None:
        raise CommandError(_("Not a date: %(text)s") % {"text": text})
    if day > today:
        raise CommandError(
            _("%(day)s is in the future: a daily job runs for today (%(today)s) or a past day.")
            % {"day": date_text(day), "today": date_text(today)}
        )
    return day


def days_to_run(job: str, until: date) -> list[date]:
    """Every day after ``job``'s last run up to ``until``; just ``until`` on a first run or a day run before."""
    last = DailyRun.objects.filter(job=job).aggregate(last=Max("day"))["last"]
    if last is None or last >= until:
        return [until]
    return [last + timedelta(days=n) for n in range(1, (until - last).days + 1)]


class DailyCommand(StaffCommand):
    """A daily job: ``do_day(day)`` for every day since the last run (say so when catching up), then
    ``finish(day)`` once for the last day; each returns a summary line and the failures it met."""

    job = ""

    def add_arguments(self, parser):
        parser.add_argument("--today", help=_("the day to run for (YYYY-MM-DD, not in the future); default: today"))

    def handle(self, *args, today=None, **options):
        self.options = options
        day = run_day(today)
        days = days_to_run(self.job, day)
        if len(days) > 1:
            self.stdout.write(
                ngettext(
                    "Catching up %(count)d day since the last run: %(first)s to %(last)s.",
                    "Catching up %(count)d days since the last run: %(first)s to %(last)s.",
                    len(days),
                )
                % {"count": len(days), "first": date_text(days[0]), "last": date_text(days[-1])}
            )
        failures = []
        for each in days:
            summary, failed = self.do_day(each)
            if each == day:
                more, more_failed = self.finish(each)
                summary, failed = " ".join(filter(None, (summary, more))), failed + more_failed
            self.stdout.write(f"{date_text(each)}: {summary}")
            DailyRun.objects.update_or_create(job=self.job, day=each, defaults={"summary": summary})
            failures += failed
        if failures:
            raise CommandError(
                ngettext("%(count)d failure: %(what)s", "%(count)d failures: %(what)s", len(failures))
                % {"count": len(failures), "what": "; ".join(failures)}
            )

    def do_day(self, day: date) -> tuple[str, list[str]]:
        raise NotImplementedError

    def finish(self, day: date) -> tuple[str, list[str]]:
        """Work done once, for the last day only (e.g. e-mails, which are about today)."""
        return "", []


__all__ = ["DailyCommand", "days_to_run", "run_day"]
