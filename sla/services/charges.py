"""Granted credits as billing charges (billing.sources), and their marking once billing invoiced them.

A credit's key ``sla.credit:<pk>`` is stable: billing writes it on one invoice; once the month is closed,
``charges_invoiced`` marks the credit invoiced and the source no longer yields it.
"""

from collections.abc import Iterator

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.bulk_history import update_with_history
from backoffice.display import date_text
from backoffice.months import Month
from billing.sources import Charge, FeeKind, ids_under

from ..models import Credit, CreditStatus

KEY_PREFIX = "sla.credit:"


def granted_credits(month: Month) -> Iterator[Charge]:
    """A negative charge for each credit granted by the month's last day and not yet invoiced. One query."""
    rows = Credit.objects.filter(status=CreditStatus.GRANTED, granted_on__lte=month.last_day).select_related(
        "claim__affected__contract", "claim__affected__outage"
    )
    for credit in rows.order_by("granted_on", "pk"):
        affected = credit.claim.affected
        yield Charge(
            source_key=credit.source_key,
            customer_id=affected.contract.customer_id,
            kind=FeeKind.CREDIT,
            description=_("Quality guarantee credit: outage of %(start)s")
            % {"start": date_text(affected.outage.started_at)},
            amount=-credit.amount,
            occurred_on=credit.granted_on,
            contract_id=affected.contract_id,
            service_code=affected.contract.service_id,
        )


def mark_invoiced(sender, lines, **kwargs) -> None:
    """``billing.signals.charges_invoiced`` receiver: the credits among ``lines`` are invoiced (once)."""
    invoices = ids_under(KEY_PREFIX, lines)
    if not invoices:
        return
    with transaction.atomic():
        rows = list(Credit.objects.select_for_update().filter(pk__in=invoices, status=CreditStatus.GRANTED))
        for credit in rows:
            credit.status = CreditStatus.INVOICED
            number, credit.invoiced_on = invoices[credit.pk]
            credit.invoice_number = str(number)
        update_with_history(Credit, rows, ["status", "invoice_number", "invoiced_on"], reason="invoiced")
