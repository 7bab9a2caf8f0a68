"""What equipment hands to the monthly billing run (``billing.sources``), and how it hears back
(``billing.signals.charges_invoiced``): approved charges and rental cancellation fees, each once."""

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.moves import save_audited
from billing.sources import Charge as BillingCharge
from billing.sources import FeeKind, Period, ids_under
from contracts.choices import ServiceCode

from .choices import ChargeState
from .models import Charge, RentalCancellationFee

CHARGE_PREFIX = "equipment.charge:"
FEE_PREFIX = "equipment.cancellation_fee:"


def approved_charges(period: Period):
    """Approved charges not yet invoiced, approved on or before the period's last day (one query)."""
    rows = Charge.objects.filter(status=ChargeState.APPROVED, decided_on__lte=period.last_day).select_related(
        "incident__unit", "incident__contract", "incident__option__contract"
    )
    for charge in rows.order_by("pk"):
        incident = charge.incident
        contract = incident.contract or incident.option.contract
        yield BillingCharge(
            source_key=charge.source_key,
            customer_id=contract.customer_id,
            kind=FeeKind.ONE_TIME,
            description=f"{charge.get_kind_display()} ({incident.unit.serial})",
            amount=charge.amount,
            occurred_on=charge.decided_on,
            contract_id=contract.pk,
            service_code=contract.service_id,
        )


def cancellation_fees(period: Period):
    """Router rental cancellation fees not yet invoiced, arising on or before the period's last day."""
    rows = RentalCancellationFee.objects.filter(invoice_number="", arises_on__lte=period.last_day)
    for fee in rows.select_related("option__contract").order_by("pk"):
        contract = fee.option.contract
        yield BillingCharge(
            source_key=fee.source_key,
            customer_id=contract.customer_id,
            kind=FeeKind.ONE_TIME,
            description=_("Router rental cancellation fee × %(units)d") % {"units": fee.units},
            amount=fee.amount,
            occurred_on=fee.arises_on,
            contract_id=contract.pk,
            service_code=ServiceCode.ISP_PLATFORM,
        )


@transaction.atomic
def on_charges_invoiced(sender, lines, **kwargs) -> None:
    """Mark the charges and fees billing issued as invoiced (invoice number and date), with history."""
    charges = ids_under(CHARGE_PREFIX, lines)
    for charge in Charge.objects.select_for_update().filter(pk__in=charges, status=ChargeState.APPROVED):
        charge.invoice_number, charge.invoiced_on = charges[charge.pk]
        charge.status = ChargeState.INVOICED
        save_audited(charge, by=None, reason=_("Invoiced: %(number)s") % {"number": charge.invoice_number})
    fees = ids_under(FEE_PREFIX, lines)
    for fee in RentalCancellationFee.objects.select_for_update().filter(pk__in=fees, invoice_number=""):
        fee.invoice_number, fee.invoiced_on = fees[fee.pk]
        save_audited(fee, by=None, reason=_("Invoiced: %(number)s") % {"number": fee.invoice_number})
