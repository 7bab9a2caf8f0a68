"""Billing's admin actions: run (with the dry run shown before confirming), dry run, close, correct a line."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.actions import StepAction
from backoffice.display import yen

from ..closing import close_month
from ..corrections import correct_line
from ..preview import preview
from ..run import run_month
from . import forms


def preview_text(month) -> str:
    result = preview(month)
    return _(
        "%(month)s: %(lines)d lines for %(customers)d customers, %(total)s before tax; "
        "new %(new)d, ended %(ended)d, changed %(changed)d against the previous month."
    ) % {
        "month": month,
        "lines": len(result.charges),
        "customers": result.customers,
        "total": yen(result.total),
        "new": len(result.new),
        "ended": len(result.ended),
        "changed": len(result.changed),
    }


def _run(month, data, user):
    result = run_month(month, by=user)
    return _("%(invoices)d invoices and %(lines)d lines added") % {
        "invoices": result.invoices_created,
        "lines": result.lines_created,
    }


def _dry_run(month, data, user):
    return preview_text(month)


def _close(month, data, user):
    issued = close_month(month, by=user, issued_on=data["issued_on"])
    return _("%(count)d invoices issued") % {"count": issued}


def _correct(line, data, user):
    adjustment = correct_line(line, new_amount=data["new_amount"], reason=data["reason"], by=user)
    return _("adjustment of %(amount)s on %(month)s") % {"amount": yen(adjustment.amount), "month": adjustment.month}


def _run_warning(months) -> list[str]:
    return [preview_text(month) for month in months if not month.is_closed]


def _close_warning(months) -> list[str]:
    return [
        _("Closing issues every invoice of the month for good: numbers, documents and amounts never change again."),
    ]


# The run and the closing show their own preview (the dry run's differences, what closing will issue) and
# are a month's work: they are not rehearsed as well.
RUN = StepAction(
    "run",
    gettext_lazy("Run the billing (adds what is missing)"),
    forms.ConfirmForm,
    _run,
    _run_warning,
    rehearse=False,
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
