"""Every few minutes (cron or a timer): send the e-mails whose time to try again has come, and those whose
sending was lost with a process. Ends non-zero with a one-line summary when some could not go."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand
from outbox import sending
from outbox.choices import MessageState


class Command(StaffCommand):
    help = _("Send the e-mails waiting in the outbox.")

    def handle(self, *args, **options):
        rows = sending.send_due()
        failed = [row for row in rows if row.state == MessageState.FAILED]
        summary = _("%(sent)d e-mails sent, %(failed)d not sent.") % {
            "sent": sum(row.state == MessageState.SENT for row in rows),
            "failed": len(failed),
        }
        if failed:
            raise CommandError(f"{summary} " + "; ".join(f"{row.to}: {row.error}" for row in failed))
        self.stdout.write(summary)
