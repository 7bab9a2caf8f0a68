"""Whether the archive the law asks us to keep (電子帳簿保存法) is whole: what ``verify_archive`` checks after a
restore, or any day. Each check reads the database as it is and names what it finds wrong:

- every issued invoice has its stored document, and the document still matches the checksums taken when it
  was written (``InvoiceDocument.intact``, the check the admin, the API and the e-mail make before serving it);
- the invoice numbers run 1, 2, 3… without a gap or a number used twice, up to the counter's last number
  (closing numbers every month's invoices from one counter, never reset: ``billing.closing``);
- the triggers that keep issued invoices, the posted journal and the received alert requests unchanged are
  in the database and enabled: a dump restored without them, or a trigger switched off by hand, would let
  the records be rewritten unseen.

The trigger names are read from the migrations that create them (their ``create`` run against a recorder,
not the database), so this list cannot drift from theirs.
"""

import re
from dataclasses import dataclass, field
from importlib import import_module
from types import SimpleNamespace

from django.db import connection
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Invoice, InvoiceCounter, InvoiceDocument

#: How many invoice numbers a failure lists before it counts the rest.
LISTED = 20

#: What each app's immutability triggers keep, and the migrations that create them (both vendors').
TRIGGER_MIGRATIONS = (
    (
        gettext_lazy("issued invoices (billing)"),
        ("billing.migrations.0002_issued_rows_immutable", "billing.migrations.0005_issued_rows_immutable_on_sqlite"),
    ),
    (
        gettext_lazy("posted journal (receivables)"),
        (
            "receivables.migrations.0006_posted_journal_immutable",
            "receivables.migrations.0010_posted_journal_immutable_on_sqlite",
        ),
    ),
    (gettext_lazy("received alert requests (monitoring)"), ("monitoring.migrations.0002_received_requests_kept",)),
)

CREATE_TRIGGER = re.compile(r"CREATE TRIGGER (\w+) BEFORE .+? ON (\w+)", re.DOTALL)

#: ``pg_trigger.tgenabled`` of a trigger that fires in ordinary sessions: origin or always.
FIRES = ("O", "A")


@dataclass
class Check:
    """One check: what it covers, how many things it looked at, and each failure in words."""

    label: str
    checked: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def verify() -> list[Check]:
    return [documents(), numbering(), *(triggers(label, modules) for label, modules in TRIGGER_MIGRATIONS)]


def documents() -> Check:
    check = Check(_("Stored documents (PDF) of issued invoices"))
    issued = Invoice.objects.filter(number__isnull=False)
    check.checked = issued.count()
    missing = list(issued.filter(document__isnull=True).order_by("number").values_list("number", flat=True))
    if missing:
        check.failures.append(_("no stored document: %(numbers)s") % {"numbers": numbers_text(missing)})
    stored = (
        InvoiceDocument.objects.select_related("invoice")
        .only("html", "html_sha256", "pdf", "pdf_sha256", "invoice__number")
        .order_by("invoice__number")
    )
    altered = [document.invoice.number for document in stored.iterator(chunk_size=100) if not document.intact()]
    if altered:
        check.failures.append(
            _("the stored document does not match its checksum: %(numbers)s") % {"numbers": numbers_text(altered)}
        )
    return check


def numbering() -> Check:
    check = Check(_("Invoice numbers"))
    issued = Invoice.objects.filter(number__isnull=False)
    counter = InvoiceCounter.objects.filter(name="invoice").values_list("last_number", flat=True).first() or 0
    check.checked = issued.count()
    highest = issued.aggregate(highest=Max("number"))["highest"] or 0
    used = set(issued.values_list("number", flat=True))
    gaps = [number for number in range(1, max(highest, counter) + 1) if number not in used]
    if gaps:
        check.failures.append(_("numbers never issued: %(numbers)s") % {"numbers": numbers_text(gaps)})
    twice = issued.values("number").annotate(n=Count("pk")).filter(n__gt=1).order_by("number")
    if twice:
        check.failures.append(
            _("numbers issued twice: %(numbers)s") % {"numbers": numbers_text([row["number"] for row in twice])}
        )
    if highest > counter:
        check.failures.append(
            _("the counter's last number (%(counter)d) is behind the highest number issued (%(highest)d)")
            % {"counter": counter, "highest": highest}
        )
    return check


def triggers(label, modules: tuple[str, ...]) -> Check:
    check = Check(_("Immutability triggers: %(what)s") % {"what": label})
    expected = expected_triggers(modules, connection.vendor)
    present = present_triggers()
    check.checked = len(expected)
    absent = [name for name in expected if name not in present]
    if absent:
        check.failures.append(_("missing: %(names)s") % {"names": ", ".join(absent)})
    off = [name for name, table in expected.items() if name in present and present[name] != (table, True)]
    if off:
        check.failures.append(_("not enabled or on another table: %(names)s") % {"names": ", ".join(off)})
    return check


def expected_triggers(modules: tuple[str, ...], vendor: str) -> dict[str, str]:
    """``{trigger: table}`` that these migrations create on ``vendor``, from the statements they execute."""
    recorder = SimpleNamespace(connection=SimpleNamespace(vendor=vendor), statements=[])
    recorder.execute = lambda sql, params=None: recorder.statements.append(sql)
    for module in modules:
        import_module(module).create(None, recorder)
    return dict(match.groups() for sql in recorder.statements if (match := CREATE_TRIGGER.search(sql)))


def present_triggers() -> dict[str, tuple[str, bool]]:
    """``{trigger: (table, enabled)}`` of the database's own triggers (PostgreSQL: the tables on the search path)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND pg_catalog.pg_table_is_visible(c.oid)"
            )
            return {name: (table, enabled in FIRES) for name, table, enabled in cursor.fetchall()}
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        return {name: (table, True) for name, table in cursor.fetchall()}


def numbers_text(numbers: list[int]) -> str:
    """Invoice numbers as printed on the invoice, runs of consecutive ones as a range, the first ``LISTED``."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = [
        Invoice(number=run[0]).display_number + (f"–{Invoice(number=run[-1]).display_number}" if len(run) > 1 else "")
        for run in runs[:LISTED]
    ]
    if len(runs) > LISTED:
        shown.append(_("and %(count)d more") % {"count": sum(len(run) for run in runs[LISTED:])})
    return ", ".join(shown)
