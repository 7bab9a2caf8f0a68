"""Receivables' acts as jobs: started from the admin's buttons (``admin.acts``), done by a worker through
the same services as the commands and the daily run, each reporting its progress and its result.

Each handler is idempotent, as a job's must be: a delivery, a notice, a payment is recorded once whatever
runs it again (their unique rows); a print run or an export written again gives the same file.
"""

from datetime import date, timedelta
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.display import date_text, month_text
from backoffice.months import Month
from billing.models import BillingMonth
from jobs import files
from jobs import services as jobs
from jobs.kinds import JobKind
from jobs.models import Job
from jobs.uploads import import_outcome
from outbox import sending, topics
from outbox.choices import MessageState
from outbox.models import Message
from outbox.waiting import waiting

from . import journal
from .services import delivery, dunning
from .services.bank_import_job import BANK_IMPORT
from .services.journal import post_month

ONE_DAY = timedelta(days=1)

# Starting each job (the admin's confirmation calls these).


def _of_month(kind: JobKind, description: str, month: Month, *, by) -> Job:
    """A job about one month: ``description`` names it (``%(month)s``) as staff write it."""
    return jobs.start(
        kind, by=by, description=description % {"month": month_text(month)}, arguments={"month": str(month)}
    )


def deliver_later(month: Month, *, by) -> Job:
    return _of_month(DELIVER_INVOICES, _("Invoice delivery of %(month)s"), month, by=by)


def print_later(month: Month, *, by) -> Job:
    return _of_month(PRINT_PAPER, _("Paper invoices of %(month)s to print"), month, by=by)


def dunning_later(today, *, by) -> Job:
    return jobs.start(
        DUNNING,
        by=by,
        description=_("Dunning run of %(day)s") % {"day": date_text(today)},
        arguments={"day": today.isoformat()},
    )


def export_later(month: Month, fmt: str, *, by) -> Job:
    return jobs.start(
        JOURNAL_EXPORT,
        by=by,
        description=_("Journal of %(month)s (%(format)s)") % {"month": month_text(month), "format": fmt},
        arguments={"month": str(month), "format": fmt},
    )


def post_later(month: Month, *, by) -> Job:
    return _of_month(POST_JOURNAL, _("Journal posting of %(month)s"), month, by=by)


def send_outbox_later(*, by) -> Job:
    """Send now every waiting e-mail of the topics ``by`` may read (all of them for a superuser)."""
    readable = None if by.is_superuser else [topic for topic, _label in topics.choices() if topics.may_read(by, topic)]
    return jobs.start(SEND_OUTBOX, by=by, description=_("Sending the outbox"), arguments={"topics": readable})


# The handlers.


def deliver(job: Job) -> jobs.Outcome:
    month = Month.parse(job.arguments["month"])
    done, failed = delivery.deliver_due(by=job.started_by, month=month, progress=partial(jobs.advance, job.pk))
    text = _("%(done)d invoices delivered (e-mailed, or marked for the post), %(failed)d not sent.") % {
        "done": len(done),
        "failed": len(failed),
    }
    lines = [_("%(invoice)s not sent: %(error)s") % {"invoice": row.invoice, "error": row.error} for row in failed]
    billing_month = BillingMonth.objects.get(month=month.first_day)
    url = reverse("admin:receivables_invoicedelivery_changelist") + f"?invoice__month__id__exact={billing_month.pk}"
    return import_outcome(text, lines, url=url)


def print_paper(job: Job) -> jobs.Outcome:
    month = Month.parse(job.arguments["month"])
    content, printed = delivery.print_paper(month, by=job.started_by, progress=partial(jobs.advance, job.pk))
    url = files.keep(job, f"paper_invoices_{month}.pdf", content)
    text = _("%(count)d paper invoices to print; mark each posted once it is in the post.") % {"count": printed}
    return jobs.Outcome(text, url)


