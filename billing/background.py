"""The billing run as a job: started from the admin, done by a worker (the command runs it in place).

The run is one transaction (``billing.run``): a worker killed halfway leaves the month as it was and
the job, taken up again, runs it whole. Its progress is the run's own (batches of lines written), shown
as it goes (``jobs.aside``).
"""

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import services as jobs
from jobs.kinds import JobKind
from jobs.models import Job

from .models import BillingMonth
from .run import run_month


def run_later(month: BillingMonth, *, by=None) -> Job:
    return jobs.start(
        BILLING_RUN,
        by=by,
        description=_("Billing run of %(month)s") % {"month": month},
        arguments={"month": month.pk},
    )


def month_of(month_id: int):
    """The first day of the month a job's ``month`` argument names."""
    return BillingMonth.objects.values_list("month", flat=True).get(pk=month_id)


def run(job: Job) -> jobs.Outcome:
    """The job's handler: the run, reporting each batch of lines written."""
    month = BillingMonth.objects.get(pk=job.arguments["month"])
    result = run_month(month, by=job.started_by, progress=partial(jobs.advance, job.pk))
    text = _("%(invoices)d invoices opened; %(added)d lines added, %(changed)d changed, %(removed)d removed") % {
        "invoices": result.invoices_created,
        "added": result.lines_created,
        "changed": result.lines_changed,
        "removed": result.lines_removed,
    }
    return jobs.Outcome(text, reverse("admin:billing_invoice_changelist") + f"?month__id__exact={month.pk}")


#: The job's page reads a month by its first day.
MONTH_READERS = {"month": month_of}

BILLING_RUN = JobKind("billing.run", gettext_lazy("Billing run of a month"), run, MONTH_READERS)
