"""``replay_alerts FILE [FILE…] --source NAME [--process-now]``: bodies a monitoring source posted (saved from its
log, a capture, a failed delivery; ``-`` reads one from standard input) taken as the endpoint takes them.

Each goes through ``monitoring.intake.take``: kept once per content, a receipt for this arrival, refused with
the same reasons, so a body the back-office already has changes nothing but its receipts. ``--process-now``
works each readable payload here, for a machine without a task worker (working one twice changes nothing);
the failure notices it queues still go through the outbox (``send_outbox``).
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from backoffice.commands import StaffCommand
from monitoring import intake
from monitoring.models import Alert, Source
from monitoring.processing import process_payload

STDIN = "-"


class Command(StaffCommand):
    #: ``call_command(..., stdin=stream)`` stands in for standard input (the tests).
    stealth_options = ("stdin",)
    help = _("Take saved monitoring payloads (Alertmanager's or the Zabbix media type's bodies) as the endpoint does.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help=_("a saved body; “-” reads standard input"))
        parser.add_argument("--source", required=True, help=_("the monitoring source that posted them (its name)"))
        parser.add_argument(
            "--process-now", action="store_true", help=_("work the alerts here, without waiting for a task worker")
        )

    def handle(self, *args, **options):
        source = Source.objects.filter(name=options["source"]).first()
        if source is None:
            names = ", ".join(Source.objects.values_list("name", flat=True)) or _("none")
            raise CommandError(
                _("No monitoring source is named “%(name)s”; the sources are: %(names)s.")
                % {"name": options["source"], "names": names}
            )
        counts = {"new": 0, "seen": 0, "refused": 0, "alerts": 0}
        for name in options["files"]:
            self.stdout.write(f"{name}: {self._replay(source, name, options, counts)}")
        summary = _(
            "%(files)d files: %(new)d new payloads, %(seen)d seen before, %(refused)d not taken; %(alerts)d alerts."
        ) % {"files": len(options["files"]), **counts}
        if counts["refused"]:
            raise CommandError(summary)
        self.stdout.write(summary)

    def _read(self, name: str, options) -> bytes:
        if name == STDIN:
            stream = options.get("stdin") or sys.stdin
            data = getattr(stream, "buffer", stream).read()
            return data.encode("utf-8") if isinstance(data, str) else data
        return Path(name).read_bytes()

    def _replay(self, source: Source, name: str, options, counts: dict) -> str:
        """Take one file; the line that says what became of it."""
        try:
            body = self._read(name, options)
        except OSError as exc:
            counts["refused"] += 1
            return _("not read: %(error)s") % {"error": exc.strerror or exc}
        limit = settings.MONITORING_MAX_BODY_BYTES
        if len(body) > limit:
            counts["refused"] += 1
            return _("The body is larger than %(size)d KiB: lower max_alerts in the receiver.") % {
                "size": limit // 1024
            }
        agent = f"manage.py replay_alerts {Path(name).name if name != STDIN else 'stdin'}"
        taken = intake.take(source, body, headers={"User-Agent": agent, "Content-Length": str(len(body))})
        payload = taken.payload
        if payload.error:
            counts["refused"] += 1
            return _("payload %(payload)d refused: %(reason)s") % {"payload": payload.pk, "reason": payload.error}
        counts["new" if taken.new else "seen"] += 1
        counts["alerts"] += payload.alert_count
        values = {"payload": payload.pk, "alerts": payload.alert_count, "left": payload.truncated_alerts}
        line = (
            _("payload %(payload)d kept: %(alerts)d alerts")
            if taken.new
            else _("payload %(payload)d seen before (%(alerts)d alerts): a receipt added")
        ) % values
        if payload.truncated_alerts:
            line += " " + _("(%(left)d more left out by Alertmanager)") % values
        if options["process_now"]:
            process_payload.call(payload.pk)
            recorded = Alert.objects.filter(first_payload=payload).count()
            line += "; " + _("worked now: %(recorded)d alerts first recorded from it") % {"recorded": recorded}
        return line
