"""Billing's admin actions: run (with the dry run shown before confirming), dry run, close, correct a line."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.display import yen
from jobs.pages import job_link

from ..background import run_later
from ..closing import close_month
from ..corrections import correct_line
from ..rendering import job_of
from ..run import plan, refuse_closed
from . import forms


def preview_lines(month) -> list[str]:
    """The dry run: what the month will bill, then each line a run would add, change and remove."""
    result = plan(month)
    text = _(
        "%(month)s: %(lines)d lines for %(customers)d customers, %(total)s before tax; a run now adds "
        "%(add)d lines, changes %(change)d and removes %(remove)d."
    ) % {
        "month": month,
        "lines": result.lines,
        "customers": result.customers,
        "total": yen(result.total),
        "add": len(result.add),
        "change": len(result.change),
        "remove": len(result.remove),
    }
    return [text, *(_describe(line) for line in result.add[:SHOWN]), *_changes(result)]


#: How many of each set the confirmation page lists (the command lists them all).
SHOWN = 20


def _describe(line) -> str:
    return f"+ {line.description} {yen(line.amount)}"


def _changes(result) -> list[str]:
    changed = [f"~ {old.description} {yen(old.amount)} → {yen(new.amount)}" for old, new in result.change[:SHOWN]]
    removed = [f"− {line.description} {yen(line.amount)}" for line in result.remove[:SHOWN]]
    return changed + removed


def _run(month, data, user):
    """The run is a month's work: a worker does it, and the message links its job."""
    refuse_closed(month)
    return job_link(_("running in the background"), run_later(month, by=user))


def _dry_run(month, data, user):
    return " / ".join(preview_lines(month))


def _close(month, data, user):
    issued = close_month(month, by=user, issued_on=data["issued_on"])
    text = _("%(count)d invoices issued; their documents are rendered in the background") % {"count": issued}
    return job_link(text, job_of(month))


def _correct(line, data, user):
    adjustment = correct_line(line, new_amount=data["new_amount"], reason=data["reason"], by=user)
    return _("adjustment of %(amount)s on %(month)s") % {"amount": yen(adjustment.amount), "month": adjustment.month}


def _run_warning(months) -> list[str]:
    return [line for month in months if not month.is_closed for line in preview_lines(month)]


def _close_warning(months) -> list[str]:
    return [
        _("Closing issues every invoice of the month for good: numbers, documents and amounts never change again."),
    ]


# The run and the closing show their own preview (the dry run's plan, what closing will issue) and
# are a month's work: they are not rehearsed as well.
RUN = StepAction(
    "run",
    gettext_lazy("Run the billing (brings the lines up to date)"),
    forms.ConfirmForm,
    _run,
    _run_warning,
    rehearse=False,
    background=True,
)
DRY_RUN = StepAction(
    "dry_run", gettext_lazy("Dry run (writes nothing)"), forms.ConfirmForm, _dry_run, permission="run", rehearse=False
)
CLOSE = StepAction(
    "close",
    gettext_lazy("Close the month and issue its invoices"),
    forms.CloseForm,
    _close,
    _close_warning,
    rehearse=False,
)
CORRECT = StepAction(
    "correct", gettext_lazy("Correct this line (adjustment in the next open month)"), forms.CorrectionForm, _correct
)
