"""Correcting an invoiced line: never by editing it, by an adjustment line on a later open month.

The adjustment carries the difference between the amount the line should have had and what has been
charged for its source key so far, every adjustment included (``billing.charged``: the run subtracts the
same), refers to the original line (``adjusts``) and keeps the reason and who entered it.

Once the source says another amount than its issued lines charged (fixed at the source after they were
issued), the source rules the line until the first open month, whose run bills that amount, is closed: a
correction to that amount is refused as already charged, to another as one to put right at the source
(the run would undo it). A correction never counts twice with a fix at its source.

Only an issued line is corrected so: the adjustment is a corrected qualified invoice (修正した適格請求書),
which names the invoice it corrects by its number and issue date and the line it corrects (printed from
``adjusts``); a line of an open month is not issued yet and is put right at its source before the month
closes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from backoffice.display import yen
from backoffice.months import Month
from backoffice.moves import lock, save_audited

from .charged import charged_for
from .models import BillingMonth, Invoice, InvoiceLine, MonthState
from .run import billing_month, plan
from .sources import FeeKind


def target_month(after: BillingMonth, *, by=None) -> BillingMonth:
    """The first open month after ``after``; the month following the last one, opened, when there is none."""
    later = BillingMonth.objects.filter(month__gt=after.month)
    open_month = later.filter(state=MonthState.OPEN).order_by("month").first()
    if open_month is not None:
        return open_month
    last = later.order_by("-month").first() or after
    following = Month.of(last.month).shifted(1)
    return billing_month(following.year, following.month, by=by)


def correct_line(line: InvoiceLine, *, new_amount: int, reason: str, by=None) -> InvoiceLine:
    """Add the adjustment that brings ``line`` (an original, or through one of its adjustments) to ``new_amount``."""
    if not reason.strip():
        raise ValidationError({"reason": _("A correction needs a reason.")})
    original = line.adjusts or line
    if original.invoice.number is None:
        raise ValidationError(
            _(
                "The line is not issued yet: its month is open, so it is put right at its source before closing; "
                "only an issued line is corrected by an adjustment naming its invoice."
            )
        )
    target = target_month(original.month, by=by)
    with transaction.atomic():
        month = lock(target)
        if month.is_closed:
            raise ValidationError(_("The billing month %(month)s is closed: choose again.") % {"month": month})
        original = lock(original)
        charged = charged_for([original.source_key])[original.source_key]
        _refuse_against_source(month, original, charged, new_amount)
        difference = new_amount - charged.amount
        if difference == 0:
            raise ValidationError(
                {"new_amount": _("The line was already charged %(amount)s.") % {"amount": yen(charged.amount)}}
            )
        invoice = _invoice(month, original.invoice.customer_id, by)
        with translation.override("ja"):  # the invoice's language
            description = _("Correction of %(line)s (%(was)s → %(now)s)") % {
                "line": original.description,
                "was": yen(charged.amount),
                "now": yen(new_amount),
            }
        adjustment = InvoiceLine(
            invoice=invoice,
            month=month,
            source_key=f"adjustment:{original.pk}:{original.adjustments.count() + 1}",
            kind=FeeKind.ADJUSTMENT,
            description=description[:300],
            occurred_on=original.occurred_on,
            contract_id=original.contract_id,
            service_code=original.service_code,
            amount=difference,
            tax_rate=original.tax_rate,
            adjusts=original,
            reason=reason,
            created_by=by,
        )
        save_audited(adjustment, by=by, reason=reason)
    return adjustment


def _refuse_against_source(month: BillingMonth, original: InvoiceLine, charged, new_amount: int) -> None:
    """Refuse a correction of a line whose source now says another amount than its issued lines charged:
    ``month``'s run bills the source's amount, every adjustment included, so the line is already charged
    that, and a correction to another amount would be undone (it is put right at the source)."""
    said = plan(month).said.get(original.source_key)
    if said is None or said == charged.issued:
        return
    if new_amount == said:
        raise ValidationError(
            {
                "new_amount": _(
                    "The line is already charged %(amount)s: its source says so now and the run of %(month)s "
                    "bills the difference."
                )
                % {"amount": yen(said), "month": month}
            }
        )
    raise ValidationError(
        {
            "new_amount": _(
                "The source of this line now says %(amount)s (changed after it was issued; the run of %(month)s "
                "bills it): put it right at its source, or correct the line once %(month)s is closed."
            )
            % {"amount": yen(said), "month": month}
        }
    )


def _invoice(month: BillingMonth, customer_id: int, by) -> Invoice:
    invoice = Invoice.objects.filter(month=month, customer_id=customer_id).first()
    if invoice is None:
        period = month.period
        invoice = Invoice(
            customer_id=customer_id, month=month, period_start=period.first_day, period_end=period.last_day
        )
        save_audited(invoice, by=by, reason=_("Invoice opened for a correction"))
    return invoice
