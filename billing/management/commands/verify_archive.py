"""Check that the archive is whole (``billing.archive``): after restoring a backup (scripts/restore_drill.sh),
or any day. One line per check with its count; a check that fails makes the command end non-zero, naming
what failed (docs/operations.md says what to do)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.commands import StaffCommand
from billing.archive import verify


class Command(StaffCommand):
    help = (
        "Check the archive: every issued invoice's stored PDF against its checksum, invoice numbers without gaps "
        "or duplicates, and the immutability triggers of billing, receivables and monitoring."
    )

    def handle(self, *args, **options):
        checks = verify()
        for check in checks:
            line = _("%(label)s: %(count)d checked") % {"label": check.label, "count": check.checked}
            if check.passed:
                self.stdout.write(_("OK  %(line)s") % {"line": line})
            else:
                failures = "; ".join(check.failures)
                self.stdout.write(_("NG  %(line)s; %(failures)s") % {"line": line, "failures": failures})
        failed = [check for check in checks if not check.passed]
        if failed:
            raise CommandError(
                ngettext("%(count)d check failed: %(what)s", "%(count)d checks failed: %(what)s", len(failed))
                % {
                    "count": len(failed),
                    "what": " / ".join(f"{check.label} ({'; '.join(check.failures)})" for check in failed),
                }
            )
        self.stdout.write(_("The archive is whole: %(count)d checks passed.") % {"count": len(checks)})
