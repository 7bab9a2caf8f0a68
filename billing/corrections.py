"""Correcting an invoiced line: never by editing it, by an adjustment line on a later open month.

The adjustment carries the difference between the amount the line should have had and what the
customer was charged for it so far (the line and its earlier adjustments), refers to the original
line (``adjusts``) and keeps the reason and who entered it. Only an issued line is corrected so: the
adjustment is a corrected qualified invoice (修正した適格請求書), which names the invoice it corrects
by its number and issue date and the line it corrects (printed from ``adjusts``); a line of an open
month is not issued yet and is put right at its source before the month closes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from backoffice.display import yen
from backoffice.months import Month
from backoffice.moves import lock, save_audited

from .models import BillingMonth, Invoice, InvoiceLine, MonthState
from .run import billing_month
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
        charged = original.amount + (original.adjustments.aggregate(total=Sum("amount"))["total"] or 0)
        difference = new_amount - charged
        if difference == 0:
            raise ValidationError(
                {"new_amount": _("The line was already charged %(amount)s.") % {"amount": yen(charged)}}
            )
        invoice = _invoice(month, original.invoice.customer_id, by)
        with translation.override("ja"):  # the invoice's language
            description = _("Correction of %(line)s (%(was)s → %(now)s)") % {
                "line": original.description,
                "was": yen(charged),
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


def _invoice(month: BillingMonth, customer_id: int, by) -> Invoice:
    invoice = Invoice.objects.filter(month=month, customer_id=customer_id).first()
    if invoice is None:
        period = month.period
        invoice = Invoice(
            customer_id=customer_id, month=month, period_start=period.first_day, period_end=period.last_day
        )
        save_audited(invoice, by=by, reason=_("Invoice opened for a correction"))
    return invoice