def run_dunning(job: Job) -> jobs.Outcome:
    day = date.fromisoformat(job.arguments["day"])
    sent, failed = dunning.send_due(day, progress=partial(jobs.advance, job.pk))
    text = _("%(sent)d dunning notices sent, %(failed)d not sent.") % {"sent": len(sent), "failed": len(failed)}
    lines = [_("%(invoice)s not sent: %(error)s") % {"invoice": n.invoice, "error": n.error} for n in failed]
    url = reverse("admin:receivables_dunningnotice_changelist") + f"?queued_on__gte={day}&queued_on__lt={day + ONE_DAY}"
    return import_outcome(text, lines, url=url)


def send_outbox(job: Job) -> jobs.Outcome:
    """Each waiting e-mail sent (a sent one is never sent again), progress as they go."""
    rows = list(waiting(job.arguments.get("topics")).values_list("pk", flat=True))
    sent, failed = 0, []
    for done, pk in enumerate(rows):
        jobs.advance(job.pk, done, len(rows))
        row = sending.send(Message.objects.get(pk=pk))
        if row.state == MessageState.SENT:
            sent += 1
        elif row.state == MessageState.FAILED:
            failed.append(f"{row.to}: {row.error}")
    text = _("%(sent)d e-mails sent, %(failed)d not sent.") % {"sent": sent, "failed": len(failed)}
    return import_outcome(text, failed, url=reverse("admin:outbox_message_changelist"))


def journal_file(month: Month, fmt: str) -> bytes:
    """The month's journal as the ``export_journal`` command writes it: the posted batch when posted."""
    return journal.export(journal.month_lines(month), fmt, sheet=f"仕訳 {journal.book_month(month)}")


def export_journal(job: Job) -> jobs.Outcome:
    month, fmt = Month.parse(job.arguments["month"]), job.arguments["format"]
    content = journal_file(month, fmt)
    name = f"journal_{month}_yayoi.csv" if fmt == "yayoi" else f"journal_{month}.{fmt}"
    url = files.keep(job, name, content)
    return jobs.Outcome(_("Ready to download (%(size)s bytes)") % {"size": f"{len(content):,}"}, url)


def post_journal(job: Job) -> jobs.Outcome:
    """The month posted (once: run again, the same batch), and its page to export it from."""
    batch = post_month(Month.parse(job.arguments["month"]), by=job.started_by)
    url = reverse("admin:receivables_journalbatch_change", args=[batch.pk])
    text = _("Posted: vouchers %(first)s to %(last)s, debits = credits %(total)s yen.") % {
        "first": batch.first_voucher,
        "last": batch.last_voucher,
        "total": f"{batch.debit_total:,}",
    }
    return jobs.Outcome(text, url)


def topic_names(readable) -> str:
    """The outbox topics a sending job covers, by name (``jobs.arguments`` reader)."""
    return _("every topic its starter reads") if readable is None else ", ".join(map(topics.label, readable))


DELIVER_INVOICES = JobKind("receivables.deliver", gettext_lazy("Invoice delivery of a month"), deliver)
PRINT_PAPER = JobKind("receivables.print_paper", gettext_lazy("Paper invoices of a month to print"), print_paper)
DUNNING = JobKind("receivables.dunning", gettext_lazy("Dunning run"), run_dunning)
JOURNAL_EXPORT = JobKind(
    "receivables.export_journal",
    gettext_lazy("Journal export of a month"),
    export_journal,
    {"format": lambda fmt: journal.FORMATS.get(fmt, fmt)},
)
POST_JOURNAL = JobKind("receivables.post_journal", gettext_lazy("Journal posting of a month"), post_journal)
SEND_OUTBOX = JobKind(
    "receivables.send_outbox", gettext_lazy("Sending the outbox"), send_outbox, {"topics": topic_names}
)

#: The kinds of job receivables starts from the admin (registered in ``ReceivablesConfig.ready``).
KINDS = (BANK_IMPORT, DELIVER_INVOICES, PRINT_PAPER, DUNNING, JOURNAL_EXPORT, POST_JOURNAL, SEND_OUTBOX)
